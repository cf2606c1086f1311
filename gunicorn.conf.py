"""gunicorn's settings for the web service (the Dockerfile passes this file; gunicorn
also reads it by itself when started from this folder). Where to listen, how many
workers and whether to write an access log stay on the command line.

The logs carry no client addresses: the access log has no remote address, user
agent, referrer or query string, tokens in paths are cut out, a visit to a source
page (the tips page) writes no line at all, and the error log's "Invalid request
from ip=..." loses the address (newsroom/log_privacy.py)."""

from gunicorn.glogging import Logger

from newsroom.log_privacy import is_source_path, redact

# Time, method, path, protocol, status, bytes, milliseconds.
access_log_format = '%(t)s "%(m)s %(U)s %(H)s" %(s)s %(b)s %(M)sms'


class PrivateLogger(Logger):
    """gunicorn's logger, with client addresses and path tokens cut out, and
    nothing of a source page's visitors."""

    def access(self, resp, req, environ, request_time):
        if is_source_path(environ.get("PATH_INFO", "")):
            return
        super().access(resp, req, environ, request_time)

    def atoms(self, resp, req, environ, request_time):
        atoms = super().atoms(resp, req, environ, request_time)
        atoms["U"] = redact(atoms["U"] or "")
        atoms["h"] = "-"
        return atoms

    def critical(self, msg, *args, **kwargs):
        super().critical(redact(str(msg)), *args, **kwargs)

    def error(self, msg, *args, **kwargs):
        super().error(redact(str(msg)), *args, **kwargs)

    def warning(self, msg, *args, **kwargs):
        super().warning(redact(str(msg)), *args, **kwargs)

    def info(self, msg, *args, **kwargs):
        super().info(redact(str(msg)), *args, **kwargs)

    def debug(self, msg, *args, **kwargs):
        super().debug(redact(str(msg)), *args, **kwargs)

    def exception(self, msg, *args, **kwargs):
        super().exception(redact(str(msg)), *args, **kwargs)


logger_class = PrivateLogger

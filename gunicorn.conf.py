"""gunicorn's settings for the web service (the Dockerfile passes this file; gunicorn
also reads it by itself when started from this folder). Where to listen and how
many workers stay on the command line.

The logs carry no client addresses: the access log has no remote address, user
agent, referrer or query string, and tokens in paths (confirmation, password
reset, unsubscribe and shared preview links) are cut out; the error log's
"Invalid request from ip=..." loses the address. Readers' IPs are never stored."""

import re

from gunicorn.glogging import Logger

accesslog = "-"
errorlog = "-"
# Time, method, path, protocol, status, bytes, milliseconds.
access_log_format = '%(t)s "%(m)s %(U)s %(H)s" %(s)s %(b)s %(M)sms'

# Paths whose last parts are credentials.
TOKEN_PATHS = re.compile(
    r"^(/accounts/(?:confirm-email|password/reset/key|unsubscribe)/"
    r"|/preview/shared/)[^/]+"
)
CLIENT_ADDRESS = re.compile(r"\bip=\S+?(?=:|\s|$)")


class PrivateLogger(Logger):
    """gunicorn's logger, with client addresses and path tokens cut out."""

    def atoms(self, resp, req, environ, request_time):
        atoms = super().atoms(resp, req, environ, request_time)
        atoms["U"] = TOKEN_PATHS.sub(r"\1[token]", atoms["U"] or "")
        atoms["h"] = "-"
        return atoms

    def critical(self, msg, *args, **kwargs):
        super().critical(CLIENT_ADDRESS.sub("ip=-", str(msg)), *args, **kwargs)

    def error(self, msg, *args, **kwargs):
        super().error(CLIENT_ADDRESS.sub("ip=-", str(msg)), *args, **kwargs)

    def warning(self, msg, *args, **kwargs):
        super().warning(CLIENT_ADDRESS.sub("ip=-", str(msg)), *args, **kwargs)

    def info(self, msg, *args, **kwargs):
        super().info(CLIENT_ADDRESS.sub("ip=-", str(msg)), *args, **kwargs)

    def debug(self, msg, *args, **kwargs):
        super().debug(CLIENT_ADDRESS.sub("ip=-", str(msg)), *args, **kwargs)


logger_class = PrivateLogger

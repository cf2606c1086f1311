"""gunicorn's settings for Newsroom, read from the working directory by every
`gunicorn newsroom.wsgi:application` (the Dockerfile passes it too; make bench).
Where to listen and whether to write an access log stay on the command line.

Threads, not processes alone: a page spends part of its time waiting for
PostgreSQL, and a thread in the same worker can render another page meanwhile;
slow or idle keep-alive clients wait in the worker's event loop, not in a thread
(the sync worker gave each connection a whole process and closed it after one
request). Queues stay short: a worker accepts only a few connections more than
it has threads, so under overload new clients wait in the kernel's small backlog
and the ones ahead are served in order, instead of a process working through
requests whose clients gave up long ago. A reverse proxy in front (nginx)
buffers slow clients and enforces its own timeouts.

The logs carry no client addresses: the access log has no remote address, user
agent, referrer or query string, tokens in paths are cut out, a visit to a source
page (the tips page) writes no line at all, and the error log's "Invalid request
from ip=..." loses the address (newsroom/log_privacy.py).
"""

import os

from gunicorn.glogging import Logger

from newsroom.log_privacy import is_source_path, redact

# Two processes per core is gunicorn's advice; each runs THREADS requests at once.
workers = int(os.environ.get("WEB_CONCURRENCY", "2"))
worker_class = "gthread"
threads = 4
# Connections a worker holds at once, serving or kept alive between requests.
# Bounded, so an overloaded worker stops accepting and new clients wait in the
# kernel's backlog (and get a refusal when it is full) rather than in a queue
# of work promised long after they gave up.
worker_connections = 64
backlog = 128
# A request still running after this long (a stuck query, a stuck mail server)
# restarts its worker; every page answers in milliseconds.
timeout = 30
graceful_timeout = 20
keepalive = 5
# Workers are replaced now and then, so memory that creeps is given back.
max_requests = 10000
max_requests_jitter = 1000


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

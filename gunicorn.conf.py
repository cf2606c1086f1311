"""gunicorn's settings for Newsroom, read from the working directory by every
`gunicorn newsroom.wsgi:application` (docker-compose's web service, make bench).

Threads, not processes alone: a page spends part of its time waiting for
PostgreSQL, and a thread in the same worker can render another page meanwhile;
slow or idle keep-alive clients wait in the worker's event loop, not in a thread
(the sync worker gave each connection a whole process and closed it after one
request). Queues stay short: a worker accepts only a few connections more than
it has threads, so under overload new clients wait in the kernel's small backlog
and the ones ahead are served in order, instead of a process working through
requests whose clients gave up long ago. A reverse proxy in front (nginx)
buffers slow clients and enforces its own timeouts.
"""

import os

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

"""The background worker: django-tasks-db's db_worker, kept running through
database restarts.

db_worker stops for good at the first database error that is not a lock, so a
PostgreSQL restart (an upgrade, a failover, a full disk) used to end email for
good until someone noticed. This worker closes its connections and tries again
with a short back-off instead; a task it had claimed when the connection broke
stays claimed (no double send), and tasks still waiting are picked up once the
database answers again.
"""

import logging
import os
import time

from django.conf import settings
from django.core.management.base import CommandError
from django.db import InterfaceError, OperationalError, connections
from django.utils.autoreload import DJANGO_AUTORELOAD_ENV, run_with_reloader
from django.utils.module_loading import import_string
from django_tasks_db.management.commands import db_worker

logger = logging.getLogger("newsroom.worker")

FIRST_DELAY = 0.5  # seconds
MAX_DELAY = 5.0  # short, so mail flows again within seconds of recovery
# A worker that ran this long since its last failure starts the back-off afresh.
HEALTHY_AFTER = 60.0


class ReconnectingWorker(db_worker.Worker):
    def run(self) -> None:
        delay = FIRST_DELAY
        while True:
            started = time.monotonic()
            try:
                return super().run()
            except (OperationalError, InterfaceError) as error:
                if not self.running:  # asked to stop while the database was away
                    return None
                if time.monotonic() - started > HEALTHY_AFTER:
                    delay = FIRST_DELAY
                reason = str(error).strip().splitlines()[0] if str(error) else error
                logger.warning(
                    "Database unavailable (%s); the worker tries again in %.1f s.",
                    reason,
                    delay,
                )
                connections.close_all()
                time.sleep(delay)
                delay = min(delay * 2, MAX_DELAY)


class Command(db_worker.Command):
    help = (
        "Run the background worker (email), reconnecting by itself when the "
        "database restarts. Takes db_worker's options."
    )

    def handle(self, *, verbosity, **options) -> None:
        # db_worker's own handle, with the worker above in place of its own.
        self.configure_logging(verbosity)
        reload, batch = options["reload"], options["batch"]
        if reload and batch:
            reload = False
        queues = options["queue_name"].split(",")
        excluded = (
            options["exclude_queues"].split(",") if options["exclude_queues"] else []
        )
        if excluded and "*" not in queues:
            raise CommandError("--exclude-queues can only be used with --queue-name=*")
        if not batch:
            # Each periodic task queues its next run itself; queueing the first at
            # every start (nothing when one is waiting) mends a chain that a worker
            # killed mid-run broke.
            for schedule in settings.WORKER_PERIODIC_TASKS:
                import_string(schedule)()
        worker = ReconnectingWorker(
            queue_names=queues,
            interval=options["interval"],
            batch=batch,
            backend_name=options["backend_name"],
            startup_delay=options["startup_delay"],
            max_tasks=options["max_tasks"],
            worker_id=options["worker_id"],
            excluded_queue_names=excluded,
        )
        if reload:
            if os.environ.get(DJANGO_AUTORELOAD_ENV) == "true":
                worker.configure_signals()  # only the reloaded child
            run_with_reloader(worker.run)
        else:
            worker.configure_signals()
            worker.run()

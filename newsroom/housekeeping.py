"""What the worker clears on a schedule, so that nothing about readers outlives its
use: expired cache rows (rate limits), expired sessions, finished task rows and
the hashed addresses of old comments."""

from dataclasses import dataclass
from datetime import timedelta
from importlib import import_module

from django.conf import settings
from django.db import connection
from django.utils import timezone
from django_tasks import TaskResultStatus, task
from django_tasks_db.models import DBTaskResult

from comments.services import comments_forget_old_addresses

DATABASE_CACHE = "django.core.cache.backends.db.DatabaseCache"


@dataclass(frozen=True)
class HousekeepingReport:
    """How many rows each step removed (or blanked)."""

    cache_rows: int
    task_results: int
    comment_addresses: int

    def __str__(self):
        return (
            f"{self.cache_rows} expired cache row(s), {self.task_results} finished "
            f"task row(s), {self.comment_addresses} comment address hash(es)"
        )


def cache_purge_expired() -> int:
    """Delete expired rows from every database cache table. Django's database cache
    only culls when a table is full, so expired rate limits would stay for good."""
    deleted = 0
    for cache in settings.CACHES.values():
        if cache["BACKEND"] != DATABASE_CACHE:
            continue
        table = connection.ops.quote_name(cache["LOCATION"])
        with connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {table} WHERE expires < %s", [timezone.now()])
            deleted += cursor.rowcount
    return deleted


def task_results_prune() -> int:
    """Delete finished and failed task rows older than TASK_RESULT_RETENTION_DAYS."""
    cutoff = timezone.now() - timedelta(days=settings.TASK_RESULT_RETENTION_DAYS)
    deleted, _ = DBTaskResult.objects.finished().filter(finished_at__lt=cutoff).delete()
    return deleted


def housekeeping_run() -> HousekeepingReport:
    """Run every step now."""
    import_module(settings.SESSION_ENGINE).SessionStore.clear_expired()
    return HousekeepingReport(
        cache_rows=cache_purge_expired(),
        task_results=task_results_prune(),
        comment_addresses=comments_forget_old_addresses(),
    )


def housekeeping_schedule(*, delay: timedelta = timedelta(0)) -> bool:
    """Queue the next periodic run unless one is queued already; True if queued.
    Each run queues the next, so one call when the worker starts keeps it going."""
    queued = DBTaskResult.objects.filter(
        status=TaskResultStatus.READY, task_path=housekeeping.module_path
    )
    if queued.exists():
        return False
    housekeeping.using(run_after=timezone.now() + delay).enqueue()
    return True


@task()
def housekeeping() -> None:
    """The periodic run, every HOUSEKEEPING_INTERVAL_MINUTES."""
    housekeeping_run()
    housekeeping_schedule(
        delay=timedelta(minutes=settings.HOUSEKEEPING_INTERVAL_MINUTES)
    )

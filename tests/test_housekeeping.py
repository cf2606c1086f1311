"""The worker's housekeeping: queued once when the worker starts, it repeats itself
and removes expired cache rows (rate limits), expired sessions and finished task
rows, and blanks old comments' address hashes."""

from datetime import UTC, datetime, timedelta
from io import StringIO

import pytest
import time_machine
from django.contrib.sessions.models import Session
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from comments.models import Comment
from newsroom.housekeeping import housekeeping
from readers.tasks import deliver_email
from tests.factories import CommentFactory, ReaderUserFactory
from tests.mail import run_worker

pytestmark = pytest.mark.django_db(transaction=True)

START = datetime(2026, 5, 4, 9, 0, tzinfo=UTC)


def cache_row_count():
    """Rows with a lifetime: the versions of the kept parts of pages
    (newsroom/fragments.py) have none, and are replaced, never purged."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM newsroom_cache WHERE expires < '9000-01-01'"
        )
        return cursor.fetchone()[0]


def queued_housekeeping():
    return DBTaskResult.objects.filter(
        task_path=housekeeping.module_path, status="READY"
    )


def leave_traces():
    """What a busy hour leaves: rate limit rows, a session, a delivered email."""
    cache.set("rate limit of a reader", [1], timeout=60)
    client = Client()
    client.force_login(ReaderUserFactory())
    deliver_email.enqueue(
        {
            "subject": "Hello",
            "body": "Hello",
            "html": None,
            "from_email": "noreply@example.org",
            "to": ["reader@example.org"],
            "headers": {},
        }
    )


def test_the_worker_purges_on_a_schedule(settings, smtp):
    settings.HOUSEKEEPING_INTERVAL_MINUTES = 60
    settings.TASK_RESULT_RETENTION_DAYS = 1
    settings.SESSION_COOKIE_AGE = 3600
    with time_machine.travel(START, tick=False) as traveller:
        out = StringIO()
        call_command("housekeeping", "--schedule", stdout=out)
        assert "queued" in out.getvalue()
        call_command("housekeeping", "--schedule", stdout=out)  # a second worker
        assert queued_housekeeping().count() == 1

        leave_traces()
        cache.set("fresh", 1, timeout=3 * 86400)
        run_worker()  # sends the email, runs housekeeping (nothing expired yet)
        assert cache_row_count() >= 2
        assert Session.objects.count() == 1
        [next_run] = queued_housekeeping()
        assert next_run.run_after == START + timedelta(minutes=60)

        traveller.shift(timedelta(minutes=30))
        run_worker()  # not due yet
        assert queued_housekeeping().get() == next_run

        traveller.shift(timedelta(days=1, minutes=31))
        run_worker()
        assert cache.get("fresh") == 1
        assert cache_row_count() == 1  # only the fresh row is left
        assert not Session.objects.exists()
        assert not DBTaskResult.objects.filter(task_path=deliver_email.module_path)
        [next_run] = queued_housekeeping()
        assert next_run.run_after == timezone.now() + timedelta(minutes=60)

        leave_traces()
        traveller.shift(timedelta(days=2))
        run_worker()
        assert cache_row_count() == 0
        assert not Session.objects.exists()
        assert queued_housekeeping().count() == 1


def test_old_comments_lose_their_address_hash_without_a_new_comment(settings):
    settings.COMMENT_IP_RETENTION_DAYS = 7
    with time_machine.travel(START, tick=False) as traveller:
        comment = CommentFactory(ip_hash="a" * 64)
        traveller.shift(timedelta(days=8))
        out = StringIO()
        call_command("housekeeping", stdout=out)
    assert Comment.objects.get(pk=comment.pk).ip_hash == ""
    assert "1 comment address hash(es)" in out.getvalue()


def test_a_starting_worker_queues_every_periodic_run_once():
    """As compose and `make run` start it: no separate --schedule step needed, and
    a chain broken by a killed worker is mended at the next start."""
    waiting = DBTaskResult.objects.filter(status="READY")
    with time_machine.travel(START, tick=False):
        # One task due now is run, then the worker exits (--max-tasks 1).
        call_command("worker", "--max-tasks", "1", "--no-startup-delay", verbosity=0)
        paths = sorted(waiting.values_list("task_path", flat=True))
        assert paths == [
            "newsletters.tasks.newsletters_periodic",
            "newsroom.housekeeping.housekeeping",
        ]
        call_command("worker", "--max-tasks", "1", "--no-startup-delay", verbosity=0)
        assert waiting.count() == 2  # started again: still one of each

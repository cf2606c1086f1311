"""The daily digest assembles itself from the day's reports in the newsletter's
language, once a day, as a draft or sent at once; the worker's periodic run does
it, and `manage.py newsletters` does it by hand or queues that run."""

import io
from datetime import UTC, datetime, time, timedelta

import pytest
import time_machine
from django.core.management import call_command
from django_tasks_db.models import DBTaskResult

from newsletters.models import Issue, Newsletter
from newsletters.tasks import newsletters_periodic, newsletters_run
from tests.factories import (
    ArticleFactory,
    IssueFactory,
    NewsletterFactory,
    SubscriberFactory,
)

pytestmark = pytest.mark.django_db

MORNING = datetime(2026, 5, 4, 7, 0, tzinfo=UTC)


def published(hours_ago, **fields):
    return ArticleFactory(published_at=MORNING - timedelta(hours=hours_ago), **fields)


@pytest.fixture
def daily():
    return NewsletterFactory(
        digest=Newsletter.Digest.DRAFT, digest_time=time(7, 0), language="en"
    )


def test_the_digest_gathers_the_days_reports_in_its_language(daily):
    newest, older = published(1), published(20)
    published(2, language="ar")  # another edition's
    published(30)  # more than a day old
    sent_before = published(3)
    IssueFactory(newsletter=daily, articles=[sent_before], status=Issue.Status.SENT)

    with time_machine.travel(MORNING - timedelta(minutes=1), tick=False):
        assert newsletters_run() == {"unconfirmed": 0}  # not yet
    with time_machine.travel(MORNING + timedelta(minutes=4), tick=False):
        assert newsletters_run()["digests"] == 1
        assert newsletters_run().get("digests") is None  # once a day
    digest = daily.issues.get(digest_date=MORNING.date())
    assert digest.status == Issue.Status.DRAFT
    assert digest.subject.endswith("4 May 2026")
    assert [item.article for item in digest.items.all()] == [newest, older]


def test_a_digest_can_go_out_by_itself_and_never_empty(daily):
    daily.digest = Newsletter.Digest.SEND
    daily.save()
    SubscriberFactory(newsletters=[daily])
    with time_machine.travel(MORNING + timedelta(minutes=1), tick=False):
        newsletters_run()  # nothing was published: no digest
        assert not daily.issues.exists()
        published(0.5)
        newsletters_run()
    digest = daily.issues.get()
    assert digest.status == Issue.Status.SENDING and digest.recipient_count == 1


def test_a_digest_missed_by_far_is_skipped_that_day(daily):
    published(1)
    with time_machine.travel(MORNING + timedelta(hours=7), tick=False):
        newsletters_run()
    assert not daily.issues.exists()


def test_the_command_assembles_digests_and_queues_the_periodic_run(daily):
    published(1)
    out = io.StringIO()
    with time_machine.travel(MORNING + timedelta(hours=12), tick=False):
        call_command("newsletters", "--digest", "--draft", stdout=out)
    assert "1 article(s), Draft" in out.getvalue()
    assert daily.issues.get().status == Issue.Status.DRAFT

    call_command("newsletters", "--schedule", stdout=out)
    call_command("newsletters", "--schedule", stdout=out)
    queued = DBTaskResult.objects.filter(task_path=newsletters_periodic.module_path)
    assert queued.count() == 1
    assert "already queued" in out.getvalue()

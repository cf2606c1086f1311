"""The sending machinery's small rules, one at a time: a claimed email is never
handed out again, retries stop, stale claims become unconfirmed, one batch task
waits at a time, and the report's counts survive readers leaving meanwhile."""

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from newsletters.mailer import Outcome
from newsletters.models import Delivery, Issue
from newsletters.services import (
    LEASE,
    MAX_ATTEMPTS,
    deliveries_recover_stale,
    delivery_claim,
    delivery_record,
    issue_finish_if_done,
    issue_send,
    subscription_cancel,
)
from newsletters.tasks import issue_send_batch, issue_send_continue
from tests.factories import ArticleFactory, IssueFactory, NewsletterFactory
from tests.factories import SubscriberFactory as Subscriber

pytestmark = pytest.mark.django_db


@pytest.fixture
def issue():
    newsletter = NewsletterFactory()
    Subscriber.create_batch(2, newsletters=[newsletter])
    issue = IssueFactory(newsletter=newsletter, articles=[ArticleFactory()])
    issue_send(issue=issue)
    return issue


def test_a_claimed_email_is_not_handed_out_again(issue):
    first, second = delivery_claim(issue_id=issue.pk), delivery_claim(issue_id=issue.pk)
    assert first.pk != second.pk
    assert delivery_claim(issue_id=issue.pk) is None
    assert set(issue.deliveries.values_list("status", flat=True)) == {"sending"}


def test_retries_wait_their_turn_and_stop_after_the_last_attempt(issue):
    delivery = delivery_claim(issue_id=issue.pk)
    assert delivery_record(delivery=delivery, outcome=Outcome.DEFERRED) == "pending"
    delivery.refresh_from_db()
    assert delivery.next_attempt_at > timezone.now()
    delivery_claim(issue_id=issue.pk)  # the other address
    assert delivery_claim(issue_id=issue.pk) is None  # not due yet
    delivery.attempts = MAX_ATTEMPTS
    assert delivery_record(delivery=delivery, outcome=Outcome.DEFERRED) == "failed"


def test_an_email_in_flight_past_its_lease_is_unconfirmed_not_resent(issue):
    delivery = delivery_claim(issue_id=issue.pk)
    assert deliveries_recover_stale() == 0  # a worker may still be on it
    with time_machine.travel(timezone.now() + LEASE + timedelta(seconds=1)):
        assert deliveries_recover_stale() == 1
    delivery.refresh_from_db()
    assert delivery.status == Delivery.Status.UNCONFIRMED
    # A slow worker that does report back is believed.
    delivery_record(delivery=delivery, outcome=Outcome.SENT)
    delivery.refresh_from_db()
    assert delivery.status == Delivery.Status.SENT


def test_one_batch_task_waits_at_a_time(issue):
    batches = DBTaskResult.objects.filter(task_path=issue_send_batch.module_path)
    assert batches.count() == 1  # two addresses, one batch
    issue_send_continue(issue.pk)
    issue_send_continue(issue.pk)
    assert batches.count() == 1


def test_the_report_keeps_readers_leaving_while_it_is_being_finished(issue):
    for _ in range(2):
        claimed = delivery_claim(issue_id=issue.pk)
        delivery_record(delivery=claimed, outcome=Outcome.SENT)
    subscriber = claimed.subscriber
    subscription_cancel(
        subscriber_id=subscriber.pk,
        newsletter_id=issue.newsletter_id,
        issue_id=issue.pk,
    )
    assert issue_finish_if_done(issue_id=issue.pk)
    issue = Issue.objects.get(pk=issue.pk)
    assert (issue.sent_count, issue.unsubscribed_count) == (2, 1)
    assert not issue.deliveries.exists()

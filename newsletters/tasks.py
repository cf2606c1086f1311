"""Sending newsletter issues through the background worker.

An issue being sent has one delivery row per address (newsletters.models). Its
batch tasks, one per NEWSLETTER_BATCH_SIZE addresses, run on any number of
workers at once. Each opens one connection to the mail server and, for up to a
batch of emails, claims the next waiting row (SELECT ... FOR UPDATE SKIP LOCKED)
and commits it as SENDING, hands the email to the server, and records what
became of it in a second short transaction.

The guarantee is at most once per address and issue. The claim is committed
before the mail server hears of the email, so a worker that dies (or is
restarted) at any point leaves the row SENDING, and such rows are only ever
counted as unconfirmed (by the periodic run, after LEASE), never sent again. An
email the server certainly did not take (it said no with a code, or the
connection failed before the message started) goes back to waiting and is tried
again with back-off; one that may have arrived (the connection broke while it
travelled) is unconfirmed too. The opposite order (send, then commit) would
give at least once: a worker dying between the server's “250 OK” and its
commit would leave the row waiting, and the next worker would send it again.
For an email to thousands of readers, a rare missed copy (counted in the report)
is better than a duplicate, and “never twice” is what readers were promised.

Task rows hold ids and counts only: no address, no body, no link.
"""

import logging
import smtplib
from collections import Counter
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.utils import timezone
from django_tasks import TaskResultStatus, task
from django_tasks_db.models import DBTaskResult

from newsletters.emails import issue_content, issue_message
from newsletters.links import TEST_SUBSCRIBER, personal_links
from newsletters.mailer import Outcome, close_quietly, deliver, mail_connection
from newsletters.models import Issue, Newsletter
from newsletters.services import (
    deliveries_recover_stale,
    delivery_claim,
    delivery_record,
    digest_assemble,
    digest_day_due,
    issue_finish_if_done,
    issue_next_due,
    issue_send_if_due,
)
from readers.tasks import retry_delay

logger = logging.getLogger(__name__)

# How often the worker looks for digests to assemble, scheduled issues whose
# task was lost, and sends whose worker stopped.
TICK_INTERVAL = timedelta(minutes=5)


def _queued_batch(issue_id: int, *, by):
    return DBTaskResult.objects.filter(
        status=TaskResultStatus.READY,
        task_path=issue_send_batch.module_path,
        args_kwargs__args__0=issue_id,
        run_after__lte=by,
    )


def issue_send_continue(issue_id: int, *, not_before=None, attempt: int = 1) -> None:
    """After a batch: finish the issue if nothing is left, or make sure a batch
    task is queued for its next waiting email (retries wait their back-off)."""
    if issue_finish_if_done(issue_id=issue_id):
        return
    due = issue_next_due(issue_id=issue_id)
    if due is None:
        return  # only emails in flight: their worker carries on
    when = max(due, not_before or timezone.now())
    if _queued_batch(issue_id, by=when).exists():
        return
    issue_send_batch.using(run_after=when).enqueue(issue_id, attempt)


@task()
def issue_send_batch(issue_id: int, attempt: int = 1) -> dict:
    """Send up to NEWSLETTER_BATCH_SIZE emails of an issue over one connection;
    returns how many of each outcome (what the task row keeps)."""
    issue = (
        Issue.objects.select_related("newsletter")
        .filter(pk=issue_id, status=Issue.Status.SENDING)
        .first()
    )
    if issue is None:
        return {}
    content = issue_content(issue=issue)
    connection = mail_connection()
    try:
        connection.open()
    except (OSError, smtplib.SMTPException) as exc:
        # Nothing was claimed: the whole batch waits for the server.
        delay = retry_delay(attempt)
        logger.warning(
            "Mail server unreachable for issue %s (%s); again in %s",
            issue_id,
            type(exc).__name__,
            delay,
        )
        issue_send_continue(
            issue_id, not_before=timezone.now() + delay, attempt=attempt + 1
        )
        return {Outcome.NOT_CONNECTED.value: 0}
    outcomes = Counter()
    try:
        for _ in range(max(settings.NEWSLETTER_BATCH_SIZE, 1)):
            delivery = delivery_claim(issue_id=issue_id)
            if delivery is None:
                break
            links = personal_links(
                subscriber_id=delivery.subscriber_id,
                newsletter_id=issue.newsletter_id,
                issue_id=issue.pk,
            )
            try:
                message = issue_message(
                    content, to=delivery.subscriber.email, links=links
                )
            except Exception:
                # Not sent, so it may be tried again; the row must not stay
                # SENDING, which would count it as unconfirmed.
                logger.exception("Could not render issue %s", issue_id)
                delivery_record(delivery=delivery, outcome=Outcome.DEFERRED)
                continue
            outcome = deliver(connection, message)
            delivery_record(delivery=delivery, outcome=outcome)
            outcomes[outcome.value] += 1
            if outcome in {Outcome.NOT_CONNECTED, Outcome.UNCERTAIN}:
                break  # the connection is gone: the rest go on a fresh one
    finally:
        close_quietly(connection)
    if outcomes[Outcome.NOT_CONNECTED]:
        issue_send_continue(
            issue_id,
            not_before=timezone.now() + retry_delay(attempt),
            attempt=attempt + 1,
        )
    else:
        issue_send_continue(issue_id)
    return dict(outcomes)


@task()
def issue_send_due(issue_id: int) -> None:
    """Start a scheduled issue at its time (queued when it was scheduled)."""
    issue_send_if_due(issue_id=issue_id)


@task()
def issue_send_test(issue_id: int, user_id: int) -> str:
    """Send an issue to a member of staff, marked as a test, with links that
    change nothing. Tried once: the editor sees whether it arrived."""
    issue = Issue.objects.select_related("newsletter").filter(pk=issue_id).first()
    user = get_user_model().objects.filter(pk=user_id).first()
    if issue is None or user is None or not user.email:
        return ""
    links = personal_links(
        subscriber_id=TEST_SUBSCRIBER, newsletter_id=issue.newsletter_id
    )
    message = issue_message(
        issue_content(issue=issue), to=user.email, links=links, test=True
    )
    connection = mail_connection()
    try:
        connection.open()
        outcome = deliver(connection, message)
    finally:
        close_quietly(connection)
    return outcome.value


def newsletters_run(*, now=None) -> dict:
    """The periodic work, now: count emails of stopped workers as unconfirmed,
    carry on interrupted sends, start scheduled issues whose task was lost, and
    assemble the digests that are due. Returns what it did."""
    now = now or timezone.now()
    report = Counter(unconfirmed=deliveries_recover_stale(now=now))
    overdue = Issue.objects.filter(
        status=Issue.Status.SCHEDULED, scheduled_for__lte=now
    ).values_list("pk", flat=True)
    for issue_id in overdue:
        if issue_send_if_due(issue_id=issue_id):
            report["started"] += 1
    for issue_id in Issue.objects.filter(status=Issue.Status.SENDING).values_list(
        "pk", flat=True
    ):
        issue_send_continue(issue_id)
    for newsletter in Newsletter.objects.exclude(digest=Newsletter.Digest.OFF):
        if digest_day_due(newsletter=newsletter, now=now) is None:
            continue
        if digest_assemble(newsletter=newsletter, now=now):
            report["digests"] += 1
    return dict(report)


def newsletters_schedule(*, delay: timedelta = timedelta(0)) -> bool:
    """Queue the next periodic run unless one is queued; True if queued. Each
    run queues the next, so one call when the worker starts keeps it going."""
    queued = DBTaskResult.objects.filter(
        status=TaskResultStatus.READY, task_path=newsletters_periodic.module_path
    )
    if queued.exists():
        return False
    newsletters_periodic.using(run_after=timezone.now() + delay).enqueue()
    return True


@task()
def newsletters_periodic() -> dict:
    """Every TICK_INTERVAL (see newsletters_run)."""
    try:
        return newsletters_run()
    finally:
        newsletters_schedule(delay=TICK_INTERVAL)

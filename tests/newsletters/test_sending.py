"""What the worker does with each email of an issue: sent, refused for good,
tried again later, or unconfirmed when the connection broke mid-message."""

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from newsletters.models import Delivery, Issue
from newsletters.services import issue_schedule, issue_send
from tests.factories import (
    ArticleFactory,
    IssueFactory,
    NewsletterFactory,
    SubscriberFactory,
)
from tests.mail import Inbox, SMTPServer, free_port, run_worker

pytestmark = pytest.mark.django_db(transaction=True)


class PickyInbox(Inbox):
    """Refuses refused@ for good (550), defers later@ once (451), and hangs up
    on cut@ after taking its message but before answering."""

    def __init__(self):
        super().__init__()
        self.deferred = set()

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address.startswith("refused@"):
            return "550 5.1.1 No such mailbox"
        if address.startswith("later@") and address not in self.deferred:
            self.deferred.add(address)
            return "451 4.7.1 Try again later"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        if envelope.rcpt_tos[0].startswith("cut@"):
            server.transport.close()
            return "421 closing"
        return await super().handle_DATA(server, session, envelope)


def use_smtp(settings, port):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = (
        "127.0.0.1",
        port,
        5,
    )


@pytest.fixture
def picky(settings):
    port = free_port()
    server = SMTPServer(port)
    server.inbox = server.controller.handler = PickyInbox()
    server.start()
    use_smtp(settings, port)
    yield server.inbox
    server.stop()


def statuses(issue):
    return dict(issue.deliveries.values_list("subscriber__email", "status"))


def test_each_email_is_sent_refused_retried_or_left_unconfirmed(picky):
    newsletter = NewsletterFactory()
    for name in ["ok", "refused", "later", "cut", "after"]:
        SubscriberFactory(email=f"{name}@example.org", newsletters=[newsletter])
    issue = IssueFactory(newsletter=newsletter, articles=[ArticleFactory()])
    issue_send(issue=issue)
    start = timezone.now()
    run_worker()
    assert statuses(issue) == {
        "ok@example.org": Delivery.Status.SENT,
        "refused@example.org": Delivery.Status.FAILED,
        "later@example.org": Delivery.Status.PENDING,
        # The server had it when it hung up: maybe delivered, so never again.
        "cut@example.org": Delivery.Status.UNCONFIRMED,
        "after@example.org": Delivery.Status.SENT,  # on a fresh connection
    }
    retry = issue.deliveries.get(subscriber__email="later@example.org")
    assert retry.next_attempt_at > start and retry.attempts == 1
    issue.refresh_from_db()
    assert issue.status == Issue.Status.SENDING and issue.report().waiting == 1

    with time_machine.travel(timezone.now() + timedelta(minutes=2)):
        run_worker()
    issue.refresh_from_db()
    assert issue.status == Issue.Status.SENT
    report = issue.report()
    assert (report.recipients, report.sent, report.failed, report.unconfirmed) == (
        5,
        3,
        1,
        1,
    )
    assert sorted(m["To"] for m in picky.messages) == [
        "after@example.org",
        "later@example.org",
        "ok@example.org",
    ]


def test_while_the_mail_server_is_down_nothing_is_claimed_and_all_go_later(
    settings,
):
    port = free_port()  # nothing listens yet
    use_smtp(settings, port)
    newsletter = NewsletterFactory()
    SubscriberFactory.create_batch(3, newsletters=[newsletter])
    issue = IssueFactory(newsletter=newsletter, articles=[ArticleFactory()])
    issue_send(issue=issue)
    run_worker()
    assert set(statuses(issue).values()) == {Delivery.Status.PENDING}
    assert set(issue.deliveries.values_list("attempts", flat=True)) == {0}

    server = SMTPServer(port)
    server.start()
    try:
        with time_machine.travel(timezone.now() + timedelta(minutes=2)):
            run_worker()
    finally:
        server.stop()
    assert len(server.inbox.messages) == 3
    issue.refresh_from_db()
    assert (issue.status, issue.sent_count) == (Issue.Status.SENT, 3)


def test_a_scheduled_issue_goes_at_its_time_and_not_before(smtp):
    newsletter = NewsletterFactory()
    SubscriberFactory(newsletters=[newsletter])
    issue = IssueFactory(newsletter=newsletter, articles=[ArticleFactory()])
    when = timezone.now() + timedelta(hours=1)
    assert issue_schedule(issue=issue, when=when) == "scheduled"
    run_worker()
    assert smtp.messages == []
    with time_machine.travel(when + timedelta(seconds=1)):
        run_worker()
    assert len(smtp.messages) == 1
    issue.refresh_from_db()
    assert issue.status == Issue.Status.SENT

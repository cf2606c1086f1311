"""An issue goes to each address once, whatever the workers do: two real worker
processes share one issue's batches, and a worker killed in the middle of an
email leaves that email counted as unconfirmed (it may have arrived) and never
sent again, while the others go out."""

import asyncio
import signal
import threading
from collections import Counter
from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from newsletters.models import Delivery, Issue
from newsletters.services import LEASE, issue_send
from newsletters.tasks import issue_send_batch, newsletters_run
from tests.factories import ArticleFactory, IssueFactory, NewsletterFactory
from tests.factories import SubscriberFactory as Subscriber
from tests.mail import Inbox, SMTPServer, free_port, run_worker
from tests.readers.test_workers import GatedInbox, start_worker

pytestmark = pytest.mark.django_db(transaction=True)


def issue_for(count: int) -> Issue:
    newsletter = NewsletterFactory()
    for _ in range(count):
        Subscriber(newsletters=[newsletter])
    return IssueFactory(newsletter=newsletter, articles=[ArticleFactory()])


def recipients(inbox) -> Counter:
    return Counter(message["To"] for message in inbox.messages)


def test_two_workers_share_an_issue_and_send_it_once_to_each_address(
    settings, monkeypatch
):
    settings.NEWSLETTER_BATCH_SIZE = 5
    monkeypatch.setenv("NEWSLETTER_BATCH_SIZE", "5")
    issue = issue_for(30)
    port = free_port()
    server = SMTPServer(port)
    server.inbox = server.controller.handler = GatedInbox()
    server.start()
    try:
        assert issue_send(issue=issue) == "started"
        workers = [start_worker(name, port) for name in ["worker-a", "worker-b"]]
        for worker in workers:
            _, errors = worker.communicate(timeout=120)
            assert worker.returncode == 0, errors
    finally:
        server.stop()

    assert not Delivery.objects.exists()  # folded into the report's counts
    sent = recipients(server.inbox)
    assert len(sent) == 30 and set(sent.values()) == {1}  # each address once
    assert server.inbox.overlapped, "the two workers never sent at the same time"
    batches = DBTaskResult.objects.filter(task_path=issue_send_batch.module_path)
    assert {b.worker_ids[0] for b in batches} == {"worker-a", "worker-b"}
    assert all(len(b.worker_ids) == 1 for b in batches)  # each claimed once
    issue.refresh_from_db()
    assert issue.status == Issue.Status.SENT
    assert (issue.sent_count, issue.unconfirmed_count) == (30, 0)


class HeldInbox(Inbox):
    """Takes every message, but answers the third one only when released: the
    worker is waiting for “250 OK” for a message the server has when it is
    killed, the one case no sender can tell apart from a lost message."""

    def __init__(self):
        super().__init__()
        self.holding = threading.Event()
        self.release = threading.Event()

    async def handle_DATA(self, server, session, envelope):
        answer = await super().handle_DATA(server, session, envelope)
        if len(self.messages) == 3:
            self.holding.set()
            await asyncio.get_running_loop().run_in_executor(
                None, self.release.wait, 60
            )
        return answer


def test_a_worker_killed_mid_email_never_causes_a_second_copy(settings):
    settings.NEWSLETTER_BATCH_SIZE = 100  # one task: nobody else is queued
    issue = issue_for(12)
    port = free_port()
    server = SMTPServer(port)
    server.inbox = server.controller.handler = HeldInbox()
    server.start()
    try:
        issue_send(issue=issue)
        worker = start_worker("doomed", port)
        assert server.inbox.holding.wait(60), worker.stderr.read()
        worker.send_signal(signal.SIGKILL)
        worker.wait(30)
        server.inbox.release.set()

        # The periodic run notices the send stalled and queues the rest, which
        # another worker sends; the email that was in flight waits for its lease.
        newsletters_run()
        settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        run_worker()
        issue.refresh_from_db()
        assert issue.status == Issue.Status.SENDING
        assert issue.report().waiting == 1  # in flight when the worker died
        with time_machine.travel(timezone.now() + LEASE + timedelta(minutes=1)):
            newsletters_run()
            run_worker()
    finally:
        server.stop()

    sent = recipients(server.inbox)
    assert len(sent) == 12 and set(sent.values()) == {1}  # nobody twice
    issue.refresh_from_db()
    assert issue.status == Issue.Status.SENT
    assert (issue.sent_count, issue.unconfirmed_count) == (11, 1)

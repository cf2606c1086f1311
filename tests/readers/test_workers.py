"""Several background workers on one queue, on one or many machines: every email
is sent exactly once. django-tasks-db claims a task inside a transaction with
SELECT ... FOR UPDATE SKIP LOCKED and marks it running before it commits, so a
second worker skips it; this proves it with two real worker processes, one
PostgreSQL queue and a real SMTP server."""

import asyncio
import os
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest
from django.core.mail import EmailMessage
from django.db import connection
from django_tasks_db.models import DBTaskResult

from readers.tasks import enqueue_email
from tests.mail import Inbox, SMTPServer, free_port

ROOT = Path(__file__).resolve().parent.parent.parent
EMAILS = 24
HOLD = 20  # seconds the first message waits for the other worker


class GatedInbox(Inbox):
    """Holds the first message until another arrives. A worker sends one email at
    a time, so that other message can only come from the other worker: both
    were working at once."""

    def __init__(self):
        super().__init__()
        self.received = 0
        self.second = asyncio.Event()
        self.overlapped = False

    async def handle_DATA(self, server, session, envelope):
        self.received += 1
        if self.received == 1:
            try:
                await asyncio.wait_for(self.second.wait(), HOLD)
                self.overlapped = True
            except TimeoutError:
                pass
        else:
            self.second.set()
        return await super().handle_DATA(server, session, envelope)


def start_worker(name: str, smtp_port: int) -> subprocess.Popen:
    db = connection.settings_dict
    host = db["HOST"].replace("/", "%2F")
    env = os.environ | {
        "DJANGO_SETTINGS_MODULE": "tests.settings",
        "DATABASE_URL": f"postgres://{db['USER']}@{host}/{db['NAME']}",
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": str(smtp_port),
        "EMAIL_TIMEOUT": str(HOLD + 10),
    }
    return subprocess.Popen(
        [
            *(sys.executable, "manage.py", "db_worker", "--batch"),
            *("--no-startup-delay", "--interval", "0.1", "--worker-id", name),
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )


@pytest.mark.django_db(transaction=True)
def test_two_workers_on_one_queue_send_every_email_once():
    port = free_port()
    server = SMTPServer(port)
    server.inbox = server.controller.handler = GatedInbox()
    server.start()
    try:
        for number in range(EMAILS):
            enqueue_email(
                EmailMessage(f"Message {number}", "Body", to=["reader@example.org"])
            )
        workers = [start_worker(name, port) for name in ["worker-a", "worker-b"]]
        for worker in workers:
            _, errors = worker.communicate(timeout=120)
            assert worker.returncode == 0, errors
    finally:
        server.stop()

    inbox = server.inbox
    subjects = Counter(message["Subject"] for message in inbox.messages)
    assert subjects == Counter(f"Message {n}" for n in range(EMAILS))  # once each
    assert inbox.overlapped, "the two workers never sent at the same time"
    results = DBTaskResult.objects.all()
    assert {result.status for result in results} == {"SUCCESSFUL"}
    assert all(len(result.worker_ids) == 1 for result in results)  # claimed once
    assert {result.worker_ids[0] for result in results} == {"worker-a", "worker-b"}

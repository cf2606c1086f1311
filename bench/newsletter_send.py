"""How fast an issue goes out: emails per second through one and two worker
processes, to a real SMTP server on loopback (aiosmtpd, which keeps nothing).

    .venv/bin/python bench/newsletter_send.py [--subscribers 2000]

Runs against a throwaway database on the development server (or DATABASE_URL's),
which it drops afterwards. Each run sends a fresh issue of five articles (no
pictures) to every subscriber with `db_worker --batch` processes, and prints the
wall time, the rate, and how long rendering one email takes on its own.
"""

import argparse
import logging
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")
os.environ.setdefault("DEBUG", "1")
DATABASE = "newsroom_bench_newsletter"


class CountingInbox:
    def __init__(self):
        self.received = 0

    async def handle_DATA(self, server, session, envelope):
        self.received += 1
        return "250 Message accepted"


def worker(database_url: str, port: int, name: str) -> subprocess.Popen:
    env = os.environ | {
        "DATABASE_URL": database_url,
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": str(port),
        "DEBUG": "0",
        "SECRET_KEY": "bench-only-not-a-secret",
        "SITE_URL": "http://127.0.0.1:8000",
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


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--subscribers", type=int, default=2000)
    count = parser.parse_args().subscribers

    import django

    django.setup()
    # aiosmtpd narrates every SMTP command at INFO.
    logging.getLogger("mail.log").setLevel(logging.WARNING)
    from aiosmtpd.controller import Controller
    from django.db import connection
    from django.test.utils import setup_test_environment

    setup_test_environment()
    connection.settings_dict["TEST"]["NAME"] = DATABASE
    connection.creation.create_test_db(verbosity=0, autoclobber=True)
    from newsletters.emails import issue_content, issue_message
    from newsletters.links import personal_links
    from newsletters.models import Issue, Subscriber, Subscription
    from newsletters.services import issue_send
    from tests.factories import ArticleFactory, NewsletterFactory

    inbox = CountingInbox()
    from tests.mail import free_port

    port = free_port()
    server = Controller(inbox, hostname="127.0.0.1", port=port)
    server.start()
    db = connection.settings_dict
    host = db["HOST"].replace("/", "%2F")
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    port_part = f":{db['PORT']}" if db.get("PORT") else ""
    database_url = f"postgres://{db['USER']}{password}@{host}{port_part}/{db['NAME']}"
    try:
        newsletter = NewsletterFactory()
        articles = [ArticleFactory() for _ in range(5)]
        subscribers = Subscriber.objects.bulk_create(
            [Subscriber(email=f"reader{n}@example.org") for n in range(count)]
        )
        Subscription.objects.bulk_create(
            [Subscription(subscriber=s, newsletter=newsletter) for s in subscribers]
        )
        print(f"Newsletter sending, {count} subscribers, batches of 100:")
        for workers in (1, 2):
            issue = Issue.objects.create(newsletter=newsletter, subject="Bench")
            for position, article in enumerate(articles):
                issue.items.create(article=article, position=position)
            before = inbox.received
            started = time.perf_counter()
            issue_send(issue=issue)
            queued = time.perf_counter() - started
            processes = [worker(database_url, port, f"w{n}") for n in range(workers)]
            for process in processes:
                _, errors = process.communicate(timeout=1800)
                assert process.returncode == 0, errors
            elapsed = time.perf_counter() - started
            issue.refresh_from_db()
            sent = inbox.received - before
            assert issue.status == Issue.Status.SENT and sent == count, (
                issue.status,
                sent,
            )
            print(
                f"  {workers} worker(s): {elapsed:6.1f} s, {sent / elapsed:6.0f} "
                f"emails/s (queued in {queued * 1000:.0f} ms)"
            )
        content = issue_content(issue=issue)
        links = personal_links(subscriber_id=1, newsletter_id=newsletter.pk)
        rounds = 500
        started = time.perf_counter()
        for _ in range(rounds):
            issue_message(content, to="r@example.org", links=links).message()
        each = (time.perf_counter() - started) / rounds * 1000
        print(f"  rendering one email: {each:.2f} ms")
        print(f"Load average: {' '.join(f'{n:.2f}' for n in os.getloadavg())}")
    finally:
        server.stop()
        connection.creation.destroy_test_db(DATABASE, verbosity=0, keepdb=False)


if __name__ == "__main__":
    main()

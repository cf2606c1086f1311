"""Readers' privacy: sign-up answers take the same work whether or not an address
has an account, sign-up emails are limited per destination (readers behind one
address still get theirs), the cache holds no address or email, and task rows
keep no message once it is delivered."""

import base64
import hashlib
import pickle
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.contrib.auth.hashers import MD5PasswordHasher
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from readers.tasks import MAX_ATTEMPTS, deliver_email
from tests.mail import free_port, run_worker

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "a-long-reader-passphrase"
START = datetime(2026, 5, 4, 9, 0, tzinfo=UTC)
ADDRESS = "203.0.113.77"


class CountingHasher(MD5PasswordHasher):
    """The tests' fast hasher, counting what it hashes."""

    hashed: list[str] = []

    def encode(self, password, salt):
        CountingHasher.hashed.append(password)
        return super().encode(password, salt)


def sign_up(client, email, name="Reader", **extra):
    return client.post(
        reverse("account_signup"),
        {
            "email": email,
            "display_name": name,
            "password1": PASSWORD,
            "password2": PASSWORD,
        },
        **extra,
    )


def queued_emails():
    return DBTaskResult.objects.filter(task_path=deliver_email.module_path)


def test_an_existing_address_and_a_new_one_take_the_same_work(settings):
    settings.PASSWORD_HASHERS = ["tests.readers.test_privacy.CountingHasher"]
    sign_up(Client(), "taken@example.org")
    cache.clear()  # one email per address every few minutes: let time pass
    CountingHasher.hashed.clear()
    DBTaskResult.objects.all().delete()

    existing = sign_up(Client(), "taken@example.org", name="Someone else")
    existing_work = (list(CountingHasher.hashed), queued_emails().count())
    CountingHasher.hashed.clear()
    DBTaskResult.objects.all().delete()
    new = sign_up(Client(), "new@example.org")
    new_work = (list(CountingHasher.hashed), queued_emails().count())

    assert existing.status_code == new.status_code == 302
    assert existing["Location"] == new["Location"]
    # Each hashes the submitted password once and queues one email.
    assert existing_work == new_work == ([PASSWORD], 1)


def test_readers_sharing_an_address_all_get_their_email(smtp):
    """A Tor exit, a carrier NAT, a newsroom office: twelve readers in an hour."""
    with time_machine.travel(START, tick=False) as traveller:
        for number in range(12):
            response = sign_up(
                Client(REMOTE_ADDR=ADDRESS), f"reader{number}@example.org"
            )
            assert response["Location"] == reverse("account_email_verification_sent")
            traveller.shift(timedelta(minutes=5))
        run_worker()
    assert sorted(message["To"] for message in smtp.messages) == sorted(
        f"reader{number}@example.org" for number in range(12)
    )


def test_past_the_limit_for_an_address_readers_are_told_nothing_was_sent(
    smtp, settings
):
    settings.ACCOUNT_RATE_LIMITS = settings.ACCOUNT_RATE_LIMITS | {"signup": "3/h/ip"}
    with time_machine.travel(START, tick=False) as traveller:
        for number in range(3):
            sign_up(Client(REMOTE_ADDR=ADDRESS), f"reader{number}@example.org")
            traveller.shift(timedelta(minutes=10))
        held = sign_up(Client(REMOTE_ADDR=ADDRESS), "fourth@example.org")
        assert held.status_code == 429
        assert int(held["Retry-After"]) == 30 * 60  # the first one leaves the hour
        assert "No account was made and no email was sent." in held.text
        assert "try again in 30 minutes" in held.text
        assert "check your e-mail" not in held.text.lower()
        run_worker()
        assert len(smtp.messages) == 3

        traveller.shift(timedelta(minutes=30, seconds=1))
        sign_up(Client(REMOTE_ADDR=ADDRESS), "fourth@example.org")
        run_worker()
    assert smtp.messages[-1]["To"] == "fourth@example.org"


def cache_rows():
    with connection.cursor() as cursor:
        cursor.execute("SELECT cache_key, value FROM newsroom_cache")
        rows = cursor.fetchall()
    return [(key, pickle.loads(base64.b64decode(value))) for key, value in rows]


def test_the_cache_holds_no_address_or_email(editor):
    secret_email = "secret-reader@example.org"
    client = Client(REMOTE_ADDR=ADDRESS)
    sign_up(client, secret_email)
    for password in ["wrong", "wrong again"]:
        client.post(
            reverse("account_login"), {"login": secret_email, "password": password}
        )
        client.post(
            reverse("account_login"), {"login": editor.username, "password": password}
        )
    client.post(reverse("account_reset_password"), {"email": secret_email})

    rows = cache_rows()
    assert len(rows) >= 5  # sign-up, login, failed logins, confirmation, reset
    stored = repr(rows).lower()
    for secret in [
        ADDRESS,
        secret_email,
        editor.username,
        hashlib.sha256(secret_email.encode()).hexdigest(),
        "ip:",
        "allauth",
    ]:
        assert secret.lower() not in stored, secret


def test_delivered_emails_leave_no_message_in_the_task_table(smtp):
    client = Client()
    sign_up(client, "reader@example.org")
    run_worker()
    confirmation_link = smtp.link(smtp.messages[0])
    client.logout()
    cache.clear()
    client.post(reverse("account_reset_password"), {"email": "reader@example.org"})
    run_worker()
    reset_link = smtp.link(smtp.messages[1], r"https?://\S+/password/reset/key/\S+/")

    rows = list(DBTaskResult.objects.values())
    assert len(rows) == 2
    assert {row["status"] for row in rows} == {"SUCCESSFUL"}
    stored = repr(rows)
    for secret in [
        "reader@example.org",
        confirmation_link.split("/accounts/")[1],
        reset_link.split("/accounts/")[1],
        smtp.text(smtp.messages[1])[:40],
    ]:
        assert secret not in stored


def test_an_email_given_up_on_keeps_no_message_either(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", free_port()
    deliver_email.enqueue(
        {
            "subject": "Confirm",
            "body": "Open https://news.example.org/accounts/confirm-email/KEY/",
            "html": None,
            "from_email": "noreply@example.org",
            "to": ["reader@example.org"],
            "headers": {},
        },
        MAX_ATTEMPTS,
    )
    run_worker()
    [row] = DBTaskResult.objects.values()
    assert row["status"] == "FAILED"
    assert row["exception_class_path"] == "readers.tasks.EmailNotDelivered"
    assert "reader@example.org" not in repr(row)
    assert "confirm-email" not in repr(row)

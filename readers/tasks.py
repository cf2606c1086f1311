"""Email leaves through the background worker, never inside a request, and is
retried with back-off until the mail server takes it."""

import logging
import smtplib
from datetime import timedelta

from django.core.mail import EmailMessage, EmailMultiAlternatives
from django.utils import timezone
from django_tasks import task

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 12  # about three days with the back-off below
MAX_DELAY = timedelta(hours=12)


def retry_delay(attempt: int) -> timedelta:
    """1, 2, 4, 8 ... minutes, at most MAX_DELAY."""
    return min(timedelta(minutes=2 ** (attempt - 1)), MAX_DELAY)


def enqueue_email(message: EmailMessage) -> None:
    """Queue a rendered message for the worker (in the caller's transaction)."""
    html = next(
        (
            content
            for content, mime in getattr(message, "alternatives", [])
            if mime == "text/html"
        ),
        None,
    )
    deliver_email.enqueue(
        {
            "subject": message.subject,
            "body": message.body,
            "html": html,
            "from_email": message.from_email,
            "to": list(message.to),
            "headers": dict(message.extra_headers),
        }
    )


@task()
def deliver_email(message: dict, attempt: int = 1) -> None:
    email = EmailMultiAlternatives(
        subject=message["subject"],
        body=message["body"],
        from_email=message["from_email"],
        to=message["to"],
        headers=message["headers"],
    )
    if message.get("html"):
        email.attach_alternative(message["html"], "text/html")
    try:
        email.send()
    except (OSError, smtplib.SMTPException) as exc:
        if attempt >= MAX_ATTEMPTS:
            logger.error(
                "Giving up on email %r after %d attempts", email.subject, attempt
            )
            raise
        delay = retry_delay(attempt)
        logger.warning(
            "Email %r not sent (%s); attempt %d again in %s",
            email.subject,
            exc,
            attempt + 1,
            delay,
        )
        deliver_email.using(run_after=timezone.now() + delay).enqueue(
            message, attempt + 1
        )

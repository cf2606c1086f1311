"""Email leaves through the background worker, never inside a request, and is
retried with back-off until the mail server takes it.

A queued email's row holds the message (recipient, body, links) only as long as
delivery needs it: once sent, or handed to a retry, or given up on, the row keeps
no arguments, and housekeeping deletes finished rows after a day."""

import logging
import smtplib
from datetime import timedelta

from django.core.mail import EmailMessage, EmailMultiAlternatives
from django.utils import timezone
from django_tasks import task
from django_tasks_db.models import DBTaskResult

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 12  # about three days with the back-off below
MAX_DELAY = timedelta(hours=12)


class EmailNotDelivered(Exception):
    """The mail server refused an email on every attempt (its reason, which may
    name the recipient, is left out)."""


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


def forget_message(context) -> None:
    """Clear this task's stored arguments: the message is not needed any more."""
    DBTaskResult.objects.filter(pk=context.task_result.id).update(
        args_kwargs={"args": [], "kwargs": {}}
    )


@task(takes_context=True)
def deliver_email(context, message: dict, attempt: int = 1) -> None:
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
        reason = type(exc).__name__
        if attempt >= MAX_ATTEMPTS:
            logger.error(
                "Giving up on an email after %d attempts (%s)", attempt, reason
            )
            forget_message(context)
            raise EmailNotDelivered(
                f"Gave up after {attempt} attempts ({reason})."
            ) from None
        delay = retry_delay(attempt)
        logger.warning(
            "An email was not sent (%s); attempt %d in %s", reason, attempt + 1, delay
        )
        deliver_email.using(run_after=timezone.now() + delay).enqueue(
            message, attempt + 1
        )
    forget_message(context)

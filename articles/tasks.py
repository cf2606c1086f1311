"""Desk emails leave through the background worker, never inside a request, and
are retried with back-off until the mail server takes them."""

import logging
import smtplib
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.utils import timezone
from django_tasks import task

from articles.models import Article
from articles.notifications import (
    DeskEvent,
    desk_email,
    desk_recipients,
    note_for,
)

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 12  # about three days with the back-off below
MAX_DELAY = timedelta(hours=12)


def retry_delay(attempt: int) -> timedelta:
    """1, 2, 4, 8 ... minutes, at most MAX_DELAY."""
    return min(timedelta(minutes=2 ** (attempt - 1)), MAX_DELAY)


@task()
def send_desk_email(
    event: str,
    article_id: int,
    recipient_id: int,
    actor_id: int | None = None,
    note_id: int | None = None,
    attempt: int = 1,
) -> None:
    """Render and send one desk email, if its reader still wants it."""
    article = Article.objects.filter(pk=article_id).first()
    users = get_user_model().objects
    if article is None:
        return
    desk_event = DeskEvent(event)
    actor = users.filter(pk=actor_id).first() if actor_id else None
    # Asked again at sending time: someone may have turned the emails off since.
    recipient = (
        desk_recipients(event=desk_event, article=article, actor=actor)
        .filter(pk=recipient_id)
        .first()
    )
    if recipient is None:
        return
    message = desk_email(
        event=desk_event,
        article=article,
        recipient=recipient,
        actor=actor,
        note=note_for(note_id) if note_id else None,
    )
    try:
        message.send()
    except (OSError, smtplib.SMTPException) as exc:
        if attempt >= MAX_ATTEMPTS:
            logger.error("Giving up on desk email %s after %d attempts", event, attempt)
            raise
        delay = retry_delay(attempt)
        logger.warning(
            "Desk email %s not sent (%s); attempt %d again in %s",
            event,
            exc,
            attempt + 1,
            delay,
        )
        send_desk_email.using(run_after=timezone.now() + delay).enqueue(
            event, article_id, recipient_id, actor_id, note_id, attempt + 1
        )

"""Desk emails: editors hear when a writer submits an article for review; writers
hear when an editor sends it back, schedules or publishes it, or leaves a note.
Each person can turn them off (StaffNotificationSettings). The background worker
renders and sends them (articles.tasks), so a task row holds ids, not addresses."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMessage
from django.db import models
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from articles.models import Article, EditorialNote
from masthead.models import SiteIdentity

PUBLIC_STATUSES = {Article.Status.PUBLISHED, Article.Status.SCHEDULED}


class DeskEvent(models.TextChoices):
    """Something on the desk that someone should hear about; the label starts
    the email's subject."""

    SUBMITTED = "submitted", _("Submitted for review")
    SENT_BACK = "sent_back", _("Sent back to you")
    SCHEDULED = "scheduled", _("Scheduled")
    PUBLISHED = "published", _("Published")
    NOTE = "note", _("A note for you")

    @property
    def for_editors(self) -> bool:
        return self is DeskEvent.SUBMITTED


def desk_events(*, before: str | None, article: Article, note) -> list[DeskEvent]:
    """What a change from status `before` means for the desk. A note travels with
    the event's email, and is an event of its own only when nothing else
    happened."""
    after = article.status
    events = []
    if after == Article.Status.IN_REVIEW and before != Article.Status.IN_REVIEW:
        events.append(DeskEvent.SUBMITTED)
    elif before == Article.Status.IN_REVIEW and after == Article.Status.DRAFT:
        events.append(DeskEvent.SENT_BACK)
    elif after in PUBLIC_STATUSES and before not in PUBLIC_STATUSES:
        events.append(DeskEvent.PUBLISHED if article.is_live else DeskEvent.SCHEDULED)
    if note is not None and not events:
        events.append(DeskEvent.NOTE)
    return events


def desk_recipients(*, event: DeskEvent, article: Article, actor=None):
    """Active staff with an address who want this event's email; never the
    person who caused it."""
    users = get_user_model().objects.filter(is_active=True, is_staff=True)
    if event.for_editors:
        users = users.filter(
            pk__in=get_user_model().objects.with_perm(
                "articles.publish_article",
                backend="django.contrib.auth.backends.ModelBackend",
            )
        ).exclude(desk_notifications__email_on_submission=False)
    else:
        users = users.filter(
            Q(pk=article.created_by_id)
            | Q(contributor__article_credits__article=article)
        ).exclude(desk_notifications__email_on_decision=False)
    if actor is not None:
        users = users.exclude(pk=actor.pk)
    return users.exclude(email="").distinct().order_by("pk")


def desk_notify(*, article: Article, events, actor=None, note=None) -> int:
    """Queue one email per event and person, in the caller's transaction (so
    they leave only if the change is saved); returns how many."""
    from articles.tasks import send_desk_email

    queued = 0
    for event in events:
        for recipient in desk_recipients(event=event, article=article, actor=actor):
            send_desk_email.enqueue(
                event=event.value,
                article_id=article.pk,
                recipient_id=recipient.pk,
                actor_id=actor.pk if actor else None,
                note_id=note.pk if note else None,
            )
            queued += 1
    return queued


def _absolute(path: str) -> str:
    return f"{settings.SITE_URL}{path}"


def desk_email(
    *, event: DeskEvent, article: Article, recipient, actor=None, note=None
) -> EmailMessage:
    """The email for one event and person."""
    site_name = SiteIdentity.current().name
    context = {
        "event": event,
        "article": article,
        "recipient": recipient,
        "actor": actor.get_full_name() or actor.get_username() if actor else "",
        "note": note,
        "when": article.public_state_label(),
        "article_url": _absolute(
            reverse("admin:articles_article_change", args=[article.pk])
        ),
        "desk_url": _absolute(reverse("admin:index")),
        "settings_url": _absolute(reverse("admin:articles_article_notifications")),
        "SITE_NAME": site_name,
    }
    subject = f"[{site_name}] {event.label}: {article.headline}"
    body = render_to_string("articles/email/desk_message.txt", context)
    return EmailMessage(subject=subject, body=body, to=[recipient.email])


def note_for(note_id):
    return EditorialNote.objects.filter(pk=note_id).select_related("author").first()

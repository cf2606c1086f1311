"""Writes about comments: posting, moderation, flags and reply emails."""

import hashlib
import hmac
from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.db.models import Count, F, Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from comments.models import Comment, CommentCount, CommentFlag, comment_html
from masthead.models import SiteIdentity
from newsroom.fragments import COMMENTS, bump
from readers.services import unsubscribe_token_create
from readers.tasks import enqueue_email


def ip_hash(ip: str) -> str:
    """An HMAC of the address under a salt that changes every day (see models)."""
    if not ip:
        return ""
    salt = f"{settings.SECRET_KEY}:comments:{timezone.now().date().isoformat()}"
    return hmac.new(salt.encode(), ip.encode(), hashlib.sha256).hexdigest()


def comment_rate_limit_wait(*, author, ip: str = "") -> int:
    """Seconds until `author` (posting from `ip`) may comment again under
    COMMENT_RATE_LIMITS; 0 when they may now. Counted on the comment rows
    themselves, so the limit holds across every web process."""
    now = timezone.now()
    address = ip_hash(ip)
    wait = 0
    for count, seconds, scope in settings.COMMENT_RATE_LIMITS:
        if scope == "ip" and not address:
            continue
        who = {"author": author} if scope == "user" else {"ip_hash": address}
        recent = (
            Comment.objects.filter(
                created_at__gte=now - timedelta(seconds=seconds), **who
            )
            .order_by("-created_at")
            .values_list("created_at", flat=True)[:count]
        )
        recent = list(recent)
        if len(recent) >= count:
            # Free again once the oldest of the last `count` leaves the window.
            frees_at = recent[-1] + timedelta(seconds=seconds)
            wait = max(wait, int((frees_at - now).total_seconds()) + 1)
    return wait


@transaction.atomic
def comment_create(
    *, article, author, body, submission_id, parent=None, ip=""
) -> Comment:
    """Store a comment once (a repeated submission returns the first), held for
    moderation until editors approved COMMENTS_TRUSTED_AFTER of the reader's."""
    approved_before = Comment.objects.approved().filter(author=author).count()
    trusted = approved_before >= settings.COMMENTS_TRUSTED_AFTER
    comment, created = Comment.objects.get_or_create(
        submission_id=submission_id,
        defaults={
            "article": article,
            "author": author,
            "parent": parent,
            "body": body,
            "body_html": comment_html(body),
            "ip_hash": ip_hash(ip),
            "status": Comment.Status.APPROVED if trusted else Comment.Status.PENDING,
        },
    )
    if created and comment.status == Comment.Status.APPROVED:
        _count_change(comment, +1)
        bump(COMMENTS)
        comment_notify_parent_author(comment=comment)
    comments_forget_old_addresses()
    return comment


def comments_forget_old_addresses() -> int:
    cutoff = timezone.now() - timedelta(days=settings.COMMENT_IP_RETENTION_DAYS)
    return (
        Comment.objects.filter(created_at__lt=cutoff)
        .exclude(ip_hash="")
        .update(ip_hash="")
    )


@transaction.atomic
def comments_moderate(*, comments, status, moderator) -> int:
    """Set the status of several comments; newly approved replies notify."""
    changed = 0
    for comment in comments.select_related("parent__author__reader", "article"):
        if comment.status == status:
            continue
        if comment.status == Comment.Status.APPROVED:
            _count_change(comment, -1)
        elif status == Comment.Status.APPROVED:
            _count_change(comment, +1)
        comment.status = status
        comment.moderated_by = moderator
        comment.moderated_at = timezone.now()
        comment.save(update_fields=["status", "moderated_by", "moderated_at"])
        if status == Comment.Status.APPROVED:
            comment_notify_parent_author(comment=comment)
        changed += 1
    if changed:
        bump(COMMENTS)
    return changed


@transaction.atomic
def comments_delete(*, comments) -> int:
    """Delete comments (and the replies under them); the counts of the articles
    they were on are taken again from the rows that remain."""
    articles = set(comments.values_list("article_id", flat=True))
    deleted, _by_model = Comment.objects.filter(
        pk__in=list(comments.values_list("pk", flat=True))
    ).delete()
    comment_counts_rebuild(articles=articles)
    return deleted


def comment_counts_rebuild(*, articles) -> None:
    """Count the approved comments of `articles` (ids or a queryset) afresh: for
    deletions, imports and seeded archives. Posting and moderating change the
    counts by one instead (see _count_change), whatever the size of the thread."""
    counts = (
        Comment.objects.approved()
        .filter(article__in=articles)
        .values("article")
        .annotate(approved=Count("pk"), threads=Count("pk", filter=Q(parent=None)))
        .order_by()
    )
    CommentCount.objects.filter(article__in=articles).delete()
    CommentCount.objects.bulk_create(
        (
            CommentCount(
                article_id=row["article"],
                approved=row["approved"],
                threads=row["threads"],
            )
            for row in counts.iterator(chunk_size=5000)
        ),
        batch_size=5000,
    )
    # Every way comments leave or arrive in bulk ends here: deletions, imports.
    bump(COMMENTS)


def _count_change(comment, step: int) -> None:
    """Add `step` (+1 or -1) approved comments to the comment's article: one
    UPDATE of one row, however many comments the article already has."""
    change = {
        "approved": F("approved") + step,
        "threads": F("threads") + (step if comment.parent_id is None else 0),
    }
    counts = CommentCount.objects.filter(article_id=comment.article_id)
    if not counts.update(**change):
        CommentCount.objects.get_or_create(article_id=comment.article_id)
        counts.update(**change)


def comment_flag(*, comment, reporter, reason="") -> CommentFlag:
    flag, _created = CommentFlag.objects.get_or_create(
        comment=comment, reporter=reporter, defaults={"reason": reason[:300]}
    )
    return flag


def comment_notify_parent_author(*, comment) -> None:
    """Email the author of the comment replied to, if they asked for it."""
    parent = comment.parent
    if parent is None or parent.author is None or parent.author_id == comment.author_id:
        return
    reader = getattr(parent.author, "reader", None)
    if reader is None or not reader.notify_replies or not parent.author.email:
        return
    # In the language of the conversation: the article's edition, its words and
    # its links (an Arabic report's reply email is in Arabic, right to left).
    language = comment.article.interface_language
    with translation.override(language):
        unsubscribe = settings.SITE_URL + reverse(
            "readers:unsubscribe", args=[unsubscribe_token_create(reader=reader)]
        )
        identity = SiteIdentity.current()
        context = {
            "site": identity,
            "reader": reader,
            "reply": comment,
            "article": comment.article,
            "comment_url": settings.SITE_URL + comment.get_absolute_url(),
            "unsubscribe_url": unsubscribe,
            "SITE_URL": settings.SITE_URL,
            "LANGUAGE_CODE": language,
            "LANGUAGE_BIDI": translation.get_language_bidi(),
        }
        subject = render_to_string("comments/email/reply_subject.txt", context).strip()
        message = EmailMultiAlternatives(
            subject=f"[{identity.name}] {subject}",
            body=render_to_string("comments/email/reply_message.txt", context),
            to=[parent.author.email],
            headers={
                "List-Unsubscribe": f"<{unsubscribe}>",
                "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            },
        )
        message.attach_alternative(
            render_to_string("comments/email/reply_message.html", context), "text/html"
        )
        enqueue_email(message)

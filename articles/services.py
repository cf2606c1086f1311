"""Writes about articles. Every way an article changes (the admin, a restore from
History, a bulk action, demo content, the shell) ends in article_changed, the one
place that refreshes what is derived from it: its search vector, the index of its
body pictures, the addresses it had, the version kept in History, the kept
parts of pages (newsroom/fragments.py), and the desk's emails. Anything else
derived later belongs there too."""

import uuid
from dataclasses import dataclass, field

from django.conf import settings
from django.core import signing
from django.db import transaction
from django.utils import formats, timezone

from articles.models import (
    PUBLIC_STATUSES,
    Article,
    ArticleAutosave,
    ArticleContributor,
    ArticleImage,
    ArticleLock,
    ArticleSlugRedirect,
    Correction,
    EditorialNote,
    LockState,
    PartnerOutlet,
    Section,
)
from articles.notifications import DeskEvent, desk_events, desk_notify
from articles.richtext import body_pictures, without_pictures
from articles.versions import CONTENT_FIELDS, article_snapshot
from contributors.models import Contributor
from images.models import Image
from newsroom.fragments import ARTICLES, bump

PREVIEW_SALT = "articles.preview"
AUTOSAVE_MAX_BYTES = 2_000_000


@dataclass(frozen=True)
class ArticleChange:
    """What article_changed did: the version it kept, the note it stored, and the
    desk events it sent emails for."""

    article: Article
    version: object  # a HistoricalArticle
    note: EditorialNote | None = None
    events: list[DeskEvent] = field(default_factory=list)
    emails_queued: int = 0


def _was_live(version, now) -> bool:
    return (
        version.status in {Article.Status.PUBLISHED, Article.Status.SCHEDULED}
        and version.published_at is not None
        and version.published_at <= now
    )


def _sync_pictures(article: Article) -> None:
    """Index the library pictures the body shows, in their order."""
    wanted = list(
        dict.fromkeys(image_id for image_id, _ in body_pictures(article.body))
    )
    known = set(Image.objects.filter(pk__in=wanted).values_list("pk", flat=True))
    wanted = [image_id for image_id in wanted if image_id in known]
    rows = {row.image_id: row for row in ArticleImage.objects.filter(article=article)}
    stale = [row.pk for image_id, row in rows.items() if image_id not in wanted]
    if stale:
        ArticleImage.objects.filter(pk__in=stale).delete()
    moved, added = [], []
    for position, image_id in enumerate(wanted):
        row = rows.get(image_id)
        if row is None:
            added.append(
                ArticleImage(article=article, image_id=image_id, position=position)
            )
        elif row.position != position:
            row.position = position
            moved.append(row)
    ArticleImage.objects.bulk_create(added)
    ArticleImage.objects.bulk_update(moved, ["position"])


def _record_version(article: Article, *, user, reason: str, first: bool):
    history = Article.history.model
    return history.objects.create(
        history_date=timezone.now(),
        history_type="+" if first else "~",
        history_user=user,
        history_change_reason=reason[:100] or None,
        related=article_snapshot(article),
        **{f.attname: getattr(article, f.attname) for f in history.tracked_fields},
    )


@transaction.atomic
def article_changed(
    *,
    article: Article,
    user=None,
    note: str = "",
    reason: str = "",
    notify: bool = True,
) -> ArticleChange:
    """Call once an article and its related rows (tags, bylines, corrections) are
    saved. Refreshes everything derived from the article and keeps the version.
    `notify=False` is for imports and demo content: nobody on the desk acted."""
    now = timezone.now()
    previous = article.history.order_by("-history_date", "-history_id").first()
    before = previous.status if previous else None
    if article.status == Article.Status.IN_REVIEW and before != article.status:
        article.submitted_by, article.submitted_at = user, now
        Article.objects.filter(pk=article.pk).update(
            submitted_by=user, submitted_at=now
        )
    if previous is not None and _was_live(previous, now):
        # Every address an article was ever read at keeps answering (301).
        ArticleSlugRedirect.objects.update_or_create(
            old_slug=previous.slug, defaults={"article": article}
        )
    _sync_pictures(article)
    Article.objects.filter(pk=article.pk).update_search_vectors()
    version = _record_version(article, user=user, reason=reason, first=not previous)
    stored_note = None
    if note.strip():
        stored_note = EditorialNote.objects.create(
            article=article, author=user, text=note.strip(), version=version
        )
    if user is not None:
        ArticleAutosave.objects.filter(user=user, article=article).delete()
    # The version the parts of its page are kept under (newsroom/fragments.py):
    # tags, bylines and corrections may have changed without the article's save.
    article.modified_at = timezone.now()
    Article.objects.filter(pk=article.pk).update(modified_at=article.modified_at)
    # Lists of articles, related posts and the next scheduled publication, when
    # the article is or was public or scheduled (a draft's changes show nowhere).
    if article.status in PUBLIC_STATUSES or before in PUBLIC_STATUSES:
        bump(ARTICLES)
    events = desk_events(before=before, article=article, note=stored_note)
    queued = 0
    if notify:
        queued = desk_notify(
            article=article, events=events, actor=user, note=stored_note
        )
    return ArticleChange(article, version, stored_note, events, queued)


@transaction.atomic
def article_save(
    *,
    article: Article,
    user=None,
    tags=None,
    note: str = "",
    reason: str = "",
    notify: bool = True,
) -> ArticleChange:
    """Save an article and, when given, its tags (names or Tag rows), then
    refresh what is derived from it. The way to change an article from code."""
    article.save()
    if tags is not None:
        article.tags.set(list(tags))
    return article_changed(
        article=article, user=user, note=note, reason=reason, notify=notify
    )


@dataclass(frozen=True)
class ArticleRestore:
    """A restored version, and what could not come back with it (pictures and
    contributors deleted since)."""

    change: ArticleChange
    left_out: list[str] = field(default_factory=list)


@transaction.atomic
def article_restore(*, article: Article, version, user=None) -> ArticleRestore:
    """Bring back a version's words, pictures, tags, bylines and corrections.
    The address, status and publication time stay as they are now; corrections
    added since stay too, as published corrections are a public record."""
    left_out = []
    for name in CONTENT_FIELDS:
        attname = Article._meta.get_field(name).attname
        setattr(article, attname, getattr(version, attname))
    if article.lead_image_id and not Image.objects.filter(pk=article.lead_image_id):
        article.lead_image_id = None
        left_out.append("the lead image, deleted from the library since")
    if article.partner_id and not PartnerOutlet.objects.filter(pk=article.partner_id):
        article.partner_id = None
        left_out.append("the partner outlet, deleted since")
    if article.section_id and not Section.objects.filter(pk=article.section_id):
        article.section_id = None
        left_out.append("the section, deleted since")
    pictures = {image_id for image_id, _ in body_pictures(article.body)}
    gone = pictures - set(
        Image.objects.filter(pk__in=pictures).values_list("pk", flat=True)
    )
    if gone:
        article.body = without_pictures(article.body, gone)
        left_out.append(f"{len(gone)} picture(s) deleted from the library since")
    article.save()
    related = version.related
    if related is None:
        left_out.append(
            "its tags, bylines and corrections: History did not keep them yet "
            "when this version was saved"
        )
    else:
        article.tags.set(related["tags"])
        ArticleContributor.objects.filter(article=article).delete()
        contributors = Contributor.objects.in_bulk(
            [credit["contributor"] for credit in related["credits"]]
        )
        for credit in related["credits"]:
            if credit["contributor"] not in contributors:
                left_out.append(f"the byline of {credit['name']}, deleted since")
                continue
            ArticleContributor.objects.create(
                article=article,
                contributor_id=credit["contributor"],
                role=credit["role"],
                position=credit["position"],
            )
        for kept in related["corrections"]:
            Correction.objects.update_or_create(
                pk=kept["id"],
                article=article,
                defaults={
                    "kind": kept["kind"],
                    "text": kept["text"],
                    "published_at": kept["published_at"],
                },
            )
    when = formats.date_format(timezone.localtime(version.history_date), "j F Y, H:i")
    change = article_changed(
        article=article, user=user, reason=f"Restored the version of {when}"
    )
    return ArticleRestore(change, left_out)


def preview_token_create(*, article: Article) -> str:
    """A signed, expiring token for an outside reviewer without an account."""
    return signing.dumps(
        {"article": article.pk, "key": str(article.preview_key)}, salt=PREVIEW_SALT
    )


def preview_token_resolve(*, token: str) -> Article:
    """The article a preview token names; raises signing.BadSignature (tampered,
    expired, or revoked) or Article.DoesNotExist."""
    max_age = settings.PREVIEW_LINK_MAX_AGE_DAYS * 24 * 60 * 60
    data = signing.loads(token, salt=PREVIEW_SALT, max_age=max_age)
    if not isinstance(data, dict):
        raise signing.BadSignature("Unexpected preview token payload.")
    article = Article.objects.for_article_page().get(pk=data.get("article"))
    if str(article.preview_key) != data.get("key"):
        raise signing.BadSignature("This preview link was revoked.")
    return article


def article_revoke_previews(*, article: Article, user=None) -> ArticleChange:
    """Make every preview link shared so far stop working."""
    article.preview_key = uuid.uuid4()
    return article_save(article=article, user=user, reason="Revoked preview links")


def article_lock_acquire(*, article: Article, user, take_over=False) -> LockState:
    """Take or keep the edit lock of an article. Someone else's lock is taken
    only when it went stale or when `take_over` says so deliberately."""
    now = timezone.now()
    with transaction.atomic():
        lock, created = ArticleLock.objects.select_for_update().get_or_create(
            article=article, defaults={"user": user, "since": now, "seen_at": now}
        )
        if created:
            return LockState(held=True, holder=user, since=now)
        if lock.user_id != user.pk:
            if lock.is_fresh and not take_over:
                return LockState(held=False, holder=lock.user, since=lock.since)
            lock.user, lock.since = user, now
        lock.seen_at = now
        lock.save()
        return LockState(held=True, holder=user, since=lock.since)


def article_lock_state(*, article: Article, user) -> LockState:
    """Whether `user` holds the lock and who does (nobody: holder None); reads
    only."""
    lock = (
        ArticleLock.objects.fresh()
        .filter(article=article)
        .select_related("user")
        .first()
    )
    if lock is None:
        return LockState(held=False)
    return LockState(held=lock.user_id == user.pk, holder=lock.user, since=lock.since)


def article_lock_release(*, article: Article, user) -> None:
    ArticleLock.objects.filter(article=article, user=user).delete()


def _clean_form_data(data: dict) -> dict:
    # PostgreSQL's JSON cannot hold NUL; a form never needs it.
    return {
        str(name).replace("\x00", ""): [str(v).replace("\x00", "") for v in values]
        for name, values in data.items()
        if name != "csrfmiddlewaretoken"
    }


def article_autosave(*, user, article: Article | None, data: dict) -> ArticleAutosave:
    """Keep a person's unsaved form for an article (or a new one) on the server."""
    autosave, _ = ArticleAutosave.objects.update_or_create(
        user=user,
        article=article,
        defaults={"data": _clean_form_data(data), "saved_at": timezone.now()},
    )
    return autosave


def article_autosave_discard(*, user, article: Article | None) -> None:
    ArticleAutosave.objects.filter(user=user, article=article).delete()

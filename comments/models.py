"""Reader comments.

Commenter protection: a comment shows the reader's chosen display name only. The
poster's IP address is never stored: `ip_hash` is an HMAC of it keyed with a salt
derived from SECRET_KEY and the current day, so it changes every day and cannot be
reversed. It exists for rate limiting and spotting abuse, and is blanked once the
comment is older than COMMENT_IP_RETENTION_DAYS (default 7).
"""

import re
import uuid
from functools import cache

import nh3
from allauth.account.models import EmailAddress
from django.conf import settings
from django.db import models
from django.db.models import F, Prefetch, Q, Value
from django.db.models.lookups import LessThan
from django.template.defaultfilters import linebreaksbr
from django.urls import reverse
from django.utils.html import escape, urlize
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from articles.pagination import Row
from readers.names import FORMER_READER_LABEL, READER_LABEL, STAFF_LABEL


class CommentPermission(models.TextChoices):
    """Whether someone may comment on an article; the label is what they are told
    when they may not."""

    ALLOWED = "allowed", ""
    CLOSED = "closed", _("Comments on this report are closed.")
    ANONYMOUS = "anonymous", _("Log in or sign up to comment.")
    UNCONFIRMED = "unconfirmed", _("Confirm your email address before you comment.")
    BLOCKED = "blocked", _("Your account cannot post comments.")

    @classmethod
    def of(cls, user, article) -> "CommentPermission":
        if not article.comments_open:
            return cls.CLOSED
        if not user.is_authenticated:
            return cls.ANONYMOUS
        reader = getattr(user, "reader", None)
        if reader is not None and reader.blocked:
            return cls.BLOCKED
        if user.is_staff:
            return cls.ALLOWED
        if not EmailAddress.objects.filter(user=user, verified=True).exists():
            return cls.UNCONFIRMED
        return cls.ALLOWED

    @property
    def allowed(self) -> bool:
        return self is CommentPermission.ALLOWED

    @property
    def needs_account(self) -> bool:
        return self is CommentPermission.ANONYMOUS

    @property
    def needs_confirmation(self) -> bool:
        return self is CommentPermission.UNCONFIRMED


# Threads (top-level comments with their replies) per page of an article's
# comments, and replies shown under each thread there; the rest of a long thread
# is on its own pages, REPLIES_PER_PAGE at a time.
THREADS_PER_PAGE = 20
REPLIES_SHOWN = 3
REPLIES_PER_PAGE = 50


def pending_first():
    """The moderation queue's first key: pending comments before the rest (an
    expression index of the same expression keeps the queue a short walk)."""
    return models.Case(
        models.When(status="pending", then=Value(0)),
        default=Value(1),
        output_field=models.IntegerField(),
    )


class CommentOrder(models.TextChoices):
    """The order a reader chose for an article's comments; the label is the link."""

    OLDEST = "oldest", _("Oldest first")
    NEWEST = "newest", _("Newest first")

    @classmethod
    def chosen(cls, value) -> "CommentOrder":
        return cls.NEWEST if value == cls.NEWEST else cls.OLDEST


@cache
def permalink_prefix(language: str) -> str:
    """Comment addresses up to the number, in an edition (`language`, the
    active one): reversed once each, not once per comment on a page of a
    hundred."""
    return reverse("comments:permalink", args=[0]).removesuffix("0/")


# Anything Django's urlize might turn into a link. Most comments hold none, and
# skipping urlize for them makes a page of a hundred comments render in a few
# milliseconds instead of a few dozen.
MAY_LINK = re.compile(r"https?://|www\.|@|\.(?:com|edu|gov|int|mil|net|org)\b", re.I)


def comment_html(text: str) -> str:
    """A reader's plain text as HTML: escaped, line breaks kept, links made
    clickable with rel="nofollow ugc noopener"; no HTML from readers reaches
    the page. Stored in Comment.body_html when the comment is posted."""
    if not MAY_LINK.search(text):
        # What linebreaksbr does, without its layers of wrappers.
        lines = escape(text.replace("\r\n", "\n").replace("\r", "\n"))
        return str(lines.replace("\n", "<br>"))
    html = nh3.clean(
        urlize(text, autoescape=True),
        tags={"a"},
        attributes={"a": {"href"}},
        url_schemes={"http", "https", "mailto"},
        link_rel="nofollow ugc noopener",
    )
    return str(linebreaksbr(html, autoescape=False))


class CommentQuerySet(models.QuerySet):
    def approved(self):
        return self.filter(status=Comment.Status.APPROVED)

    def flagged(self):
        """Comments readers flagged that are still shown: they need an editor."""
        # From the few flags to their comments, not through every comment.
        return self.approved().filter(pk__in=CommentFlag.objects.values("comment"))

    def threads(self, article):
        """An article's approved top-level comments, oldest first, along the
        comment_threads index."""
        return (
            self.approved()
            .filter(article=article, parent=None)
            .order_by("created_at", "pk")
        )

    def replies_to(self, parent):
        """A thread's approved replies, oldest first, along comment_replies."""
        return self.approved().filter(parent=parent).order_by("created_at", "pk")

    def before(self, comment):
        """The comments of this (ordered) list that come before `comment`: a
        count of them says on which page it is."""
        return self.filter(
            LessThan(
                Row(F("created_at"), F("pk")),
                Row(Value(comment.created_at), Value(comment.pk)),
            )
        )

    def thread_page(self, article, *, order, offset, limit):
        """One page of an article's threads, each with its first REPLIES_SHOWN
        approved replies and the number of them all: three queries (the page,
        the replies, their authors) whatever the size of the article's thread."""
        ordering = ["created_at", "pk"]
        if order == CommentOrder.NEWEST:
            ordering = ["-created_at", "-pk"]
        threads = Comment.objects.threads(article).order_by(*ordering)
        # The offset walks the index alone, then only the page's rows are read.
        page = threads.values("pk")[offset : offset + limit]
        replies = (
            Comment.objects.approved()
            .select_related("author__reader")
            .order_by("created_at", "pk")[:REPLIES_SHOWN]
        )
        reply_total = (
            Comment.objects.replies_to(models.OuterRef("pk"))
            .order_by()
            .values(count=models.Func(Value(1), function="COUNT"))
        )
        return (
            Comment.objects.filter(pk__in=page)
            .select_related("author__reader")
            .annotate(reply_total=models.Subquery(reply_total))
            .prefetch_related(
                Prefetch("replies", queryset=replies, to_attr="shown_replies")
            )
            .order_by(*ordering)
        )


class Comment(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for moderation")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")
        SPAM = "spam", _("Spam")

    article = models.ForeignKey(
        "articles.Article", on_delete=models.CASCADE, related_name="comments"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="comments",
        help_text=_("Empty once the reader deleted their account."),
    )
    guest_name = models.CharField(
        _("name given"),
        max_length=60,
        blank=True,
        help_text=_(
            "For a comment brought from another site, whose writer has no account "
            "here: the name they gave there, and nothing else (never an email or "
            "web address)."
        ),
    )
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="replies",
        help_text=_("The comment this one replies to (one level only)."),
    )
    body = models.TextField(_("comment"))
    # The body as the page shows it, made once when the comment is posted (the
    # body never changes afterwards); empty in rows from before it existed,
    # which are rendered as they are read (Comment.html).
    body_html = models.TextField(blank=True, default="", editable=False)
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=Status,
        default=Status.PENDING,
        db_index=True,
    )
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    moderated_at = models.DateTimeField(null=True, blank=True)
    moderated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    ip_hash = models.CharField(max_length=64, blank=True, editable=False)
    submission_id = models.UUIDField(
        default=uuid.uuid4,
        unique=True,
        editable=False,
        help_text=_("From the form, so a double submit stores the comment once."),
    )

    objects = CommentQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("comment")
        verbose_name_plural = _("comments")
        indexes = [
            models.Index(fields=["article", "status", "created_at"]),
            # An article's threads in either order, and a thread's replies: pages
            # of comments seek into these, whatever the size of the article's.
            models.Index(
                fields=["article", "created_at", "id"],
                condition=Q(status="approved", parent__isnull=True),
                name="comment_threads",
            ),
            models.Index(
                fields=["parent", "created_at", "id"],
                condition=Q(status="approved"),
                name="comment_replies",
            ),
            models.Index(
                pending_first(),
                F("created_at").desc(),
                F("id").desc(),
                name="comment_moderation_queue",
            ),
            # Rate limits count an account's recent comments.
            models.Index(fields=["author", "created_at"], name="comment_author_recent"),
            # ...and an address's; only recent rows keep a hash (see above).
            models.Index(
                fields=["ip_hash", "created_at"],
                condition=~Q(ip_hash=""),
                name="comment_address_recent",
            ),
        ]

    def __str__(self):
        return f"{self.author_name} on {self.article}"

    def get_absolute_url(self):
        """The comment's lasting address: it leads to wherever the comment is
        shown now (which page of the article, or of its thread)."""
        return f"{permalink_prefix(get_language())}{self.pk}/"

    def get_thread_url(self):
        """The page of this thread with all its replies."""
        return reverse("comments:thread", args=[self.pk])

    @property
    def html(self) -> str:
        """The body as HTML (see comment_html): stored, or made now for a row
        stored without it."""
        return self.body_html or comment_html(self.body)

    @property
    def author_name(self) -> str:
        """The only name the public sees: never an email address."""
        if self.author is None:
            return self.guest_name or str(FORMER_READER_LABEL)
        reader = getattr(self.author, "reader", None)
        if reader is not None:
            return reader.display_name
        return str(STAFF_LABEL) if self.author.is_staff else str(READER_LABEL)


class CommentCount(models.Model):
    """An article's approved comments, kept up to date by the comment services
    (comments/services.py) as comments are posted, moderated and deleted, so the
    busiest thread shows its size and its pages without counting its rows."""

    article = models.OneToOneField(
        "articles.Article",
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="comment_count",
    )
    approved = models.PositiveIntegerField(_("approved comments"), default=0)
    threads = models.PositiveIntegerField(
        _("approved comments that are not replies"), default=0
    )

    class Meta:
        verbose_name = _("comment count")
        verbose_name_plural = _("comment counts")

    def __str__(self):
        return f"{self.approved} comments on {self.article_id}"


class CommentFlag(models.Model):
    """A reader's report of a comment to the editors."""

    comment = models.ForeignKey(Comment, on_delete=models.CASCADE, related_name="flags")
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    reason = models.CharField(_("reason"), max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("flag")
        verbose_name_plural = _("flags")
        constraints = [
            models.UniqueConstraint(
                fields=["comment", "reporter"], name="one_flag_per_reader"
            )
        ]

    def __str__(self):
        return f"Flag on {self.comment}"

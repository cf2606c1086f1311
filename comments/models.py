"""Reader comments.

Commenter protection: a comment shows the reader's chosen display name only. The
poster's IP address is never stored: `ip_hash` is an HMAC of it keyed with a salt
derived from SECRET_KEY and the current day, so it changes every day and cannot be
reversed. It exists for rate limiting and spotting abuse, and is blanked once the
comment is older than COMMENT_IP_RETENTION_DAYS (default 7).
"""

import uuid

from allauth.account.models import EmailAddress
from django.conf import settings
from django.db import models
from django.db.models import Prefetch, Q
from django.utils.translation import gettext_lazy as _

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


class CommentQuerySet(models.QuerySet):
    def approved(self):
        return self.filter(status=Comment.Status.APPROVED)

    def flagged(self):
        """Comments readers flagged that are still shown: they need an editor."""
        return self.approved().filter(
            models.Exists(CommentFlag.objects.filter(comment=models.OuterRef("pk")))
        )

    def for_article_page(self, article):
        """An article's approved top-level comments, oldest first, each with its
        approved replies: two queries whatever the number of comments."""
        replies = (
            Comment.objects.approved()
            .select_related("author__reader")
            .order_by("created_at", "pk")
        )
        return (
            self.approved()
            .filter(article=article, parent=None)
            .select_related("author__reader")
            .prefetch_related(
                Prefetch("replies", queryset=replies, to_attr="approved_replies")
            )
            .order_by("created_at", "pk")
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
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="replies",
        help_text=_("The comment this one replies to (one level only)."),
    )
    body = models.TextField(_("comment"))
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
        return f"{self.article.get_absolute_url()}#comment-{self.pk}"

    @property
    def author_name(self) -> str:
        """The only name the public sees: never an email address."""
        if self.author is None:
            return str(FORMER_READER_LABEL)
        reader = getattr(self.author, "reader", None)
        if reader is not None:
            return reader.display_name
        return str(STAFF_LABEL) if self.author.is_staff else str(READER_LABEL)


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

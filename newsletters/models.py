"""Newsletters, their issues, the addresses that asked for them, and one delivery
row per address while an issue is being sent.

An address is stored only once its owner confirmed it (double opt-in: the
confirmation link itself carries the request, see newsletters.links), and only
while it is subscribed to something: unsubscribing from the last newsletter, or
deleting the reader account it belongs to, deletes the row. Once an issue has
gone out, its delivery rows are folded into the counts its report needs and
deleted, so no record of who received what is kept."""

from dataclasses import dataclass
from datetime import time

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from articles.models import RTL_LANGUAGES, Article

# Paths under /newsletters/ that a newsletter's slug must not take.
RESERVED_SLUGS = {"subscribe", "confirm", "manage", "unsubscribe", "account", "feeds"}


def validate_slug_is_free(value):
    if value in RESERVED_SLUGS:
        raise ValidationError(
            _("“%(slug)s” is a page of the site; choose another address."),
            params={"slug": value},
        )


class NewsletterQuerySet(models.QuerySet):
    def offered(self):
        """The newsletters readers may subscribe to, in the editors' order."""
        return self.filter(active=True).order_by("position", "name")

    def with_subscriber_count(self):
        return self.annotate(subscriber_count=Count("subscriptions"))


class Newsletter(models.Model):
    """A list readers subscribe to: the daily digest, breaking news, an edition
    in one language."""

    class Digest(models.TextChoices):
        OFF = "off", _("No automatic digest")
        DRAFT = "draft", _("Assemble a draft issue for an editor to send")
        SEND = "send", _("Assemble and send it")

    name = models.CharField(_("name"), max_length=120)
    slug = models.SlugField(
        _("slug"),
        max_length=80,
        unique=True,
        validators=[validate_slug_is_free],
        help_text=_("The address of its archive: /newsletters/<slug>/."),
    )
    description = models.TextField(
        _("description"),
        max_length=600,
        blank=True,
        help_text=_("What readers get and how often; shown where they subscribe."),
    )
    language = models.CharField(
        _("language"),
        max_length=8,
        choices=Article.Language,
        default=Article.Language.ENGLISH,
        help_text=_(
            "The language of its emails and archive (right to left for Arabic "
            "and Sorani Kurdish); its automatic digest takes reports in it."
        ),
    )
    active = models.BooleanField(
        _("offered to readers"),
        default=True,
        help_text=_(
            "Untick to stop new subscriptions; its archive and subscribers stay."
        ),
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    digest = models.CharField(
        _("automatic digest"),
        max_length=10,
        choices=Digest,
        default=Digest.OFF,
        help_text=_(
            "Every day at the time below, the reports published in the last 24 "
            "hours in this newsletter's language, if there are any."
        ),
    )
    digest_time = models.TimeField(
        _("digest time"),
        default=time(7, 0),
        help_text=_("In the newsroom's time zone (TIME_ZONE)."),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = NewsletterQuerySet.as_manager()

    class Meta:
        ordering = ["position", "name"]
        verbose_name = _("newsletter")
        verbose_name_plural = _("newsletters")

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("newsletters:archive", kwargs={"slug": self.slug})

    @property
    def text_direction(self) -> str:
        return "rtl" if self.language in RTL_LANGUAGES else "ltr"


class Subscriber(models.Model):
    """A confirmed address. It exists only while it has a subscription."""

    email = models.EmailField(_("email address"), max_length=254, unique=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reader account"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="newsletter_subscriber",
        help_text=_("The account this address belongs to: deleting it deletes this."),
    )
    created_at = models.DateTimeField(_("confirmed"), default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("subscriber")
        verbose_name_plural = _("subscribers")
        permissions = [
            ("export_subscriber", _("Can export subscribers' email addresses"))
        ]

    def __str__(self):
        return self.email

    @property
    def masked_email(self) -> str:
        """The address as its own pages show it (“r•••@example.org”): enough for
        its owner to recognise, little for someone a link was forwarded to."""
        local, _at, domain = self.email.partition("@")
        return f"{local[:1]}•••@{domain}"


class Subscription(models.Model):
    subscriber = models.ForeignKey(
        Subscriber, on_delete=models.CASCADE, related_name="subscriptions"
    )
    newsletter = models.ForeignKey(
        Newsletter, on_delete=models.CASCADE, related_name="subscriptions"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("subscription")
        verbose_name_plural = _("subscriptions")
        constraints = [
            models.UniqueConstraint(
                fields=["subscriber", "newsletter"], name="one_subscription_per_list"
            )
        ]

    def __str__(self):
        return f"{self.subscriber} to {self.newsletter}"


class IssueQuerySet(models.QuerySet):
    def published(self):
        """Issues the public may read: those sent or being sent (an email's
        “view in your browser” link must work when it arrives)."""
        return self.filter(status__in=[Issue.Status.SENDING, Issue.Status.SENT])

    def for_archive(self):
        return self.published().order_by("-number")


class Issue(models.Model):
    """One email to a newsletter's subscribers: an introduction and chosen
    articles, sent once."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SCHEDULED = "scheduled", _("Scheduled")
        SENDING = "sending", _("Sending")
        SENT = "sent", _("Sent")

    class Pictures(models.TextChoices):
        NONE = "none", _("No pictures: the lightest email")
        ATTACHED = (
            "attached",
            _(
                "Attached: small pictures travel inside the email and show even "
                "where the site is blocked (about 50 kB each)"
            ),
        )
        LINKED = (
            "linked",
            _(
                "Linked: the email stays light, but mail programs fetch the "
                "pictures from the site when the reader opens it"
            ),
        )

    newsletter = models.ForeignKey(
        Newsletter,
        verbose_name=_("newsletter"),
        on_delete=models.PROTECT,
        related_name="issues",
    )
    subject = models.CharField(_("subject"), max_length=200)
    introduction = models.TextField(
        _("introduction"),
        max_length=4000,
        blank=True,
        help_text=_("Plain text; an empty line starts a new paragraph."),
    )
    pictures = models.CharField(
        _("pictures"), max_length=10, choices=Pictures, default=Pictures.NONE
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status, default=Status.DRAFT, editable=False
    )
    scheduled_for = models.DateTimeField(
        _("send at"),
        null=True,
        blank=True,
        help_text=_("Fill in, then choose “Schedule”."),
    )
    number = models.PositiveIntegerField(_("number"), null=True, editable=False)
    digest_date = models.DateField(
        _("digest of"), null=True, blank=True, editable=False
    )
    started_at = models.DateTimeField(_("sending started"), null=True, editable=False)
    sent_at = models.DateTimeField(_("sending finished"), null=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    modified_at = models.DateTimeField(auto_now=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("sent by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    # The report, filled in from the delivery rows when sending ends (and
    # unsubscribed_count as readers leave through this issue's links).
    recipient_count = models.PositiveIntegerField(_("recipients"), default=0)
    sent_count = models.PositiveIntegerField(_("sent"), default=0)
    failed_count = models.PositiveIntegerField(_("failed"), default=0)
    unconfirmed_count = models.PositiveIntegerField(_("unconfirmed"), default=0)
    skipped_count = models.PositiveIntegerField(
        _("unsubscribed before their turn"), default=0
    )
    unsubscribed_count = models.PositiveIntegerField(_("unsubscribed since"), default=0)

    objects = IssueQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("issue")
        verbose_name_plural = _("issues")
        permissions = [("send_issue", _("Can send and schedule newsletter issues"))]
        constraints = [
            models.UniqueConstraint(
                fields=["newsletter", "number"], name="one_number_per_issue"
            ),
            models.UniqueConstraint(
                fields=["newsletter", "digest_date"],
                condition=Q(digest_date__isnull=False),
                name="one_digest_a_day",
            ),
        ]

    def __str__(self):
        return self.subject

    def get_absolute_url(self):
        return reverse(
            "newsletters:issue",
            kwargs={"slug": self.newsletter.slug, "number": self.number},
        )

    @property
    def is_editable(self) -> bool:
        return self.status in {self.Status.DRAFT, self.Status.SCHEDULED}

    def introduction_paragraphs(self) -> list[str]:
        return [
            " ".join(part.split())
            for part in self.introduction.replace("\r\n", "\n").split("\n\n")
            if part.strip()
        ]

    def report(self) -> "IssueReport":
        """What happened to this issue's emails: counted from the delivery rows
        while it is being sent, from the stored counts once it is."""
        if self.status != self.Status.SENDING:
            return IssueReport(
                recipients=self.recipient_count,
                sent=self.sent_count,
                failed=self.failed_count,
                unconfirmed=self.unconfirmed_count,
                skipped=self.skipped_count,
                waiting=0,
                unsubscribed=self.unsubscribed_count,
            )
        counts = self.deliveries.delivery_counts()
        return IssueReport(
            recipients=self.recipient_count,
            sent=counts[Delivery.Status.SENT],
            failed=counts[Delivery.Status.FAILED],
            unconfirmed=counts[Delivery.Status.UNCONFIRMED],
            skipped=counts[Delivery.Status.SKIPPED],
            waiting=counts[Delivery.Status.PENDING] + counts[Delivery.Status.SENDING],
            unsubscribed=self.unsubscribed_count,
        )


@dataclass(frozen=True)
class IssueReport:
    """The numbers of an issue's report (see Issue.report)."""

    recipients: int
    sent: int
    failed: int
    unconfirmed: int
    skipped: int
    waiting: int
    unsubscribed: int


class IssueItemQuerySet(models.QuerySet):
    def public(self):
        """The items whose article the public may read now, in order, with what
        their card shows (one query)."""
        return (
            self.filter(article__in=Article.objects.published())
            .select_related("article__lead_image")
            .order_by("position", "pk")
        )


class IssueItem(models.Model):
    """An article in an issue: its headline, standfirst, picture and link."""

    issue = models.ForeignKey(Issue, on_delete=models.CASCADE, related_name="items")
    article = models.ForeignKey(
        "articles.Article",
        verbose_name=_("article"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    objects = IssueItemQuerySet.as_manager()

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = _("article in the issue")
        verbose_name_plural = _("articles in the issue")
        constraints = [
            models.UniqueConstraint(
                fields=["issue", "article"], name="an_article_once_per_issue"
            )
        ]

    def __str__(self):
        return str(self.article)


class DeliveryQuerySet(models.QuerySet):
    def delivery_counts(self) -> dict:
        """{status: count} for every status, in one query. A waiting email whose
        address has gone (unsubscribed) counts as skipped."""
        counts = dict.fromkeys(Delivery.Status, 0)
        rows = (
            self.annotate(
                effective=models.Case(
                    models.When(
                        Q(subscriber__isnull=True, status=Delivery.Status.PENDING),
                        then=models.Value(Delivery.Status.SKIPPED),
                    ),
                    default="status",
                )
            )
            .values("effective")
            .annotate(n=Count("pk"))
            .order_by()
        )
        for row in rows:
            counts[Delivery.Status(row["effective"])] += row["n"]
        return counts


class Delivery(models.Model):
    """One issue to one address, while the issue is being sent. The unique
    constraint means an address is on an issue's list once; the worker claims a
    row (SELECT ... FOR UPDATE SKIP LOCKED) and commits it as SENDING before it
    talks to the mail server, so no row is ever sent twice (see tasks.py)."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting")
        SENDING = "sending", _("Being handed to the mail server")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Refused by the mail server")
        UNCONFIRMED = (
            "unconfirmed",
            _(
                "Unconfirmed: the mail server stopped answering while taking it; "
                "not sent again"
            ),
        )
        SKIPPED = "skipped", _("Unsubscribed before its turn")

    issue = models.ForeignKey(
        Issue, on_delete=models.CASCADE, related_name="deliveries"
    )
    subscriber = models.ForeignKey(
        Subscriber, null=True, on_delete=models.SET_NULL, related_name="deliveries"
    )
    status = models.CharField(max_length=12, choices=Status, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(null=True)
    started_at = models.DateTimeField(null=True)

    objects = DeliveryQuerySet.as_manager()

    class Meta:
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")
        constraints = [
            models.UniqueConstraint(
                fields=["issue", "subscriber"], name="one_delivery_per_address"
            )
        ]
        indexes = [
            models.Index(
                fields=["issue", "id"],
                condition=Q(status="pending"),
                name="delivery_waiting_idx",
            ),
            models.Index(
                fields=["started_at"],
                condition=Q(status="sending"),
                name="delivery_in_flight_idx",
            ),
        ]

    def __str__(self):
        return f"{self.issue} ({self.get_status_display()})"

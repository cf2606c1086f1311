"""Writes about newsletters: subscriptions (confirmed, managed, cancelled),
issues (scheduled, sent, finished) and the delivery rows in between."""

import logging
from datetime import date, datetime, timedelta

from allauth.account.models import EmailAddress
from django.conf import settings
from django.db import IntegrityError, connection, models, transaction
from django.db.models import F, Min, Q
from django.db.models.functions import Coalesce
from django.utils import formats, timezone, translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from articles.models import Article
from newsletters.mailer import Outcome
from newsletters.models import (
    Delivery,
    Issue,
    IssueItem,
    Newsletter,
    Subscriber,
    Subscription,
)
from readers.tasks import retry_delay

logger = logging.getLogger(__name__)

# A delivery is tried this many times (1, 2, 4 ... minutes apart, about two
# hours in all) before it counts as failed.
MAX_ATTEMPTS = 8
# An email handed to the mail server this long ago and still not recorded was
# being sent by a worker that stopped: it is counted as unconfirmed, never sent
# again. Far longer than any SMTP conversation (EMAIL_TIMEOUT per step).
LEASE = timedelta(minutes=15)
# A digest not assembled within this long after its time (the worker was down)
# is skipped that day: a morning digest does not arrive at night.
DIGEST_LATEST = timedelta(hours=6)
DIGEST_MAX_ARTICLES = 20


def normalise_email(email: str) -> str:
    return email.strip().lower()


# --- Subscriptions --------------------------------------------------------------


def _verified_account(email: str):
    address = (
        EmailAddress.objects.filter(email__iexact=email, verified=True)
        .select_related("user")
        .first()
    )
    return address.user if address else None


@transaction.atomic
def subscription_confirm(*, email: str, newsletter_ids) -> Subscriber | None:
    """Subscribe a confirmed address to the newsletters it asked for (those still
    offered); None when none is. Confirming twice changes nothing. An address
    that is also a reader account's confirmed address belongs to that account."""
    newsletters = list(Newsletter.objects.offered().filter(pk__in=newsletter_ids))
    if not newsletters:
        return None
    email = normalise_email(email)
    subscriber, _created = Subscriber.objects.get_or_create(email=email)
    if subscriber.user_id is None:
        user = _verified_account(email)
        if user is not None and not Subscriber.objects.filter(user=user).exists():
            subscriber.user = user
            subscriber.save(update_fields=["user"])
    for newsletter in newsletters:
        Subscription.objects.get_or_create(subscriber=subscriber, newsletter=newsletter)
    return subscriber


def _skip_waiting(*, subscriber, newsletter_ids) -> None:
    """An issue being sent no longer goes to an address that just left its
    newsletter (one already handed to the mail server cannot be recalled)."""
    Delivery.objects.filter(
        subscriber=subscriber,
        issue__newsletter_id__in=newsletter_ids,
        status=Delivery.Status.PENDING,
    ).update(status=Delivery.Status.SKIPPED)


def _count_unsubscribed(issue_id) -> None:
    if issue_id:
        Issue.objects.filter(pk=issue_id).update(
            unsubscribed_count=F("unsubscribed_count") + 1
        )


def subscriber_delete(*, subscriber: Subscriber) -> None:
    """Delete an address for good: its subscriptions go with it, and delivery
    rows of issues being sent keep only their status (for the counts)."""
    _skip_waiting(
        subscriber=subscriber,
        newsletter_ids=subscriber.subscriptions.values("newsletter_id"),
    )
    subscriber.delete()


@transaction.atomic
def subscription_cancel(
    *, subscriber_id: int, newsletter_id: int, issue_id: int | None = None
) -> bool:
    """Unsubscribe an address from one newsletter; the address is deleted once
    it has no subscription left. True if it was subscribed."""
    subscriber = Subscriber.objects.select_for_update().filter(pk=subscriber_id).first()
    if subscriber is None:
        return False
    removed, _ = subscriber.subscriptions.filter(newsletter_id=newsletter_id).delete()
    if removed:
        _skip_waiting(subscriber=subscriber, newsletter_ids=[newsletter_id])
        _count_unsubscribed(issue_id)
    if not subscriber.subscriptions.exists():
        subscriber_delete(subscriber=subscriber)
    return bool(removed)


@transaction.atomic
def subscriptions_set(
    *, subscriber: Subscriber, newsletters, issue_id: int | None = None
) -> Subscriber | None:
    """Make `newsletters` the address's subscriptions. Newsletters no longer
    offered can be kept or left, not joined. With none left the address is
    deleted (and None returned)."""
    wanted = {n.pk for n in newsletters}
    current = set(subscriber.subscriptions.values_list("newsletter_id", flat=True))
    joinable = set(
        Newsletter.objects.offered()
        .filter(pk__in=wanted - current)
        .values_list("pk", flat=True)
    )
    Subscription.objects.bulk_create(
        [Subscription(subscriber=subscriber, newsletter_id=pk) for pk in joinable],
        ignore_conflicts=True,
    )
    leaving = current - wanted
    if leaving:
        subscriber.subscriptions.filter(newsletter_id__in=leaving).delete()
        _skip_waiting(subscriber=subscriber, newsletter_ids=leaving)
        _count_unsubscribed(issue_id)
    if not subscriber.subscriptions.exists():
        subscriber_delete(subscriber=subscriber)
        return None
    return subscriber


def account_address(*, user) -> str | None:
    """The account's confirmed primary address, where its newsletters go."""
    primary = EmailAddress.objects.filter(user=user, primary=True, verified=True)
    email = primary.values_list("email", flat=True).first()
    return normalise_email(email) if email else None


@transaction.atomic
def subscriber_follow_account(*, user) -> Subscriber | None:
    """Keep a reader account's subscriptions on its current confirmed address:
    after a change of address, and when an address that subscribed through the
    form becomes an account's (the two are then one subscriber)."""
    email = account_address(user=user)
    linked = Subscriber.objects.select_for_update().filter(user=user).first()
    if email is None:
        return linked
    same_address = (
        Subscriber.objects.select_for_update()
        .filter(email=email)
        .exclude(pk=getattr(linked, "pk", None))
        .first()
    )
    if linked and same_address:
        Subscription.objects.bulk_create(
            [
                Subscription(subscriber=same_address, newsletter_id=pk)
                for pk in linked.subscriptions.values_list("newsletter_id", flat=True)
            ],
            ignore_conflicts=True,
        )
        subscriber_delete(subscriber=linked)
        linked = None
    if linked:
        if linked.email != email:
            linked.email = email
            linked.save(update_fields=["email"])
        return linked
    if same_address and same_address.user_id in (None, user.pk):
        same_address.user = user
        same_address.save(update_fields=["user"])
        return same_address
    return None


@transaction.atomic
def account_subscriptions_set(*, user, newsletters) -> Subscriber | None:
    """Subscriptions chosen in a reader's settings: the account's confirmed
    address needs no second confirmation. None if it has none (or no
    newsletter is chosen)."""
    email = account_address(user=user)
    subscriber = subscriber_follow_account(user=user)
    newsletters = list(newsletters)
    if email is None or (subscriber is None and not newsletters):
        return None
    if subscriber is None:
        subscriber = Subscriber.objects.create(email=email, user=user)
    return subscriptions_set(subscriber=subscriber, newsletters=newsletters)


# --- Issues ---------------------------------------------------------------------


class SendResult(models.TextChoices):
    """What became of a request to send or schedule an issue."""

    STARTED = "started", _("Sending has started. The report below fills in as it goes.")
    SCHEDULED = "scheduled", _("The issue is scheduled.")
    NOT_EDITABLE = "not-editable", _("This issue has been sent already.")
    EMPTY = (
        "empty",
        _(
            "The issue has nothing to send: write an introduction or choose at "
            "least one published article."
        ),
    )
    IN_THE_PAST = "past", _("Choose a time in the future to schedule the issue.")


def issue_has_content(issue: Issue) -> bool:
    return (
        bool(issue.introduction.strip())
        or Article.objects.published()
        .filter(pk__in=issue.items.values("article_id"))
        .exists()
    )


def _batch_size() -> int:
    return max(settings.NEWSLETTER_BATCH_SIZE, 1)


@transaction.atomic
def issue_send(*, issue: Issue, user=None) -> SendResult:
    """Start sending now: the issue gets its number, and one delivery row is
    made for every address subscribed at this moment (later subscribers wait
    for the next issue). The worker sends them in batches (newsletters.tasks)."""
    from newsletters.tasks import issue_send_batch

    issue = Issue.objects.select_for_update().get(pk=issue.pk)
    if not issue.is_editable:
        return SendResult.NOT_EDITABLE
    if not issue_has_content(issue):
        return SendResult.EMPTY
    # Locking the newsletter numbers its issues one after another.
    Newsletter.objects.select_for_update().get(pk=issue.newsletter_id)
    last = issue.newsletter.issues.aggregate(n=models.Max("number"))["n"] or 0
    now = timezone.now()
    issue.number = last + 1
    issue.status = Issue.Status.SENDING
    issue.started_at = now
    issue.sent_by = user
    with connection.cursor() as cursor:
        cursor.execute(
            f"""INSERT INTO {Delivery._meta.db_table}
                    (issue_id, subscriber_id, status, attempts)
                SELECT %s, subscriber_id, %s, 0
                FROM {Subscription._meta.db_table} WHERE newsletter_id = %s
                ON CONFLICT DO NOTHING""",
            [issue.pk, Delivery.Status.PENDING.value, issue.newsletter_id],
        )
        issue.recipient_count = cursor.rowcount
    issue.save(
        update_fields=[
            "number",
            "status",
            "started_at",
            "sent_by",
            "recipient_count",
            "modified_at",
        ]
    )
    # One task per batch, so that every worker can take a share at once.
    batches = max(-(-issue.recipient_count // _batch_size()), 1)
    for _batch in range(batches):
        issue_send_batch.using(run_after=now).enqueue(issue.pk)
    return SendResult.STARTED


@transaction.atomic
def issue_schedule(*, issue: Issue, when: datetime) -> SendResult:
    """Send the issue at `when` (the worker starts it then)."""
    from newsletters.tasks import issue_send_due

    issue = Issue.objects.select_for_update().get(pk=issue.pk)
    if not issue.is_editable:
        return SendResult.NOT_EDITABLE
    if when <= timezone.now():
        return SendResult.IN_THE_PAST
    if not issue_has_content(issue):
        return SendResult.EMPTY
    issue.status = Issue.Status.SCHEDULED
    issue.scheduled_for = when
    issue.save(update_fields=["status", "scheduled_for", "modified_at"])
    # A task for the old time finds the issue no longer due and does nothing.
    issue_send_due.using(run_after=when).enqueue(issue.pk)
    return SendResult.SCHEDULED


@transaction.atomic
def issue_unschedule(*, issue: Issue) -> bool:
    """Back to draft; False when it is no longer scheduled."""
    return bool(
        Issue.objects.filter(pk=issue.pk, status=Issue.Status.SCHEDULED).update(
            status=Issue.Status.DRAFT, modified_at=timezone.now()
        )
    )


def issue_send_if_due(*, issue_id: int) -> SendResult | None:
    """Start a scheduled issue whose time has come."""
    issue = Issue.objects.filter(
        pk=issue_id, status=Issue.Status.SCHEDULED, scheduled_for__lte=timezone.now()
    ).first()
    if issue is None:
        return None
    result = issue_send(issue=issue, user=None)
    if result == SendResult.EMPTY:
        logger.warning(
            "Scheduled issue %s had nothing to send; left as a draft", issue_id
        )
        issue_unschedule(issue=issue)
    return result


# --- Deliveries -----------------------------------------------------------------


def delivery_claim(*, issue_id: int) -> Delivery | None:
    """Take the next waiting email of an issue for this worker, or None.

    The row is locked with SELECT ... FOR UPDATE SKIP LOCKED (another worker
    takes the next one instead of waiting) and committed as SENDING before the
    mail server hears of it: if this worker dies from here on, the email is
    never sent again (at most once; see newsletters.tasks)."""
    now = timezone.now()
    with transaction.atomic():
        delivery = (
            Delivery.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related("subscriber")
            .filter(
                issue_id=issue_id,
                status=Delivery.Status.PENDING,
                subscriber__isnull=False,
            )
            .filter(Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now))
            .order_by("pk")
            .first()
        )
        if delivery is None:
            return None
        delivery.status = Delivery.Status.SENDING
        delivery.started_at = now
        delivery.attempts += 1
        delivery.save(update_fields=["status", "started_at", "attempts"])
    return delivery


def delivery_record(*, delivery: Delivery, outcome: Outcome) -> Delivery.Status:
    """Record what became of a claimed email (its own short transaction)."""
    update = {"next_attempt_at": None}
    if outcome == Outcome.SENT:
        status = Delivery.Status.SENT
    elif outcome == Outcome.REFUSED:
        status = Delivery.Status.FAILED
    elif outcome == Outcome.UNCERTAIN:
        status = Delivery.Status.UNCONFIRMED
    elif delivery.attempts >= MAX_ATTEMPTS:
        status = Delivery.Status.FAILED
    else:
        status = Delivery.Status.PENDING
        update["next_attempt_at"] = timezone.now() + retry_delay(delivery.attempts)
    # Also over UNCONFIRMED: a slow worker may report after the lease ran out.
    Delivery.objects.filter(
        pk=delivery.pk,
        status__in=[Delivery.Status.SENDING, Delivery.Status.UNCONFIRMED],
    ).update(status=status, **update)
    return status


def deliveries_recover_stale(*, now: datetime | None = None) -> int:
    """Emails handed over by a worker that stopped (their lease ran out) count
    as unconfirmed: they may have arrived, so they are never sent again."""
    now = now or timezone.now()
    return Delivery.objects.filter(
        status=Delivery.Status.SENDING, started_at__lt=now - LEASE
    ).update(status=Delivery.Status.UNCONFIRMED)


def issue_next_due(*, issue_id: int) -> datetime | None:
    """When the next waiting email of the issue may be tried; None if none waits."""
    now = timezone.now()
    return (
        Delivery.objects.filter(
            issue_id=issue_id, status=Delivery.Status.PENDING, subscriber__isnull=False
        )
        .aggregate(due=Min(Coalesce("next_attempt_at", models.Value(now))))
        .get("due")
    )


@transaction.atomic
def issue_finish_if_done(*, issue_id: int) -> bool:
    """Once no email of the issue waits or travels, fold its delivery rows into
    the report's counts, delete them and mark the issue sent. True if it did."""
    issue = (
        Issue.objects.select_for_update()
        .filter(pk=issue_id, status=Issue.Status.SENDING)
        .first()
    )
    if issue is None:
        return False
    unfinished = issue.deliveries.filter(
        Q(status=Delivery.Status.SENDING)
        | Q(status=Delivery.Status.PENDING, subscriber__isnull=False)
    )
    if unfinished.exists():
        return False
    counts = issue.deliveries.delivery_counts()
    issue.sent_count = counts[Delivery.Status.SENT]
    issue.failed_count = counts[Delivery.Status.FAILED]
    issue.unconfirmed_count = counts[Delivery.Status.UNCONFIRMED]
    issue.skipped_count = counts[Delivery.Status.SKIPPED]
    issue.status = Issue.Status.SENT
    issue.sent_at = timezone.now()
    # Not unsubscribed_count: readers may be leaving through this issue now.
    issue.save(
        update_fields=[
            "sent_count",
            "failed_count",
            "unconfirmed_count",
            "skipped_count",
            "status",
            "sent_at",
        ]
    )
    issue.deliveries.all().delete()
    return True


# --- Digests --------------------------------------------------------------------


def digest_day_due(*, newsletter: Newsletter, now: datetime) -> date | None:
    """The day whose digest is due now, or None: from the newsletter's digest
    time (in TIME_ZONE) until DIGEST_LATEST after it."""
    if newsletter.digest == Newsletter.Digest.OFF:
        return None
    local = timezone.localtime(now)
    due = local.replace(
        hour=newsletter.digest_time.hour,
        minute=newsletter.digest_time.minute,
        second=0,
        microsecond=0,
    )
    if not due <= local < due + DIGEST_LATEST:
        return None
    return local.date()


def digest_subject(*, newsletter: Newsletter, day: date) -> str:
    with translation.override(newsletter.language):
        return gettext("%(newsletter)s, %(date)s") % {
            "newsletter": newsletter.name,
            "date": formats.date_format(day, "j F Y"),
        }


def digest_assemble(
    *, newsletter: Newsletter, now: datetime | None = None, send: bool | None = None
) -> Issue | None:
    """The digest of the reports published in the 24 hours before `now` in the
    newsletter's language (none already in one of its issues), as a new issue;
    sent at once when `send` (by default: when the newsletter says so). None
    when there is nothing new, or today's digest exists already."""
    now = now or timezone.now()
    day = timezone.localtime(now).date()
    if newsletter.issues.filter(digest_date=day).exists():
        return None
    already = IssueItem.objects.filter(issue__newsletter=newsletter).values(
        "article_id"
    )
    articles = list(
        Article.objects.published()
        .filter(language=newsletter.language, published_at__gt=now - timedelta(days=1))
        .exclude(pk__in=already)
        .order_by("-published_at", "-pk")[:DIGEST_MAX_ARTICLES]
    )
    if not articles:
        return None
    try:
        with transaction.atomic():
            issue = Issue.objects.create(
                newsletter=newsletter,
                subject=digest_subject(newsletter=newsletter, day=day),
                digest_date=day,
            )
            IssueItem.objects.bulk_create(
                [
                    IssueItem(issue=issue, article=article, position=position)
                    for position, article in enumerate(articles)
                ]
            )
    except IntegrityError:
        return None  # another worker assembled today's digest a moment ago
    if send is None:
        send = newsletter.digest == Newsletter.Digest.SEND
    if send:
        issue_send(issue=issue, user=None)
    return issue


# --- Newsletters ----------------------------------------------------------------


@transaction.atomic
def newsletter_delete(*, newsletter: Newsletter) -> None:
    """Delete a newsletter that has no issue (issues protect it), and the
    addresses left with no subscription."""
    subscribers = list(
        Subscriber.objects.filter(subscriptions__newsletter=newsletter).values_list(
            "pk", flat=True
        )
    )
    newsletter.delete()
    Subscriber.objects.filter(pk__in=subscribers, subscriptions__isnull=True).delete()

"""The signed links in newsletter emails: confirm a subscription, manage one's
subscriptions, unsubscribe in one click. Each link is its own credential (no
login), so it is signed with SECRET_KEY under a salt of its own.

A confirmation link carries the request itself (the address and the chosen
newsletters): nothing is stored about an address until its owner follows it.
Manage and unsubscribe links never expire (an old email must keep working) and
stop working only when the address is deleted; a test email's links name no
subscriber (id 0) and change nothing."""

from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core import signing
from django.urls import reverse

CONFIRM_SALT = "newsletters.confirm"
MANAGE_SALT = "newsletters.manage"
UNSUBSCRIBE_SALT = "newsletters.unsubscribe"
TEST_SUBSCRIBER = 0


def absolute(path: str) -> str:
    return f"{settings.SITE_URL}{path}"


@dataclass(frozen=True)
class SubscriptionRequest:
    """What someone asked for on the subscribe form."""

    email: str
    newsletter_ids: tuple[int, ...]


@dataclass(frozen=True)
class ManageLink:
    subscriber_id: int
    issue_id: int | None

    @property
    def is_test(self) -> bool:
        return self.subscriber_id == TEST_SUBSCRIBER


@dataclass(frozen=True)
class UnsubscribeLink:
    subscriber_id: int
    newsletter_id: int
    issue_id: int | None

    @property
    def is_test(self) -> bool:
        return self.subscriber_id == TEST_SUBSCRIBER


@dataclass(frozen=True)
class PersonalLinks:
    """The two links at the foot of every newsletter email."""

    unsubscribe: str
    manage: str


def confirm_link_create(*, email: str, newsletter_ids) -> str:
    token = signing.dumps(
        {"e": email, "n": sorted(newsletter_ids)}, salt=CONFIRM_SALT, compress=True
    )
    return absolute(reverse("newsletters:confirm", args=[token]))


def confirm_link_resolve(*, token: str) -> SubscriptionRequest:
    """Raises signing.BadSignature (SignatureExpired when too old)."""
    data = signing.loads(
        token,
        salt=CONFIRM_SALT,
        max_age=timedelta(days=settings.ACCOUNT_EMAIL_CONFIRMATION_EXPIRE_DAYS),
    )
    return SubscriptionRequest(email=data["e"], newsletter_ids=tuple(data["n"]))


def manage_link_create(*, subscriber_id: int, issue_id: int | None = None) -> str:
    token = signing.dumps([subscriber_id, issue_id], salt=MANAGE_SALT)
    return absolute(reverse("newsletters:manage", args=[token]))


def manage_link_resolve(*, token: str) -> ManageLink:
    subscriber_id, issue_id = signing.loads(token, salt=MANAGE_SALT)
    return ManageLink(subscriber_id=subscriber_id, issue_id=issue_id)


def unsubscribe_link_create(
    *, subscriber_id: int, newsletter_id: int, issue_id: int | None = None
) -> str:
    token = signing.dumps(
        [subscriber_id, newsletter_id, issue_id], salt=UNSUBSCRIBE_SALT
    )
    return absolute(reverse("newsletters:unsubscribe", args=[token]))


def unsubscribe_link_resolve(*, token: str) -> UnsubscribeLink:
    subscriber_id, newsletter_id, issue_id = signing.loads(token, salt=UNSUBSCRIBE_SALT)
    return UnsubscribeLink(
        subscriber_id=subscriber_id, newsletter_id=newsletter_id, issue_id=issue_id
    )


def personal_links(*, subscriber_id: int, newsletter_id: int, issue_id=None):
    """The unsubscribe and manage links of one address in one issue; a test email
    gets links that change nothing (subscriber_id TEST_SUBSCRIBER)."""
    return PersonalLinks(
        unsubscribe=unsubscribe_link_create(
            subscriber_id=subscriber_id, newsletter_id=newsletter_id, issue_id=issue_id
        ),
        manage=manage_link_create(subscriber_id=subscriber_id, issue_id=issue_id),
    )

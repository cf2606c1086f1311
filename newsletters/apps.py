from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


def follow_account(sender, **kwargs):
    """A reader's subscriptions belong to their account once its address is
    confirmed: they follow a change of address, and go when the account is
    deleted (Subscriber.user cascades)."""
    from newsletters.services import subscriber_follow_account

    user = kwargs.get("user") or kwargs["email_address"].user
    subscriber_follow_account(user=user)


class NewslettersConfig(AppConfig):
    name = "newsletters"
    verbose_name = _("Newsletters")

    def ready(self):
        from allauth.account.signals import email_changed, email_confirmed

        email_confirmed.connect(follow_account, dispatch_uid="newsletters.confirmed")
        email_changed.connect(follow_account, dispatch_uid="newsletters.changed")

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NewslettersConfig(AppConfig):
    name = "newsletters"
    verbose_name = _("Newsletters")

    def ready(self):
        from allauth.account.signals import email_changed, email_confirmed

        from newsletters.services import subscriber_follow_account

        # A reader's subscriptions belong to their account once its address is
        # confirmed: they follow a change of address, and go when the account
        # is deleted (Subscriber.user cascades).
        def follow(sender, **kwargs):
            user = kwargs.get("user") or kwargs["email_address"].user
            subscriber_follow_account(user=user)

        email_confirmed.connect(follow, dispatch_uid="newsletters.email_confirmed")
        email_changed.connect(follow, dispatch_uid="newsletters.email_changed")

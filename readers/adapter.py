from allauth.account.adapter import DefaultAccountAdapter
from allauth.core import context as allauth_context
from allauth.core.exceptions import ImmediateHttpResponse
from django.conf import settings
from django.contrib.sites.shortcuts import get_current_site
from django.core.exceptions import ValidationError

from masthead.models import SiteIdentity
from newsroom.hosts import site_origin
from newsroom.ratelimits import LimitedAction, rate_limit_wait, too_many_requests
from readers.tasks import enqueue_email


def main_site_links(context: dict, request) -> dict:
    """The email's links on the main site (SITE_URL), whichever host the reader
    asked from (the onion service, a mirror): an email is opened anywhere, and
    the main address is the one that lasts. The language they asked in stays."""
    origin = site_origin(request)
    if origin == settings.SITE_URL:
        return context
    return {
        key: f"{settings.SITE_URL}{value.removeprefix(origin)}"
        if isinstance(value, str) and value.startswith(f"{origin}/")
        else value
        for key, value in context.items()
    }


class ReaderAccountAdapter(DefaultAccountAdapter):
    """allauth's adapter for every account: readers, and staff on their way to
    the admin."""

    def send_mail(self, template_prefix, email, context):
        """Render as allauth does, but send through the worker: a slow or refused
        mail server never breaks sign-up with a 500, and the email is retried."""
        request = allauth_context.request
        context = {
            "request": request,
            "email": email,
            "current_site": get_current_site(request),
        } | main_site_links(context, request)
        enqueue_email(self.render_mail(template_prefix, email, context))

    def format_email_subject(self, subject):
        """ "[Site name] Subject", with the name editors gave the site."""
        return f"[{SiteIdentity.current().name}] {subject}"

    def pre_authenticate(self, request, **credentials):
        """Too many wrong passwords answer 429 with Retry-After, not a form error
        that reads like one more wrong password; the right one is refused too
        until the lock passes."""
        try:
            super().pre_authenticate(request, **credentials)
        except ValidationError:
            key = self._get_login_attempts_cache_key(request, **credentials)
            wait = rate_limit_wait(request, action="login_failed", key=key)
            raise ImmediateHttpResponse(
                too_many_requests(request, wait=wait, action=LimitedAction.LOGIN_FAILED)
            ) from None

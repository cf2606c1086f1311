"""How long until allauth's rate limits let someone through again, and the 429 page
that says so with a Retry-After header."""

import math
import time

from allauth.core.internal import ratelimit as allauth_ratelimit
from django.core.cache import cache
from django.db import models
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

APP = "allauth.account"
FALLBACK_WAIT = 60


class LimitedAction(models.TextChoices):
    """What was tried too often, with what the person is told."""

    SIGNUP = (
        "signup",
        _(
            "Too many sign-ups came from your network in a short time. No account was "
            "made and no email was sent."
        ),
    )
    LOGIN = "login", _("Too many attempts to log in.")
    LOGIN_FAILED = (
        "login_failed",
        _(
            "Too many wrong passwords for this account. It stays locked for a while, "
            "even with the right password."
        ),
    )
    RESET_PASSWORD = (
        "reset_password",
        _("Too many password reset requests. No email was sent this time."),
    )
    NEWSLETTER_SUBSCRIBE = (
        "newsletter_subscribe",
        _(
            "Too many subscription requests came from your network in a short "
            "time. No email was sent."
        ),
    )
    OTHER = "other", _("You have tried this too often in a short time.")


# allauth's views limited by a decorator, by URL name: its 429 hook is not told
# which action was limited.
VIEW_ACTIONS = {
    "account_login": LimitedAction.LOGIN,
    "account_signup": LimitedAction.SIGNUP,
    "account_reset_password": LimitedAction.RESET_PASSWORD,
    "account_reset_password_from_key": "reset_password_from_key",
    "account_change_password": "change_password",
    "account_email": "manage_email",
    "account_reauthenticate": "reauthenticate",
}


def rate_limit_wait(request, *, action: str, key: str | None = None) -> int:
    """Seconds until `action` is allowed again for this request's address, account
    and (when given) key; 0 when it is allowed now. Reads the hit history allauth
    keeps in the cache (allauth's internal API, pinned below 66)."""
    now = time.time()
    wait = 0
    for rate in allauth_ratelimit.get_rates(app=APP, action=action):
        if (rate.per == "key" and key is None) or (
            rate.per == "user" and not request.user.is_authenticated
        ):
            continue
        cache_key = allauth_ratelimit.get_cache_key(
            request, app=APP, action=action, rate=rate, key=key
        )
        hits = [hit for hit in cache.get(cache_key, []) if hit > now - rate.duration]
        if len(hits) >= rate.amount:
            # Hits are newest first: free once the amount-th newest leaves the window.
            frees_at = sorted(hits, reverse=True)[rate.amount - 1] + rate.duration
            wait = max(wait, math.ceil(frees_at - now))
    return wait


def too_many_requests(request, *, wait: int, action=LimitedAction.OTHER):
    """The 429 page: what was limited, and when to try again (also as Retry-After)."""
    wait = max(int(wait), 1)
    response = render(
        request,
        "429.html",
        {
            "retry_after": wait,
            "retry_minutes": math.ceil(wait / 60),
            "reason": LimitedAction(action).label,
        },
        status=429,
    )
    response["Retry-After"] = str(wait)
    return response


def handler429(request):
    """allauth's hook for the 429 of a rate-limited view (ROOT_URLCONF.handler429)."""
    match = request.resolver_match
    action = VIEW_ACTIONS.get(match.url_name if match else "", "")
    wait = rate_limit_wait(request, action=action) if action else 0
    if not wait and action:
        # A limit per key (e.g. per email address) was reached; the key is not
        # known here, so say the longest such period.
        periods = [
            rate.duration
            for rate in allauth_ratelimit.get_rates(app=APP, action=action)
            if rate.per == "key"
        ]
        wait = int(max(periods, default=FALLBACK_WAIT))
    if action not in LimitedAction.values:
        action = LimitedAction.OTHER
    return too_many_requests(request, wait=wait or FALLBACK_WAIT, action=action)

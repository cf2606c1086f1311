"""Who may keep a copy of a response, and for how long: the one place that says so.

The rules, in the order they are applied:

1. Nothing personal is ever cached. A response is personal when it answers
   anything but GET or HEAD (a POST's answer), was built for a logged-in visitor
   (the page read their session), shows them a message, carries a CSRF token
   (Django sends the token's cookie with it) or sets any other cookie. It gets
   `Cache-Control: private, no-store` (Django's never_cache headers), whatever
   the view said.
2. Otherwise a view that set its own Cache-Control keeps it (media files are
   immutable; a shared preview is private).
3. Only public pages, read anonymously, are cached: the front page, article
   and section pages, lists, trust pages, search, feeds, newsletter archives and
   issues, comment threads, the lite edition, sitemaps and robots.txt
   (PUBLIC_NAMESPACES and PUBLIC_VIEWS), and of their answers only 200 and 301.
   Account pages, the admin, previews, the tips page (its sources' visits leave
   no copy anywhere), errors, rate-limit answers and other redirects get
   never_cache headers, so that none of them sticks.
4. A public page says `Cache-Control: public, max-age=HTTP_CACHE_MAX_AGE,
   s-maxage=HTTP_CACHE_S_MAXAGE, stale-while-revalidate=...,
   stale-if-error=...`, with both ages cut to the seconds left before the next
   scheduled article goes live: a scheduled report appears on time. An edit, a
   correction or an approved comment shows once the copy expires (s-maxage,
   plus stale-while-revalidate for caches that serve stale while refetching).
   stale-if-error lets the proxy and a CDN keep serving pages while the site,
   or its database, is down.
5. A public page carries an ETag (of its content) and Last-Modified (the time
   it was rendered: a page is built from many rows, and no earlier time could
   be trusted), and a conditional GET that matches is answered 304 Not
   Modified.

deploy/nginx.conf follows these headers (it sets no lifetime of its own) and also
passes logged-in readers and every POST straight through.
"""

from datetime import datetime

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.cache import (
    add_never_cache_headers,
    get_conditional_response,
    patch_cache_control,
    set_response_etag,
)
from django.utils.http import http_date, parse_http_date_safe

from newsroom.fragments import next_publication_time

PUBLIC_NAMESPACES = {"articles", "newsletters", "lite"}
PUBLIC_VIEWS = {
    "sitemap",
    "sitemap_section",
    "news_sitemap",
    "robots",
    "comments:thread",
}
NEVER_PUBLIC_VIEWS = {
    "articles:preview",
    "articles:shared_preview",
    "articles:page_tips",
    # The subscribe form and pages reached by a reader's own signed link.
    "newsletters:subscribe",
    "newsletters:confirm",
    "newsletters:manage",
    "newsletters:unsubscribe",
    "newsletters:account",
}
CACHEABLE_STATUSES = {200, 301}
SAFE_METHODS = {"GET", "HEAD"}


class Caching(models.TextChoices):
    """What may keep a copy of a response, and why."""

    PUBLIC = "public", "a public page read anonymously: any cache may keep it"
    UNSAFE_METHOD = "method", "answers a request that changes something"
    LOGGED_IN = "logged-in", "built for a logged-in visitor"
    MESSAGE = "message", "shows a message meant for this visitor"
    CSRF_TOKEN = "csrf-token", "carries a CSRF token"
    SETS_COOKIE = "sets-cookie", "sets a cookie"
    VIEW = "view", "the view set its own Cache-Control"
    STATUS = "status", "an error or a redirect, which must not stick"
    NOT_PUBLIC = "not-public", "not a public page"


def decide(request, response) -> Caching:
    """Which rule applies to this response (see the module's docstring)."""
    if request.method not in SAFE_METHODS:
        return Caching.UNSAFE_METHOD
    session = getattr(request, "session", None)
    if session is not None and session.accessed and request.user.is_authenticated:
        return Caching.LOGGED_IN
    messages = getattr(request, "_messages", None)
    if messages is not None and messages.used:
        return Caching.MESSAGE
    if settings.CSRF_COOKIE_NAME in response.cookies:
        return Caching.CSRF_TOKEN
    if response.cookies:
        return Caching.SETS_COOKIE
    if response.has_header("Cache-Control"):
        return Caching.VIEW
    if response.status_code not in CACHEABLE_STATUSES:
        return Caching.STATUS
    if not is_public_page(request):
        return Caching.NOT_PUBLIC
    return Caching.PUBLIC


def is_public_page(request) -> bool:
    match = request.resolver_match
    if match is None or match.view_name in NEVER_PUBLIC_VIEWS:
        return False
    return match.view_name in PUBLIC_VIEWS or bool(
        PUBLIC_NAMESPACES & set(match.namespaces)
    )


def shared_lifetime(now: datetime) -> int:
    """Seconds a shared cache may keep a public page: HTTP_CACHE_S_MAXAGE, cut
    to the time left before the next scheduled article goes live (kept in this
    process until an article's status or time changes, or that time comes)."""
    lifetime = settings.HTTP_CACHE_S_MAXAGE
    going_live = next_publication_time()
    if going_live is not None:
        lifetime = min(lifetime, int((going_live - now).total_seconds()))
    return max(lifetime, 0)


def make_public(request, response):
    """Public cache headers, validators, and a 304 when the client's copy is
    current; returns the response to send."""
    now = timezone.now()
    lifetime = shared_lifetime(now)
    patch_cache_control(
        response,
        public=True,
        max_age=min(settings.HTTP_CACHE_MAX_AGE, lifetime),
        s_maxage=lifetime,
        stale_while_revalidate=settings.HTTP_CACHE_STALE_WHILE_REVALIDATE,
        stale_if_error=settings.HTTP_CACHE_STALE_IF_ERROR,
    )
    if not response.has_header("Last-Modified"):
        response.headers["Last-Modified"] = http_date(now.timestamp())
    if not response.streaming and not response.has_header("ETag"):
        set_response_etag(response)
    return get_conditional_response(
        request,
        etag=response.get("ETag"),
        last_modified=parse_http_date_safe(response["Last-Modified"]),
        response=response,
    )


def http_cache_policy(get_response):
    """Cache-Control, ETag and Last-Modified on every response, by the rules in
    this module's docstring."""

    def middleware(request):
        response = get_response(request)
        caching = decide(request, response)
        if caching == Caching.PUBLIC:
            return make_public(request, response)
        if caching != Caching.VIEW:
            add_never_cache_headers(response)
        return response

    return middleware

"""The host names the site answers under: its own (SITE_URL), its onion service
(ONION_LOCATION) and any mirror domains (MIRROR_HOSTS).

Pages link within the host they are read on: internal links and assets are
paths, and the few absolute addresses a page holds (og:url, structured data,
hreflang alternates, share links) name the reader's host. Only rel="canonical"
names SITE_URL, and so do feeds' and emails' links, which are read elsewhere
(MainSiteRequest, readers.adapter.main_site_links).
"""

from urllib.parse import urlsplit

from django.conf import settings
from django.core import checks
from django.core.checks.security import base as security_checks
from django.core.exceptions import DisallowedHost
from django.http.request import split_domain_port
from django.middleware.security import SecurityMiddleware as DjangoSecurityMiddleware
from django.test.utils import override_settings


def request_host(request) -> str:
    """The host name a request was sent to, without its port ("" for a host
    ALLOWED_HOSTS does not list, which Django answers with 400)."""
    try:
        host = request.get_host()
    except DisallowedHost:
        return ""
    return split_domain_port(host)[0]


def is_onion_request(request) -> bool:
    return bool(settings.ONION_HOST) and request_host(request) == settings.ONION_HOST


def site_origin(request=None) -> str:
    """ "https://news.example.org" (SITE_URL), or the onion or mirror host the
    request came in on (an allowed host only); SITE_URL without a request."""
    if request is None:
        return settings.SITE_URL
    try:
        host = request.get_host()
    except DisallowedHost:
        return settings.SITE_URL
    site = urlsplit(settings.SITE_URL)
    if host == site.netloc:
        return settings.SITE_URL
    if is_onion_request(request):
        scheme = urlsplit(settings.ONION_LOCATION).scheme
    else:
        # A mirror is served as the main site is (behind the same TLS
        # terminator, which the request may not show).
        scheme = "https" if request.is_secure() else site.scheme
    return f"{scheme}://{host}"


class MainSiteRequest:
    """A request as if it had come to SITE_URL's host: Django's feeds build
    their addresses from the request's host, and a feed names the main site
    wherever it is read (a feed reader keeps its links; the main address is the
    one that lasts)."""

    def __init__(self, request):
        self._request = request
        self._site = urlsplit(settings.SITE_URL)

    def __getattr__(self, name):
        return getattr(self._request, name)

    def get_host(self) -> str:
        return self._site.netloc

    def is_secure(self) -> bool:
        return self._site.scheme == "https"


class SecurityMiddleware(DjangoSecurityMiddleware):
    """Django's, but an onion service is never sent to https://: Tor encrypts
    the connection end to end already, and the onion host serves plain HTTP
    (Tor Browser treats it as a secure origin, so Secure cookies still work)."""

    def process_request(self, request):
        if is_onion_request(request):
            return None
        return super().process_request(request)


# Django's security checks that look for its SecurityMiddleware by its dotted
# path, and pass without a word when they do not find it.
_MIDDLEWARE_CHECKS = [
    "check_sts",
    "check_sts_include_subdomains",
    "check_sts_preload",
    "check_content_type_nosniff",
    "check_ssl_redirect",
    "check_referrer_policy",
    "check_cross_origin_opener_policy",
]


@checks.register(checks.Tags.security, deploy=True)
def security_middleware_check(app_configs, **kwargs):
    """`check --deploy` as with Django's SecurityMiddleware: ours is Django's
    with the onion host excepted, so Django's own checks of its settings run as
    if it were listed (their "not installed" warning, security.W001, is
    silenced in settings)."""
    path = f"{SecurityMiddleware.__module__}.{SecurityMiddleware.__name__}"
    if path not in settings.MIDDLEWARE:
        return [
            checks.Warning(
                f"{path} is not in MIDDLEWARE: no HTTPS redirect, HSTS or "
                "security headers are sent.",
                id="newsroom.W001",
            )
        ]
    listed = [*settings.MIDDLEWARE, "django.middleware.security.SecurityMiddleware"]
    found = []
    with override_settings(MIDDLEWARE=listed):
        for name in _MIDDLEWARE_CHECKS:
            found += getattr(security_checks, name)(app_configs)
    return found


def onion_location(get_response):
    """With ONION_LOCATION set, every response read outside the onion service
    names the same address on it (Tor Browser then offers to switch)."""

    def middleware(request):
        response = get_response(request)
        if settings.ONION_LOCATION and not is_onion_request(request):
            response.headers.setdefault(
                "Onion-Location", f"{settings.ONION_LOCATION}{request.get_full_path()}"
            )
        return response

    return middleware

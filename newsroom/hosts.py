"""The host names the site answers under: its own (SITE_URL), its onion service
(ONION_LOCATION) and any mirror domains (MIRROR_HOSTS).

Pages link within the host they are read on: internal links and assets are
paths, and the few absolute addresses a page holds (og:url, structured data,
hreflang alternates, share links) name the reader's host. Only rel="canonical"
names SITE_URL, and so do feeds' and emails' links, which are read elsewhere.
"""

from django.conf import settings
from django.core.exceptions import DisallowedHost
from django.http.request import split_domain_port
from django.middleware.security import SecurityMiddleware as DjangoSecurityMiddleware


def request_host(request) -> str:
    """The host name a request was sent to, lower case and without its port,
    allowed or not (for headers only: pages use site_origin)."""
    host, _port = split_domain_port(request._get_raw_host())
    return host


def is_onion_request(request) -> bool:
    return bool(settings.ONION_HOST) and request_host(request) == settings.ONION_HOST


def site_origin(request=None) -> str:
    """ "https://news.example.org", or the onion or mirror host the request came
    in on (an allowed host only); SITE_URL without a request."""
    if request is None:
        return settings.SITE_URL
    try:
        host = request.get_host()
    except DisallowedHost:
        return settings.SITE_URL
    return f"{request.scheme}://{host}"


def absolute(path: str, request=None) -> str:
    """An address on this site, on the host the request came in on; one on
    another host (media in object storage) stays as it is."""
    if path.startswith(("http://", "https://", "//")):
        return path
    return f"{site_origin(request)}{path}"


class SecurityMiddleware(DjangoSecurityMiddleware):
    """Django's, but an onion service is never sent to https://: Tor encrypts
    the connection end to end already, and the onion host serves plain HTTP
    (Tor Browser treats it as a secure origin, so Secure cookies still work)."""

    def process_request(self, request):
        if is_onion_request(request):
            return None
        return super().process_request(request)


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

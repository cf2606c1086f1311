import gzip
import secrets
from urllib.parse import urlsplit

from allauth.mfa.models import Authenticator
from allauth.mfa.utils import is_mfa_enabled
from csp.middleware import CSPMiddleware, PolicyParts
from django.conf import settings
from django.contrib import messages
from django.middleware.gzip import GZipMiddleware, re_accepts_gzip
from django.shortcuts import redirect
from django.utils.cache import add_never_cache_headers, patch_vary_headers
from django.utils.translation import gettext as _

from newsroom.log_privacy import is_source_path

# Staff-only pages outside the admin that show what readers may not see yet.
STAFF_VIEWS = {"articles:preview"}
SECOND_FACTORS = [Authenticator.Type.TOTP, Authenticator.Type.WEBAUTHN]


def media_origin() -> str | None:
    """The media host when pictures are served from one of the newsroom's own
    (object storage, a CDN), else None: MEDIA_URL is then a path on this site."""
    media = urlsplit(settings.MEDIA_URL)
    return f"{media.scheme}://{media.netloc}" if media.scheme and media.netloc else None


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    """django-csp with one policy per part of the site: the strict public one
    (CONTENT_SECURITY_POLICY) everywhere, the admin's and the two-factor pages'
    where their scripts must run. Each allows pictures from the media host."""

    def get_policy_parts(self, request, response, report_only=False) -> PolicyParts:
        parts = super().get_policy_parts(request, response, report_only)
        if report_only or parts.config is not None:
            return parts  # a view chose its own policy
        match = request.resolver_match
        if request.path_info.startswith(f"/{settings.ADMIN_URL}"):
            parts.config = dict(settings.ADMIN_CSP_DIRECTIVES)
        elif match and (match.url_name or "").startswith("mfa_"):
            parts.config = dict(settings.TWO_FACTOR_CSP_DIRECTIVES)
        if origin := media_origin():
            parts.update = (parts.update or {}) | {"img-src": [origin]}
        return parts


# zlib's level for pages: on a 60 kB article page level 4 takes half the time
# of Django's 6 for 5% more bytes (level 1: a third of the time, 17% more). A
# page is compressed once per render; the proxy keeps the compressed copy.
PAGE_COMPRESSION_LEVEL = 4


class PageGZipMiddleware(GZipMiddleware):
    """Django's GZipMiddleware at PAGE_COMPRESSION_LEVEL, with its guard against
    BREACH (a random number of bytes in the gzip header) and its headers.
    Streaming answers (feeds of files, large exports) are left to Django's."""

    def process_response(self, request, response):
        if (
            response.streaming
            or len(response.content) < 200
            or response.has_header("Content-Encoding")
        ):
            return super().process_response(request, response)
        patch_vary_headers(response, ("Accept-Encoding",))
        if not re_accepts_gzip.search(request.META.get("HTTP_ACCEPT_ENCODING", "")):
            return response
        compressed = gzip.compress(
            response.content, compresslevel=PAGE_COMPRESSION_LEVEL, mtime=0
        )
        # As django.utils.text.compress_string does: a file name of random length.
        header = bytearray(compressed[:10])
        header[3] = gzip.FNAME
        name = b"a" * secrets.randbelow(self.max_random_bytes) + b"\x00"
        compressed = bytes(header) + name + compressed[10:]
        if len(compressed) >= len(response.content):
            return response
        response.content = compressed
        response.headers["Content-Length"] = str(len(compressed))
        etag = response.get("ETag")
        if etag and etag.startswith('"'):
            response.headers["ETag"] = "W/" + etag
        response.headers["Content-Encoding"] = "gzip"
        return response


class StaffSecondFactorMiddleware:
    """With STAFF_REQUIRE_TWO_FACTOR on, a staff account without an authenticator
    app or security key is sent to set one up before it sees any admin page."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if not settings.STAFF_REQUIRE_TWO_FACTOR:
            return None
        match = request.resolver_match
        if match.namespace != "admin" and match.view_name not in STAFF_VIEWS:
            return None
        user = request.user
        if not (user.is_authenticated and user.is_staff):
            return None  # the admin sends them to log in
        if is_mfa_enabled(user, types=SECOND_FACTORS):
            return None
        messages.warning(
            request,
            _(
                "Set up two-factor authentication (an authenticator app or a "
                "security key) before you use the admin."
            ),
        )
        return redirect("mfa_index")


def source_page_protection(get_response):
    """A source page (the tips page, and any address under it, 404s included)
    sets no cookie whatever a middleware inside this one wanted (a session,
    CSRF or message cookie, now or in a later version), sends no referrer and
    is kept by no cache. Sits outside sessions, CSRF, messages and allauth, and
    inside the HTTP cache policy, which then sees no cookie."""

    def middleware(request):
        response = get_response(request)
        if is_source_path(request.path_info):
            response.cookies.clear()
            response["Referrer-Policy"] = "no-referrer"
            add_never_cache_headers(response)
        return response

    return middleware

"""The identity's files: the accent stylesheet and the icons, all served from
this site. Icons are read from storage here rather than linked on the media
host, so that no page (the tips page least of all) makes a browser ask another
host for anything, even with pictures in object storage."""

from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.http import Http404, HttpResponse

from masthead.colours import HEX, dark_variant, validate_accent
from masthead.models import SiteIdentity

FOREVER = "public, max-age=31536000, immutable"
A_DAY = "public, max-age=86400"


def accent_stylesheet(request, colour):
    """`:root { --accent: … }` for light and dark mode. The address names the
    colour, so the answer never changes: no query, cached for a year."""
    colour = f"#{colour}"
    if not HEX.match(colour):
        raise Http404("Not a colour.")
    try:
        validate_accent(colour)
    except ValidationError:
        raise Http404("Not an accent this site can use.") from None
    css = (
        f":root {{ --accent: {colour}; }}\n"
        "@media (prefers-color-scheme: dark) {\n"
        f"  :root {{ --accent: {dark_variant(colour)}; }}\n"
        "}\n"
    )
    response = HttpResponse(css, content_type="text/css; charset=utf-8")
    response["Cache-Control"] = FOREVER
    return response


def _icon_response(identity: SiteIdentity, size: int, cache_control: str):
    name = identity.icon_rendition(size)
    if name is None:
        raise Http404("The site has no icon of this size.")
    with default_storage.open(name, "rb") as file:
        data = file.read()
    response = HttpResponse(data, content_type="image/png")
    response["Cache-Control"] = cache_control
    response["X-Content-Type-Options"] = "nosniff"
    return response


def icon(request, version, size):
    """A square icon. The address carries the icon's version: the current one
    is kept for a year, an older address gets today's icon for a day."""
    identity = SiteIdentity.current()
    current = identity.icon_url(size)
    fresh = current is not None and f"/{version}-" in current
    return _icon_response(identity, size, FOREVER if fresh else A_DAY)


def favicon(request):
    """/favicon.ico, which browsers ask for by themselves (a PNG inside)."""
    return _icon_response(SiteIdentity.current(), 32, A_DAY)


def touch_icon(request):
    """/apple-touch-icon.png, which iOS asks for by itself."""
    return _icon_response(SiteIdentity.current(), 180, A_DAY)

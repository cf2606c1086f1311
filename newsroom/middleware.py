from urllib.parse import urlsplit

from django.conf import settings


def public_policy() -> str:
    """Public pages load only this site's stylesheet and pictures, run no script
    and post forms only here, so the policy can be this strict."""
    images = "'self'"
    media = urlsplit(settings.MEDIA_URL)
    if media.scheme and media.netloc:  # media on a host of the newsroom's own
        images += f" {media.scheme}://{media.netloc}"
    return "; ".join(
        [
            "default-src 'none'",
            "style-src 'self'",
            f"img-src {images}",
            "form-action 'self'",
            "frame-ancestors 'none'",
            "base-uri 'none'",
        ]
    )


def content_security_policy(get_response):
    """A strict Content-Security-Policy on every page but the admin's, whose
    editor and pickers run scripts of their own."""
    policy = public_policy()

    def middleware(request):
        response = get_response(request)
        if not request.path.startswith("/admin/"):
            response.headers.setdefault("Content-Security-Policy", policy)
        return response

    return middleware

"""Middleware that keeps what clients send and what the site answers within
bounds (the Content-Security-Policy lives in middleware.py)."""

from django.core.exceptions import BadRequest

# A reader waiting this long is not locked out for long; clients that honour
# the header (crawlers, feed readers) back off instead of hammering the site.
DEFAULT_RETRY_AFTER = 60


def refuse_null_characters(get_response):
    """A NUL byte in the address or a cookie can name nothing here, and
    PostgreSQL refuses to compare text with one: answer 400 before any view or
    session lookup sees it. Query strings and posted fields reach forms, whose
    fields refuse NUL with a message of their own (tests/test_hostile_input.py
    sends it to every URL and form)."""

    def middleware(request):
        if "\x00" in request.path or any(
            "\x00" in k + v for k, v in request.COOKIES.items()
        ):
            raise BadRequest("The request holds a NUL character.")
        return get_response(request)

    return middleware


def response_headers(get_response):
    """Cross-Origin-Resource-Policy on every response, so other sites cannot
    embed our pages, pictures or feeds in theirs; and a Retry-After on every
    429, whoever answered it (allauth's rate limits render templates/429.html
    without one)."""

    def middleware(request):
        response = get_response(request)
        response.headers.setdefault("Cross-Origin-Resource-Policy", "same-origin")
        if response.status_code == 429:
            response.headers.setdefault("Retry-After", str(DEFAULT_RETRY_AFTER))
        return response

    return middleware

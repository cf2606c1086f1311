"""Working behind the reverse proxy (deploy/nginx.conf)."""

import ipaddress

from django.conf import settings


def client_address(get_response):
    """The reader's address for rate limits and the comment address hash.

    Behind the proxy every request comes from the proxy's own address, so every
    reader would share one rate limit. With CLIENT_IP_HEADER set (the proxy
    writes X-Real-IP itself, whatever the client sent), REMOTE_ADDR becomes that
    header's address. request.META is copied first: the WSGI server's environ
    keeps the proxy's address, so gunicorn's access log never learns a reader's.
    """

    def middleware(request):
        header = settings.CLIENT_IP_HEADER
        if not header:
            return get_response(request)
        key = "HTTP_" + header.upper().replace("-", "_")
        value = request.META.get(key, "").strip()
        try:
            address = str(ipaddress.ip_address(value))
        except ValueError:
            address = None
        if address:
            request.META = request.META | {"REMOTE_ADDR": address}
        return get_response(request)

    return middleware

"""Error pages that need more than a template."""

import sys

from django.db import InterfaceError, OperationalError
from django.http import HttpResponse
from django.template import loader
from django.views.decorators.csrf import requires_csrf_token
from django.views.defaults import server_error as plain_server_error

# Seconds a client should wait before trying again while the database is away.
DATABASE_RETRY_AFTER = 30


@requires_csrf_token
def server_error(request):
    """handler500. While the database cannot be reached (stopped, restarting,
    unreachable within the connect timeout), the answer is a 503 with
    Retry-After, so readers, crawlers and proxies know it is passing; any other
    failure is a 500. Neither page touches the database."""
    if _database_unavailable(sys.exc_info()[1]):
        response = HttpResponse(loader.render_to_string("503.html"), status=503)
        response["Retry-After"] = str(DATABASE_RETRY_AFTER)
        return response
    return plain_server_error(request)


def _database_unavailable(error: BaseException | None) -> bool:
    seen = 0
    while error is not None and seen < 10:  # the error, or what it was raised from
        if isinstance(error, OperationalError | InterfaceError):
            return True
        error = error.__cause__ or error.__context__
        seen += 1
    return False

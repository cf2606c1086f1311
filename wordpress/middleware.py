"""Old WordPress addresses answer with a permanent redirect to their new place.

A permalink (/2019/05/12/a-report/) reaches Django as a 404, which is answered
from the table of old addresses (one query, for 404s only). The "?p=12" form
names the old site's home page, which here is the front page, a page that
exists: so a request whose query carries "p" (and only those) is looked up
before any view runs. Feeds of old categories and tags (/category/iraq/feed/)
lead to the new section's or tag's feed, and the old site's own feed (/feed/)
to the latest reports'."""

import logging
import re

from django.db import DatabaseError
from django.http import HttpResponsePermanentRedirect
from django.urls import reverse

from wordpress.models import OldAddress, normalized_path

logger = logging.getLogger(__name__)
POST_ID = re.compile(r"[0-9]{1,18}")
SAFE_METHODS = {"GET", "HEAD"}


def old_addresses(get_response):
    def middleware(request):
        if request.method not in SAFE_METHODS:
            return get_response(request)
        post_id = request.GET.get("p", "")
        if post_id and POST_ID.fullmatch(post_id):
            path = f"{normalized_path(request.path)}?p={post_id}"
            if target := _destination(path):
                return HttpResponsePermanentRedirect(target)
        response = get_response(request)
        if response.status_code != 404:
            return response
        target = old_address_destination(request.path)
        return HttpResponsePermanentRedirect(target) if target else response

    return middleware


def old_address_destination(path: str) -> str | None:
    """Where an address this site does not know leads, if it is an old one."""
    path = normalized_path(path)
    feed = path == "/feed" or path.endswith("/feed")
    if feed:
        path = path.removesuffix("/feed") or "/"
        if path == "/":
            return reverse("articles:feed")
    return _destination(path, feed=feed)


def _destination(path: str, *, feed: bool = False) -> str | None:
    """The lookup, which never turns an answer into an error: with the database
    unreachable, a page that was not found stays not found (and a page that
    exists is shown)."""
    try:
        return OldAddress.objects.destination(path, feed=feed)
    except DatabaseError:
        logger.warning("Old addresses could not be looked up: database error")
        return None

"""Parts of pages kept between requests, and the versions that retire them.

A fragment (a rendered piece of a page, or data every page reads, such as the
header's sections) is kept under a key made of everything it shows: the row's
own version where it has one (an article's `modified_at`, which
articles.services.article_changed touches in the same transaction as the
change), the *versions* below of what else it includes, and the active
language (its interface strings are translated). Nothing personal is ever put
in a fragment: the account links, forms and their CSRF tokens, messages and a
logged-in reader's comment forms stay outside them.

A change never edits or deletes a fragment: the service every write goes
through bumps the version (a new random token, stored once the transaction
commits), so no key naming the old token is asked for again, and the old
fragments age out. A request reads the versions before the rows they cover,
so a fragment is at worst stored newer than its key says, never older; a lost
or evicted version is replaced by a new random token, never by an old one.

- Versions live in the shared cache (Redis, or PostgreSQL's cache table), so
  every process and machine sees a bump at once. A request reads every version
  it needs in one round trip, at most once (see request_versions).
- Fragments live in each process's memory (the "template_fragments" cache, as
  Django's {% cache %} tag expects): rendered once per process and version,
  asked for at no cost, and gone after an hour at the latest (the cache's
  TIMEOUT: a write that bypassed every service, such as an UPDATE typed in a
  shell, shows within that time).

The versions:

SITE: what many pages show besides an article's own rows: the site identity,
    sections, trust pages, the call to action, partner outlets, tags,
    contributors and pictures. Bumped, for models without a write service that
    every path goes through (the admin saves them directly, and so do the
    shell and data imports), by the signal receivers at the end of this module.
ARTICLES: which articles are live and what lists show of them: related posts,
    the front page, the next scheduled publication. Bumped by article_changed,
    by an article's deletion and by a change to the front page's picks.
READERS: the names comments are shown under. Bumped when a reader's display
    name changes or an account goes.
COMMENTS: which comments are shown, and their counts. Bumped by the comment
    services (posting, moderating, deleting, counting again).
"""

import logging
import secrets
from collections.abc import Callable, Iterable
from contextvars import ContextVar
from hashlib import md5

from django.core.cache import caches
from django.db import DatabaseError, transaction
from django.utils import timezone
from django.utils.translation import get_language

logger = logging.getLogger(__name__)

SITE = "site"
ARTICLES = "articles"
READERS = "readers"
COMMENTS = "comments"
VERSIONS = (SITE, ARTICLES, READERS, COMMENTS)
KEY_PREFIX = "fragments-version:"

# The versions this request has read (None outside a request).
_read: ContextVar[dict | None] = ContextVar("fragment_versions", default=None)
# Tells a kept None (no scheduled publication) from nothing kept.
_MISSING = object()
# What remember() keeps: name -> (version, value).
_remembered: dict[str, tuple] = {}


def fragment_cache():
    """Where rendered parts of pages are kept: this process's memory."""
    return caches["template_fragments"]


def kept(key: str, depends: Iterable[str], render: Callable[[], str]) -> str:
    """The HTML `render()` returns, kept under `key` (which must name every
    row it shows that no version covers, e.g. an article's pk and version),
    the active language and the versions in `depends`."""
    full_key = _full_key(key, depends)
    cache = fragment_cache()
    html = cache.get(full_key)
    if html is None:
        html = render()
        cache.set(full_key, html)
    return html


def kept_response(key: str, depends: Iterable[str], respond: Callable):
    """A whole answer kept as kept() keeps a part, for answers that are the same
    for every reader and name no host of their own (feeds, which always name
    the main site). Only a complete 200 is kept; the middleware's headers come
    after, on every request."""
    full_key = _full_key(f"response:{key}", depends)
    cache = fragment_cache()
    response = cache.get(full_key)
    if response is None:
        response = respond()
        if response.status_code == 200 and not response.streaming:
            cache.set(full_key, response)
    return response


def _full_key(key: str, depends: Iterable[str]) -> str:
    digest = md5(key.encode(), usedforsecurity=False).hexdigest()
    return f"fragment:{digest}:{get_language()}:{version_key(*depends)}"


def versions() -> dict[str, str]:
    """The current token of every version, read from the shared cache in one
    round trip, once per request. A version the cache lost gets a new token.
    When Redis cannot be reached, fresh tokens: nothing kept is used, every
    fragment is rendered from the database."""
    read = _read.get()
    if read:
        return read
    cache = caches["default"]
    keys = {name: KEY_PREFIX + name for name in VERSIONS}
    try:
        found = cache.get_many(keys.values())
        tokens = {name: found.get(key) for name, key in keys.items()}
        for name, token in tokens.items():
            if token is None:
                token = secrets.token_hex(8)
                if not cache.add(keys[name], token, timeout=None):
                    token = cache.get(keys[name]) or token
                tokens[name] = token
    except DatabaseError:
        # The cache table is in PostgreSQL: without it no page can be made, and
        # the 503 page should come after one connect timeout, not two.
        raise
    except Exception:  # Redis cannot be reached
        logger.warning("Fragment versions unreadable: rendering without them")
        tokens = {name: secrets.token_hex(8) for name in VERSIONS}
    if read is not None:
        read.update(tokens)
    return tokens


def bump(*names: str) -> None:
    """Retire every fragment that depends on these versions: now, and again
    once the current transaction commits. The second new token is the one
    that counts where the shared cache is outside the database (Redis): a
    request that read the first before the change was committed may have kept
    the rows as they were under it. In PostgreSQL's cache table the first one
    is written in the change's own transaction, and the later parts of the
    same transaction (a test's, say) see it at once."""
    _store_new(names)
    transaction.on_commit(lambda: _store_new(names), robust=True)


def _store_new(names) -> None:
    tokens = {name: secrets.token_hex(8) for name in names}
    try:
        caches["default"].set_many(
            {KEY_PREFIX + name: token for name, token in tokens.items()},
            timeout=None,
        )
    except Exception:  # Redis, or the cache table, cannot be reached
        # Kept parts then live until the fragment cache's TIMEOUT at most.
        logger.exception("Could not retire the kept parts of pages: %s", names)
    read = _read.get()
    if read:
        read.update(tokens)


def version_key(*names: str) -> str:
    """The part of a key that names these versions; ARTICLES also names the
    next scheduled publication, so that what lists the live articles is
    retired when a scheduled one goes live (no one saves anything then)."""
    tokens = versions()
    parts = [tokens[name] for name in names]
    if ARTICLES in names:
        going_live = next_publication_time()
        parts.append(going_live.isoformat() if going_live else "-")
    return ".".join(parts)


def next_publication_time():
    """When the next scheduled article goes live (None when none is waiting),
    kept in this process until ARTICLES is bumped (article_changed does it when
    a status or publication time changes) or that time comes: no cached page
    may outlive it (newsroom/http_cache.py)."""
    from articles.models import Article

    now = timezone.now()
    return remember(
        "next-publication",
        versions()[ARTICLES],
        Article.objects.next_publication_time,
        valid=lambda going_live: going_live is None or going_live > now,
    )


def remember(
    name: str, version: str, compute: Callable, *, valid: Callable | None = None
):
    """What `compute()` returns, kept in this process as `name` while
    `version` (which must name the versions it depends on) stays the same.
    `valid(value)` may refuse a kept value (one that has expired by its own
    terms). Only the latest value of each name is kept, as it is (no copy, no
    pickling: every page reads these), so it must never be changed."""
    kept_version, value = _remembered.get(name, (None, _MISSING))
    if (
        kept_version != version
        or value is _MISSING
        or (valid is not None and not valid(value))
    ):
        value = compute()
        _remembered[name] = (version, value)
    return value


def forget() -> None:
    """Drop everything this process keeps (for tests, which roll back)."""
    fragment_cache().clear()
    _remembered.clear()


def request_versions(get_response):
    """Middleware: the versions are read at most once per request (by the first
    fragment or cached value it asks for), and never carried to the next."""

    def middleware(request):
        token = _read.set({})
        try:
            return get_response(request)
        finally:
            _read.reset(token)

    return middleware


def _bump_site(sender, **kwargs):
    bump(SITE)


def _bump_articles(sender, **kwargs):
    bump(ARTICLES)


def _bump_readers(sender, **kwargs):
    bump(READERS)


def connect_receivers() -> None:
    """Bump the versions when rows without a write service change. These models
    are saved by the admin (forms, inlines, list_editable), the shell and data
    imports alike, and every one of those ends in save() or delete(), which
    send these signals: one receiver per model catches them all, where a
    service would need every path to adopt it. Articles and comments have
    their services, which bump the versions themselves."""
    from django.contrib.auth import get_user_model
    from django.db.models.signals import post_delete, post_save
    from taggit.models import Tag

    from articles.models import (
        Article,
        CallToAction,
        FrontPage,
        Page,
        PartnerOutlet,
        Section,
        TopStory,
    )
    from contributors.models import Contributor
    from images.models import Image
    from masthead.models import SiteIdentity
    from readers.models import Reader

    # A contributor withheld, a picture deleted or its text changed: every page
    # that showed them is rendered anew at once.
    site = [SiteIdentity, Section, Page, CallToAction, PartnerOutlet, Tag]
    for model in [*site, Contributor, Image]:
        for signal in (post_save, post_delete):
            signal.connect(_bump_site, sender=model, dispatch_uid="fragments.site")
    for model in (FrontPage, TopStory):
        for signal in (post_save, post_delete):
            signal.connect(
                _bump_articles, sender=model, dispatch_uid="fragments.articles"
            )
    # An article's changes go through article_changed; its deletion does not.
    post_delete.connect(
        _bump_articles, sender=Article, dispatch_uid="fragments.articles"
    )
    for model in (Reader, get_user_model()):
        post_delete.connect(
            _bump_readers, sender=model, dispatch_uid="fragments.readers"
        )
    post_save.connect(_bump_readers, sender=Reader, dispatch_uid="fragments.readers")

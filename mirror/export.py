"""The static mirror: the public site as plain files with relative links, for
any static host or bucket, to put up where the main domain is blocked.

Each page is rendered as a reader gets it (through the whole middleware stack,
anonymously, at SITE_URL's host), then its links are rewritten: to a page or
asset the mirror holds, a relative address (`../tags/mosul/index.html`), so the
files work from any folder of any host, and from disk; to anything else (search,
accounts, comments, older pages of a list), the main site's address.

Runs are incremental: a manifest of what was written (with a digest of each
file) lets a later run write only the files that changed and delete those that
went (an unpublished report, a deleted picture), so a sync tool uploads only
those. Pictures' names carry a digest of their bytes or are never rewritten, so
one already in the mirror is not read again.
"""

import hashlib
import json
import os
import posixpath
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from enum import Enum
from html import unescape
from pathlib import Path
from urllib.parse import quote, unquote, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage
from django.core.files.storage import default_storage
from django.test import Client
from django.urls import Resolver404, resolve, reverse
from django.utils import translation
from taggit.models import Tag

from articles.models import Article, Page, Section
from lite.views import lite_url
from newsroom.languages import interface_languages

MANIFEST = ".mirror-manifest.json"
# Views whose answers are files (the accent stylesheet, icons), not pages.
ASSET_NAMESPACES = {"masthead"}
_LINK = re.compile(r'(\s(?:href|src|action)=")([^"]*)(")')
_SRCSET = re.compile(r'(\ssrcset=")([^"]*)(")')


class Kind(Enum):
    """What an address holds, and the file name it gets in its folder."""

    PAGE = "index.html"
    FEED = "index.xml"


@dataclass
class Report:
    """What a run did, file by file."""

    written: list[str] = field(default_factory=list)
    unchanged: int = 0
    removed: list[str] = field(default_factory=list)
    skipped: list[tuple[str, int]] = field(default_factory=list)


def public_addresses() -> Iterator[tuple[str, Kind]]:
    """Every address the mirror holds, in every edition: the front page, the
    latest reports, sections, tags, trust pages (not the tips page: a source's
    visit to a mirror would be in its host's logs), every report and its lite
    page, the lite lists, and the feeds."""
    articles = Article.objects.published().only("slug", "language")
    for language in interface_languages():
        with translation.override(language):
            edition = Article.objects.published().in_edition(language)
            yield reverse("articles:home"), Kind.PAGE
            yield reverse("articles:latest"), Kind.PAGE
            yield reverse("lite:home"), Kind.PAGE
            yield reverse("articles:feed"), Kind.FEED
            yield reverse("articles:feed_atom"), Kind.FEED
            filled = set(edition.values_list("section", flat=True).distinct())
            for section in Section.objects.in_navigation():
                yield section.get_absolute_url(), Kind.PAGE
                # An empty feed says it was built now: it would change every run.
                if section.pk in filled:
                    feed = reverse("articles:section_feed", args=[section.slug])
                    yield feed, Kind.FEED
            tags = Tag.objects.filter(
                articles_taggedarticle_items__content_object__in=edition.values("pk")
            ).distinct()
            for slug in tags.order_by("slug").values_list("slug", flat=True):
                yield reverse("articles:tag", args=[slug]), Kind.PAGE
                yield reverse("lite:tag", args=[slug]), Kind.PAGE
                yield reverse("articles:tag_feed", args=[slug]), Kind.FEED
            for page in Page.objects.public().exclude(kind=Page.Kind.TIPS):
                yield page.get_absolute_url(), Kind.PAGE
    for article in articles.order_by("published_at", "pk").iterator():
        yield article.get_absolute_url(), Kind.PAGE
        yield lite_url(article), Kind.PAGE


def file_of(path: str, kind: Kind) -> str:
    """The mirror's file for an address: /tags/mosul/ -> tags/mosul/index.html."""
    return unquote(path).lstrip("/") + kind.value


class Mirror:
    """One run of the export into `root`."""

    def __init__(self, root: Path, progress=None, address: str = ""):
        self.root = Path(root)
        # Where the mirror will be read, for feeds (whose links must be
        # absolute); without it they name the main site.
        self.public_address = address.rstrip("/") + "/" if address else ""
        self.progress = progress or (lambda items, total: items)
        self.site = urlsplit(settings.SITE_URL)
        self.client = Client(
            HTTP_HOST=self.site.netloc, secure=self.site.scheme == "https"
        )
        self.old = self._read_manifest()
        self.new: dict[str, str] = {}
        self.report = Report()

    def run(self) -> Report:
        """Write every page and what it uses; remove what is gone."""
        self.root.mkdir(parents=True, exist_ok=True)
        addresses = list(dict.fromkeys(public_addresses()))
        self.files = {unquote(path): file_of(path, kind) for path, kind in addresses}
        for path, kind in self.progress(addresses, len(addresses)):
            response = self.client.get(path)
            if response.status_code != 200:
                self.report.skipped.append((path, response.status_code))
                continue
            name = file_of(path, kind)
            content = response.content
            if kind is Kind.PAGE:
                content = self.relink(content.decode(), name, path).encode()
            elif self.public_address:
                content = self.relink_feed(content.decode()).encode()
            self.put(name, content)
        self._remove_gone()
        self._write_manifest()
        return self.report

    def relink(self, html: str, page: str, path: str) -> str:
        """`html`'s links, relative to `page` (the file of `path`) where the
        mirror holds what they lead to; the main site's address where it does
        not (another page of a list, `?before=...`, included)."""

        def link(match):
            value = match[2]
            if value.startswith("?"):
                value = path + value
            return match[1] + self.address(value, page) + match[3]

        def srcset(match):
            candidates = []
            for candidate in match[2].split(","):
                url, _space, width = candidate.strip().partition(" ")
                candidates.append(f"{self.address(url, page)} {width}".strip())
            return match[1] + ", ".join(candidates) + match[3]

        return _SRCSET.sub(srcset, _LINK.sub(link, html))

    def relink_feed(self, xml: str) -> str:
        """A feed's links to pages the mirror holds, at the mirror's address."""
        site = re.escape(settings.SITE_URL)

        def link(match):
            target = self.files.get(unquote(match[1]))
            return f"{self.public_address}{quote(target)}" if target else match[0]

        return re.sub(rf"{site}(/[^\s\"'<>?#]*)", link, xml)

    def address(self, value: str, page: str) -> str:
        """One link of `page`, as the mirror gives it."""
        url = urlsplit(unescape(value))
        if url.scheme or url.netloc or not url.path.startswith("/"):
            return value  # another host, a fragment, mailto:
        target = self.files.get(unquote(url.path)) if not url.query else None
        if target is None:
            target = self.asset(url.path)
        if target is None:
            return settings.SITE_URL + value
        relative = quote(posixpath.relpath(target, posixpath.dirname(page) or "."))
        return relative + (f"#{url.fragment}" if url.fragment else "")

    def asset(self, path: str) -> str | None:
        """The mirror's copy of a file a page uses (static, media, the accent
        stylesheet and icons), written once per run; None for a page."""
        name = unquote(path).lstrip("/")
        if name in self.new:
            return name
        if path.startswith(settings.STATIC_URL):
            content = _static(unquote(path.removeprefix(settings.STATIC_URL)))
        elif path.startswith(settings.MEDIA_URL):
            if name in self.old and (self.root / name).is_file():
                self.keep(name)
                return name
            content = _media(unquote(path.removeprefix(settings.MEDIA_URL)))
        else:
            try:
                match = resolve(path)
            except Resolver404:
                return None
            if match.namespace not in ASSET_NAMESPACES:
                return None
            response = self.client.get(path)
            content = response.content if response.status_code == 200 else None
        if content is None:
            return None
        self.put(name, content)
        return name

    def put(self, name: str, content: bytes) -> None:
        """Write a file unless the mirror holds it already, as it is."""
        digest = hashlib.sha256(content).hexdigest()
        target = self.root / name
        if self.old.get(name) == digest and target.is_file():
            self.keep(name)
            return
        target.parent.mkdir(parents=True, exist_ok=True)
        partial = target.with_name(f".{target.name}.partial")
        partial.write_bytes(content)
        os.replace(partial, target)
        self.new[name] = digest
        self.report.written.append(name)

    def keep(self, name: str) -> None:
        self.new[name] = self.old[name]
        self.report.unchanged += 1

    def _remove_gone(self) -> None:
        for name in sorted(set(self.old) - set(self.new)):
            target = self.root / name
            target.unlink(missing_ok=True)
            self.report.removed.append(name)
            parent = target.parent
            while parent != self.root and not any(parent.iterdir()):
                parent.rmdir()
                parent = parent.parent

    def _read_manifest(self) -> dict[str, str]:
        try:
            return json.loads((self.root / MANIFEST).read_text())
        except (FileNotFoundError, ValueError):
            return {}

    def _write_manifest(self) -> None:
        (self.root / MANIFEST).write_text(
            json.dumps(self.new, indent=0, sort_keys=True)
        )


def _static(name: str) -> bytes | None:
    try:
        with staticfiles_storage.open(name) as file:
            return file.read()
    except (FileNotFoundError, OSError, ValueError):
        found = finders.find(name)
        return Path(found).read_bytes() if found else None


def _media(name: str) -> bytes | None:
    try:
        with default_storage.open(name) as file:
            return file.read()
    except (FileNotFoundError, OSError):
        return None

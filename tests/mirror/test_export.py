"""The static mirror, served by a plain file server: every link of every page
resolves, and later runs write only what changed and delete what went."""

import json
import re
import threading
from functools import partial
from html.parser import HTMLParser
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from io import StringIO
from urllib.error import HTTPError
from urllib.parse import unquote, urljoin, urlsplit
from urllib.request import urlopen

import pytest
from django.core.management import call_command

from articles.models import Article
from articles.services import article_save
from demo.content import load_demo_content
from lite.views import lite_url
from mirror.export import MANIFEST, Kind, file_of
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db

SITE = "https://news.example.org"


class Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.links = []

    def handle_starttag(self, tag, attrs):
        if tag == "link" and dict(attrs).get("rel") in {"canonical", "alternate"}:
            return  # the main site's address, for machines
        for name, value in attrs:
            if name in {"href", "src", "action"} and value:
                self.links.append(value)
            elif name == "srcset" and value:
                self.links += [part.split()[0] for part in value.split(",")]


class QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture
def file_server():
    servers = []

    def serve(folder):
        handler = partial(QuietHandler, directory=str(folder))
        server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
        # Under a folder, as in a bucket: links that start at the root fail.
        return f"http://127.0.0.1:{server.server_port}/"

    yield serve
    for server in servers:
        server.shutdown()
        server.server_close()


def export(folder, verbosity=1) -> str:
    out, err = StringIO(), StringIO()
    call_command(
        "export_mirror", str(folder), stdout=out, stderr=err, verbosity=verbosity
    )
    return out.getvalue()


def crawl(base: str) -> dict[str, bytes]:
    """Every file reachable from the front page, by its address."""
    seen, queue, pages, outside = {}, [urljoin(base, "index.html")], {}, set()
    while queue:
        url = queue.pop()
        if url in seen:
            continue
        try:
            with urlopen(url) as response:
                seen[url] = response.read()
        except HTTPError as error:
            pytest.fail(f"{url} answered {error.code}")
        if not url.endswith(".html"):
            continue
        pages[url] = seen[url]
        parser = Links()
        parser.feed(seen[url].decode())
        for link in parser.links:
            absolute = urljoin(url, link).partition("#")[0]
            if absolute.startswith(base):
                queue.append(absolute)
            elif urlsplit(absolute).scheme in {"http", "https"}:
                outside.add(absolute)
    return {"files": seen, "pages": pages, "outside": outside}


def test_the_mirror_served_by_a_plain_file_server_has_no_broken_link_and_updates(
    tmp_path, file_server, settings
):
    """One demo site (built once: it is the slow part), exported, crawled, then
    exported again after nothing, and after a report is unpublished."""
    settings.SITE_URL = SITE
    settings.ALLOWED_HOSTS = ["news.example.org"]
    load_demo_content(picture_size=(320, 200))
    folder = tmp_path / "mirror"
    first = export(folder)
    found = crawl(file_server(folder))
    pages = found["pages"]
    names = {unquote(urlsplit(url).path).lstrip("/") for url in found["files"]}
    published = Article.objects.published()
    # Every report and its lite page, in its edition, reached by links from the
    # front page; the editions' fronts, feeds and pictures.
    for article in published:
        assert file_of(article.get_absolute_url(), Kind.PAGE) in names, article.slug
        assert file_of(lite_url(article), Kind.PAGE) in names, article.slug
    for name in ["index.html", "lite/index.html", "ar/index.html", "ckb/index.html"]:
        assert name in names, name
    assert "feeds/latest/index.xml" in names
    assert "tags/mosul/index.html" in names and "lite/tags/mosul/index.html" in names
    assert any(name.startswith("media/") for name in names)
    assert any(name.startswith("static/css/") for name in names)
    assert not any("tips" in name for name in names)
    # What the mirror does not hold (search, accounts, other pages of a list)
    # leads to the main site.
    assert f"{SITE}/search/" in found["outside"]
    for url in found["outside"]:
        parts = urlsplit(url)
        if url.startswith(SITE) and not parts.query:
            assert file_of(parts.path, Kind.PAGE) not in names, url
            assert file_of(parts.path, Kind.FEED) not in names, url
    for url, body in pages.items():
        assert b"<script src" not in body, url
    written = int(first.split()[0])
    assert written == len(json.loads((folder / MANIFEST).read_text()))

    # Nothing changed: nothing is written.
    again = export(folder, verbosity=2)
    assert again.startswith("0 files written, "), again

    # A report taken down: its pages go, the lists that showed it change, and
    # nothing else is written.
    article = published.get(slug="euphrates-ferry")
    page = folder / file_of(article.get_absolute_url(), Kind.PAGE)
    lite_page = folder / file_of(lite_url(article), Kind.PAGE)
    assert page.is_file() and lite_page.is_file()
    article.status = Article.Status.DRAFT
    article_save(article=article, user=None, notify=False)
    report = export(folder, verbosity=2)
    assert not page.exists() and not lite_page.exists()
    assert not page.parent.exists()  # no empty folder left behind
    assert f"removed: {file_of(article.get_absolute_url(), Kind.PAGE)}" in report
    changed = [line for line in report.splitlines() if line.startswith("written: ")]
    assert 0 < len(changed) < written / 3, changed
    assert "written: index.html" in changed
    found = crawl(file_server(folder))  # still no broken link
    assert not any(article.slug in url for url in found["files"])


def test_feeds_lead_into_the_mirror_when_its_address_is_given(tmp_path, settings):
    settings.SITE_URL = SITE
    settings.ALLOWED_HOSTS = ["news.example.org"]
    settings.ARTICLES_PER_PAGE = 1
    ArticleFactory(slug="water-returns", tags=["Mosul"])
    older = ArticleFactory(slug="bridges-reopen", tags=["Mosul"])
    folder = tmp_path / "mirror"
    progress = StringIO()
    call_command(
        "export_mirror",
        str(folder),
        address="https://mirror.example.net/news",
        stdout=StringIO(),
        stderr=progress,
    )
    # A progress bar, redrawn on one line.
    assert re.search(r"\r100%\|#+\| (\d+)/\1 ", progress.getvalue())
    for name in ["feeds/latest/index.xml", "feeds/tags/mosul/index.xml"]:
        feed = (folder / name).read_text()
        assert (
            "<link>https://mirror.example.net/news/articles/water-returns/index.html"
            in feed
        ), name
        assert f"{SITE}/articles/" not in feed
    # Pages keep relative links, and name the main site as canonical.
    page = (folder / "articles/water-returns/index.html").read_text()
    assert f'<link rel="canonical" href="{SITE}/articles/water-returns/">' in page
    assert 'href="../../tags/mosul/index.html"' in page
    assert "mirror.example.net" not in page
    # Older pages of a list are the main site's.
    tag = (folder / "tags/mosul/index.html").read_text()
    assert f'href="{SITE}/tags/mosul/?before=' in tag
    assert "bridges-reopen" not in tag  # on the second page
    assert (folder / file_of(older.get_absolute_url(), Kind.PAGE)).is_file()

"""Every public page makes the same number of queries on the demo content and on
an archive forty times its size (2,000 reports, 20,000 comments, built with the
seed command's own COPY code in a second or two), so no page grows a query per
row as the archive grows. The large archive of `make bench-scale` is never built
here."""

import re
import shutil
import tempfile
from datetime import UTC, datetime

import pytest
from django.db import transaction
from django.db.models import Count
from django.test import override_settings
from django.urls import reverse
from taggit.models import Tag

from articles.models import Article, Section
from comments.models import Comment, CommentCount
from contributors.models import Contributor
from demo.archive import ArchiveSize, seed_archive
from demo.content import load_demo_content
from newsroom.fragments import forget, versions

SMALL = ArchiveSize(
    articles=2_000,
    comments=20_000,
    tags=300,
    contributors=100,
    readers=300,
    partners=5,
    pictures=2,
    picture_size=(320, 200),
    viral_articles=2,
    viral_comments=3_000,
    years=1,
)

# The queries each page makes, whatever the size of the archive: the first time
# a process serves it, and again (its kept parts are used: newsroom/fragments.py).
EXPECTED = {
    # Each count includes one read of the versions of the kept parts of pages
    # (one round trip to the shared cache), through which the next scheduled
    # publication is read once per process and version: it caps how long the
    # page may be cached (newsroom/http_cache.py). The first time, each HTML
    # page also reads the site's identity, its sections and its trust pages
    # (the header and footer), kept afterwards.
    # The editors' picks, those of them that are live, the latest for empty
    # places, every section's row; none once the page's content is kept.
    "front page": (8, 1),
    # One query: a page of cards read from the cursor on (published_at, pk).
    "latest": (6, 2),
    "latest, an older page": (6, 2),
    "section": (7, 3),
    "trust page": (6, 2),
    # The article's version (its row, without its body), then, the first time:
    # the article with its partner, section and lead image, bylines, tags,
    # corrections, inline images; related posts; the call to action; the comment
    # count, a page of threads and their first replies. Once the parts of the
    # page are kept, the version alone.
    "article": (17, 2),
    "article, its comments newest first, last page": (17, 2),
    "tag": (7, 3),
    "tag, an older page": (7, 3),
    "contributor": (7, 3),
    "partner": (7, 3),
    "corrections": (6, 2),
    "archive": (6, 2),
    "archive month": (6, 2),
    # The newest SEARCH_CANDIDATES matches, and a page of them ranked.
    "search, common word": (7, 3),
    "search, rare word": (7, 3),
    # The identity; items, bylines with their contributors, tags with their names.
    # Once kept (a feed is the same for everyone), the versions alone.
    "feed: latest": (6, 1),
    "feed: latest (Atom)": (6, 1),
    "feed: section": (7, 1),
    "feed: tag": (7, 1),
    "feed: contributor": (7, 1),
    "feed: corrections": (4, 1),
    # The index: each section's count and latest change. A part: its count, then
    # its page of rows.
    "sitemap index": (13, 12),
    "sitemap: articles": (4, 3),
    "sitemap: tags": (4, 3),
    "sitemap: contributors": (4, 3),
    "sitemap: sections": (4, 3),
    "sitemap: pages": (4, 3),
    "sitemap: news": (7, 3),
    # The reply, its place among its thread's replies, its thread's place.
    # (A redirect that moves as comments come: never cached, so no lookup.)
    "comment permalink": (3, 3),
    "comment thread": (8, 4),
    "robots.txt": (2, 1),
}


def demo_pages() -> dict:
    load_demo_content(picture_size=(320, 200))
    commented = Article.objects.get(slug="mosul-old-city-rebuilding")
    return {
        "article": commented.get_absolute_url(),
        "article_with_comments": commented.get_absolute_url(),
        "commented": commented,
        "last_comment_page": 1,
        "tag": "mosul",
        "section": Section.objects.in_navigation().first().slug,
        "contributor": "layla-haddad",
        "partner": "tigris-dispatch",
        "common": "water",
        "rare": "lemon",
    }


def archive_pages() -> dict:
    seed_archive(size=SMALL, seed=3)
    busiest = CommentCount.objects.order_by("-approved").first()
    tag = (
        Tag.objects.annotate(n=Count("articles_taggedarticle_items"))
        .order_by("-n")
        .first()
    )
    contributor = (
        Contributor.objects.with_public_profile()
        .annotate(n=Count("articles"))
        .order_by("-n")
        .first()
    )
    everyday = (
        Article.objects.published()
        .annotate(tag_count=Count("tagged_items"))
        .filter(tag_count__gte=3, comment_count__approved__gte=5)
        .order_by("-published_at")
        .first()
    )
    partner = (
        Article.objects.published()
        .exclude(partner=None)
        .values_list("partner__slug", flat=True)
        .first()
    )
    return {
        "article": everyday.get_absolute_url(),
        "article_with_comments": busiest.article.get_absolute_url(),
        "commented": busiest.article,
        "last_comment_page": (busiest.threads + 19) // 20,
        "tag": tag.slug,
        "section": (
            Section.objects.annotate(n=Count("articles")).order_by("-n").first().slug
        ),
        "contributor": contributor.slug,
        "partner": partner,
        "common": "water",
        "rare": "saffron",
    }


@pytest.fixture(scope="module", params=["demo", "archive"])
def site(request, django_db_setup, django_db_blocker):
    """The demo content, then a 2,000-report archive, each built once for the
    module inside a transaction that is rolled back afterwards."""
    media = tempfile.mkdtemp(prefix="newsroom-media-")
    with (
        django_db_blocker.unblock(),
        override_settings(MEDIA_ROOT=media),
        transaction.atomic(),
    ):
        pages = demo_pages() if request.param == "demo" else archive_pages()
        # A keyset cursor: older than the newest report.
        pages["cursor"] = Article.objects.published().for_listing()[0].pk
        article = pages.pop("commented")
        thread = Comment.objects.threads(article).exclude(replies=None).first()
        pages["thread"] = thread.pk
        pages["reply"] = thread.replies.first().pk
        yield pages
        transaction.set_rollback(True)
    shutil.rmtree(media, ignore_errors=True)


def url_of(name: str, pages: dict) -> str:
    month = datetime.now(UTC)
    return {
        "front page": "/",
        "latest": "/latest/",
        "latest, an older page": f"/latest/?before={pages['cursor']}",
        "section": f"/sections/{pages['section']}/",
        "trust page": "/about/",
        "article": pages["article"],
        "article, its comments newest first, last page": (
            f"{pages['article_with_comments']}?comments=newest"
            f"&comments_page={pages['last_comment_page']}"
        ),
        "tag": f"/tags/{pages['tag']}/",
        "tag, an older page": f"/tags/{pages['tag']}/?before={pages['cursor']}",
        "contributor": f"/contributors/{pages['contributor']}/",
        "partner": f"/partners/{pages['partner']}/",
        "corrections": "/corrections/",
        "archive": "/archive/",
        "archive month": f"/archive/{month.year}/{month.month}/",
        "search, common word": f"/search/?q={pages['common']}",
        "search, rare word": f"/search/?q={pages['rare']}",
        "feed: latest": "/feeds/latest/",
        "feed: latest (Atom)": "/feeds/latest/atom/",
        "feed: tag": f"/feeds/tags/{pages['tag']}/",
        "feed: section": f"/feeds/sections/{pages['section']}/",
        "feed: contributor": f"/contributors/{pages['contributor']}/feed/",
        "feed: corrections": "/feeds/corrections/",
        "sitemap index": reverse("sitemap"),
        "sitemap: articles": "/sitemap-articles.xml",
        "sitemap: tags": "/sitemap-tags.xml",
        "sitemap: contributors": "/sitemap-contributors.xml",
        "sitemap: sections": "/sitemap-sections.xml",
        "sitemap: pages": "/sitemap-pages.xml",
        "sitemap: news": "/sitemap-news.xml",
        "comment permalink": f"/comments/{pages['reply']}/",
        "comment thread": f"/comments/{pages['thread']}/thread/",
        "robots.txt": "/robots.txt",
    }[name]


@pytest.fixture
def nothing_kept(db):
    """The state after a deploy: the versions of the kept parts of pages are in
    the shared cache, no process has kept any part yet."""
    versions()
    forget()
    yield
    forget()


@pytest.mark.django_db
@pytest.mark.parametrize("page", list(EXPECTED))
def test_every_public_page_makes_the_same_queries_at_any_size(
    site, page, client, nothing_kept, django_assert_num_queries
):
    url = url_of(page, site)
    first, again = EXPECTED[page]
    with django_assert_num_queries(first):
        response = client.get(url)
    assert response.status_code in {200, 302}, (url, response.status_code)
    if response.status_code == 302:
        assert re.search(r"#comment-\d+$", response["Location"])
    # Read again, the kept parts of the page are used.
    with django_assert_num_queries(again):
        assert client.get(url).content == response.content

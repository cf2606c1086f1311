"""Sitemaps that search engines accept at any size: an index of parts of at most
SITEMAP_PART_SIZE addresses, each read with one query of the columns it shows,
and a Google News sitemap of the last two days' reports. Only what has a public
page is listed: withheld and pseudonymous contributors never appear."""

from datetime import timedelta
from functools import cache
from urllib.parse import quote

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.db.models import Exists, Max, OuterRef, Subquery
from django.urls import reverse
from django.utils import timezone, translation
from taggit.models import Tag

from articles.models import (
    VERSION_KEY_SEPARATOR,
    Article,
    ArticleContributor,
    Page,
    Section,
)
from contributors.models import Contributor
from newsroom.languages import interface_language

# Search engines take up to 50,000 addresses per part; smaller parts answer
# quickly on a large archive and change less often.
SITEMAP_PART_SIZE = 10_000
# Google News reads reports of the last two days, at most 1,000 of them.
NEWS_WINDOW = timedelta(days=2)
NEWS_LIMIT = 1_000


@cache
def path_prefix(name: str, language: str = settings.LANGUAGE_CODE) -> str:
    """The address of `name` up to its slug, in `language`'s edition (the
    default one's unless given): reversed once, not once per row (a part of ten
    thousand rows spent most of its time in reverse())."""
    with translation.override(language):
        return reverse(name, kwargs={"slug": "slug"}).removesuffix("slug/")


def article_path(slug: str, language: str) -> str:
    """An article's address, in its language's edition."""
    return (
        f"{path_prefix('articles:detail', interface_language(language))}{quote(slug)}/"
    )


class ArticleSitemap(Sitemap):
    """Every published report, oldest first, so that a part keeps its addresses
    as new reports join the last one, each with its versions in other languages
    (hreflang alternates, in the same query). Rows are (slug, published,
    updated, language, the versions' keys)."""

    limit = SITEMAP_PART_SIZE

    def items(self):
        return (
            Article.objects.published()
            .with_versions()
            .order_by("published_at", "pk")
            .values_list(
                "slug", "published_at", "updated_at", "language", "version_keys"
            )
        )

    def location(self, item):
        return article_path(item[0], item[3])

    def lastmod(self, item):
        return item[2] or item[1]

    def get_urls(self, page=1, site=None, protocol=None):
        """The part's addresses, each report's versions (and itself) as its
        alternates, read in the part's one query (ArticleQuerySet.with_versions)."""
        urls = super().get_urls(page=page, site=site, protocol=protocol)
        for url in urls:
            slug, _published, _updated, language, keys = url["item"]
            if not keys:
                continue
            base = url["location"].removesuffix(self.location(url["item"]))
            group = [(language, slug)] + [
                tuple(key.split(VERSION_KEY_SEPARATOR, 2)[:2]) for key in keys
            ]
            url["alternates"] = [
                {"lang_code": code, "location": f"{base}{article_path(slug, code)}"}
                for code, slug in sorted(group)
            ]
        return urls

    def get_latest_lastmod(self):
        """The newest change, from two aggregates rather than every row."""
        latest = Article.objects.published().aggregate(
            published=Max("published_at"), updated=Max("updated_at")
        )
        return max(filter(None, latest.values()), default=None)


class TagSitemap(Sitemap):
    """Tags with at least one published report, dated by their latest: the
    published report most recently given the tag, found along the tag's index
    (one short walk per tag, not a count of every tag's reports)."""

    limit = SITEMAP_PART_SIZE

    def items(self):
        latest = (
            Article.objects.published()
            .filter(tagged_items__tag=OuterRef("pk"))
            .order_by("-pk")
            .values("published_at")[:1]
        )
        return (
            Tag.objects.annotate(latest=Subquery(latest))
            .filter(latest__isnull=False)
            .only("slug")
            .order_by("name", "pk")
        )

    def location(self, item):
        return f"{path_prefix('articles:tag')}{quote(item.slug)}/"

    def lastmod(self, item):
        return item.latest

    def get_latest_lastmod(self):
        """The latest publication: a tag page changes when a report joins it."""
        return (
            Article.objects.published()
            .order_by("-published_at")
            .values_list("published_at", flat=True)
            .first()
        )


class ContributorSitemap(Sitemap):
    """Only named contributors with a published report: nothing else has a page."""

    limit = SITEMAP_PART_SIZE

    def items(self):
        credits = ArticleContributor.objects.filter(
            contributor=OuterRef("pk"), article__in=Article.objects.published()
        )
        return (
            Contributor.objects.with_public_profile()
            .filter(Exists(credits))
            .only("slug")
            .order_by("name", "pk")
        )

    def location(self, item):
        return f"{path_prefix('articles:contributor')}{quote(item.slug)}/"


class NewsSitemap(Sitemap):
    """Google News: the last two days' reports, newest first, with the title,
    language and time Google asks for (rendered by sitemaps/news.xml)."""

    limit = NEWS_LIMIT

    def items(self):
        since = timezone.now() - NEWS_WINDOW
        return (
            Article.objects.published()
            .filter(published_at__gte=since)
            .order_by("-published_at", "-pk")
            .only("slug", "headline", "language", "published_at", "updated_at")
        )

    def lastmod(self, item):
        return item.updated_at or item.published_at

    def get_latest_lastmod(self):
        latest = self.items().aggregate(
            published=Max("published_at"), updated=Max("updated_at")
        )
        return max(filter(None, latest.values()), default=None)


class SectionSitemap(Sitemap):
    """Sections with a published report, each with its newest report's time."""

    changefreq = "hourly"
    priority = 0.6

    def items(self):
        # Each section's newest report read along the section/time index: a
        # few rows per section, never every report of the archive.
        newest = (
            Article.objects.published()
            .filter(section=OuterRef("pk"))
            .order_by("-published_at")
            .values("published_at")[:1]
        )
        return (
            Section.objects.annotate(latest=Subquery(newest))
            .filter(latest__isnull=False)
            .order_by("position", "name")
        )

    def lastmod(self, item):
        return item.latest


class PageSitemap(Sitemap):
    """The trust pages readers may see."""

    changefreq = "monthly"
    priority = 0.5

    def items(self):
        return Page.objects.public().only("kind", "updated_at")

    def lastmod(self, item):
        return item.updated_at


SITEMAPS = {
    "articles": ArticleSitemap,
    "tags": TagSitemap,
    "contributors": ContributorSitemap,
    "sections": SectionSitemap,
    "pages": PageSitemap,
    "news": NewsSitemap,
}

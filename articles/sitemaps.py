from django.contrib.sitemaps import Sitemap
from django.db.models import Max
from django.urls import reverse
from taggit.models import Tag

from articles.models import Article, Page, Section
from contributors.models import Contributor


class ArticleSitemap(Sitemap):
    changefreq = "daily"
    priority = 0.8

    def items(self):
        return Article.objects.published().order_by("-published_at")

    def lastmod(self, item):
        return item.updated_at or item.published_at


class TagSitemap(Sitemap):
    changefreq = "daily"
    priority = 0.4

    def items(self):
        return (
            Tag.objects.filter(
                articles_taggedarticle_items__content_object__in=Article.objects.published()
            )
            .annotate(
                latest=Max("articles_taggedarticle_items__content_object__published_at")
            )
            .order_by("name")
        )

    def location(self, item):
        return reverse("articles:tag", kwargs={"slug": item.slug})

    def lastmod(self, item):
        return item.latest


class ContributorSitemap(Sitemap):
    """Only named contributors with a published report: nothing else has a page."""

    changefreq = "weekly"
    priority = 0.3

    def items(self):
        return (
            Contributor.objects.with_public_profile()
            .filter(articles__in=Article.objects.published())
            .distinct()
            .order_by("name")
        )


class SectionSitemap(Sitemap):
    """Sections with a published report, each with its newest report's time."""

    changefreq = "hourly"
    priority = 0.6

    def items(self):
        return (
            Section.objects.filter(articles__in=Article.objects.published())
            .annotate(latest=Max("articles__published_at"))
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

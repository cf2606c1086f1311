from django.contrib.sitemaps import Sitemap

from articles.models import Article
from contributors.models import Contributor


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

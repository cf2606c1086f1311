from django.conf import settings
from django.shortcuts import get_object_or_404

from articles.feeds import FEED_LENGTH, ArticleFeed
from contributors.models import Contributor


class ContributorFeed(ArticleFeed):
    def get_object(self, request, slug):
        return get_object_or_404(Contributor.objects.with_public_profile(), slug=slug)

    def title(self, contributor):
        return f"{settings.SITE_NAME}: {contributor.name}"

    def link(self, contributor):
        return contributor.get_absolute_url()

    def description(self, contributor):
        return f"Reports by {contributor.name}."

    def items(self, contributor):
        return self.articles().filter(contributors=contributor)[:FEED_LENGTH]

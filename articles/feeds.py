from django.conf import settings
from django.contrib.syndication.views import Feed
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import escape
from taggit.models import Tag

from articles.models import Article, Correction
from contributors.models import Contributor

# A feed is polled: twenty reports cover most of a day of publishing, and a
# reader on a metered connection pays for every item each time.
FEED_LENGTH = 20


class ArticleFeed(Feed):
    """Shared shape of every article feed: bylines use public names only."""

    def articles(self):
        """No pictures in a feed: no lead images or renditions are read."""
        return (
            Article.objects.published()
            .defer("body", "search_vector")
            .order_by("-published_at", "-pk")
            .with_bylines_and_tags()
        )

    def items(self):
        return self.articles()[:FEED_LENGTH]

    def item_title(self, item):
        return item.headline

    def item_description(self, item):
        # HTML, as feed readers expect: escaped here rather than by a template
        # rendered once per item.
        return escape(item.standfirst)

    def item_pubdate(self, item):
        return item.published_at

    def item_updateddate(self, item):
        return item.updated_at or item.published_at

    def item_author_name(self, item):
        names = [c.contributor.byline_name for c in item.article_contributors.all()]
        return ", ".join(names) or None

    def item_categories(self, item):
        return [tag.name for tag in item.tag_list]


class LatestArticlesFeed(ArticleFeed):
    def title(self):
        return settings.SITE_NAME

    def link(self):
        return reverse("articles:home")

    def description(self):
        return f"The latest reports from {settings.SITE_NAME}."


class LatestArticlesAtomFeed(LatestArticlesFeed):
    feed_type = Atom1Feed
    subtitle = LatestArticlesFeed.description


class TagFeed(ArticleFeed):
    def get_object(self, request, slug):
        return get_object_or_404(Tag, slug=slug)

    def title(self, tag):
        return f"{settings.SITE_NAME}: {tag.name}"

    def link(self, tag):
        return reverse("articles:tag", kwargs={"slug": tag.slug})

    def description(self, tag):
        return f"Reports about {tag.name}."

    def items(self, tag):
        return self.articles().filter(tags=tag)[:FEED_LENGTH]


class ContributorFeed(ArticleFeed):
    """A named contributor's reports; protected identities have no feed."""

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


class CorrectionsFeed(Feed):
    def title(self):
        return f"{settings.SITE_NAME}: corrections and updates"

    def link(self):
        return reverse("articles:corrections")

    def description(self):
        return "Every correction, clarification and update, newest first."

    def items(self):
        return Correction.objects.public().for_listing()[:FEED_LENGTH]

    def item_title(self, item):
        return f"{item.get_kind_display()}: {item.article.headline}"

    def item_description(self, item):
        return escape(item.text)

    def item_pubdate(self, item):
        return item.published_at

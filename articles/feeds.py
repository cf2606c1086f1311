from dataclasses import dataclass

from django.contrib.syndication.views import Feed
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import translation
from django.utils.feedgenerator import Atom1Feed, Rss201rev2Feed
from django.utils.html import escape
from django.utils.translation import gettext as _
from taggit.models import Tag

from articles.models import Article, Correction, Section
from articles.seo import absolute
from contributors.models import Contributor
from masthead.models import SiteIdentity
from newsroom.fragments import ARTICLES, SITE, kept_response
from newsroom.hosts import MainSiteRequest

# A feed is polled: twenty reports cover most of a day of publishing, and a
# reader on a metered connection pays for every item each time.
FEED_LENGTH = 20


class BrandedRssFeed(Rss201rev2Feed):
    """RSS with the site's icon as the channel's image."""

    def add_root_elements(self, handler):
        super().add_root_elements(handler)
        if self.feed.get("icon_url"):
            handler.startElement("image", {})
            handler.addQuickElement("url", self.feed["icon_url"])
            handler.addQuickElement("title", self.feed["title"])
            handler.addQuickElement("link", self.feed["link"])
            handler.endElement("image")


class BrandedAtomFeed(Atom1Feed):
    """Atom with the site's icon."""

    def add_root_elements(self, handler):
        super().add_root_elements(handler)
        if self.feed.get("icon_url"):
            handler.addQuickElement("icon", self.feed["icon_url"])


@dataclass(frozen=True)
class Subject:
    """What a feed is about (a tag, a section… or nothing: the latest reports),
    with the site's identity, read once per request."""

    identity: SiteIdentity
    thing: object = None


class SiteFeed(Feed):
    """Every feed carries the site's name and icon (SiteIdentity), and names
    the main site (SITE_URL) wherever it is read: the onion service's or a
    mirror's feed too (see newsroom/hosts.py)."""

    feed_type = BrandedRssFeed

    def __call__(self, request, *args, **kwargs):
        # Polled alike by every reader's app: the whole feed is kept until an
        # article (its corrections included) or the site changes.
        return kept_response(
            request.path,
            (SITE, ARTICLES),
            lambda: super(SiteFeed, self).__call__(request, *args, **kwargs),
        )

    def get_feed(self, obj, request):
        return super().get_feed(obj, MainSiteRequest(request))

    def get_object(self, request, *args, **kwargs):
        return Subject(SiteIdentity.current(), self.get_thing(**kwargs))

    def get_thing(self, **kwargs):
        return None

    def title(self, subject):
        return subject.identity.name

    def feed_extra_kwargs(self, subject):
        icon = subject.identity.icon_url(192)
        if not icon:
            return {}
        return {"icon_url": absolute(icon)}


class ArticleFeed(SiteFeed):
    """Shared shape of every article feed: bylines use public names only."""

    def articles(self):
        """No pictures in a feed: no lead images or renditions are read."""
        return (
            Article.objects.published()
            .defer("body", "search_vector")
            .select_related("section")
            .order_by("-published_at", "-pk")
            .with_bylines_and_tags()
        )

    def items(self, subject):
        return self.articles()[:FEED_LENGTH]

    def edition(self):
        """The feed's edition: reports in its language (/ar/feeds/...), or every
        report in the default one."""
        return self.articles().in_edition(translation.get_language())

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
        section = [item.section.name] if item.section else []
        return section + [tag.name for tag in item.tag_list]


class LatestArticlesFeed(ArticleFeed):
    def items(self, subject):
        return self.edition()[:FEED_LENGTH]

    def link(self, subject):
        return reverse("articles:home")

    def description(self, subject):
        identity = subject.identity
        return str(identity.description) or _("The latest reports from %(site)s.") % {
            "site": identity.name
        }


class LatestArticlesAtomFeed(LatestArticlesFeed):
    feed_type = BrandedAtomFeed

    def subtitle(self, subject):
        return self.description(subject)


class SectionFeed(ArticleFeed):
    def get_thing(self, slug):
        return get_object_or_404(Section, slug=slug)

    def title(self, subject):
        return f"{subject.identity.name}: {subject.thing.name}"

    def link(self, subject):
        return subject.thing.get_absolute_url()

    def description(self, subject):
        section = subject.thing
        return section.description or _("Reports in %(section)s.") % {
            "section": section.name
        }

    def items(self, subject):
        return self.edition().filter(section=subject.thing)[:FEED_LENGTH]


class TagFeed(ArticleFeed):
    def get_thing(self, slug):
        return get_object_or_404(Tag, slug=slug)

    def title(self, subject):
        return f"{subject.identity.name}: {subject.thing.name}"

    def link(self, subject):
        return reverse("articles:tag", kwargs={"slug": subject.thing.slug})

    def description(self, subject):
        return _("Reports about %(tag)s.") % {"tag": subject.thing.name}

    def items(self, subject):
        return self.edition().filter(tags=subject.thing)[:FEED_LENGTH]


class ContributorFeed(ArticleFeed):
    """A named contributor's reports; protected identities have no feed."""

    def get_thing(self, slug):
        return get_object_or_404(Contributor.objects.with_public_profile(), slug=slug)

    def title(self, subject):
        return f"{subject.identity.name}: {subject.thing.name}"

    def link(self, subject):
        return subject.thing.get_absolute_url()

    def description(self, subject):
        return _("Reports by %(name)s.") % {"name": subject.thing.name}

    def items(self, subject):
        return self.articles().filter(contributors=subject.thing)[:FEED_LENGTH]


class CorrectionsFeed(SiteFeed):
    def title(self, subject):
        return _("%(site)s: corrections and updates") % {"site": subject.identity.name}

    def link(self, subject):
        return reverse("articles:corrections")

    def description(self, subject):
        return _("Every correction, clarification and update, newest first.")

    def items(self, subject):
        return Correction.objects.public().for_listing()[:FEED_LENGTH]

    def item_title(self, item):
        return f"{item.get_kind_display()}: {item.article.headline}"

    def item_description(self, item):
        return escape(item.text)

    def item_pubdate(self, item):
        return item.published_at

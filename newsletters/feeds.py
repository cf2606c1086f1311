from django.contrib.syndication.views import Feed
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _

from newsletters.models import IssueItem, Newsletter
from newsroom.hosts import MainSiteRequest

FEED_LENGTH = 30


class IssueFeed(Feed):
    """A newsletter's issues, for readers who prefer a feed reader to email."""

    description_template = "feeds/issue_description.html"

    def get_object(self, request, slug):
        return get_object_or_404(Newsletter, slug=slug)

    def title(self, newsletter):
        return newsletter.name

    def link(self, newsletter):
        return newsletter.get_absolute_url()

    def description(self, newsletter):
        return newsletter.description or _("Past issues of %(newsletter)s.") % {
            "newsletter": newsletter.name
        }

    def get_feed(self, obj, request):
        # Links name the main site wherever the feed is read (newsroom/hosts.py).
        feed = super().get_feed(obj, MainSiteRequest(request))
        feed.feed["language"] = obj.language  # the edition's, not the site's
        return feed

    def items(self, newsletter):
        return (
            newsletter.issues.for_archive()
            .select_related("newsletter")
            .prefetch_related(
                Prefetch("items", queryset=IssueItem.objects.public(), to_attr="public")
            )[:FEED_LENGTH]
        )

    def item_title(self, item):
        return item.subject

    def item_link(self, item):
        return item.get_absolute_url()

    def item_pubdate(self, item):
        return item.started_at


class IssueAtomFeed(IssueFeed):
    feed_type = Atom1Feed
    subtitle = IssueFeed.description

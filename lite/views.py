"""The lite edition: every report as a text-first page for slow, metered and
watched connections. No script, no web font, no picture until the reader asks
for one (a link with its weight), one small stylesheet; the body's HTML is cut
down to an allowlist of text elements. Each page says noindex and names the
full page as canonical; the home, tag and search pages have lite versions too.

Lite pages are public pages like any other (newsroom/http_cache.py): the proxy
and a CDN keep them, and the static mirror exports them."""

import nh3
from django.http import Http404
from django.urls import reverse
from django.utils import translation
from django.views.generic import DetailView

from articles.models import Article, ArticleSlugRedirect
from articles.views import ArticleListView, TagDetailView, moved_permanently
from articles.views import SearchView as FullSearchView

# What a lite body keeps: text and its structure, links (to anywhere, as the
# full page does), nothing that loads or runs.
LITE_TAGS = {
    "p",
    "h2",
    "h3",
    "h4",
    "blockquote",
    "ul",
    "ol",
    "li",
    "a",
    "em",
    "strong",
    "b",
    "i",
    "s",
    "br",
    "code",
    "sub",
    "sup",
    "hr",
}
LITE_ATTRIBUTES = {"a": {"href"}}
# Headlines in a lite list: enough for a day of reporting on one screenful of
# text, a few kilobytes.
LITE_LIST_LENGTH = 30


def lite_html(html: str) -> str:
    """A piece of an article's (already sanitised) body with only LITE_TAGS."""
    return nh3.clean(
        html,
        tags=LITE_TAGS,
        attributes=LITE_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener",
    )


def lite_url(article) -> str:
    """The lite page of `article`, in its language's edition."""
    with translation.override(article.interface_language):
        return reverse("lite:article", kwargs={"slug": article.slug})


class ArticleView(DetailView):
    """A report, text first: its pictures become links that load them."""

    template_name = "lite/article.html"
    context_object_name = "article"

    def get_queryset(self):
        return Article.objects.published().for_article_page()

    def get(self, request, *args, **kwargs):
        try:
            self.object = self.get_object()
        except Http404:
            # A report whose slug changed: its lite page moved with it.
            moved = (
                ArticleSlugRedirect.objects.filter(old_slug=kwargs["slug"])
                .select_related("article")
                .first()
            )
            if moved and moved.article.is_live:
                return moved_permanently(lite_url(moved.article), request)
            raise
        if self.object.interface_language != translation.get_language():
            return moved_permanently(lite_url(self.object), request)
        return self.render_to_response(self.get_context_data(object=self.object))

    def get_context_data(self, **kwargs):
        article = self.object
        parts = []
        for kind, part in article.body_parts():
            if kind == "html":
                parts.append(("html", lite_html(part)))
            else:
                parts.append(("picture", part))
        return super().get_context_data(**kwargs) | {
            "parts": parts,
            "versions": article.versions(),
        }


class LiteList:
    """Headlines only: a longer page than the full site's list of cards."""

    def get_per_page(self):
        return LITE_LIST_LENGTH


class HomeView(LiteList, ArticleListView):
    """The edition's latest reports as a list of headlines."""

    template_name = "lite/home.html"


class TagView(LiteList, TagDetailView):
    """The edition's reports with a tag, as headlines."""

    template_name = "lite/tag.html"


class SearchView(FullSearchView):
    """Search, as the full site's (every language, the newest matches ranked)."""

    template_name = "lite/search.html"

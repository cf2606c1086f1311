import calendar
from datetime import datetime, timedelta
from functools import partial

from csp.decorators import csp
from django.conf import settings
from django.contrib.admin.views.decorators import staff_member_required
from django.core import signing
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponsePermanentRedirect
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone, translation
from django.utils.cache import add_never_cache_headers
from django.utils.decorators import method_decorator
from django.utils.functional import SimpleLazyObject
from django.views.generic import DetailView, ListView, TemplateView
from taggit.models import Tag

from articles.forms import SearchForm
from articles.models import (
    SEARCH_CANDIDATES,
    Article,
    ArticleSlugRedirect,
    CallToAction,
    Correction,
    FrontPage,
    Page,
    PartnerOutlet,
    Section,
    SiteChrome,
)
from articles.pagination import cursor, keyset_page
from articles.services import preview_token_resolve
from contributors.models import Contributor


class KeysetListView(ListView):
    """A newest-first list read a page at a time from a cursor (see
    articles/pagination.py): every page costs one query, however deep."""

    per_page = 50

    def get_per_page(self):
        return self.per_page

    def get_context_data(self, **kwargs):
        page = keyset_page(
            self.object_list,
            per_page=self.get_per_page(),
            before=cursor(self.request, "before"),
            after=cursor(self.request, "after"),
        )
        return super().get_context_data(object_list=page.items, **kwargs) | {
            "page": page
        }


class FrontPageView(TemplateView):
    """The home page: the lead story, the row of top stories, then each
    section's latest (see FrontPage.layout)."""

    template_name = "articles/front_page.html"

    def get_context_data(self, **kwargs):
        sections = SiteChrome.current().navigation
        return super().get_context_data(**kwargs) | {
            # Read only when the kept front page is out of date (see the
            # template's {% fragment %}).
            "layout": SimpleLazyObject(
                partial(FrontPage.layout, sections, language=translation.get_language())
            ),
        }


class ArticleListView(KeysetListView):
    """The latest published reports, a page at a time; the base of every list of
    article cards."""

    template_name = "articles/article_list.html"
    context_object_name = "articles"

    def get_per_page(self):
        return settings.ARTICLES_PER_PAGE

    def get_queryset(self):
        return self.edition().for_listing()

    def edition(self):
        """The published reports of the edition the page is in (its language's;
        every report in the default one)."""
        return Article.objects.published().in_edition(translation.get_language())


class ArticlePageView(DetailView):
    """The article page; subclasses decide who may see which articles."""

    template_name = "articles/article_detail.html"
    context_object_name = "article"
    is_preview = False

    def get_context_data(self, **kwargs):
        article = self.object
        full_article = SimpleLazyObject(partial(_full_article, article))
        # Read only when a part of the page must be rendered: the parts are kept
        # (see {% fragment %} in the template), and most requests find them.
        return super().get_context_data(**kwargs) | {
            "full_article": full_article,
            "related_articles": SimpleLazyObject(
                lambda: list(Article.objects.related_to(article))
            ),
            "call_to_action": SimpleLazyObject(CallToAction.objects.current),
            "is_preview": self.is_preview,
            "versions": SimpleLazyObject(lambda: full_article.versions()),
        }


def _full_article(article):
    """The article with every row its page shows (for_article_page), read
    afresh: the view's own is as lean as the kept parts allow."""
    return get_object_or_404(Article.objects.for_article_page(), pk=article.pk)


class ArticleDetailView(ArticlePageView):
    def get_queryset(self):
        # Built per request: published() compares with the current time.
        return Article.objects.published().for_page_key()

    def get(self, request, *args, **kwargs):
        try:
            self.object = self.get_object()
        except Http404:
            moved = (
                ArticleSlugRedirect.objects.filter(old_slug=kwargs["slug"])
                .select_related("article")
                .first()
            )
            if moved and moved.article.is_live:
                return redirect(moved.article, permanent=True)
            raise
        if self.object.interface_language != translation.get_language():
            # An article is read in its own language's edition: one address each.
            return moved_permanently(self.object.get_absolute_url(), request)
        context = self.get_context_data(object=self.object)
        return self.render_to_response(context)


def moved_permanently(path, request):
    """A 301 to `path`, with the query string the request had."""
    query = request.META.get("QUERY_STRING", "")
    return HttpResponsePermanentRedirect(f"{path}?{query}" if query else path)


@method_decorator(staff_member_required, name="dispatch")
class ArticlePreviewView(ArticlePageView):
    """Any article exactly as it will look, for staff allowed to view articles."""

    is_preview = True

    def get_queryset(self):
        return Article.objects.for_article_page()

    def get_object(self, queryset=None):
        if not self.request.user.has_perm("articles.view_article"):
            raise PermissionDenied
        article = super().get_object(queryset)
        # A preview's address names no language: show it in the article's.
        translation.activate(article.interface_language)
        return article


class SharedPreviewView(ArticlePageView):
    """A draft for an outside reviewer holding a signed, unexpired, unrevoked link."""

    is_preview = True

    def get_object(self, queryset=None):
        try:
            article = preview_token_resolve(token=self.kwargs["token"])
        except (signing.BadSignature, Article.DoesNotExist):
            raise Http404(
                "This preview link has expired, was revoked, or is not valid."
            ) from None
        translation.activate(article.interface_language)
        return article

    def render_to_response(self, context, **response_kwargs):
        response = super().render_to_response(context, **response_kwargs)
        response["X-Robots-Tag"] = "noindex, nofollow"
        response["Cache-Control"] = "private, no-store"
        return response


class SectionDetailView(ArticleListView):
    template_name = "articles/section_detail.html"

    def get_queryset(self):
        self.section = get_object_or_404(Section, slug=self.kwargs["slug"])
        return self.edition().filter(section=self.section).for_listing()

    def get_context_data(self, **kwargs):
        return super().get_context_data(**kwargs) | {
            "section": self.section,
            "current_section": self.section,
        }


class TagDetailView(ArticleListView):
    template_name = "articles/tag_detail.html"

    def get_queryset(self):
        self.tag = get_object_or_404(Tag, slug=self.kwargs["slug"])
        return self.edition().filter(tagged_items__tag=self.tag).for_listing()

    def get_context_data(self, **kwargs):
        return super().get_context_data(**kwargs) | {"tag": self.tag}


class PartnerDetailView(ArticleListView):
    template_name = "articles/partner_detail.html"

    def get_queryset(self):
        self.partner = get_object_or_404(PartnerOutlet, slug=self.kwargs["slug"])
        return Article.objects.published().filter(partner=self.partner).for_listing()

    def get_context_data(self, **kwargs):
        return super().get_context_data(**kwargs) | {"partner": self.partner}


class ContributorDetailView(ArticleListView):
    """A named contributor's bio and reports; protected identities have no page."""

    template_name = "articles/contributor_detail.html"

    def get_queryset(self):
        self.contributor = get_object_or_404(
            Contributor.objects.with_public_profile().select_related("photo"),
            slug=self.kwargs["slug"],
        )
        return (
            Article.objects.published()
            .filter(contributors=self.contributor)
            .for_listing()
        )

    def get_context_data(self, **kwargs):
        return super().get_context_data(**kwargs) | {"contributor": self.contributor}


class ArchiveMonthView(ArticleListView):
    """A month of reports, newest first: the way into any part of the archive."""

    template_name = "articles/archive_month.html"

    def get_queryset(self):
        year, month = self.kwargs["year"], self.kwargs["month"]
        if not (1 <= month <= 12 and 1900 <= year <= 9999):
            raise Http404("There is no such month.")
        zone = timezone.get_current_timezone()
        self.month = datetime(year, month, 1, tzinfo=zone)
        days = calendar.monthrange(year, month)[1]
        following = (self.month + timedelta(days=days)).replace(day=1)
        return (
            self.edition()
            .filter(published_at__gte=self.month, published_at__lt=following)
            .for_listing()
        )

    def get_context_data(self, **kwargs):
        return super().get_context_data(**kwargs) | {"month": self.month}


class ArchiveIndexView(TemplateView):
    """Every month from the first published report to this one, by year."""

    template_name = "articles/archive_index.html"

    def get_context_data(self, **kwargs):
        first = (
            Article.objects.published()
            .in_edition(translation.get_language())
            .order_by("published_at", "pk")
            .values_list("published_at", flat=True)
            .first()
        )
        years = []
        if first is not None:
            now = timezone.localtime()
            first = timezone.localtime(first)
            for year in range(now.year, first.year - 1, -1):
                last_month = now.month if year == now.year else 12
                first_month = first.month if year == first.year else 1
                months = [
                    datetime(year, month, 1)
                    for month in range(last_month, first_month - 1, -1)
                ]
                years.append((year, months))
        return super().get_context_data(**kwargs) | {"years": years}


class CorrectionListView(KeysetListView):
    template_name = "articles/correction_list.html"
    context_object_name = "corrections"
    per_page = 20

    def get_queryset(self):
        return Correction.objects.public().for_listing()


class SearchResults:
    """A search's matches for the paginator: the newest SEARCH_CANDIDATES are
    read once (their count is the paginator's), then each page is ranked among
    them. Two queries, whatever the number of matches."""

    def __init__(self, text):
        self.text = text
        self.keys = list(Article.objects.published().search_matches(text))

    def __len__(self):
        return len(self.keys)

    def __getitem__(self, page):
        if not self.keys:
            return []
        return list(
            Article.objects.filter(pk__in=self.keys)
            .ranked_for(self.text)
            .select_related("lead_image", "section")
            .defer("body", "search_vector")[page]
        )


class SearchView(ListView):
    """Search results by relevance; only the newest matches are ranked, so pages
    are few and numbered."""

    template_name = "articles/search.html"
    context_object_name = "articles"

    def get_paginate_by(self, queryset):
        return settings.ARTICLES_PER_PAGE

    def get_queryset(self):
        self.form = SearchForm(self.request.GET or None)
        if not self.form.is_valid():
            return []
        return SearchResults(self.form.cleaned_data["q"])

    def get_context_data(self, **kwargs):
        return super().get_context_data(**kwargs) | {
            "form": self.form,
            "ranked": SEARCH_CANDIDATES,
        }


class PageView(DetailView):
    """A trust page (about, standards, corrections policy, funding, contact),
    each kind at its own fixed address."""

    template_name = "articles/page_detail.html"
    context_object_name = "page"

    def get_object(self, queryset=None):
        return get_object_or_404(Page, kind=self.kwargs["kind"], published=True)


@method_decorator(csp(settings.SOURCE_PAGE_CSP_DIRECTIVES), name="dispatch")
class TipsView(PageView):
    """The tips page: how sources reach the newsroom safely. SecureDrop's rules
    for a landing page: nothing from another host (not even the media host: the
    page shows no picture), no referrer, nothing kept by any cache, no cookie
    (newsroom/middleware.py strips any), no log line (newsroom/log_privacy.py,
    gunicorn.conf.py, deploy/nginx.conf), and a policy that allows this site's
    stylesheet and icons and nothing else."""

    template_name = "articles/tips.html"

    def render_to_response(self, context, **response_kwargs):
        response = super().render_to_response(context, **response_kwargs)
        response["Referrer-Policy"] = "no-referrer"
        add_never_cache_headers(response)
        return response


class RobotsView(TemplateView):
    template_name = "robots.txt"
    content_type = "text/plain"

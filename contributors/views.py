from django.conf import settings
from django.shortcuts import get_object_or_404
from django.views.generic import ListView

from articles.models import Article
from contributors.models import Contributor


class ContributorDetailView(ListView):
    """A named contributor's bio and reports; protected identities have no page."""

    template_name = "contributors/contributor_detail.html"
    context_object_name = "articles"

    def get_paginate_by(self, queryset):
        return settings.ARTICLES_PER_PAGE

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

from django.shortcuts import get_object_or_404

from articles.models import Article
from articles.views import ArticleListView
from contributors.models import Contributor


class ContributorDetailView(ArticleListView):
    """A named contributor's bio and reports; protected identities have no page."""

    template_name = "contributors/contributor_detail.html"

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

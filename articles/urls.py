from django.urls import path

from articles import feeds, views
from articles.models import Page

app_name = "articles"

urlpatterns = [
    path("", views.FrontPageView.as_view(), name="home"),
    path("latest/", views.ArticleListView.as_view(), name="latest"),
    path("sections/<str:slug>/", views.SectionDetailView.as_view(), name="section"),
    path("articles/<str:slug>/", views.ArticleDetailView.as_view(), name="detail"),
    path("preview/<int:pk>/", views.ArticlePreviewView.as_view(), name="preview"),
    path(
        "preview/shared/<str:token>/",
        views.SharedPreviewView.as_view(),
        name="shared_preview",
    ),
    path("tags/<str:slug>/", views.TagDetailView.as_view(), name="tag"),
    path("partners/<slug:slug>/", views.PartnerDetailView.as_view(), name="partner"),
    path(
        "contributors/<slug:slug>/",
        views.ContributorDetailView.as_view(),
        name="contributor",
    ),
    path(
        "contributors/<slug:slug>/feed/",
        feeds.ContributorFeed(),
        name="contributor_feed",
    ),
    path("corrections/", views.CorrectionListView.as_view(), name="corrections"),
    path("archive/", views.ArchiveIndexView.as_view(), name="archive"),
    path(
        "archive/<int:year>/<int:month>/",
        views.ArchiveMonthView.as_view(),
        name="archive_month",
    ),
    path("search/", views.SearchView.as_view(), name="search"),
    path("feeds/latest/", feeds.LatestArticlesFeed(), name="feed"),
    path("feeds/latest/atom/", feeds.LatestArticlesAtomFeed(), name="feed_atom"),
    path("feeds/tags/<str:slug>/", feeds.TagFeed(), name="tag_feed"),
    path("feeds/sections/<str:slug>/", feeds.SectionFeed(), name="section_feed"),
    path("feeds/corrections/", feeds.CorrectionsFeed(), name="corrections_feed"),
    # The trust pages, each at an address of its own (see Page.Kind.url_name).
    *[
        path(address, view, {"kind": kind}, name=f"page_{kind}")
        for kind, address, view in [
            (Page.Kind.ABOUT, "about/", views.PageView.as_view()),
            (Page.Kind.STANDARDS, "standards/", views.PageView.as_view()),
            (Page.Kind.CORRECTIONS, "corrections/policy/", views.PageView.as_view()),
            (Page.Kind.FUNDING, "funding/", views.PageView.as_view()),
            (Page.Kind.CONTACT, "contact/", views.PageView.as_view()),
            (Page.Kind.TIPS, "tips/", views.TipsView.as_view()),
        ]
    ],
]

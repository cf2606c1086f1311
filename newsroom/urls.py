from django.conf import settings
from django.contrib import admin
from django.contrib.sitemaps import views as sitemap_views
from django.urls import include, path
from django.views.static import serve

from articles.sitemaps import ArticleSitemap, TagSitemap
from articles.views import RobotsView
from contributors.sitemaps import ContributorSitemap

sitemaps = {
    "articles": ArticleSitemap,
    "tags": TagSitemap,
    "contributors": ContributorSitemap,
}

admin.site.site_header = f"{settings.SITE_NAME} editors"
admin.site.site_title = settings.SITE_NAME

urlpatterns = [
    path("admin/", admin.site.urls),
    path("accounts/", include("allauth.urls")),
    path("accounts/", include("readers.urls")),
    path("contributors/", include("contributors.urls")),
    path("sitemap.xml", sitemap_views.sitemap, {"sitemaps": sitemaps}, name="sitemap"),
    path("robots.txt", RobotsView.as_view(), name="robots"),
    path("", include("comments.urls")),
    path("", include("articles.urls")),
]

if settings.DEBUG or settings.SERVE_MEDIA:
    # In production a web server or object store usually serves media; a small
    # deployment may let Django do it (SERVE_MEDIA=1).
    urlpatterns.append(
        path(
            f"{settings.MEDIA_URL.strip('/')}/<path:path>",
            serve,
            {"document_root": settings.MEDIA_ROOT},
        )
    )

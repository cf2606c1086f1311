from allauth.account.decorators import secure_admin_login
from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.contrib.sitemaps import views as sitemap_views
from django.urls import include, path

from articles.sitemaps import SITEMAPS, NewsSitemap
from articles.views import RobotsView
from images.views import serve_media

# While the database is down, a 503 with Retry-After rather than a 500.
handler500 = "newsroom.views.server_error"

admin.site.site_header = f"{settings.SITE_NAME} editors"
admin.site.site_title = settings.SITE_NAME
# Staff log in through allauth: its rate limits and two-factor step apply.
admin.site.login = secure_admin_login(admin.site.login)

# allauth's rate-limited views answer through this: a 429 with Retry-After.
handler429 = "newsroom.ratelimits.handler429"

urlpatterns = [
    path(settings.ADMIN_URL, admin.site.urls),
    path(
        "sitemap.xml",
        sitemap_views.index,
        {"sitemaps": SITEMAPS, "sitemap_url_name": "sitemap_section"},
        name="sitemap",
    ),
    # Before the other parts: the news part has a template of its own.
    path(
        "sitemap-news.xml",
        sitemap_views.sitemap,
        {"sitemaps": {"news": NewsSitemap}, "template_name": "sitemaps/news.xml"},
        name="news_sitemap",
    ),
    path(
        "sitemap-<section>.xml",
        sitemap_views.sitemap,
        {"sitemaps": SITEMAPS, "template_name": "sitemaps/part.xml"},
        name="sitemap_section",
    ),
    path("robots.txt", RobotsView.as_view(), name="robots"),
    path("", include("masthead.urls")),
]

if settings.MEDIA_URL.startswith("/"):
    # In production a web server usually serves media; a small deployment may
    # let Django do it (SERVE_MEDIA=1). Media on another host needs no route.
    urlpatterns.append(
        path(f"{settings.MEDIA_URL.strip('/')}/<path:path>", serve_media, name="media"),
    )

# What readers read, in every language of the interface: /ar/..., /ckb/..., and
# English without a prefix (see newsroom/languages.py).
urlpatterns += i18n_patterns(
    path("accounts/", include("allauth.urls")),
    path("accounts/", include("readers.urls")),
    path("newsletters/", include("newsletters.urls")),
    path("lite/", include("lite.urls")),
    path("", include("comments.urls")),
    path("", include("articles.urls")),
    prefix_default_language=False,
)

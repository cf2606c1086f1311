"""HTTP caching (newsroom/http_cache.py): anonymous public pages are public for a
short while, with validators and 304s; nothing personal is ever stored; a
scheduled report appears on time."""

import uuid
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.http import HttpResponse
from django.template import RequestContext, Template
from django.test import Client
from django.urls import include, path, reverse
from django.utils.http import http_date

from articles.models import Article, Page
from articles.services import preview_token_create
from newsroom.http_cache import Caching, decide
from tests.factories import (
    ArticleContributorFactory,
    ArticleFactory,
    CommentFactory,
    ContributorFactory,
    PageFactory,
    PartnerOutletFactory,
    ReaderUserFactory,
    SectionFactory,
)

pytestmark = pytest.mark.django_db

NOW = datetime(2025, 3, 4, 10, 0, tzinfo=UTC)


def directives(response) -> dict:
    """Cache-Control as {directive: value or True}."""
    found = {}
    for part in response.get("Cache-Control", "").split(","):
        name, _, value = part.strip().partition("=")
        if name:
            found[name] = value or True
    return found


def is_never_stored(response) -> bool:
    cache = directives(response)
    return "private" in cache and "no-store" in cache and "public" not in cache


@pytest.fixture
def article():
    article = ArticleFactory(headline="Water returns to the old city", tags=["Water"])
    ArticleContributorFactory(article=article, contributor=ContributorFactory())
    return article


@pytest.fixture
def reader_client():
    client = Client()
    client.force_login(ReaderUserFactory())
    return client


def public_urls(article):
    contributor = article.article_contributors.get().contributor
    partner = PartnerOutletFactory()
    section = SectionFactory(slug="iraq")
    PageFactory(kind=Page.Kind.STANDARDS)
    return [
        reverse("articles:home"),
        reverse("articles:latest"),
        section.get_absolute_url(),
        "/standards/",
        article.get_absolute_url(),
        reverse("articles:tag", args=["water"]),
        reverse("articles:partner", args=[partner.slug]),
        contributor.get_absolute_url(),
        reverse("articles:search") + "?q=water",
        reverse("articles:corrections"),
        reverse("articles:feed"),
        reverse("articles:feed_atom"),
        reverse("articles:tag_feed", args=["water"]),
        reverse("articles:section_feed", args=["iraq"]),
        reverse("sitemap"),
        reverse("robots"),
    ]


def test_anonymous_public_pages_may_be_kept_briefly_by_any_cache(client, article):
    for url in public_urls(article):
        response = client.get(url)
        assert response.status_code == 200, url
        assert directives(response) == {
            "public": True,
            "max-age": "0",
            "s-maxage": "30",
            "stale-while-revalidate": "30",
            "stale-if-error": "86400",
        }, url
        assert response["ETag"] and response["Last-Modified"], url
        assert not response.cookies, url


def test_lifetimes_come_from_the_settings(client, article, settings):
    settings.HTTP_CACHE_MAX_AGE = 10
    settings.HTTP_CACHE_S_MAXAGE = 45
    settings.HTTP_CACHE_STALE_WHILE_REVALIDATE = 15
    settings.HTTP_CACHE_STALE_IF_ERROR = 3600
    response = client.get(article.get_absolute_url())
    assert directives(response) == {
        "public": True,
        "max-age": "10",
        "s-maxage": "45",
        "stale-while-revalidate": "15",
        "stale-if-error": "3600",
    }


def test_by_default_a_change_shows_within_a_minute(settings):
    # A cached copy lives s-maxage, then may be served while it is refetched.
    shared = settings.HTTP_CACHE_S_MAXAGE + settings.HTTP_CACHE_STALE_WHILE_REVALIDATE
    assert shared <= 60
    assert settings.HTTP_CACHE_MAX_AGE <= settings.HTTP_CACHE_S_MAXAGE


def test_a_current_copy_is_answered_304_by_etag_or_date(client):
    with time_machine.travel(NOW, tick=False):
        article = ArticleFactory()
        url = article.get_absolute_url()
        first = client.get(url)
        assert first["Last-Modified"] == http_date(NOW.timestamp())
        by_etag = client.get(url, headers={"if-none-match": first["ETag"]})
        by_date = client.get(url, headers={"if-modified-since": first["Last-Modified"]})
    for response in [by_etag, by_date]:
        assert response.status_code == 304
        assert response.content == b""
        assert response["ETag"] == first["ETag"]
        assert directives(response)["public"] is True

    Article.objects.filter(pk=article.pk).update(headline="Water cut again")
    changed = client.get(url, headers={"if-none-match": first["ETag"]})
    assert changed.status_code == 200
    assert "Water cut again" in changed.text
    assert changed["ETag"] != first["ETag"]


def test_no_cached_page_outlives_the_next_scheduled_publication(client, settings):
    settings.HTTP_CACHE_MAX_AGE = 20
    home = reverse("articles:home")
    with time_machine.travel(NOW, tick=False):
        ArticleFactory(headline="Later today", published_at=NOW + timedelta(hours=2))
        scheduled = ArticleFactory(
            headline="Ceasefire talks resume",
            status=Article.Status.SCHEDULED,
            published_at=NOW + timedelta(seconds=12),
        )
        response = client.get(home)
        assert "Ceasefire talks resume" not in response.text
        cache = directives(response)
        assert (cache["max-age"], cache["s-maxage"]) == ("12", "12")

    with time_machine.travel(scheduled.published_at, tick=False):
        response = client.get(home)
        assert "Ceasefire talks resume" in response.text
        # The next one goes live in two hours: the usual lifetimes again.
        cache = directives(response)
        assert (cache["max-age"], cache["s-maxage"]) == ("20", "30")


def test_a_logged_in_readers_pages_are_never_stored(reader_client, article):
    for url in public_urls(article)[:6]:
        response = reader_client.get(url)
        assert response.status_code == 200
        assert is_never_stored(response), url
        assert decide(response.wsgi_request, response) == Caching.LOGGED_IN
        assert "ETag" not in response


def test_the_comment_form_and_log_out_button_carry_tokens_for_logged_in_readers_only(
    client, reader_client, article
):
    # Anonymous readers are asked to log in: no form, no token, cacheable.
    anonymous = client.get(article.get_absolute_url())
    assert "csrfmiddlewaretoken" not in anonymous.text
    assert directives(anonymous)["public"] is True
    # A reader's page has the comment form and the log-out button, with tokens.
    reader = reader_client.get(article.get_absolute_url())
    assert reader.text.count("csrfmiddlewaretoken") >= 2
    assert is_never_stored(reader)


def test_a_page_showing_a_message_is_never_stored(reader_client):
    response = reader_client.post(reverse("account_logout"), follow=True)
    assert response.redirect_chain
    assert "You have signed out." in response.text
    assert is_never_stored(response)
    assert decide(response.wsgi_request, response) == Caching.MESSAGE


@pytest.mark.parametrize(
    "name", ["account_login", "account_signup", "account_reset_password"]
)
def test_account_pages_with_forms_are_never_stored(client, name):
    response = client.get(reverse(name))
    assert response.status_code == 200
    assert is_never_stored(response)
    assert decide(response.wsgi_request, response) == Caching.CSRF_TOKEN


def test_previews_and_post_answers_are_never_stored(client, editor, article):
    shared = client.get(
        reverse("articles:shared_preview", args=[preview_token_create(article=article)])
    )
    assert shared.status_code == 200
    assert is_never_stored(shared)

    client.force_login(editor)
    staff = client.get(reverse("articles:preview", args=[article.pk]))
    assert staff.status_code == 200
    assert is_never_stored(staff)

    answer = client.post(
        reverse("comments:post", args=[article.slug]),
        {"body": "", "submission_id": str(uuid.uuid4())},
    )
    assert is_never_stored(answer)
    assert decide(answer.wsgi_request, answer) == Caching.UNSAFE_METHOD


def test_the_tips_page_is_never_stored(client):
    PageFactory(kind=Page.Kind.TIPS)
    tips = client.get("/tips/")
    assert tips.status_code == 200
    assert is_never_stored(tips)
    assert not tips.has_header("ETag")


def test_errors_and_temporary_redirects_do_not_stick(client):
    missing = client.get(reverse("articles:detail", args=["no-such-report"]))
    assert missing.status_code == 404
    assert is_never_stored(missing)
    to_login = client.get(reverse("readers:settings"))
    assert to_login.status_code == 302
    assert is_never_stored(to_login)


def test_an_old_address_answers_a_cacheable_301(client, article):
    from articles.services import article_save

    old_slug = article.slug
    article.slug = "water-returns"
    article_save(article=article, notify=False)
    response = client.get(reverse("articles:detail", args=[old_slug]))
    assert response.status_code == 301
    assert directives(response)["public"] is True


def test_an_approved_comment_changes_the_etag(client, article):
    url = article.get_absolute_url()
    before = client.get(url)
    CommentFactory(article=article, body="Thank you for this report.")
    after = client.get(url, headers={"if-none-match": before["ETag"]})
    assert after.status_code == 200
    assert "Thank you for this report." in after.text


def token_page(request):
    template = Template("<p>Subscribe</p>{% csrf_token %}")
    return HttpResponse(template.render(RequestContext(request)))


def plain_page(request):
    return HttpResponse("<p>Subscribe</p>")


# A public page that renders a form for anonymous readers (none does today).
urlpatterns = [
    path(
        "",
        include(
            (
                [
                    path("token/", token_page, name="token"),
                    path("plain/", plain_page, name="plain"),
                ],
                "articles",
            )
        ),
    )
]


@pytest.mark.urls(__name__)
def test_a_public_page_with_a_csrf_token_is_never_stored(client):
    plain = client.get("/plain/")
    assert directives(plain)["public"] is True
    with_token = client.get("/token/")
    assert "csrfmiddlewaretoken" in with_token.text
    assert is_never_stored(with_token)
    assert decide(with_token.wsgi_request, with_token) == Caching.CSRF_TOKEN

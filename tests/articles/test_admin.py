from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from taggit.models import Tag

from articles.models import Article, ArticleSlugRedirect
from tests.factories import ArticleFactory, ContributorFactory, ImageFactory

pytestmark = pytest.mark.django_db

ADD_URL = reverse("admin:articles_article_add")


def article_form(**overrides):
    """POST data for the article change form, inlines included."""
    when = overrides.pop("published_at", None)
    data = {
        "headline": "A report from Mosul",
        "slug": "a-report-from-mosul",
        "standfirst": "",
        "language": "en",
        "status": "draft",
        "published_at_0": when.strftime("%Y-%m-%d") if when else "",
        "published_at_1": when.strftime("%H:%M:%S") if when else "",
        "updated_at_0": "",
        "updated_at_1": "",
        "dateline_city": "Mosul",
        "dateline_region": "",
        "dateline_country": "Iraq",
        "location_precision": "city",
        "content_warning": "",
        "lead_image": "",
        "body": "<p>Hello</p>",
        "partner": "",
        "original_url": "",
        "comments_open": "on",
    }
    for prefix in ["article_contributors", "corrections"]:
        data |= {
            f"{prefix}-TOTAL_FORMS": "0",
            f"{prefix}-INITIAL_FORMS": "0",
            f"{prefix}-MIN_NUM_FORMS": "0",
            f"{prefix}-MAX_NUM_FORMS": "1000",
        }
    return data | overrides


def test_editor_publishes_with_tags_contributor_correction_and_sanitised_body(
    client, editor
):
    client.force_login(editor)
    tags = [Tag.objects.create(name=n, slug=n) for n in ["mosul", "water", "farming"]]
    contributor = ContributorFactory(identity="withheld")
    image = ImageFactory()
    data = article_form(
        status="published",
        body='<p onmouseover="x()">Safe <a href="javascript:alert(1)">link</a></p>'
        "<script>alert(1)</script><blockquote><p>Quote</p></blockquote>",
        tags=[t.pk for t in tags],
        lead_image=image.pk,
        **{
            "article_contributors-TOTAL_FORMS": "1",
            "article_contributors-0-contributor": contributor.pk,
            "article_contributors-0-role": "Reporting",
            "article_contributors-0-position": "0",
            "corrections-TOTAL_FORMS": "1",
            "corrections-0-kind": "correction",
            "corrections-0-published_at_0": "2026-01-02",
            "corrections-0-published_at_1": "10:00:00",
            "corrections-0-text": "We got the street wrong.",
        },
    )
    response = client.post(ADD_URL, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    article = Article.objects.get(slug="a-report-from-mosul")
    assert article.status == "published" and article.is_live
    assert article.created_by == editor
    assert sorted(t.name for t in article.tags.all()) == ["farming", "mosul", "water"]
    assert article.contributors.get() == contributor
    assert article.corrections.get().text == "We got the street wrong."
    assert "onmouseover" not in article.body
    assert "javascript:" not in article.body
    assert "<script" not in article.body
    assert "<blockquote><p>Quote</p></blockquote>" in article.body
    assert Article.objects.published().search("mosul").get() == article
    assert article.history.count() == 1


def test_writer_cannot_publish_or_schedule(client, writer):
    client.force_login(writer)
    for status in ["published", "scheduled", "unpublished"]:
        response = client.post(
            ADD_URL, article_form(status=status, published_at=timezone.now())
        )
        assert response.status_code == 200
        assert "Select a valid choice" in response.text
    assert not Article.objects.exists()
    response = client.post(ADD_URL, article_form(status="review"))
    assert response.status_code == 302
    assert Article.objects.get().status == "review"


def test_writer_sees_and_edits_only_their_own_unpublished_articles(client, writer):
    own = ArticleFactory(status="draft", created_by=writer)
    other = ArticleFactory(status="draft")
    published = ArticleFactory(status="published", created_by=writer)
    client.force_login(writer)
    listing = client.get(reverse("admin:articles_article_changelist"))
    assert set(listing.context["cl"].result_list) == {own, published}
    assert own.headline in listing.text
    assert other.headline not in listing.text
    change = reverse("admin:articles_article_change", args=[other.pk])
    assert client.get(change).status_code == 302  # not theirs: back to the list
    response = client.post(
        reverse("admin:articles_article_change", args=[published.pk]),
        article_form(slug=published.slug, status="published"),
    )
    assert response.status_code == 403


def test_colliding_slug_is_a_form_error(client, editor):
    ArticleFactory(slug="taken")
    client.force_login(editor)
    response = client.post(ADD_URL, article_form(slug="taken"))
    assert response.status_code == 200
    assert "Article with this Slug already exists." in response.text
    assert Article.objects.count() == 1


def test_scheduling_needs_a_date(client, editor):
    client.force_login(editor)
    response = client.post(ADD_URL, article_form(status="scheduled"))
    assert response.status_code == 200
    assert "Give the time at which the article goes live." in response.text
    assert not Article.objects.exists()


def test_scheduled_article_goes_live_at_its_time_with_nobody_acting(client, editor):
    client.force_login(editor)
    when = timezone.now() + timedelta(seconds=2)
    response = client.post(ADD_URL, article_form(status="scheduled", published_at=when))
    assert response.status_code == 302
    article = Article.objects.get()
    assert client.get(article.get_absolute_url()).status_code == 404
    Article.objects.filter(pk=article.pk).update(
        published_at=timezone.now() - timedelta(seconds=1)
    )  # the clock moves on
    assert client.get(article.get_absolute_url()).status_code == 200
    assert client.get(reverse("articles:home")).text.count(article.headline) == 1


def test_changing_a_published_slug_in_the_admin_keeps_the_old_address(client, editor):
    article = ArticleFactory(slug="first-slug", created_by=editor)
    client.force_login(editor)
    response = client.post(
        reverse("admin:articles_article_change", args=[article.pk]),
        article_form(
            slug="second-slug", status="published", published_at=article.published_at
        ),
    )
    assert response.status_code == 302
    assert ArticleSlugRedirect.objects.get().old_slug == "first-slug"
    assert client.get("/articles/first-slug/").status_code == 301


def test_admin_lists_filter_and_search(client, editor):
    water = ArticleFactory(headline="Water in Mosul", tags=["water"])
    draft = ArticleFactory(headline="Schools reopen", status=Article.Status.DRAFT)
    client.force_login(editor)
    changelist = reverse("admin:articles_article_changelist")
    tag = Tag.objects.get(name="water")

    def listed(query):
        response = client.get(changelist + query)
        assert response.status_code == 200
        return set(response.context["cl"].result_list)

    assert listed("?q=water") == {water}
    assert listed("?status__exact=published") == {water}
    assert listed("?status__exact=draft") == {draft}
    assert listed(f"?tags__id__exact={tag.pk}") == {water}
    assert listed("") == {water, draft}


def test_tag_autocomplete_answers_the_article_form(client, editor):
    Tag.objects.create(name="Mosul", slug="mosul")
    client.force_login(editor)
    response = client.get(
        reverse("admin:autocomplete"),
        {
            "term": "mos",
            "app_label": "articles",
            "model_name": "article",
            "field_name": "tags",
        },
    )
    assert response.status_code == 200
    assert response.json()["results"][0]["text"] == "Mosul"


def test_history_records_who_changed_what_and_restores(client, editor):
    article = ArticleFactory(headline="First headline", created_by=editor)
    client.force_login(editor)
    client.post(
        reverse("admin:articles_article_change", args=[article.pk]),
        article_form(
            headline="Second headline",
            slug=article.slug,
            status="published",
            published_at=article.published_at,
        ),
    )
    latest = article.history.first()
    assert latest.headline == "Second headline"
    assert latest.history_user == editor
    first = article.history.last()
    history_url = reverse("admin:articles_article_history", args=[article.pk])
    assert client.get(history_url).status_code == 200
    revert = reverse(
        "admin:articles_article_simple_history", args=[article.pk, first.history_id]
    )
    assert client.get(revert).status_code == 200
    # Restoring is saving the old version's form.
    response = client.post(
        revert,
        article_form(
            headline=first.headline,
            slug=article.slug,
            status="published",
            published_at=article.published_at,
        ),
    )
    assert response.status_code == 302
    article.refresh_from_db()
    assert article.headline == "First headline"
    assert article.history.count() == 3

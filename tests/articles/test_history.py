"""History: whole versions, compared in words, restored whole."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from taggit.models import Tag

from articles.models import Article
from tests.articles.test_admin import ADD_URL, article_form, change_url
from tests.factories import (
    ArticleFactory,
    ContributorFactory,
    ImageFactory,
    body_with_picture,
)

pytestmark = pytest.mark.django_db


def test_restore_brings_back_tags_bylines_pictures_corrections_and_search(
    client, editor
):
    first_byline, second_byline = ContributorFactory(), ContributorFactory()
    picture = ImageFactory(caption="The orchard in spring")
    client.force_login(editor)
    past = timezone.now() - timedelta(hours=1)
    for tag in ["apples", "pears"]:
        Tag.objects.create(name=tag, slug=tag)
    client.post(
        ADD_URL,
        article_form(
            status="published",
            published_at=past,
            body=body_with_picture(picture, before="<p>Orchards of apples.</p>"),
            tags=[t.pk for t in Tag.objects.filter(name="apples")],
            **{
                "article_contributors-TOTAL_FORMS": "1",
                "article_contributors-0-contributor": first_byline.pk,
                "article_contributors-0-role": "Reporting",
                "article_contributors-0-position": "0",
                "corrections-TOTAL_FORMS": "1",
                "corrections-0-kind": "correction",
                "corrections-0-published_at_0": "2026-01-02",
                "corrections-0-published_at_1": "10:00:00",
                "corrections-0-text": "The orchard is north of the river.",
            },
        ),
    )
    article = Article.objects.get()
    first = article.history.earliest()
    # Second version: other words, tag and byline; no picture; correction edited.
    credit = article.article_contributors.get()
    correction = article.corrections.get()
    response = client.post(
        change_url(article),
        article_form(
            status="published",
            published_at=past,
            body="<p>Orchards of pears.</p>",
            tags=[t.pk for t in Tag.objects.filter(name="pears")],
            **{
                "article_contributors-TOTAL_FORMS": "1",
                "article_contributors-INITIAL_FORMS": "1",
                "article_contributors-0-id": credit.pk,
                "article_contributors-0-article": article.pk,
                "article_contributors-0-contributor": second_byline.pk,
                "article_contributors-0-role": "Reporting",
                "article_contributors-0-position": "0",
                "corrections-TOTAL_FORMS": "1",
                "corrections-INITIAL_FORMS": "1",
                "corrections-0-id": correction.pk,
                "corrections-0-article": article.pk,
                "corrections-0-kind": "correction",
                "corrections-0-published_at_0": "2026-01-02",
                "corrections-0-published_at_1": "10:00:00",
                "corrections-0-text": "The orchard is south of the river.",
            },
        ),
    )
    assert response.status_code == 302
    assert not article.inline_images.exists()
    assert Article.objects.published().search("pears").exists()
    revert = reverse(
        "admin:articles_article_simple_history", args=[article.pk, first.history_id]
    )
    page = client.get(revert).text
    # Readable: words, not markup, with the changed ones marked.
    assert "&lt;p&gt;" not in page and "&lt;figure" not in page
    assert "<del>pears</del><ins>apples</ins>" in page
    assert "<del>south</del><ins>north</ins>" in page
    assert "[Picture: The orchard in spring]</ins>" in page
    assert f"<del>{second_byline} (Reporting)</del>" in page
    client.post(revert)
    article.refresh_from_db()
    assert sorted(article.tags.names()) == ["apples"]
    assert list(article.contributors.all()) == [first_byline]
    assert article.corrections.get().text == "The orchard is north of the river."
    assert article.inline_images.get().image == picture
    assert Article.objects.published().search("apples").get() == article
    assert not Article.objects.published().search("pears").exists()


def test_a_long_history_is_paged(client, editor, monkeypatch):
    from django.contrib import admin

    from articles.services import article_save

    monkeypatch.setattr(admin.site._registry[Article], "history_list_per_page", 2)
    article = ArticleFactory(headline="Version 0")
    for n in (1, 2):
        article.headline = f"Version {n}"
        article_save(article=article, user=editor)
    client.force_login(editor)
    url = reverse("admin:articles_article_history", args=[article.pk])
    first, second = client.get(url).text, client.get(url + "?p=2").text
    assert "3 versions" in first and '<span class="this-page">1</span>' in first
    assert "<del>Version</del>" not in first
    assert "<del>1</del><ins>2</ins>" in first
    assert "The oldest version on this page." in second

"""What went wrong in the admin, each as the editor met it."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from taggit.models import Tag

from articles.models import Article
from tests.articles.test_admin import article_form
from tests.factories import (
    ArticleContributorFactory,
    ArticleFactory,
    ContributorFactory,
    ImageFactory,
    body_with_picture,
)

pytestmark = pytest.mark.django_db

ADD_URL = reverse("admin:articles_article_add")
CHANGELIST = reverse("admin:articles_article_changelist")


# taggit's own admin shows an inline of generic tagged items.
TAGGED_ITEMS_MANAGEMENT = {
    "taggit_taggeditem_items-TOTAL_FORMS": "0",
    "taggit_taggeditem_items-INITIAL_FORMS": "0",
}


def change_url(article):
    return reverse("admin:articles_article_change", args=[article.pk])


def test_loading_the_form_again_adds_no_second_add_tag_button(client, editor):
    client.force_login(editor)
    first = client.get(ADD_URL).text
    second = client.get(ADD_URL).text
    assert first.count('id="add_id_tags"') == 1
    assert second.count('id="add_id_tags"') == 1


def test_publish_now_on_a_future_schedule_publishes_now(client, editor):
    article = ArticleFactory(
        status=Article.Status.SCHEDULED,
        published_at=timezone.now() + timedelta(hours=2),
    )
    client.force_login(editor)
    response = client.post(
        CHANGELIST, {"action": "publish_now", "_selected_action": [article.pk]}
    )
    assert response.status_code == 302
    article.refresh_from_db()
    assert article.published_at <= timezone.now()
    assert client.get(article.get_absolute_url()).status_code == 200


def test_status_column_says_what_readers_see(client, editor):
    now = timezone.now()
    gone_live = ArticleFactory(
        status=Article.Status.SCHEDULED, published_at=now - timedelta(minutes=5)
    )
    future = ArticleFactory(
        status=Article.Status.PUBLISHED, published_at=now + timedelta(days=1)
    )
    future.published_at = now + timedelta(days=1)
    Article.objects.filter(pk=future.pk).update(published_at=future.published_at)
    client.force_login(editor)
    rows = {
        cells[0]: cells
        for cells in _changelist_rows(client.get(CHANGELIST + "?o=1").text)
    }
    assert "Live" in rows[gone_live.headline]
    when = timezone.localtime(future.published_at).strftime("%-d %B %Y")
    assert any(
        cell.startswith("Scheduled for") and when in cell
        for cell in rows[future.headline]
    ), rows[future.headline]


def _changelist_rows(html):
    import re

    rows = []
    for row in re.findall(r"<tr[^>]*>(.*?)</tr>", html, re.S)[1:]:
        cells = [
            re.sub(r"<[^>]+>", "", cell).strip()
            for cell in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)
        ]
        rows.append(cells[1:])  # without the checkbox
    return rows


def test_an_address_once_public_redirects_after_unpublish_rename_publish(
    client, editor
):
    client.force_login(editor)
    past = timezone.now() - timedelta(hours=1)
    client.post(
        ADD_URL, article_form(slug="first", status="published", published_at=past)
    )
    article = Article.objects.get()
    for slug, status in [
        ("first", "unpublished"),
        ("second", "unpublished"),
        ("second", "published"),
    ]:
        response = client.post(
            change_url(article),
            article_form(slug=slug, status=status, published_at=past),
        )
        assert response.status_code == 302
    response = client.get("/articles/first/")
    assert response.status_code == 301
    assert response["Location"] == "/articles/second/"


def test_body_text_outside_paragraphs_is_shown(client):
    article = ArticleFactory(
        body="Loose words<div>Words in a div</div><h1>A big title</h1>"
        "<pre>A preformatted line</pre>"
        "<table><tr><td>First cell</td><td>Second cell</td></tr></table>"
        "<p>A paragraph.</p>Trailing words"
    )
    html = client.get(article.get_absolute_url()).text
    body = html.split('class="article__body"', 1)[1].split("</div>", 1)[0]
    for text in [
        "Loose words",
        "Words in a div",
        "A big title",
        "A preformatted line",
        "First cell",
        "Second cell",
        "A paragraph.",
        "Trailing words",
    ]:
        assert text in body, text


def test_a_writer_sees_a_draft_credited_to_their_contributor_profile(client, writer):
    profile = ContributorFactory(user=writer)
    draft = ArticleFactory(status=Article.Status.DRAFT)
    ArticleContributorFactory(article=draft, contributor=profile)
    client.force_login(writer)
    listing = client.get(CHANGELIST)
    assert draft in listing.context["cl"].result_list
    assert client.get(change_url(draft)).status_code == 200


def test_writers_are_offered_only_the_statuses_they_may_set(client, writer, editor):
    import re

    def offered(user):
        client.force_login(user)
        html = client.get(ADD_URL).text
        select = re.search(r'<select name="status".*?</select>', html, re.S).group(0)
        return re.findall(r'<option value="([^"]+)"', select)

    assert offered(writer) == ["draft", "review"]
    assert offered(editor) == [
        "draft",
        "review",
        "scheduled",
        "published",
        "unpublished",
    ]


def test_adding_a_reader_in_the_admin_is_no_server_error(client, editor):
    client.force_login(editor)
    add = reverse("admin:readers_reader_add")
    response = client.post(add, {"display_name": "Someone", "joined_at": ""})
    assert response.status_code in {200, 403}


def test_tags_differing_only_in_case_cannot_both_exist(client, editor):
    Tag.objects.create(name="Mosul", slug="mosul")
    client.force_login(editor)
    response = client.post(
        reverse("admin:taggit_tag_add") + "?_to_field=id&_popup=1",
        {"name": "MOSUL", "slug": "mosul-2", "_popup": "1", "_to_field": "id"}
        | TAGGED_ITEMS_MANAGEMENT,
    )
    assert response.status_code == 200
    assert Tag.objects.filter(name__iexact="mosul").count() == 1


def test_an_arabic_tag_gets_a_slug(client, editor):
    client.force_login(editor)
    response = client.post(
        reverse("admin:taggit_tag_add"),
        {"name": "الموصل", "slug": ""} | TAGGED_ITEMS_MANAGEMENT,
    )
    assert response.status_code == 302
    assert Tag.objects.get().slug == "الموصل"


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

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from taggit.models import Tag

from articles.models import Article, ArticleSlugRedirect
from tests.factories import (
    ArticleContributorFactory,
    ArticleFactory,
    ContributorFactory,
    ImageFactory,
)

pytestmark = pytest.mark.django_db

ADD_URL = reverse("admin:articles_article_add")
CHANGELIST = reverse("admin:articles_article_changelist")


def change_url(article):
    return reverse("admin:articles_article_change", args=[article.pk])


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
    # Faker's words could say "water" too.
    draft = ArticleFactory(
        headline="Schools reopen",
        standfirst="Classes resume.",
        body="<p>Classes resume.</p>",
        status=Article.Status.DRAFT,
    )
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
        change_url(article),
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
    history = client.get(reverse("admin:articles_article_history", args=[article.pk]))
    assert "<del>Second</del><ins>First</ins>" not in history.text
    assert "<del>First</del><ins>Second</ins> headline" in history.text
    revert = reverse(
        "admin:articles_article_simple_history", args=[article.pk, first.history_id]
    )
    assert "<del>Second</del><ins>First</ins> headline" in client.get(revert).text
    assert client.post(revert).status_code == 302
    article.refresh_from_db()
    assert article.headline == "First headline"
    assert article.history.count() == 3


def test_a_writer_may_read_history_but_not_restore_a_published_article(client, writer):
    article = ArticleFactory(headline="Published", created_by=writer)
    first = article.history.get()
    client.force_login(writer)
    revert = reverse(
        "admin:articles_article_simple_history", args=[article.pk, first.history_id]
    )
    assert client.get(revert).status_code == 200
    assert client.post(revert).status_code == 403


# --- What went wrong, as editors met it ---------------------------------------


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


def test_tags_differing_only_in_case_cannot_both_exist(client, editor):
    Tag.objects.create(name="Mosul", slug="mosul")
    client.force_login(editor)
    response = client.post(
        reverse("admin:taggit_tag_add") + "?_to_field=id&_popup=1",
        {"name": "MOSUL", "slug": "mosul-2", "_popup": "1", "_to_field": "id"},
    )
    assert response.status_code == 200
    assert Tag.objects.filter(name__iexact="mosul").count() == 1


def test_an_arabic_tag_gets_a_slug(client, editor):
    client.force_login(editor)
    response = client.post(
        reverse("admin:taggit_tag_add"),
        {"name": "الموصل", "slug": ""},
    )
    assert response.status_code == 302
    assert Tag.objects.get().slug == "الموصل"


# --- Bulk actions, search and the list ------------------------------------------


def test_bulk_unpublish_takes_articles_down_through_the_service(client, editor):
    articles = [ArticleFactory(), ArticleFactory()]
    client.force_login(editor)
    response = client.post(
        CHANGELIST,
        {"action": "unpublish", "_selected_action": [a.pk for a in articles]},
    )
    assert response.status_code == 302
    for article in articles:
        assert client.get(article.get_absolute_url()).status_code == 404
        assert article.history.first().status == "unpublished"


def test_bulk_tag_asks_for_tags_then_adds_them(client, editor):
    Tag.objects.create(name="Mosul", slug="mosul")
    articles = [ArticleFactory(tags=["Water"]), ArticleFactory()]
    selected = {"action": "add_tags", "_selected_action": [a.pk for a in articles]}
    client.force_login(editor)
    page = client.post(CHANGELIST, selected)
    assert page.status_code == 200 and "Tags to add" in page.text
    client.post(CHANGELIST, selected | {"apply": "1", "tags": "MOSUL, Drought"})
    assert sorted(articles[0].tags.names()) == ["Drought", "Mosul", "Water"]
    assert sorted(articles[1].tags.names()) == ["Drought", "Mosul"]
    assert Tag.objects.filter(name__iexact="mosul").count() == 1
    assert set(Article.objects.matching("drought")) == set(articles)


def test_bulk_schedule_asks_for_a_future_time(client, editor):
    articles = [ArticleFactory(status="draft"), ArticleFactory(status="review")]
    selected = {"action": "schedule", "_selected_action": [a.pk for a in articles]}
    client.force_login(editor)
    past = timezone.localtime() - timedelta(hours=1)
    refused = client.post(
        CHANGELIST,
        selected
        | {
            "apply": "1",
            "published_at_0": past.strftime("%Y-%m-%d"),
            "published_at_1": past.strftime("%H:%M:%S"),
        },
    )
    assert "Choose a time in the future" in refused.text
    when = timezone.localtime() + timedelta(days=1)
    client.post(
        CHANGELIST,
        selected
        | {
            "apply": "1",
            "published_at_0": when.strftime("%Y-%m-%d"),
            "published_at_1": when.strftime("%H:%M:%S"),
        },
    )
    for article in articles:
        article.refresh_from_db()
        assert article.status == "scheduled"
        assert article.public_state_label().startswith("Scheduled for")


def test_writers_cannot_publish_unpublish_or_schedule_in_bulk(client, writer):
    article = ArticleFactory(status="draft", created_by=writer)
    client.force_login(writer)
    actions = client.get(CHANGELIST).context["action_form"].fields["action"]
    offered = {value for value, _ in actions.choices}
    assert {"publish_now", "unpublish", "schedule"}.isdisjoint(offered)
    assert "add_tags" in offered
    client.post(CHANGELIST, {"action": "publish_now", "_selected_action": [article.pk]})
    article.refresh_from_db()
    assert article.status == "draft"


def test_admin_search_finds_words_of_the_body(client, editor):
    inside = ArticleFactory(headline="Report", body="<p>The pomegranate harvest.</p>")
    ArticleFactory(headline="Other")
    client.force_login(editor)
    response = client.get(CHANGELIST, {"q": "pomegranates"})
    assert list(response.context["cl"].result_list) == [inside]
    assert client.get(CHANGELIST, {"q": "\x00 pomegranate"}).status_code == 200


@pytest.mark.parametrize("rows", [2, 8])
def test_the_article_list_costs_the_same_queries_however_long(
    client, editor, django_assert_num_queries, rows
):
    for n in range(rows):
        ArticleFactory(tags=[f"tag {n}"], partner=None)
    client.force_login(editor)
    # Session, user and two of permissions; the filters' choices of sections,
    # partners, tags and contributors; the admin's two counts; the page of
    # articles with their partners and sections; the date bar's range and days.
    with django_assert_num_queries(13):
        client.get(CHANGELIST)


def test_the_database_refuses_a_tag_differing_only_in_case():
    from django.db import IntegrityError, transaction

    Tag.objects.create(name="Mosul", slug="mosul")
    with pytest.raises(IntegrityError), transaction.atomic():
        Tag.objects.create(name="MOSUL", slug="mosul-caps")

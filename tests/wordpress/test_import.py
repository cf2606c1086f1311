"""`manage.py import_wordpress`: the fixture export (tests/wordpress/fixtures/
export.xml) imports completely, as a newsroom moving from WordPress needs it."""

import shutil
from datetime import UTC, datetime

import pytest
import time_machine
from django.core.files.storage import default_storage
from django.db import transaction
from django.test import override_settings
from django.urls import reverse
from taggit.models import Tag

from articles.models import Article, ArticleImage, Section
from articles.richtext import body_pictures
from comments.models import Comment, CommentCount
from contributors.models import Contributor
from images.models import Image
from tests.images import samples
from tests.wordpress.conftest import EXPORT_DAY, FIXTURE, make_uploads, run_import
from wordpress.models import ImportedPost, OldAddress

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def _imported_once(django_db_setup, django_db_blocker, tmp_path_factory):
    """The fixture export imported once for the module (each test reads it in a
    transaction of its own), inside a transaction rolled back afterwards."""
    media = tmp_path_factory.mktemp("media")
    uploads = make_uploads(tmp_path_factory.mktemp("wordpress") / "uploads")
    with (
        django_db_blocker.unblock(),
        override_settings(MEDIA_ROOT=media),
        transaction.atomic(),
    ):
        yield media, run_import(FIXTURE, uploads=uploads)
        transaction.set_rollback(True)
    shutil.rmtree(media, ignore_errors=True)


@pytest.fixture
def _media_root(_imported_once, settings):
    """The module's pictures stay where the import stored them."""
    settings.MEDIA_ROOT = _imported_once[0]
    return _imported_once[0]


@pytest.fixture
def imported(_imported_once) -> str:
    """What the import printed."""
    return _imported_once[1]


def article(post_id) -> Article:
    return Article.objects.get(pk=ImportedPost.objects.get(post_id=post_id).article_id)


def test_posts_become_articles_in_their_state(imported):
    assert Article.objects.count() == 6
    report = article(10)
    assert report.headline == (
        "Checkpoint on the Mosul road closes at dusk & reopens at dawn"
    )
    assert report.slug == "checkpoint-road"
    assert report.standfirst == (
        "Drivers queue for hours as a night closure stays in force."
    )
    assert report.status == Article.Status.PUBLISHED
    assert report.published_at == datetime(2024, 3, 15, 9, 30, tzinfo=UTC)
    assert report.comments_open
    scheduled = article(14)
    assert scheduled.status == Article.Status.SCHEDULED
    assert scheduled.published_at == datetime(2024, 7, 1, 8, 0, tzinfo=UTC)
    draft = article(13)
    assert (draft.status, draft.published_at) == (Article.Status.DRAFT, None)
    assert draft.slug == "inside-the-camp-notes-from-a-source"
    assert article(18).status == Article.Status.IN_REVIEW
    assert not article(11).comments_open
    # Each went through the article service: a version in History, searchable.
    assert report.history.count() == 1
    assert report.history.get().history_change_reason == "Imported from WordPress"
    assert set(Article.objects.matching("checkpoint")) == {report}


def test_private_trashed_protected_unknown_and_malformed_items_are_skipped_with_reasons(
    imported,
):
    lines = imported.splitlines()
    expected = [
        "post 15 “Private: salaries”: private on WordPress",
        "post 16 “Deleted rumour”: in WordPress's trash",
        "post 17 “For our donors”: protected by a password",
        "page 20 “About us”: a page, not a post",
        "nav_menu_item 30 “Home”: the WordPress site's machinery",
        "product 40 “Tote bag”: a post type Newsroom does not know: product",
        "post x19 “Broken by a plugin”: malformed: its post id is not a number",
        "post 21 “A date from nowhere”: malformed: its date “yesterday” is not a date",
    ]
    for start in expected:
        assert any(line.strip().startswith(start) for line in lines), start
    assert "Traceback" not in imported
    for headline in ["Private: salaries", "Deleted rumour", "For our donors"]:
        assert not Article.objects.filter(headline=headline).exists()
    assert "articles: 6 created, 0 updated, 0 unchanged" in imported


def test_languages_come_from_polylang_or_the_script(imported):
    assert article(10).language == "en"
    assert article(11).language == "ar"  # no language data: Arabic script
    assert article(12).language == "ckb"  # Polylang's language term
    assert article(11).slug == "منسوب-المياه"


def test_authors_become_named_contributors_and_bylines_keep_their_order(imported):
    assert sorted(Contributor.objects.values_list("name", "identity")) == [
        ("Hana Salih", "named"),
        ("Karwan Aziz", "named"),
        ("Lina Haddad", "named"),
    ]
    credits = article(18).article_contributors.order_by("position")
    assert [c.contributor.name for c in credits] == ["Karwan Aziz", "Hana Salih"]
    assert [c.name for c in article(10).contributors.all()] == ["Hana Salih"]


def test_categories_become_sections_and_tags(imported):
    iraq = Section.objects.get(slug="iraq")
    assert iraq.name == "Iraq"
    assert iraq.description == "Reporting from across Iraq."
    assert not iraq.in_navigation  # editors choose what the header lists
    # The subcategory's top-level ancestor is the section; it becomes a tag,
    # as does a second category.
    report = article(10)
    assert report.section == iraq
    assert sorted(report.tags.names()) == ["Analysis", "Displacement", "Mosul", "Water"]
    assert article(11).tags.names()[0] == "المياه"
    assert article(13).section is None  # only in "Uncategorized"
    assert article(14).section.name == "Analysis"
    assert "sections: 2 created (Iraq, Analysis" in imported


def test_pictures_go_through_the_pipeline_and_the_body_keeps_references(imported):
    report = article(10)
    lead = report.lead_image
    assert lead.alt_text == "A line of cars at a checkpoint"
    assert lead.caption == "Cars queue at the checkpoint at dawn."
    assert "GPS position" in lead.stripped_metadata
    for image in Image.objects.all():
        with default_storage.open(image.file.name) as stored:
            data = stored.read()
        for leak in samples.LEAKS:
            assert leak not in data, (image, leak)
        assert image.renditions
        assert "checkpoint" not in image.file.name and "market" not in image.file.name
    # The captioned picture linked to a resized copy is the original, once.
    market = Image.objects.get(alt_text="Stalls beside the road")
    assert body_pictures(report.body) == [
        (market.pk, "The market beside the checkpoint, where drivers wait.")
    ]
    assert Image.objects.count() == 3
    arabic = article(11)
    river = Image.objects.get(alt_text="النهر عند الموصل")
    assert body_pictures(arabic.body) == [
        (river.pk, "النهر قرب الموصل"),
        (market.pk, ""),
    ]
    assert set(ArticleImage.objects.values_list("article", "image")) == {
        (report.pk, market.pk),
        (arabic.pk, river.pk),
        (arabic.pk, market.pk),
    }
    for body in Article.objects.values_list("body", flat=True):
        assert "<img" not in body and "photos.example.com" not in body
    assert "photos.example.com: from another site: never fetched" in imported
    assert "2024/06/ballot.jpg: not in the uploads folder" in imported
    assert article(14).lead_image is None


def test_bodies_go_through_the_editors_sanitiser(imported):
    body = article(10).body
    assert body.startswith(
        "<p>Families waiting at the checkpoint said the queue started before "
        "sunrise.<br>\nSome had slept in their cars.</p>"
    )
    assert "<script" not in body and "alert" not in body
    assert "<h3>What drivers need</h3>" in body
    assert "[sic]" in body  # text in brackets is the reporter's
    # A link to the old site goes through its old address; an upload keeps its own.
    assert '<a href="/2024/04/02/river-levels/">earlier report</a>' in body
    assert "https://oldnews.example.org/wp-content/uploads/2024/03/order.pdf" in body
    # The block editor's table keeps its words.
    assert "الموصل" in article(11).body and "<table" not in article(11).body


def test_approved_comments_are_kept_under_the_name_given_and_nothing_else(imported):
    report = article(10)
    kept = Comment.objects.filter(article=report).order_by("created_at")
    assert [(c.guest_name, c.author_id, c.status) for c in kept] == [
        ("Umm Ali", None, "approved"),
        ("Dara", None, "approved"),
        ("Umm Ali", None, "approved"),
        ("", None, "approved"),  # "The Editors": passes for the newsroom
        ("L.", None, "approved"),
        ("", None, "approved"),  # an email address as a name
    ]
    first, reply, reply_to_reply = kept[:3]
    assert first.body == (
        "Thank you for this report.\n\nThe checkpoint closes at night too."
    )
    assert first.created_at == datetime(2024, 3, 15, 11, 0, tzinfo=UTC)
    assert reply.parent == first and reply.body == "Since March, see my blog."
    assert reply_to_reply.parent == first  # one level of replies, as here
    assert kept[3].author_name == "A former reader"
    for comment in Comment.objects.all():
        text = f"{comment.body} {comment.guest_name} {comment.ip_hash}"
        for secret in ["@", "192.0.2", "198.51.100", "example.net", "spam"]:
            assert secret not in text
    counts = CommentCount.objects.get(article=report)
    assert (counts.approved, counts.threads) == (6, 4)
    assert "1 not kept: waiting for moderation on WordPress" in imported
    assert "1 not kept: spam" in imported
    assert "1 not kept: a pingback or trackback" in imported


def test_the_article_page_shows_the_import(imported, client):
    with time_machine.travel(EXPORT_DAY, tick=False):
        page = client.get(article(10).get_absolute_url())
    html = page.content.decode()
    assert page.status_code == 200
    assert "Hana Salih" in html
    assert "Umm Ali" in html and "A former reader" in html
    assert "ummali@example.net" not in html and "192.0.2.44" not in html
    assert "ummali.example.net" not in html
    assert 'srcset="' in html and "photos.example.com" not in html


@pytest.mark.parametrize(
    ("old", "post_id"),
    [
        ("/2024/03/15/checkpoint-road/", 10),
        ("/2024/03/15/checkpoint-road", 10),
        ("/2024/03/15/checkpoint-road/index.php", 10),
        ("/?p=10", 10),
        ("/index.php?p=10&utm_source=x", 10),
        (
            "/2024/04/02/%D9%85%D9%86%D8%B3%D9%88%D8%A8-%D8%A7%D9%84%D9%85%D9%8A%D8%A7%D9%87",
            11,
        ),
        ("/ckb/2024/04/03/tigris-sorani/", 12),
        ("/?p=12", 12),
    ],
)
def test_every_old_post_address_redirects_permanently(imported, client, old, post_id):
    with time_machine.travel(EXPORT_DAY, tick=False):
        response = client.get(old)
        assert response.status_code == 301
        assert response["Location"] == article(post_id).get_absolute_url()
        assert client.get(response["Location"]).status_code == 200


def test_old_addresses_of_posts_not_public_lead_nowhere(imported, client):
    with time_machine.travel(EXPORT_DAY, tick=False):
        assert client.get("/?p=13").status_code == 200  # a draft: the front page
        assert client.get("/?p=14").status_code == 200  # scheduled for July
        assert client.get("/2024/07/01/election-day/").status_code == 404
        assert client.get("/2024/01/01/never-existed/").status_code == 404
    with time_machine.travel(datetime(2024, 7, 2, tzinfo=UTC), tick=False):
        response = client.get("/2024/07/01/election-day/")
    assert response.status_code == 301
    assert response["Location"] == article(14).get_absolute_url()


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("/category/iraq/", "/sections/iraq/"),
        ("/category/iraq/feed/", "/feeds/sections/iraq/"),
        ("/category/iraq/mosul/", "/tags/mosul/"),
        ("/tag/water/", "/tags/water/"),
        ("/tag/water/feed/", "/feeds/tags/water/"),
        ("/feed/", "/feeds/latest/"),
    ],
)
def test_category_tag_and_feed_addresses_redirect(imported, client, old, new):
    response = client.get(old)
    assert response.status_code == 301
    assert response["Location"] == new


def test_an_arabic_tag_address_redirects(imported, client):
    tag = Tag.objects.get(name="المياه")
    response = client.get("/tag/%d8%a7%d9%84%d9%85%d9%8a%d8%a7%d9%87/")
    assert response.status_code == 301
    assert response["Location"] == reverse("articles:tag", args=[tag.slug])


def test_a_post_id_redirect_costs_one_query(
    imported, client, django_assert_num_queries
):
    with time_machine.travel(EXPORT_DAY, tick=False), django_assert_num_queries(1):
        response = client.get("/?p=10")
    assert response.status_code == 301


def test_pages_without_an_old_address_are_untouched(imported, client):
    with time_machine.travel(EXPORT_DAY, tick=False):
        assert client.get("/").status_code == 200
        assert client.get("/?p=nothing").status_code == 200
        assert client.post("/2024/03/15/checkpoint-road/").status_code == 404


def test_the_report_says_what_was_imported(imported):
    assert "Imported from https://oldnews.example.org:" in imported
    assert "(1 draft, 3 published, 1 review, 1 scheduled)" in imported
    assert "languages: 4 en, 1 ar, 1 ckb" in imported
    assert "contributors: 3 created" in imported
    assert "pictures: 3 stored through the image pipeline" in imported
    assert "GPS position" in imported
    assert "comments: 7 kept, 0 updated, 0 removed" in imported
    assert "old addresses: 16 redirect to their new place" in imported
    assert "Importing" in imported  # the progress bar, on stderr
    assert imported.rstrip().endswith("Done.")
    assert OldAddress.objects.count() == 16

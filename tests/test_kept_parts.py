"""The parts of pages kept between requests (newsroom/fragments.py) change at
once when what they show changes, whichever way it changes, and keep nothing
personal: each test first proves the page is read from its kept parts (two
queries: the article's version and the versions of the parts), then changes
something and reads the page again."""

import uuid
from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from articles.models import Article, Correction
from articles.services import article_save
from comments.models import Comment
from comments.services import comment_create, comments_delete, comments_moderate
from contributors.models import Contributor
from images.models import Image
from readers.models import Reader
from tests.factories import (
    ArticleContributorFactory,
    ArticleFactory,
    ContributorFactory,
    ImageFactory,
    ReaderUserFactory,
    SectionFactory,
    body_with_picture,
)

pytestmark = pytest.mark.django_db

# The article's version and the versions of the kept parts.
KEPT_PAGE_QUERIES = 2


@pytest.fixture
def article():
    article = ArticleFactory(
        headline="The old bridge reopens",
        body=body_with_picture(
            ImageFactory(alt_text="Stalls along the market road", caption=""),
            after="<p>Traders came back first.</p>",
        ),
        lead_image=ImageFactory(alt_text="The stone arch at dawn", caption=""),
        tags=["Mosul", "Bridges"],
    )
    ArticleContributorFactory(
        article=article,
        contributor=ContributorFactory(name="Samira Aziz", slug="samira-aziz"),
    )
    article_save(article=article)
    return article


def page(client, article, django_assert_num_queries=None) -> str:
    """The article page as a visitor who is not logged in reads it; with the
    fixture, also that it came from its kept parts."""
    if django_assert_num_queries is None:
        response = client.get(article.get_absolute_url())
    else:
        with django_assert_num_queries(KEPT_PAGE_QUERIES):
            response = client.get(article.get_absolute_url())
    assert response.status_code == 200
    return response.content.decode()


def kept_page(client, article, django_assert_num_queries) -> str:
    page(client, article)
    return page(client, article, django_assert_num_queries)


def test_an_edited_article_shows_at_once(client, article, django_assert_num_queries):
    assert "Traders came back first." in kept_page(
        client, article, django_assert_num_queries
    )
    article.body = article.body.replace("came back first", "returned at dawn")
    article.headline = "The old bridge is open again"
    article_save(article=article, tags=["Mosul"])
    html = page(client, article)
    assert "Traders returned at dawn." in html
    assert "The old bridge is open again" in html
    assert "came back first" not in html
    assert 'content="Bridges"' not in html  # the tag left the meta data too


def test_a_correction_made_in_its_admin_shows_at_once_and_leaves_when_deleted(
    client, admin_client, article, django_assert_num_queries
):
    kept_page(client, article, django_assert_num_queries)
    response = admin_client.post(
        reverse("admin:articles_correction_add"),
        {
            "article": article.pk,
            "kind": Correction.Kind.CORRECTION,
            "text": "The bridge is 120 metres long, not 210.",
            "published_at_0": timezone.localdate().isoformat(),
            "published_at_1": "09:00:00",
        },
    )
    assert response.status_code == 302, response.content.decode()
    assert "120 metres long, not 210" in page(client, article)
    correction = Correction.objects.get(article=article)
    page(client, article, django_assert_num_queries)
    response = admin_client.post(
        reverse("admin:articles_correction_delete", args=[correction.pk]),
        {"post": "yes"},
    )
    assert response.status_code == 302
    assert "120 metres long" not in page(client, article)


def test_a_comment_shows_once_approved_and_leaves_when_removed(
    client, article, editor, django_assert_num_queries
):
    reader = ReaderUserFactory(username="reader-one")
    comment = comment_create(
        article=article,
        author=reader,
        body="I crossed it this morning, see www.example.org",
        submission_id="3f1c1d0e-6b7a-4c1f-9a55-8d2e3c4b5a69",
    )
    assert comment.status == Comment.Status.PENDING
    assert 'href="http://www.example.org"' in comment.body_html
    assert "crossed it this morning" not in kept_page(
        client, article, django_assert_num_queries
    )
    comments_moderate(
        comments=Comment.objects.filter(pk=comment.pk),
        status=Comment.Status.APPROVED,
        moderator=editor,
    )
    html = page(client, article)
    assert "I crossed it this morning" in html
    assert "Comments (1)" in html
    page(client, article, django_assert_num_queries)
    comments_moderate(
        comments=Comment.objects.filter(pk=comment.pk),
        status=Comment.Status.REJECTED,
        moderator=editor,
    )
    assert "crossed it this morning" not in page(client, article)
    comments_moderate(
        comments=Comment.objects.filter(pk=comment.pk),
        status=Comment.Status.APPROVED,
        moderator=editor,
    )
    assert "crossed it this morning" in kept_page(
        client, article, django_assert_num_queries
    )
    comments_delete(comments=Comment.objects.filter(pk=comment.pk))
    html = page(client, article)
    assert "crossed it this morning" not in html
    assert "Be the first to comment." in html


def approved_comment(*, article, author, body, editor) -> Comment:
    """A comment posted through the service and approved by an editor."""
    comment = comment_create(
        article=article, author=author, body=body, submission_id=uuid.uuid4()
    )
    comments_moderate(
        comments=Comment.objects.filter(pk=comment.pk),
        status=Comment.Status.APPROVED,
        moderator=editor,
    )
    return comment


def test_a_readers_new_name_and_a_deleted_account_show_at_once(
    client, article, editor, django_assert_num_queries
):
    reader = ReaderUserFactory(username="reader-two")
    Reader.objects.filter(user=reader).update(display_name="Old Name")
    approved_comment(article=article, author=reader, body="Good news.", editor=editor)
    assert "Old Name" in kept_page(client, article, django_assert_num_queries)
    profile = Reader.objects.get(user=reader)
    profile.display_name = "New Name"
    profile.save()
    html = page(client, article)
    assert "New Name" in html and "Old Name" not in html
    page(client, article, django_assert_num_queries)
    reader.delete()
    assert "New Name" not in page(client, article)


def test_a_withheld_contributor_leaves_every_part_of_the_page_at_once(
    client, article, django_assert_num_queries
):
    html = kept_page(client, article, django_assert_num_queries)
    assert html.count("Samira Aziz") >= 3  # byline, box, structured data
    contributor = Contributor.objects.get(name="Samira Aziz")
    # As the admin saves it (a form's save()).
    contributor.identity = Contributor.Identity.WITHHELD
    contributor.save()
    html = page(client, article)
    assert "Samira" not in html and "Aziz" not in html
    assert "samira-aziz" not in html


def test_a_deleted_picture_leaves_the_page_at_once(
    client, article, django_assert_num_queries
):
    # Pictures in an article are protected from deletion; a contributor's photo
    # is not (the contributor is left without one).
    photo = ImageFactory(alt_text="Portrait on the riverbank", caption="")
    Contributor.objects.filter(name="Samira Aziz").update(photo=photo)
    article_save(article=article)
    html = kept_page(client, article, django_assert_num_queries)
    shown = [item["name"] for item in photo.renditions if item["name"] in html]
    assert shown
    photo.delete()
    html = page(client, article)
    assert not [name for name in shown if name in html]


def test_a_pictures_new_text_shows_at_once(client, article, django_assert_num_queries):
    assert "The stone arch at dawn" in kept_page(
        client, article, django_assert_num_queries
    )
    image = Image.objects.get(alt_text="The stone arch at dawn")
    image.alt_text = "The stone arch, rebuilt"
    image.save()
    html = page(client, article)
    assert "The stone arch, rebuilt" in html and "at dawn" not in html


def test_the_site_chrome_changes_at_once(client, article, django_assert_num_queries):
    section = SectionFactory(name="Reconstruction", slug="reconstruction")
    assert "Reconstruction" in kept_page(client, article, django_assert_num_queries)
    section.name = "Rebuilding"
    section.save()
    html = page(client, article)
    assert "Rebuilding" in html and "Reconstruction" not in html


def test_a_scheduled_report_joins_the_related_posts_when_it_goes_live(
    client, article, django_assert_num_queries
):
    going_live = timezone.now() + timedelta(hours=2)
    ArticleFactory(
        headline="Second bridge to open in spring",
        status=Article.Status.SCHEDULED,
        published_at=going_live,
        tags=["Mosul"],
    )
    assert "Second bridge" not in kept_page(client, article, django_assert_num_queries)
    with time_machine.travel(going_live + timedelta(minutes=1)):
        # Nothing was saved when it went live: its time alone retires the parts.
        assert "Second bridge to open in spring" in page(client, article)


def test_what_a_logged_in_reader_sees_is_never_kept_for_others(
    client, article, editor, django_assert_num_queries
):
    reader = ReaderUserFactory(username="reader-three")
    approved_comment(
        article=article,
        author=ReaderUserFactory(username="reader-four"),
        body="Thanks for reading.",
        editor=editor,
    )
    kept_page(client, article, django_assert_num_queries)
    client.force_login(reader)
    own = page(client, article)
    assert "csrfmiddlewaretoken" in own
    assert "Report to the editors" in own
    client.logout()
    html = page(client, article, django_assert_num_queries)
    assert "csrfmiddlewaretoken" not in html
    assert "Report to the editors" not in html
    assert "reader-three" not in html


def test_a_draft_saved_leaves_the_public_lists_kept(client, django_assert_num_queries):
    ArticleFactory(headline="Water returns")
    client.get("/")
    draft = ArticleFactory(
        headline="Bridge reopens", status=Article.Status.DRAFT, published_at=None
    )
    draft.headline = "Bridge reopens in spring"
    article_save(article=draft)
    # The front page is still read from its kept parts: the versions alone.
    with django_assert_num_queries(1):
        assert "Water returns" in client.get("/").text
    draft.status, draft.published_at = Article.Status.PUBLISHED, timezone.now()
    article_save(article=draft)
    assert "Bridge reopens in spring" in client.get("/").text


def test_a_version_in_another_language_shows_at_once_and_on_time(
    client, article, django_assert_num_queries
):
    """The linked versions ("Also in", hreflang, the header's language links)
    are kept with the page, retired when a version is published, withdrawn or
    goes live on schedule."""
    assert "also-in" not in kept_page(client, article, django_assert_num_queries)
    arabic = ArticleFactory(
        language="ar",
        headline="إعادة افتتاح الجسر القديم",
        slug="الجسر",
        translation_of=article,
        status=Article.Status.DRAFT,
        published_at=None,
    )
    article_save(article=arabic)
    assert "also-in" not in kept_page(client, article, django_assert_num_queries)
    going_live = timezone.now() + timedelta(hours=1)
    arabic.status, arabic.published_at = Article.Status.SCHEDULED, going_live
    article_save(article=arabic)
    assert "also-in" not in kept_page(client, article, django_assert_num_queries)
    with time_machine.travel(going_live + timedelta(minutes=1)):
        html = page(client, article)
        assert 'class="also-in"' in html
        assert f'hreflang="ar" href="http://testserver{arabic.get_absolute_url()}"' in (
            html
        )
        nav = html.split('<nav class="language-nav"', 1)[1].split("</nav>", 1)[0]
        assert f'<a href="{arabic.get_absolute_url()}" lang="ar"' in nav
        arabic.status = Article.Status.DRAFT
        article_save(article=arabic)
        html = page(client, article)
        assert "also-in" not in html and arabic.get_absolute_url() not in html


def test_a_preview_never_lends_its_address_to_the_public_page(
    client, article, editor, django_assert_num_queries
):
    client.force_login(editor)
    preview_path = reverse("articles:preview", args=[article.pk])
    assert client.get(preview_path).status_code == 200
    client.logout()
    assert preview_path not in kept_page(client, article, django_assert_num_queries)


def kept_feed(client, path, django_assert_num_queries) -> str:
    """A feed read twice: the second time whole from where it is kept."""
    first = client.get(path)
    assert first.status_code == 200
    with django_assert_num_queries(1):
        again = client.get(path)
    assert again.content == first.content
    assert again["Last-Modified"] == first["Last-Modified"]
    return again.content.decode()


def test_kept_feeds_follow_every_change_at_once_and_on_time(
    client, article, django_assert_num_queries
):
    latest, corrections = "/feeds/latest/", "/feeds/corrections/"
    contributor_feed = "/contributors/samira-aziz/feed/"
    assert "The old bridge reopens" in kept_feed(
        client, latest, django_assert_num_queries
    )
    assert "Samira Aziz" in kept_feed(
        client, contributor_feed, django_assert_num_queries
    )
    kept_feed(client, corrections, django_assert_num_queries)
    # A new report; an edited headline.
    new = ArticleFactory(headline="Ferries run again", published_at=timezone.now())
    article_save(article=new)
    article.headline = "The old bridge reopens to traffic"
    article_save(article=article)
    feed = kept_feed(client, latest, django_assert_num_queries)
    assert "Ferries run again" in feed and "reopens to traffic" in feed
    # A correction.
    Correction.objects.create(article=article, text="The bridge is 120 metres long.")
    article_save(article=article)
    assert "120 metres" in kept_feed(client, corrections, django_assert_num_queries)
    # A report scheduled: in no feed before its time, in the feed after it,
    # though no one saves anything then.
    going_live = timezone.now() + timedelta(hours=2)
    ArticleFactory(
        headline="Night market reopens",
        status=Article.Status.SCHEDULED,
        published_at=going_live,
    )
    assert "Night market" not in kept_feed(client, latest, django_assert_num_queries)
    with time_machine.travel(going_live + timedelta(minutes=1)):
        assert "Night market reopens" in client.get(latest).content.decode()
    # A contributor withheld: gone from every feed at once.
    contributor = Contributor.objects.get(name="Samira Aziz")
    contributor.identity = Contributor.Identity.WITHHELD
    contributor.save()
    assert client.get(contributor_feed).status_code == 404
    assert "Samira" not in client.get(latest).content.decode()


def test_kept_cards_follow_their_article_and_its_picture_at_once(client, article):
    tag_page = "/tags/mosul/"
    html = client.get(tag_page).content.decode()
    assert "The old bridge reopens" in html
    assert "/media/" in html.split('class="card"', 1)[1]
    article.headline = "The old bridge reopens to traffic"
    article_save(article=article)
    assert "reopens to traffic" in client.get(tag_page).content.decode()
    # A picture flagged in the media library: no list shows it any more.
    picture = article.lead_image
    shown = [item["name"] for item in picture.renditions if item["name"] in html]
    assert shown
    picture.content_warning = "Shows the injured"
    picture.save()
    html = client.get(tag_page).content.decode()
    assert not [name for name in shown if name in html]
    assert "reopens to traffic" in html

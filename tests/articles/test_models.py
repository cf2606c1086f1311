from datetime import timedelta
from functools import partial

import pytest
from django.utils import timezone

from articles.models import Article
from contributors.models import Contributor
from tests.factories import (
    ArticleFactory,
    CorrectionFactory,
    ImageFactory,
    body_with_picture,
)

pytestmark = pytest.mark.django_db


def test_published_hides_drafts_review_unpublished_and_future_schedules():
    live = ArticleFactory()
    scheduled_past = ArticleFactory(
        status=Article.Status.SCHEDULED,
        published_at=timezone.now() - timedelta(minutes=1),
    )
    ArticleFactory(status=Article.Status.DRAFT)
    ArticleFactory(status=Article.Status.IN_REVIEW)
    ArticleFactory(status=Article.Status.UNPUBLISHED)
    ArticleFactory(
        status=Article.Status.SCHEDULED,
        published_at=timezone.now() + timedelta(hours=1),
    )
    assert set(Article.objects.published()) == {live, scheduled_past}


def test_publishing_without_a_time_stamps_now():
    article = ArticleFactory(published_at=None)
    assert article.published_at is not None
    assert article.published_at <= timezone.now()


def test_related_articles_rank_by_shared_tags_then_recency(django_assert_num_queries):
    article = ArticleFactory(tags=["mosul", "water", "farming", "security"])
    three = ArticleFactory(
        tags=["mosul", "water", "farming"],
        published_at=timezone.now() - timedelta(days=9),
    )
    one_new = ArticleFactory(
        tags=["mosul"], published_at=timezone.now() - timedelta(hours=1)
    )
    one_old = ArticleFactory(
        tags=["water"], published_at=timezone.now() - timedelta(days=5)
    )
    two = ArticleFactory(
        tags=["security", "farming"], published_at=timezone.now() - timedelta(days=8)
    )
    ArticleFactory(tags=["unrelated"])
    ArticleFactory(tags=["mosul", "water", "farming"], status=Article.Status.DRAFT)

    # As the article page asks: its tags are already prefetched.
    article = Article.objects.for_article_page().get(pk=article.pk)
    with django_assert_num_queries(1):
        related = list(Article.objects.related_to(article, limit=10))

    assert related == [three, two, one_new, one_old]
    assert [a.shared_tags for a in related] == [3, 2, 1, 1]


def test_related_articles_respect_the_limit():
    article = ArticleFactory(tags=["mosul"])
    for _ in range(7):
        ArticleFactory(tags=["mosul"])
    assert len(Article.objects.related_to(article)) == 5


def test_body_is_sanitised_on_every_save_not_only_in_forms():
    article = ArticleFactory(
        body='<p onclick="steal()">Hi <a href="javascript:alert(1)">x</a>'
        '<span style="color:red">red</span></p><script>alert(1)</script>'
        '<img src="https://tracker.example/p.gif"><blockquote><p>Quote</p></blockquote>'
    )
    article.refresh_from_db()
    assert "onclick" not in article.body
    assert "javascript:" not in article.body
    assert "style=" not in article.body
    assert "<script" not in article.body
    assert "<img" not in article.body
    assert "<blockquote><p>Quote</p></blockquote>" in article.body


def test_body_pictures_stand_where_the_editor_placed_them(
    django_assert_num_queries,
):
    first, second = ImageFactory(caption="Library caption"), ImageFactory()
    article = ArticleFactory(
        body=body_with_picture(first, before="")
        + "<p>One</p><h2>Two</h2>"
        + body_with_picture(second, caption="Our own caption", before="")
        + "<p>Three</p>"
    )
    article = Article.objects.for_article_page().get(pk=article.pk)
    with django_assert_num_queries(0):
        parts = [
            (kind, part if kind == "html" else (part.image, part.display_caption))
            for kind, part in article.body_parts()
        ]
    assert parts == [
        ("image", (first, "Library caption")),
        ("html", "<p>One</p>"),
        ("html", "<h2>Two</h2>"),
        ("image", (second, "Our own caption")),
        ("html", "<p>Three</p>"),
    ]
    assert [p.image for p in article.inline_images.all()] == [first, second]


@pytest.mark.parametrize(
    ("precision", "expected"),
    [
        ("city", "Mosul, Nineveh, Iraq"),
        ("region", "Nineveh, Iraq"),
        ("country", "Iraq"),
        ("withheld", ""),
    ],
)
def test_dateline_shows_only_what_the_editor_allows(precision, expected):
    assert ArticleFactory.build(location_precision=precision).dateline == expected


def test_flagged_images_are_never_card_images():
    assert ArticleFactory(lead_image=ImageFactory()).card_image is not None
    flagged = ImageFactory(content_warning="Graphic violence")
    assert ArticleFactory(lead_image=flagged).card_image is None
    warned = ArticleFactory(lead_image=ImageFactory(), content_warning="Graphic")
    assert warned.card_image is None


def test_right_to_left_languages():
    assert ArticleFactory.build(language="ar").text_direction == "rtl"
    assert ArticleFactory.build(language="ckb").text_direction == "rtl"
    assert ArticleFactory.build(language="en").text_direction == "ltr"


def test_latest_update_is_the_newest_of_updated_time_and_corrections():
    article = ArticleFactory(updated_at=timezone.now() - timedelta(days=2))
    correction = CorrectionFactory(article=article, published_at=timezone.now())
    assert article.latest_update() == correction.published_at


def test_search_ranks_headline_over_body_and_finds_tags_and_arabic():
    # Standfirsts are random English words otherwise, "water" among them.
    article = partial(ArticleFactory, standfirst="")
    headline = article(headline="Water shortage in Mosul", body="<p>Nothing</p>")
    body = article(headline="Farming", body="<p>The water ran out.</p>")
    tagged = article(headline="Other", body="<p>Other</p>", tags=["Irrigation"])
    arabic = article(headline="المياه في الموصل", language="ar")
    article(headline="Water for drafts", status=Article.Status.DRAFT)
    Article.objects.update_search_vectors()

    assert list(Article.objects.published().search("water")) == [headline, body]
    assert list(Article.objects.published().search("irrigation")) == [tagged]
    assert list(Article.objects.published().search("الموصل")) == [arabic]
    # websearch syntax never raises, whatever the reader types.
    assert list(Article.objects.published().search('"unclosed OR -( ) :*')) == []


def test_protected_contributors_show_only_their_public_byline():
    withheld = Contributor(
        name="Real Name", identity="withheld", bio="Secret", website="https://x.example"
    )
    pseudonym = Contributor(
        name="Real Name", identity="pseudonym", pseudonym="Nour", bio="Safe bio"
    )
    for contributor in (withheld, pseudonym):
        assert "Real Name" not in contributor.byline_name
        assert contributor.public_photo is None
        assert contributor.public_website == ""
        assert not contributor.has_public_profile
    assert withheld.public_bio == ""
    assert pseudonym.byline_name == "Nour"

"""Right-to-left reading: Arabic-script datelines and dates use the Arabic comma,
lists keep one direction so bullets stay on one side, and text that may mix
directions (comments, tags, names) is laid out by its own writing."""

import re
from datetime import UTC, datetime

import pytest

from articles.models import Article
from tests.factories import ArticleFactory, CommentFactory

pytestmark = pytest.mark.django_db

WHEN = datetime(2026, 11, 21, 9, 30, tzinfo=UTC)


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("en", "Mosul, Nineveh, Iraq"),
        ("ar", "Mosul، Nineveh، Iraq"),
        ("ckb", "Mosul، Nineveh، Iraq"),
        ("fr", "Mosul, Nineveh, Iraq"),
    ],
)
def test_datelines_use_the_comma_of_their_script(language, expected):
    article = Article(
        language=language,
        dateline_city="Mosul",
        dateline_region="Nineveh",
        dateline_country="Iraq",
    )
    assert article.dateline == expected


def test_an_arabic_article_dates_itself_in_arabic_with_the_arabic_comma(client):
    article = ArticleFactory(
        language="ar",
        published_at=WHEN,
        dateline_city="الموصل",
        dateline_region="نينوى",
        dateline_country="العراق",
    )
    html = client.get(article.get_absolute_url()).text
    meta = html.split('<p class="meta">', 1)[1].split("</p>", 1)[0]
    assert '<span class="dateline">الموصل، نينوى، العراق</span>' in meta
    assert ">21 نوفمبر 2026، 09:30 UTC</time>" in meta
    assert "," not in meta  # no Latin comma anywhere in the line


def test_related_lists_keep_their_bullets_on_one_side(client):
    english = ArticleFactory(headline="In Mosul", tags=["Mosul"])
    ArticleFactory(
        headline="في الموصل القديمة", language="ar", tags=["Mosul"], published_at=WHEN
    )
    html = client.get(english.get_absolute_url()).text
    related = html.split('class="related__list"', 1)[1].split("</ul>", 1)[0]
    item = re.search(r"<li>(.*?)</li>", related, re.S).group(1)
    # The item follows the list's direction; the headline is isolated in its
    # own, and the date is written in the page's language, outside it.
    # An Arabic report's address is in the Arabic edition.
    assert '<a href="/ar/articles/' in item and 'lang="ar" dir="rtl">' in item
    assert item.endswith(
        '<time datetime="2026-11-21T09:30:00+00:00">21 November 2026</time></span>'
    )
    assert "<li lang=" not in related and "<li dir=" not in related


def test_comments_tags_and_names_are_laid_out_by_their_own_writing(client):
    article = ArticleFactory(language="ar", tags=["الموصل"])
    CommentFactory(article=article, body="شكراً على هذا التقرير")
    html = client.get(article.get_absolute_url()).text
    assert '<div class="comment__body" dir="auto">' in html
    assert '<bdi class="comment__author">' in html
    assert re.search(r'<a class="tag" href="[^"]+" dir="auto">الموصل</a>', html)
    assert '<section class="comments" id="comments" aria-labelledby=' in html

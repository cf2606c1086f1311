"""The lite edition: every report as a text-first page (allowlisted HTML, no
script, no font, pictures as links with their weight), noindex, canonical to
the full page, and linked from and to the full site."""

import re

import pytest
from django.urls import reverse

from articles.models import Article
from articles.services import article_save
from contributors.models import Contributor
from lite.views import lite_url
from tests.factories import (
    ArticleContributorFactory,
    ArticleFactory,
    ContributorFactory,
    ImageFactory,
    body_with_picture,
)

pytestmark = pytest.mark.django_db

HOSTILE_BODY = (
    "<p>Water <strong>returns</strong> to the <a href='https://example.org/w'>old"
    " city</a>.</p><table><tr><td>A table cell</td></tr></table>"
    "<p><img src='https://tracker.example.net/pixel.gif' alt=''>After.</p>"
    "<iframe src='https://video.example.net/'></iframe>"
)


def lite_of(article) -> str:
    return lite_url(article)


def test_a_report_has_a_lite_page_at_lite_and_its_slug(client):
    article = ArticleFactory(slug="water-returns", headline="Water returns")
    response = client.get("/lite/water-returns/")
    assert response.status_code == 200
    assert "Water returns" in response.text
    assert lite_of(article) == "/lite/water-returns/"


def test_the_lite_page_keeps_text_and_drops_everything_that_loads_or_runs(
    client,
):
    article = ArticleFactory(body=HOSTILE_BODY)
    html = client.get(lite_of(article)).text
    assert "<strong>returns</strong>" in html
    assert 'href="https://example.org/w"' in html
    assert "A table cell" in html  # the text of a dropped element stays
    for absent in ["<script", "<img", "<picture", "<iframe", "<table", "@font-face"]:
        assert absent not in html, absent
    assert "tracker.example.net" not in html
    assert "video.example.net" not in html
    # One small stylesheet of its own, and no other request than it.
    assert re.findall(r'<link rel="stylesheet" href="([^"]+)"', html) == [
        "/static/css/lite.css"
    ]
    assert re.findall(r'\ssrc="', html) == []


def test_lite_pages_say_noindex_and_name_the_full_page_canonical(client, settings):
    settings.SITE_URL = "https://news.example.org"
    article = ArticleFactory(slug="water-returns", tags=["Mosul"])
    cases = {
        lite_of(article): "https://news.example.org/articles/water-returns/",
        reverse("lite:home"): "https://news.example.org/",
        reverse("lite:tag", args=["mosul"]): "https://news.example.org/tags/mosul/",
    }
    for url, canonical in cases.items():
        html = client.get(url).text
        assert '<meta name="robots" content="noindex">' in html, url
        assert f'<link rel="canonical" href="{canonical}">' in html, url
    html = client.get(reverse("lite:search"), {"q": "water"}).text
    assert '<meta name="robots" content="noindex">' in html


def test_a_syndicated_report_names_the_partner_original_canonical(client):
    article = ArticleFactory(original_url="https://partner.example.org/water")
    html = client.get(lite_of(article)).text
    assert '<link rel="canonical" href="https://partner.example.org/water">' in html


def test_pictures_become_links_with_their_weight(client):
    lead = ImageFactory(alt_text="The rebuilt quarter at dusk")
    inline = ImageFactory(alt_text="Hills above the river")
    article = ArticleFactory(
        lead_image=lead,
        body=body_with_picture(inline, caption="Families farm the slopes"),
    )
    html = client.get(lite_of(article)).text
    for image in [lead, inline]:
        picture = image.phone_file()
        assert picture.bytes > 0
        link = f'<a href="{picture.url}">Load the picture ({picture.kilobytes} KB)</a>'
        assert link in html
        assert image.alt_text in html
    assert "Families farm the slopes" in html
    assert "<img" not in html


def test_a_flagged_picture_says_its_warning_before_the_link(client):
    image = ImageFactory(content_warning="Shows the wounded")
    article = ArticleFactory(body=body_with_picture(image))
    html = client.get(lite_of(article)).text
    assert html.index("Content warning: Shows the wounded.") < html.index(
        image.phone_file().url
    )


def test_a_deleted_picture_leaves_no_trace_on_the_lite_page(client):
    """A picture in use cannot be deleted (its placements protect it); one a
    body names without a placement (written outside the service) can, and the
    lite page then leaves it out, as the full page does."""
    kept, deleted = ImageFactory(), ImageFactory(alt_text="A deleted scene")
    article = ArticleFactory(body=body_with_picture(kept))
    Article.objects.filter(pk=article.pk).update(
        body=body_with_picture(kept) + body_with_picture(deleted, before="")
    )
    gone = [deleted.phone_file().url, deleted.alt_text]
    deleted.delete()
    for url in [lite_of(article), article.get_absolute_url()]:
        html = client.get(url).text
        for trace in gone:
            assert trace not in html, url
    assert client.get(lite_of(article)).text.count("Load the picture") == 1


def test_a_withheld_contributor_shows_only_the_safety_byline(client):
    withheld = ContributorFactory(
        name="Zubaida Qassem-Tahir", identity=Contributor.Identity.WITHHELD
    )
    pen = ContributorFactory(
        name="Haval Rekani",
        identity=Contributor.Identity.PSEUDONYM,
        pseudonym="Nour al-Furat",
    )
    article = ArticleFactory()
    ArticleContributorFactory(article=article, contributor=withheld, position=0)
    ArticleContributorFactory(article=article, contributor=pen, position=1)
    html = client.get(lite_of(article)).text
    assert "Name withheld for safety" in html
    assert "Nour al-Furat" in html
    for secret in ["Zubaida", "Qassem", "Haval", "Rekani", withheld.slug]:
        assert secret not in html


def test_an_arabic_report_reads_right_to_left_in_the_arabic_edition(client):
    article = ArticleFactory(
        slug="water-ar", language="ar", headline="عودة المياه إلى المدينة القديمة"
    )
    assert lite_of(article) == "/ar/lite/water-ar/"
    # The English edition's address leads to it.
    response = client.get("/lite/water-ar/")
    assert response.status_code == 301
    assert response["Location"] == "/ar/lite/water-ar/"
    html = client.get("/ar/lite/water-ar/").text
    assert '<html lang="ar" dir="rtl">' in html
    assert '<article lang="ar" dir="rtl">' in html
    # Its links stay in the Arabic edition; the language links lead out of it.
    assert 'href="/ar/lite/"' in html and 'href="/ar/lite/search/"' in html
    assert 'href="/ar/articles/water-ar/"' in html


def test_unknown_or_unpublished_reports_have_no_lite_page(client):
    draft = ArticleFactory(status=Article.Status.DRAFT)
    assert client.get(lite_of(draft)).status_code == 404
    assert client.get("/lite/no-such-report/").status_code == 404
    assert client.get("/lite/tags/no-such-tag/").status_code == 404


def test_a_renamed_report_lite_page_moves_with_it(client):
    article = ArticleFactory(slug="water-returns")
    article.slug = "water-returns-to-mosul"
    article_save(article=article, user=None, notify=False)
    response = client.get("/lite/water-returns/?ref=1")
    assert response.status_code == 301
    assert response["Location"] == "/lite/water-returns-to-mosul/?ref=1"


def test_full_pages_link_to_their_lite_version_and_back(client):
    article = ArticleFactory(slug="water-returns", tags=["Mosul"])
    pairs = [
        (article.get_absolute_url(), lite_of(article)),
        (reverse("articles:tag", args=["mosul"]), "/lite/tags/mosul/"),
        ("/search/?q=water", "/lite/search/?q=water"),
        (reverse("articles:home"), "/lite/"),
        (reverse("articles:archive"), "/lite/"),
    ]
    for full, lite in pairs:
        assert f'href="{lite}"' in client.get(full).text, full
    for full, lite in pairs[:4]:
        assert f'href="{full}"' in client.get(lite).text, lite
    # The lite report leads to the comments on the full page.
    html = client.get(lite_of(article)).text
    assert f'href="{article.get_absolute_url()}#comments"' in html


def test_lite_lists_show_the_edition_and_tag_headlines(client):
    mosul = ArticleFactory(headline="Bridges reopen", tags=["Mosul"])
    ArticleFactory(headline="Harvest in Raqqa", tags=["Raqqa"])
    home = client.get(reverse("lite:home")).text
    assert "Bridges reopen" in home and "Harvest in Raqqa" in home
    assert f'href="{lite_of(mosul)}"' in home
    tag = client.get(reverse("lite:tag", args=["mosul"])).text
    assert "Bridges reopen" in tag and "Harvest in Raqqa" not in tag


def test_lite_search_finds_reports_and_tells_bad_input_plainly(client):
    ArticleFactory(headline="Saffron fields bloom again")
    Article.objects.update_search_vectors()
    html = client.get(reverse("lite:search"), {"q": "saffron"}).text
    assert "Saffron fields bloom again" in html
    response = client.get(reverse("lite:search"), {"q": "x" * 500})
    assert response.status_code == 200
    assert 'aria-invalid="true"' in response.text


@pytest.mark.parametrize("size", [1, 3])
def test_lite_article_page_queries_do_not_grow_with_the_report(
    client, django_assert_num_queries, size
):
    """The report, its bylines, tags, corrections, pictures and versions in
    other languages, and the versions of the kept parts of pages: six, however
    many of each; the first time a process serves a page, the site's identity,
    sections, trust pages and next scheduled publication too (then kept)."""
    pictures = "".join(body_with_picture(ImageFactory()) for _ in range(size))
    article = ArticleFactory(
        tags=[f"tag {n}" for n in range(size)],
        lead_image=ImageFactory(),
        body=pictures,
    )
    for position in range(size):
        ArticleContributorFactory(article=article, position=position)
    with django_assert_num_queries(10):
        response = client.get(lite_of(article))
    with django_assert_num_queries(6):
        assert client.get(lite_of(article)).content == response.content
    assert response.text.count("Load the picture") == size + 1

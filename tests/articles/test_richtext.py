"""What is stored is what is shown: the body keeps what the editor can make,
every word saved stays visible, and pictures are references to the library."""

import pytest
from django.urls import reverse

from articles.richtext import body_pictures, sanitize_body, split_blocks
from tests.articles.test_admin import article_form
from tests.factories import ArticleFactory, ImageFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("stored", "kept"),
    [
        ("Loose words", "<p>Loose words</p>"),
        ("One\n\nTwo<p>Three</p>", "<p>One</p><p>Two</p><p>Three</p>"),
        ("<div>In a div</div>", "<p>In a div</p>"),
        ("<h1>Title</h1><h4>Small</h4>", "<h2>Title</h2><h3>Small</h3>"),
        ("<pre>a line</pre>", "<p>a line</p>"),
        (
            "<table><tr><td>First cell</td><td>Second cell</td></tr></table>",
            "<p>First cell</p><p>Second cell</p>",
        ),
        (
            "<p>a</p><strong>bold</strong> tail",
            "<p>a</p><p><strong>bold</strong> tail</p>",
        ),
        ("<p></p>", ""),
        ("<p>x</p><br><p>y</p>", "<p>x</p><p>y</p>"),
    ],
)
def test_loose_text_becomes_paragraphs(stored, kept):
    assert sanitize_body(stored) == kept
    assert sanitize_body(kept) == kept  # stable: saving again changes nothing


def test_pictures_are_library_references_never_foreign_images():
    body = sanitize_body(
        '<figure data-image="7" class="x" onclick="steal()">'
        '<img src="https://tracker.example/p.gif"><figcaption>Dusk <b>over</b> the '
        'river</figcaption></figure><figure data-image="javascript:1"></figure>'
        '<img src="https://tracker.example/q.gif">'
    )
    assert body == (
        '<figure data-image="7"><figcaption>Dusk over the river</figcaption></figure>'
    )
    assert body_pictures(body) == [(7, "Dusk over the river")]


def test_a_picture_inside_a_quote_or_list_stands_after_it():
    body = sanitize_body(
        '<blockquote><p>Said</p><figure data-image="3"></figure></blockquote>'
    )
    assert split_blocks(body) == [
        "<blockquote><p>Said</p></blockquote>",
        '<figure data-image="3"></figure>',
    ]


def test_every_stored_word_is_on_the_page(client):
    article = ArticleFactory(body="<p>Kept.</p>")
    # As an import or an old row might hold it, past the sanitiser:
    type(article).objects.filter(pk=article.pk).update(
        body="Loose before<p>Kept.</p>loose after"
    )
    html = client.get(article.get_absolute_url()).text
    body = html.split('class="article__body"', 1)[1].split("</div>", 1)[0]
    assert "<p>Loose before</p>" in body and "<p>loose after</p>" in body


def test_a_picture_not_in_the_library_is_a_form_error(client, editor):
    client.force_login(editor)
    response = client.post(
        reverse("admin:articles_article_add"),
        article_form(body='<p>x</p><figure data-image="999"></figure>'),
    )
    assert response.status_code == 200
    assert "not in the image library" in response.text


def test_body_pictures_render_as_responsive_library_pictures(client):
    picture = ImageFactory(alt_text="Terraces", caption="Library words", credit="O.")
    article = ArticleFactory(
        body=f'<p>a</p><figure data-image="{picture.pk}"></figure><p>b</p>'
    )
    html = client.get(article.get_absolute_url()).text
    body = html.split('class="article__body"', 1)[1].split("</div>", 1)[0]
    assert body.index("<p>a</p>") < body.index("<picture>") < body.index("<p>b</p>")
    assert 'alt="Terraces"' in body and "srcset=" in body
    assert "Library words" in body and "O." in body
    assert "data-image" not in body


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

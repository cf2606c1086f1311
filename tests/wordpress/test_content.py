"""Turning WordPress's HTML and texts into Newsroom's (wordpress/content.py)."""

import pytest

from articles.richtext import body_pictures, sanitize_body
from wordpress.content import (
    Picture,
    autop,
    clean_name,
    comment_text,
    convert_body,
    detect_language,
    language_code,
    upload_candidates,
    upload_path,
)

OFFERED = {"en", "ar", "ckb", "kmr", "fr"}


def convert(html, known=None, **options):
    """The body as it is stored, with pictures numbered in order of the files."""
    placed = []

    def store(picture: Picture):
        path = upload_path(picture.src)
        if known is not None and path not in known:
            return None
        placed.append(picture)
        return len(placed)

    body = convert_body(html, store=store, **options)
    return sanitize_body(body.html), placed, body.left_out


def test_classic_paragraphs_and_line_breaks_become_paragraphs():
    assert autop("One\nline.\n\nTwo.\n\n<ul>\n<li>a</li>\n</ul>") == (
        "<p>One<br>\nline.</p>\n\n<p>Two.</p>\n\n<ul>\n<li>a</li>\n</ul>"
    )
    assert autop("<!-- wp:paragraph -->\n<p>Block</p>") == (
        "<!-- wp:paragraph -->\n<p>Block</p>"
    )


def test_a_captioned_picture_becomes_a_library_figure():
    html, placed, _ = convert(
        '[caption id="attachment_7" width="300"]<a href="/x.jpg"><img '
        'class="wp-image-7" src="https://s.example/wp-content/uploads/2024/01/'
        'x-300x200.jpg" alt="A road" /></a> A <em>long</em> road.[/caption]'
    )
    assert (
        html == '<figure data-image="1"><figcaption>A long road.</figcaption></figure>'
    )
    assert placed == [
        Picture(
            src="https://s.example/wp-content/uploads/2024/01/x-300x200.jpg",
            alt="A road",
            caption="A long road.",
            attachment_id="7",
        )
    ]


def test_an_old_caption_attribute_is_read_too():
    html, _, _ = convert(
        '[caption caption="Said so"]<img src="/wp-content/uploads/a.jpg">[/caption]'
    )
    assert body_pictures(html) == [(1, "Said so")]


def test_a_gallery_becomes_its_pictures():
    sources = {"3": "/wp-content/uploads/3.jpg", "4": "/wp-content/uploads/4.jpg"}
    html, placed, _ = convert(
        'Before.\n\n[gallery ids="3, 4,9"]\n\nAfter.', attachment_src=sources.get
    )
    assert html == (
        '<p>Before.</p><figure data-image="1"></figure>'
        '<figure data-image="2"></figure><p>After.</p>'
    )
    assert [p.attachment_id for p in placed] == ["3", "4"]


def test_a_picture_inside_a_paragraph_stands_after_it():
    html, _, _ = convert(
        '<p>Text <a href="/big.jpg"><img src="/wp-content/uploads/s.jpg"></a> more.</p>'
    )
    assert html == '<p>Text  more.</p><figure data-image="1"></figure>'
    html, _, _ = convert('<p><img src="/wp-content/uploads/s.jpg"></p>')
    assert html == '<figure data-image="1"></figure>'


def test_pictures_that_cannot_be_kept_leave_no_trace():
    html, _placed, left_out = convert(
        '<p>Hi</p><img src="https://cdn.example/p.jpg"><figure class="wp-block-image">'
        '<img src="/wp-content/uploads/gone.jpg"><figcaption>Gone</figcaption>'
        "</figure>",
        known=set(),
    )
    assert html == "<p>Hi</p>"
    assert left_out == ["https://cdn.example/p.jpg", "/wp-content/uploads/gone.jpg"]


def test_figures_without_a_picture_keep_their_words():
    html, _, _ = convert(
        '<figure class="wp-block-pullquote"><blockquote><p>Quoted</p></blockquote>'
        '</figure><figure class="wp-block-embed"><div class="wp-block-embed__wrapper">'
        "https://video.example/v/1</div></figure>"
    )
    assert html == (
        "<blockquote><p>Quoted</p></blockquote><p>https://video.example/v/1</p>"
    )


def test_embeds_and_players_load_nothing_from_other_hosts():
    html, _, _ = convert(
        "Watch:\n\nhttps://video.example/watch?v=1\n\n"
        '[embed]https://video.example/v/2[/embed]\n\n[video src="https://v.example/a.mp4"]'
        '[/video][audio src="a.mp3"]\n\n<iframe src="https://video.example/e/3"></iframe>'
    )
    assert html == (
        '<p>Watch:</p><p><a href="https://video.example/watch?v=1">'
        "https://video.example/watch?v=1</a></p>"
        '<p><a href="https://video.example/v/2">https://video.example/v/2</a></p>'
    )


def test_links_to_the_old_site_become_its_old_addresses():
    html, _, _ = convert(
        '<p><a href="https://www.old.example/2020/01/a/?x=1#top">a</a> '
        '<a href="https://old.example/wp-content/uploads/f.pdf">f</a> '
        '<a href="https://other.example/b/">b</a></p>',
        site_hosts={"old.example"},
    )
    assert '<a href="/2020/01/a/?x=1">a</a>' in html
    assert 'href="https://old.example/wp-content/uploads/f.pdf"' in html
    assert 'href="https://other.example/b/"' in html


def test_words_in_brackets_are_the_reporters():
    html, _, _ = convert("He said [sic] it was [redacted].\n\n[unknown_plugin]")
    assert html == "<p>He said [sic] it was [redacted].</p><p>[unknown_plugin]</p>"


@pytest.mark.parametrize(
    ("src", "path"),
    [
        ("https://old.example/wp-content/uploads/2024/01/a.jpg", "2024/01/a.jpg"),
        (
            "https://cdn.example/old.example/wp-content/uploads/2024/01/a.jpg",
            "2024/01/a.jpg",
        ),
        ("/wp-content/uploads/2024/01/%D8%B5.jpg?resize=10", "2024/01/ص.jpg"),
        ("https://photos.example/a.jpg", None),
        ("data:image/png;base64,AAAA", None),
    ],
)
def test_pictures_are_found_in_the_uploads_folder_whatever_served_them(src, path):
    assert upload_path(src) == path


def test_resized_copies_lead_to_their_original():
    assert upload_candidates("2024/01/a-1024x683.jpg") == [
        "2024/01/a.jpg",
        "2024/01/a-scaled.jpg",
        "2024/01/a-1024x683.jpg",
    ]


@pytest.mark.parametrize(
    ("words", "language"),
    [
        ("قال مزارعون إن منسوب المياه انخفض", "ar"),
        ("جووتیاران دەڵێن ئاوی ڕووبارەکە کەم بووەتەوە", "ckb"),
        ("Farmers say the river is low", None),
        ("Cotyar dibêjin ku av kêm bûye", None),
        ("Mosul الموصل is a city", None),  # mostly Latin letters
        ("", None),
    ],
)
def test_arabic_script_is_recognised_and_sorani_by_its_letters(words, language):
    assert detect_language(words) == language


@pytest.mark.parametrize(
    ("code", "words", "language"),
    [
        ("en_US", "", "en"),
        ("ar", "", "ar"),
        ("fr-FR", "", "fr"),
        ("ckb", "", "ckb"),
        ("ku", "ئاو", "ckb"),
        ("ku", "av", "kmr"),
        ("de_DE", "", None),
        ("", "", None),
    ],
)
def test_wordpress_language_codes(code, words, language):
    assert language_code(code, OFFERED, words) == language


def test_comment_text_keeps_paragraphs_and_drops_markup():
    assert (
        comment_text(
            "<p>One <b>bold</b> <a href='https://x.example'>link</a></p><p>Two<br/>"
            "lines &amp; more</p>\r\n\r\n\r\n\r\nEnd"
        )
        == "One bold link\n\nTwo\nlines & more\n\nEnd"
    )


def test_names_lose_invisible_and_direction_characters():
    assert clean_name("  Umm\u202e Ali\u200b ") == "Umm Ali"

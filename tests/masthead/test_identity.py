"""The site's identity: edited in the admin (pictures through the image
pipeline, an accent that keeps AA contrast), and used in the header, footer,
feeds, social cards, structured data and emails."""

import io
import json
import re
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image as PILImage

from demo.pictures import make_icon, make_logo
from images.processing import ICON_SIZES, scrub
from images.services import image_create
from masthead.colours import (
    AA,
    DARK_BACKGROUNDS,
    DEFAULT_ACCENT,
    LIGHT_BACKGROUNDS,
    contrast,
    dark_variant,
    worst_contrast,
)
from masthead.models import SiteIdentity
from masthead.services import site_identity_save
from tests.factories import ArticleFactory
from tests.images import samples

pytestmark = pytest.mark.django_db

CHANGE = reverse("admin:masthead_siteidentity_change", args=[1])


def png(size, mode="RGB") -> bytes:
    out = io.BytesIO()
    samples.picture(size, mode).save(out, "PNG")
    return out.getvalue()


def identity(**fields) -> SiteIdentity:
    values = {"name": "Two Rivers", "description": "Reports from the rivers."}
    return site_identity_save(
        identity=SiteIdentity(**(values | fields)),
        logo=scrub(make_logo()),
        icon=scrub(make_icon()),
    )


def form_data(**fields):
    return {
        "name": "Two Rivers",
        "description": "Reports from the rivers.",
        "show_name_with_logo": "on",
        "accent_colour": "#0e5f76",
        "logo": "",
        "icon": "",
    } | fields


# --- Contrast ---------------------------------------------------------------------


def test_contrast_is_computed_as_wcag_defines_it():
    assert contrast("#000000", "#ffffff") == pytest.approx(21)
    assert contrast("#ffffff", "#ffffff") == pytest.approx(1)
    assert contrast("#767676", "#ffffff") == pytest.approx(4.54, abs=0.01)


@pytest.mark.parametrize("hue", range(0, 360, 15))
@pytest.mark.parametrize("lightness", [0.2, 0.35])
def test_every_accent_that_passes_keeps_aa_in_dark_mode_too(hue, lightness):
    import colorsys

    red, green, blue = colorsys.hls_to_rgb(hue / 360, lightness, 0.8)
    colour = "#" + "".join(f"{round(c * 255):02x}" for c in (red, green, blue))
    if worst_contrast(colour, LIGHT_BACKGROUNDS) < AA:
        return  # refused in the form (next test)
    dark = dark_variant(colour)
    assert worst_contrast(dark, DARK_BACKGROUNDS) >= AA, (colour, dark)


def test_the_default_accent_and_its_dark_shade_are_the_stylesheets():
    css = Path("static/css/site.css").read_text()
    assert f"--accent: {DEFAULT_ACCENT};" in css
    assert f"--accent: {dark_variant(DEFAULT_ACCENT)};" in css
    for background in LIGHT_BACKGROUNDS + DARK_BACKGROUNDS:
        assert background in css


def test_a_light_accent_is_refused_with_its_contrast_and_a_darker_shade(client, editor):
    client.force_login(editor)
    client.get(reverse("admin:masthead_siteidentity_changelist"))
    response = client.post(CHANGE, form_data(accent_colour="#FF6666"))
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors["accent_colour"]
    message = errors[0]
    assert "#ff6666 is too light" in message
    assert re.search(r"contrast on the page's background is \d\.\d:1", message)
    suggestion = re.search(r"passes: (#[0-9a-f]{6})", message).group(1)
    assert worst_contrast(suggestion, LIGHT_BACKGROUNDS) >= AA
    assert SiteIdentity.objects.get().accent_colour == DEFAULT_ACCENT  # nothing kept


def test_a_colour_that_is_no_colour_is_refused(client, editor):
    client.force_login(editor)
    client.get(reverse("admin:masthead_siteidentity_changelist"))
    response = client.post(CHANGE, form_data(accent_colour="red; }"))
    assert "six hexadecimal digits" in str(response.context["adminform"].form.errors)


# --- The admin: pictures through the pipeline ----------------------------------------


def test_editors_upload_a_logo_and_an_icon_through_the_pipeline(client, editor):
    client.force_login(editor)
    assert client.get(reverse("admin:masthead_siteidentity_changelist"))[
        "Location"
    ].endswith(CHANGE)
    response = client.post(
        CHANGE,
        form_data(
            accent_colour="#0E5F76",
            logo_upload=SimpleUploadedFile("ours.png", samples.png()),
            icon_upload=SimpleUploadedFile("icon.png", png((600, 600))),
        ),
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    saved = SiteIdentity.current()
    assert saved.accent_colour == "#0e5f76"
    assert saved.logo.stripped_metadata  # the sample's hidden data was removed
    assert saved.logo.sources("full")
    sizes = sorted(
        item["width"] for item in saved.icon.renditions if item["kind"] == "icon"
    )
    assert sizes == sorted(ICON_SIZES)
    page = client.get(CHANGE).text
    assert "Dark mode: #" in page and "32 by 32" in page


@pytest.mark.parametrize(
    ("size", "message"),
    [
        ((800, 600), "must be square: this picture is 800 by 600"),
        ((200, 200), "at least 512 by 512"),
    ],
)
def test_an_icon_that_is_not_a_large_square_is_refused(client, editor, size, message):
    client.force_login(editor)
    client.get(reverse("admin:masthead_siteidentity_changelist"))
    response = client.post(
        CHANGE, form_data(icon_upload=SimpleUploadedFile("icon.png", png(size)))
    )
    assert response.status_code == 200
    assert message in str(response.context["adminform"].form.errors["icon_upload"])
    assert SiteIdentity.objects.get().icon is None


def test_a_library_picture_chosen_as_icon_gets_its_icon_sizes(client, editor):
    picture = image_create(data=png((512, 512)), alt_text="A mark")
    assert not picture.sources("icon")
    client.force_login(editor)
    client.get(reverse("admin:masthead_siteidentity_changelist"))
    response = client.post(CHANGE, form_data(icon=str(picture.pk)))
    assert response.status_code == 302
    picture.refresh_from_db()
    assert [w for _, w, _ in picture.sources("icon")["png"]] == list(ICON_SIZES)


def test_a_logo_in_use_cannot_be_deleted_from_the_library():
    from django.db.models import ProtectedError

    site = identity()
    assert site.logo.uses()
    with pytest.raises(ProtectedError):
        site.logo.delete()


# --- Where the identity shows --------------------------------------------------------


def test_until_editors_save_one_the_name_comes_from_the_settings(client, settings):
    settings.SITE_NAME = "Newsroom of the Plains"
    html = client.get(reverse("articles:home")).text
    assert "<title>Newsroom of the Plains</title>" in html
    assert 'class="brand__name">Newsroom of the Plains<' in html
    assert "/theme/" not in html  # the default accent is in site.css


def test_header_footer_icons_and_accent_come_from_the_identity(client):
    identity(accent_colour="#0e5f76")
    html = client.get(reverse("articles:home")).text
    assert 'class="brand__name">Two Rivers<' in html
    assert 'class="brand__logo"' in html
    assert 'class="site-footer__name">Two Rivers<' in html
    assert "Reports from the rivers." in html
    assert '<link rel="stylesheet" href="/theme/v1/accent-0e5f76.css">' in html
    assert '<meta name="theme-color" content="#0e5f76">' in html
    icons = re.findall(
        r'<link rel="(icon|apple-touch-icon)" type="image/png" '
        r'sizes="(\d+)x\d+" href="(/icons/[^"]+)">',
        html,
    )
    assert [(rel, size) for rel, size, _ in icons] == [
        ("icon", "32"),
        ("apple-touch-icon", "180"),
        ("icon", "192"),
    ]
    for _, size, url in icons:
        response = client.get(url)
        assert response.status_code == 200
        assert response["Content-Type"] == "image/png"
        assert response["Cache-Control"] == "public, max-age=31536000, immutable"
        body = (
            b"".join(response.streaming_content)
            if response.streaming
            else response.content
        )
        assert PILImage.open(io.BytesIO(body)).size == (int(size), int(size))


def test_favicon_and_touch_icon_come_from_this_site(client):
    assert client.get("/favicon.ico").status_code == 404  # no icon yet
    identity()
    for url, size in [("/favicon.ico", 32), ("/apple-touch-icon.png", 180)]:
        response = client.get(url)
        assert response.status_code == 200
        assert PILImage.open(io.BytesIO(response.content)).size == (size, size)
        assert response["Cache-Control"] == "public, max-age=86400"


def test_the_accent_stylesheet_is_cacheable_and_says_both_shades(client):
    response = client.get("/theme/v1/accent-0e5f76.css")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/css; charset=utf-8"
    assert response["Cache-Control"] == "public, max-age=31536000, immutable"
    css = response.content.decode()
    assert ":root { --accent: #0e5f76; }" in css
    assert f"--accent: {dark_variant('#0e5f76')};" in css
    assert "prefers-color-scheme: dark" in css
    for bad in ["ff6666", "zzzzzz", "0e5f7"]:  # too light; not a colour
        assert client.get(f"/theme/v1/accent-{bad}.css").status_code == 404


def test_social_cards_and_structured_data_name_the_publisher(client):
    site = identity()
    article = ArticleFactory()
    html = client.get(article.get_absolute_url()).text
    assert '<meta property="og:site_name" content="Two Rivers">' in html
    # No picture of its own: the card shows the site's icon.
    assert re.search(r'<meta property="og:image" content="http://[^"]+/icons/', html)
    data = json.loads(
        re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)[1]
    )
    publisher = data["publisher"]
    assert publisher["@type"] == "NewsMediaOrganization"
    assert publisher["name"] == "Two Rivers"
    assert publisher["logo"]["url"].endswith(site.logo.social_url())


def test_feeds_carry_the_name_description_and_icon(client):
    identity()
    ArticleFactory(headline="Water returns")
    rss = client.get(reverse("articles:feed")).content.decode()
    assert "<title>Two Rivers</title>" in rss
    assert "<description>Reports from the rivers.</description>" in rss
    assert re.search(r"<image><url>http://[^<]+/icons/[0-9a-f]+-192\.png</url>", rss)
    atom = client.get(reverse("articles:feed_atom")).content.decode()
    assert "<title>Two Rivers</title>" in atom and "<icon>http://" in atom


@pytest.mark.django_db(transaction=True)
def test_emails_carry_the_name_and_accent(client, smtp):
    from tests.mail import run_worker

    identity(accent_colour="#0e5f76")
    client.post(
        reverse("account_signup"),
        {
            "email": "reader@example.org",
            "display_name": "Reader Ahmed",
            "password1": "a-long-reader-passphrase",
            "password2": "a-long-reader-passphrase",
            "website": "",
        },
    )
    run_worker()
    [message] = smtp.messages
    assert message["Subject"].startswith("[Two Rivers] ")
    assert "Hello from Two Rivers," in smtp.text(message)
    html = smtp.html(message)
    assert "color:#0e5f76" in html and ">Two Rivers</p>" in html
    assert "<img" not in html  # nothing that tells us the email was opened


def test_writers_do_not_change_the_identity(client, writer):
    client.force_login(writer)
    changelist = reverse("admin:masthead_siteidentity_changelist")
    assert client.get(changelist).status_code == 403
    assert not SiteIdentity.objects.exists()

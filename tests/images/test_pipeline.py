import io
import tempfile
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from PIL import Image as PILImage

from images.models import Image
from images.processing import crop_box, scrub
from images.services import image_create
from tests.factories import ArticleFactory, body_with_picture
from tests.images import samples

pytestmark = pytest.mark.django_db


def files_under(root: Path):
    return [p for p in Path(root).rglob("*") if p.is_file()]


def assert_clean(data: bytes):
    for leak in samples.LEAKS:
        assert leak not in data, leak
    opened = PILImage.open(io.BytesIO(data))
    assert not opened.getexif()
    for key in ["exif", "xmp", "XML:com.adobe.xmp", "comment", "photoshop"]:
        assert key not in opened.info, key
    assert not getattr(opened, "text", {})


@pytest.mark.parametrize("kind", ["jpeg", "png", "webp", "gif"])
def test_no_metadata_survives_in_the_stored_file_or_any_rendition(kind, _media_root):
    data = getattr(samples, kind)()
    image = image_create(
        data=data, alt_text="A street", caption="Caption", credit="Credit"
    )
    stored = files_under(_media_root)
    assert len(stored) == 1 + len(image.renditions)
    for path in stored:
        assert_clean(path.read_bytes())
    assert image.file.name.startswith("images/")
    assert Path(image.file.name).stem not in {"upload", "picture"}


def test_what_was_stripped_is_reported():
    clean = scrub(samples.jpeg())
    assert {
        "EXIF",
        "GPS position",
        "camera serial number",
        "XMP",
        "comment",
        "IPTC",
    } <= set(clean.stripped)


def test_orientation_is_applied_to_the_pixels_and_the_colour_profile_kept():
    clean = scrub(samples.jpeg(orientation=6, size=(400, 300)))
    assert (clean.width, clean.height) == (300, 400)
    opened = PILImage.open(io.BytesIO(clean.content))
    assert opened.info.get("icc_profile") == samples.srgb_profile()
    assert opened.getpixel((299, 0))[0] > 200  # the red corner turned with the picture


def test_only_one_jpeg_image_no_embedded_thumbnail():
    content = scrub(samples.jpeg()).content
    assert content.count(b"\xff\xd8\xff") == 1


def test_trailing_bytes_never_survive():
    data = samples.other_format("PNG") + b"<html><script>alert(1)</script></html>"
    content = scrub(data).content
    assert b"<script>" not in content
    assert content.endswith(b"IEND\xaeB`\x82")


def upload(client, name, data, **fields):
    return client.post(
        reverse("admin:images_image_add"),
        {
            "file": SimpleUploadedFile(name, data),
            "alt_text": "A street in the old city",
            "caption": "",
            "credit": "",
            "content_warning": "",
            "focal_x": "0.5",
            "focal_y": "0.5",
        }
        | fields,
    )


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("notes.jpg", b"These are my notes, not a picture.", "not a JPEG, PNG, WebP"),
        (
            "drawing.svg",
            b'<svg xmlns="http://www.w3.org/2000/svg"></svg>',
            "not a JPEG",
        ),
        ("scan.png", samples.other_format("BMP"), "not a JPEG, PNG, WebP"),
        ("scan.png", samples.other_format("TIFF"), "not a JPEG, PNG, WebP"),
        ("doc.png", samples.other_format("PDF"), "not a JPEG, PNG, WebP"),
        ("cut.jpg", samples.jpeg()[:2000], "damaged or incomplete"),
        ("bomb.png", samples.png_header_only(30000, 30000), "too many pixels"),
        ("big.png", samples.png_header_only(8000, 8000), "8000 by 8000 pixels"),
        ("anim.gif", samples.gif(frames=101), "101 frames"),
    ],
)
def test_bad_files_get_a_clear_form_error_and_nothing_is_written(
    client, editor, _media_root, name, data, message
):
    client.force_login(editor)
    response = upload(client, name, data)
    assert response.status_code == 200
    assert message in response.text
    assert not Image.objects.exists()
    assert files_under(_media_root) == []


def test_a_file_over_the_size_limit_is_refused_without_being_kept(
    client, editor, settings, _media_root
):
    settings.IMAGE_MAX_UPLOAD_BYTES = 10_000
    client.force_login(editor)
    response = upload(client, "large.png", samples.png() + b"\x00" * 20_000)
    assert "The file is larger than" in response.text
    assert not Image.objects.exists()
    assert files_under(_media_root) == []


def test_alt_text_is_required(client, editor):
    client.force_login(editor)
    response = upload(client, "street.jpg", samples.jpeg(), alt_text="")
    assert "This field is required." in response.text
    assert not Image.objects.exists()


def test_admin_upload_is_scrubbed_renamed_and_never_touches_disk_unscrubbed(
    client, editor, _media_root
):
    client.force_login(editor)
    temp_before = set(Path(tempfile.gettempdir()).iterdir())
    # Larger than Django's usual in-memory threshold (2.5 MB).
    big = samples.jpeg(size=(3000, 2400)) + b"\x00" * 3_000_000
    response = upload(client, f"{samples.SECRET} at home.jpg", big)
    assert response.status_code == 302
    image = Image.objects.get()
    assert samples.SECRET.split()[0] not in image.file.name
    for path in files_under(_media_root):
        assert_clean(path.read_bytes())
    new_temp = set(Path(tempfile.gettempdir()).iterdir()) - temp_before
    for path in new_temp:
        if path.is_file():
            assert samples.SECRET.encode() not in path.read_bytes()
    listing = client.get(reverse("admin:images_image_changelist"))
    assert listing.status_code == 200


def test_renditions_are_made_once_in_several_widths_and_formats():
    image = image_create(data=samples.jpeg(size=(2000, 1200)), alt_text="Street")
    full = image.sources("full")
    assert [w for _, w, _ in full["webp"]] == [360, 480, 720, 960, 1280, 1920]
    assert [w for _, w, _ in full["jpg"]] == [360, 480, 720, 960, 1280, 1920]
    assert [(w, h) for _, w, h in image.sources("card")["jpg"]] == [
        (320, 213),
        (640, 427),
    ]
    names = [item["name"] for item in image.renditions]
    from images.services import image_refresh_renditions

    image_refresh_renditions(image=image)
    assert [item["name"] for item in image.renditions] == names  # same names: cached


def test_small_pictures_are_never_upscaled():
    image = image_create(data=samples.jpeg(size=(500, 300)), alt_text="Street")
    assert max(w for _, w, _ in image.sources("full")["jpg"]) == 500


def test_focal_point_keeps_the_subject_in_crops():
    assert crop_box(3000, 1000, 1.5, 0.9, 0.5) == (1500, 0, 3000, 1000)
    assert crop_box(3000, 1000, 1.5, 0.1, 0.5) == (0, 0, 1500, 1000)
    assert crop_box(1000, 3000, 1.5, 0.5, 0.0) == (0, 0, 1000, 667)


def test_article_markup_has_srcset_sizes_dimensions_and_lazy_loading(client):
    lead = image_create(data=samples.jpeg(size=(1600, 1000)), alt_text="Lead picture")
    inline = image_create(
        data=samples.jpeg(size=(1600, 1000)), alt_text="Inline picture"
    )
    article = ArticleFactory(lead_image=lead, body=body_with_picture(inline))
    html = client.get(article.get_absolute_url()).text
    assert html.count("<picture>") == 2
    assert '<source type="image/webp" srcset="' in html
    assert " 1280w" in html and 'sizes="(max-width: 44rem) 100vw, 42rem"' in html
    assert 'alt="Lead picture" width="720" height="450" decoding="async">' in html
    assert 'alt="Inline picture" width="720" height="450" loading="lazy"' in html


def test_media_is_served_with_long_lived_cache_headers(client, settings):
    settings.SERVE_MEDIA = True
    image = image_create(data=samples.jpeg(), alt_text="Street")
    for url in [image.file.url, image.sources("full")["webp"][0][0]]:
        response = client.get(url)
        assert response.status_code == 200
        assert response["Cache-Control"] == "public, max-age=31536000, immutable"


def test_process_images_command_rescrubs_old_uploads_and_reports(
    _media_root, django_capture_on_commit_callbacks
):
    image = image_create(data=samples.jpeg(), alt_text="Street")
    # An image stored before the pipeline existed, metadata and all:
    old = _media_root / "images" / "old-upload.jpg"
    old.write_bytes(samples.jpeg())
    Image.objects.filter(pk=image.pk).update(
        file="images/old-upload.jpg", renditions=[]
    )
    out = io.StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("process_images", stdout=out, stderr=io.StringIO())
    image.refresh_from_db()
    assert "removed GPS position" in out.getvalue()
    assert not old.exists()
    assert image.renditions
    for path in files_under(_media_root):
        assert_clean(path.read_bytes())


def test_scrub_refuses_directly_too(settings):
    settings.IMAGE_MAX_PIXELS = 1000
    with pytest.raises(ValidationError):
        scrub(samples.jpeg())

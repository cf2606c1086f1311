"""image_save: the one service that stores a picture, and what it reports."""

from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from images.forms import ImageForm
from images.models import Image
from images.processing import CleanImage, scrub
from images.services import image_create, image_save
from images.uploads import TooLargeUpload
from tests.images import samples

pytestmark = pytest.mark.django_db

FIELDS = {
    "alt_text": "A street in the old city",
    "caption": "",
    "credit": "",
    "content_warning": "",
    "focal_x": "0.5",
    "focal_y": "0.5",
}


def test_a_new_picture_is_stored_scrubbed_with_renditions_and_a_report():
    picture = scrub(samples.jpeg())
    report = image_save(image=Image(alt_text="Street"), picture=picture)
    assert report.image.pk
    assert "GPS position" in report.stripped
    assert report.renditions_made
    assert report.image.renditions
    assert (report.image.width, report.image.height) == (picture.width, picture.height)
    assert Path(report.image.file.path).read_bytes() == picture.content


def test_editing_words_keeps_the_renditions_and_moving_the_focus_remakes_them():
    image = image_create(data=samples.jpeg(size=(1200, 600)), alt_text="Street")
    names = {item["name"] for item in image.renditions}

    image.caption = "A new caption"
    report = image_save(image=image)
    assert not report.renditions_made and report.stripped == []
    assert {item["name"] for item in image.renditions} == names

    image.focal_x = 0.9
    report = image_save(image=image)
    assert report.renditions_made
    cards = {item["name"] for item in image.renditions if item["kind"] == "card"}
    assert cards.isdisjoint(names)


def test_replacing_the_picture_stores_the_new_one_under_a_new_name():
    image = image_create(data=samples.jpeg(), alt_text="Street")
    old_name = image.file.name
    report = image_save(image=image, picture=scrub(samples.png()))
    assert report.image.file.name != old_name
    assert report.image.file.name.endswith(".png")


def test_the_form_keeps_the_scrubbed_picture_in_cleaned_data():
    upload = SimpleUploadedFile("street.jpg", samples.jpeg())
    form = ImageForm(FIELDS, {"file": upload})
    assert form.is_valid(), form.errors
    assert isinstance(form.cleaned_data["file"], CleanImage)
    assert b"Exif" not in form.cleaned_data["file"].content
    assert not form.instance.file  # stored only by image_save


def test_the_form_refuses_an_upload_cut_off_at_the_size_limit(settings):
    settings.IMAGE_MAX_UPLOAD_BYTES = 1_000_000
    upload = TooLargeUpload(
        file=SimpleUploadedFile("big.jpg", b"").file,
        field_name="file",
        name="big.jpg",
        content_type="image/jpeg",
        size=5_000_000,
        charset=None,
    )
    form = ImageForm(FIELDS, {"file": upload})
    assert not form.is_valid()
    assert form.errors["file"] == ["The file is larger than 1 MB."]


def test_editing_in_the_admin_without_a_new_file_keeps_the_picture(client, editor):
    image = image_create(data=samples.jpeg(), alt_text="Street")
    name = image.file.name
    client.force_login(editor)
    response = client.post(
        reverse("admin:images_image_change", args=[image.pk]),
        FIELDS | {"caption": "Faruq Street"},
    )
    assert response.status_code == 302
    image.refresh_from_db()
    assert image.caption == "Faruq Street"
    assert image.file.name == name


def test_the_site_icon_gets_square_pngs_and_keeps_them_when_the_focus_moves():
    from images.processing import ICON_SIZES

    picture = scrub(samples.jpeg(size=(900, 600)))
    image = image_save(image=Image(alt_text="Mark"), picture=picture, icons=True).image
    icons = image.sources("icon")["png"]
    assert [(w, h) for _, w, h in icons] == [(size, size) for size in ICON_SIZES]
    image.focal_x = 0.1
    image_save(image=image)
    assert [w for _, w, _ in image.sources("icon")["png"]] == list(ICON_SIZES)
    assert image_create(data=samples.jpeg(), alt_text="Photo").sources("icon") == {}

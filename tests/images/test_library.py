"""The media library: a grid to search and filter, where each picture is used,
what its upload lost; and the picker the body editor opens."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from images.models import Image
from images.services import image_create
from tests.factories import (
    ArticleFactory,
    ContributorFactory,
    ImageFactory,
    body_with_picture,
)
from tests.images import samples

pytestmark = pytest.mark.django_db

LIBRARY = reverse("admin:images_image_changelist")
PICKER = reverse("admin:images_image_picker")
UPLOAD = reverse("admin:images_image_picker_upload")


def listed(client, query=""):
    response = client.get(LIBRARY + query)
    assert response.status_code == 200
    return set(response.context["cl"].result_list)


def test_the_grid_searches_and_filters(client, editor):
    river = ImageFactory(caption="The river at dawn", credit="Omar Saleh")
    street = ImageFactory(
        caption="A street", alt_text="Rubble", content_warning="Graphic destruction"
    )
    gps = image_create(data=samples.jpeg(), alt_text="Taken with a phone")
    ArticleFactory(lead_image=river)
    client.force_login(editor)
    assert listed(client, "?q=omar") == {river}
    assert listed(client, "?q=rubble") == {street}
    assert listed(client, "?warning=yes") == {street}
    assert listed(client, "?use=unused") == {street, gps}
    assert listed(client, "?use=used") == {river}
    assert listed(client, "?stripped=gps") == {gps}
    html = client.get(LIBRARY).text
    assert 'class="media-grid"' in html
    assert "used once" in html and "unused" in html
    assert "Warning: Graphic destruction" in html
    assert "Removed on upload: EXIF, GPS position" in html


@pytest.mark.parametrize("count", [2, 6])
def test_the_grid_costs_the_same_queries_however_many_pictures(
    client, editor, django_assert_num_queries, count
):
    for _ in range(count):
        image = ImageFactory()
        ArticleFactory(lead_image=image, body=body_with_picture(image))
    client.force_login(editor)
    # Session, user and two of permissions; the admin's two counts; the page of
    # pictures with their uses; the date bar's range and its days.
    with django_assert_num_queries(9):
        client.get(LIBRARY)


def test_a_picture_shows_where_it_is_used_and_what_its_upload_lost(client, editor):
    picture = image_create(data=samples.jpeg(), alt_text="Street")
    lead = ArticleFactory(headline="On the lead", lead_image=picture)
    inside = ArticleFactory(headline="In the body", body=body_with_picture(picture))
    person = ContributorFactory(name="Layla Haddad", photo=picture)
    client.force_login(editor)
    html = client.get(reverse("admin:images_image_change", args=[picture.pk])).text
    change = "admin:{}_change"
    for url, label in [
        (reverse(change.format("articles_article"), args=[lead.pk]), "On the lead"),
        (reverse(change.format("articles_article"), args=[inside.pk]), "In the body"),
        (reverse(change.format("contributors_contributor"), args=[person.pk]), ""),
    ]:
        assert f'href="{url}"' in html
        assert label in html
    assert "Lead image: On the lead" in html
    assert "In the body of “In the body”" in html
    assert "Photo: Layla Haddad" in html
    assert "EXIF, GPS position, camera serial number" in html


def test_the_picker_finds_pictures_by_caption_credit_or_alt_text(client, writer):
    ImageFactory(caption="Terraces above the river", credit="A", alt_text="Hills")
    ImageFactory(caption="A market", credit="Omar Saleh", alt_text="Stalls")
    client.force_login(writer)
    for query, caption in [
        ("terraces", "Terraces above the river"),
        ("omar", "A market"),
        ("stalls", "A market"),
    ]:
        results = client.get(PICKER, {"q": query}).json()["results"]
        assert [r["caption"] for r in results] == [caption]
    assert len(client.get(PICKER, {"q": "\x00"}).json()["results"]) == 2


def test_a_picture_uploaded_from_the_editor_goes_through_the_pipeline(
    client, writer, _media_root
):
    client.force_login(writer)
    upload = SimpleUploadedFile("IMG_4471-home.jpg", samples.jpeg(), "image/jpeg")
    response = client.post(
        UPLOAD,
        {"file": upload, "alt_text": "A courtyard", "caption": "", "credit": ""},
    )
    assert response.status_code == 201
    image = Image.objects.get(pk=response.json()["id"])
    assert image.uploaded_by == writer
    assert "GPS position" in image.stripped_metadata
    assert response.json()["stripped"] == image.stripped_metadata
    assert "IMG_4471" not in image.file.name
    assert samples.SECRET.encode() not in image.file.read()
    assert image.renditions


def test_an_upload_that_is_no_picture_is_refused_clearly(client, writer):
    client.force_login(writer)
    response = client.post(
        UPLOAD,
        {
            "file": SimpleUploadedFile("x.svg", b"<svg onload='x()'/>", "image/svg"),
            "alt_text": "",
        },
    )
    assert response.status_code == 400
    errors = response.json()["errors"]
    assert "not a JPEG, PNG, WebP or GIF" in errors["file"][0]
    assert errors["alt_text"]
    assert not Image.objects.exists()


def test_the_picker_is_staff_only(client):
    image = ImageFactory()
    thumbnail = reverse("admin:images_image_picker_thumbnail", args=[image.pk])
    for url in [PICKER, thumbnail]:
        assert client.get(url).status_code == 302  # to the login page
    assert client.post(UPLOAD, {"file": io.BytesIO(b"x")}).status_code == 302


def test_the_editor_shows_a_placed_picture_by_its_thumbnail(client, writer):
    image = ImageFactory()
    client.force_login(writer)
    thumbnail = reverse("admin:images_image_picker_thumbnail", args=[image.pk])
    response = client.get(thumbnail)
    assert response.status_code == 302
    assert response["Location"] == image.thumbnail_url


def test_what_an_upload_lost_is_kept_when_pictures_are_scrubbed_again(client, editor):
    from django.core.management import call_command

    recorded = image_create(data=samples.jpeg(), alt_text="Recorded")
    older = ImageFactory(alt_text="Stored before the library kept this")
    Image.objects.filter(pk=older.pk).update(stripped_metadata=None)
    client.force_login(editor)
    page = client.get(reverse("admin:images_image_change", args=[older.pk])).text
    assert "Not recorded: stored before the library kept this." in page
    call_command("process_images", stdout=io.StringIO(), stderr=io.StringIO())
    recorded.refresh_from_db()
    assert "GPS position" in recorded.stripped_metadata

"""Media on S3-compatible object storage (django-storages), against moto's S3
server started on loopback: pictures and every rendition go to the bucket,
pages link to it (and the CSP allows it), and nothing is left once removed."""

import json
import urllib.request

import boto3
import pytest
from django.core.files.storage import default_storage
from django.urls import reverse
from moto.server import ThreadedMotoServer

from deploy.nginx import free_port
from images.models import Image
from images.services import image_create, image_save
from newsroom.object_storage import s3_media
from tests.factories import ArticleFactory
from tests.images import samples

pytestmark = pytest.mark.django_db

BUCKET = "newsroom-media"
PUBLIC_READ = {
    "Version": "2012-10-17",
    "Statement": [
        {
            "Effect": "Allow",
            "Principal": "*",
            "Action": "s3:GetObject",
            "Resource": f"arn:aws:s3:::{BUCKET}/*",
        }
    ],
}


@pytest.fixture(scope="module")
def s3_endpoint():
    port = free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    yield f"http://127.0.0.1:{port}"
    server.stop()


@pytest.fixture
def bucket(s3_endpoint, settings):
    """An empty bucket that media go to, configured as S3_* would configure it."""
    client = boto3.client(
        "s3",
        endpoint_url=s3_endpoint,
        region_name="us-east-1",
        aws_access_key_id="test-key",
        aws_secret_access_key="test-secret",
    )
    client.create_bucket(Bucket=BUCKET)
    # Readers fetch media straight from the bucket: anyone may read its objects.
    client.put_bucket_policy(Bucket=BUCKET, Policy=json.dumps(PUBLIC_READ))
    storage, media_url = s3_media(
        bucket=BUCKET,
        endpoint_url=s3_endpoint,
        access_key="test-key",
        secret_key="test-secret",
        media_url="/media/",
    )
    settings.STORAGES = settings.STORAGES | {"default": storage}
    settings.MEDIA_URL = media_url
    yield client
    for item in client.list_objects_v2(Bucket=BUCKET).get("Contents", []):
        client.delete_object(Bucket=BUCKET, Key=item["Key"])
    client.delete_bucket(Bucket=BUCKET)


def stored(client) -> set[str]:
    return {
        item["Key"]
        for item in client.list_objects_v2(Bucket=BUCKET).get("Contents", [])
    }


def names(image: Image) -> set[str]:
    return {image.file.name} | {item["name"] for item in image.renditions}


def test_pictures_and_renditions_are_stored_in_the_bucket_and_read_from_it(
    bucket, s3_endpoint, _media_root
):
    image = image_create(data=samples.jpeg(size=(1600, 1000)), alt_text="A street")
    assert len(image.renditions) > 4
    assert stored(bucket) == names(image)
    assert not any(_media_root.rglob("*.*")), "nothing is written to MEDIA_ROOT"

    for name in names(image):
        assert default_storage.exists(name)
        url = default_storage.url(name)
        # Plain addresses on the bucket's host that a cached page can keep.
        assert url == f"{s3_endpoint}/{BUCKET}/{name}"
        with urllib.request.urlopen(url) as response:
            assert response.headers["Cache-Control"] == (
                "public, max-age=31536000, immutable"
            )
            assert response.headers["Content-Type"].startswith("image/")
            body = response.read()
        assert body == bucket.get_object(Bucket=BUCKET, Key=name)["Body"].read()


def test_moving_the_focus_replaces_the_renditions_in_the_bucket(
    bucket, django_capture_on_commit_callbacks
):
    image = image_create(data=samples.jpeg(size=(1200, 800)), alt_text="A street")
    before = names(image)
    image.focal_x = 0.9
    with django_capture_on_commit_callbacks(execute=True):
        image_save(image=image)
    after = names(image)
    crops = {item["name"] for item in image.renditions if item["kind"] == "card"}
    assert crops and crops.isdisjoint(before)
    assert stored(bucket) == after  # the old crops are gone from the bucket


def test_pages_link_to_the_media_host_and_the_policy_allows_it(
    bucket, s3_endpoint, client
):
    image = image_create(data=samples.jpeg(size=(1200, 800)), alt_text="A street")
    article = ArticleFactory(lead_image=image)
    response = client.get(article.get_absolute_url())
    html = response.text
    assert f'srcset="{s3_endpoint}/{BUCKET}/renditions/' in html
    assert f'content="{s3_endpoint}/{BUCKET}/renditions/' in html  # social card
    policy = dict(
        part.strip().split(" ", 1)
        for part in response["Content-Security-Policy"].split(";")
    )
    assert set(policy["img-src"].split()) == {"'self'", s3_endpoint}


def test_deleting_an_image_deletes_its_objects(
    bucket, client, editor, django_capture_on_commit_callbacks
):
    image = image_create(data=samples.jpeg(size=(1200, 800)), alt_text="A street")
    assert stored(bucket) == names(image)
    client.force_login(editor)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("admin:images_image_delete", args=[image.pk]), {"post": "yes"}
        )
    assert response.status_code == 302
    assert not Image.objects.exists()
    assert stored(bucket) == set()

"""Storing pictures and their renditions."""

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction

from images.models import Image
from images.processing import content_hash, renditions


def image_create(*, data: bytes, alt_text: str, **fields) -> Image:
    """Store a picture from raw bytes (scrubbed on save) and make its renditions."""
    # Assigned, not saved: the field scrubs it before anything reaches storage.
    image = Image(file=ContentFile(data, name="upload"), alt_text=alt_text, **fields)
    image.save()
    image_refresh_renditions(image=image)
    return image


@transaction.atomic
def image_refresh_renditions(*, image: Image) -> None:
    """(Re)make every rendition of an image. Names carry a hash of the source and
    the focal point, so a URL always means the same bytes (cacheable forever)."""
    with image.file.open("rb") as source:
        data = source.read()
    key = content_hash(
        f"{content_hash(data)}{image.focal_x:.3f}{image.focal_y:.3f}".encode()
    )
    made = []
    for kind, width, height, fmt, content in renditions(
        data, focus_x=image.focal_x, focus_y=image.focal_y
    ):
        extension = "webp" if fmt == "WEBP" else "jpg"
        name = f"renditions/{key}-{kind}-{width}.{extension}"
        if not default_storage.exists(name):
            name = default_storage.save(name, ContentFile(content))
        made.append(
            {
                "kind": kind,
                "width": width,
                "height": height,
                "format": extension,
                "name": name,
            }
        )
    stale = {item["name"] for item in image.renditions} - {
        item["name"] for item in made
    }
    image.renditions = made
    image.save(update_fields=["renditions"])
    for name in stale:
        transaction.on_commit(lambda name=name: default_storage.delete(name))

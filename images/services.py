"""Storing pictures and their renditions: every write path (the admin, demo
content, the shell, commands) goes through image_save."""

from dataclasses import dataclass, field

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction

from images.models import Image
from images.processing import (
    CleanImage,
    content_hash,
    icon_renditions,
    renditions,
    scrub,
)


@dataclass(frozen=True)
class ImageSaveReport:
    """What image_save did: the saved image, and the metadata removed from a new
    picture (empty when the picture was unchanged or carried none)."""

    image: Image
    stripped: list[str] = field(default_factory=list)
    renditions_made: bool = False


@transaction.atomic
def image_save(
    *, image: Image, picture: CleanImage | None = None, icons: bool | None = None
) -> ImageSaveReport:
    """Save an image's fields and, when given, its new scrubbed picture; remake
    the renditions when the picture or the focal point changed. `icons=True`
    adds the site icon sizes (see image_refresh_renditions)."""
    before = (
        Image.objects.filter(pk=image.pk).values("focal_x", "focal_y").first()
        if image.pk
        else None
    )
    if picture is not None:
        image.file.save(picture.random_name(), ContentFile(picture.content), save=False)
        image.width, image.height = picture.width, picture.height
        image.stripped_metadata = list(picture.stripped)
    image.save()
    focus_moved = before is not None and (
        before["focal_x"] != image.focal_x or before["focal_y"] != image.focal_y
    )
    remake = picture is not None or focus_moved or not image.renditions
    if icons and not image.sources("icon"):
        remake = True
    if remake:
        image_refresh_renditions(image=image, icons=icons)
    return ImageSaveReport(
        image=image,
        stripped=picture.stripped if picture is not None else [],
        renditions_made=remake,
    )


def image_create(*, data: bytes, alt_text: str, **fields) -> Image:
    """Store a picture from raw bytes: scrubbed, renamed, with its renditions.
    Raises ValidationError when the bytes are not a picture we accept."""
    image = Image(alt_text=alt_text, **fields)
    return image_save(image=image, picture=scrub(data)).image


EXTENSIONS = {"WEBP": "webp", "JPEG": "jpg", "PNG": "png"}


@transaction.atomic
def image_refresh_renditions(*, image: Image, icons: bool | None = None) -> None:
    """(Re)make every rendition of an image. Names carry a hash of the source and
    the focal point, so a URL always means the same bytes (cacheable forever).
    The site's icon also gets square PNG icons: with `icons=True`, or when it
    had them before (`icons=None`)."""
    if icons is None:
        icons = bool(image.sources("icon"))
    with image.file.open("rb") as source:
        data = source.read()
    key = content_hash(
        f"{content_hash(data)}{image.focal_x:.3f}{image.focal_y:.3f}".encode()
    )
    made = []
    focus = {"focus_x": image.focal_x, "focus_y": image.focal_y}
    plans = list(renditions(data, **focus))
    if icons:
        plans += list(icon_renditions(data, **focus))
    for kind, width, height, fmt, content in plans:
        extension = EXTENSIONS[fmt]
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

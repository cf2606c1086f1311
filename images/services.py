"""Storing pictures and their renditions: every write path (the admin, demo
content, the shell, commands) goes through image_save, and every stored file
leaves with its row.

Files are written inside the caller's transaction; anything a failed save wrote
is removed at once, and files a committed change no longer needs (a replaced
picture, stale renditions, a deleted image's files) are removed only after the
transaction commits, so a rollback never leaves a row without its files. Only the
storage API is used (exists, save, delete), never paths, so that any storage
backend works the same way.
"""

import errno
import logging
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import reduce
from operator import or_

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import models, transaction
from django.utils.translation import gettext_lazy as _

from images.models import Image
from images.processing import (
    CleanImage,
    content_hash,
    icon_renditions,
    renditions,
    scrub,
)

logger = logging.getLogger(__name__)


class StorageFault(models.TextChoices):
    """Why the media storage refused a new picture; the label tells the editor."""

    FULL = (
        "full",
        _(
            "The media folder is full, so the picture was not stored and nothing was "
            "saved. Ask the site's operators to free some space, then upload it again."
        ),
    )
    UNWRITABLE = (
        "unwritable",
        _(
            "The media folder cannot be written to, so the picture was not stored and "
            "nothing was saved. Ask the site's operators to check it, then upload it "
            "again."
        ),
    )
    FAILED = (
        "failed",
        _(
            "The media storage failed, so the picture was not stored and nothing was "
            "saved. Please upload it again in a few minutes."
        ),
    )

    @classmethod
    def of(cls, error: OSError) -> "StorageFault":
        if error.errno in {errno.ENOSPC, errno.EDQUOT, errno.EFBIG}:
            return cls.FULL
        if error.errno in {errno.EROFS, errno.EACCES, errno.EPERM, errno.ENOTDIR}:
            return cls.UNWRITABLE
        return cls.FAILED


class ImageNotStored(Exception):
    """The storage refused a picture; nothing of the save remains."""

    def __init__(self, fault: StorageFault):
        super().__init__(fault.label)
        self.fault = fault


@dataclass(frozen=True)
class ImageSaveReport:
    """What image_save did: the saved image, and the metadata removed from a new
    picture (empty when the picture was unchanged or carried none)."""

    image: Image
    stripped: list[str] = field(default_factory=list)
    renditions_made: bool = False


def image_save(
    *, image: Image, picture: CleanImage | None = None, icons: bool | None = None
) -> ImageSaveReport:
    """Save an image's fields and, when given, its new scrubbed picture; remake
    the renditions when the picture or the focal point changed. `icons=True`
    adds the site icon sizes (see image_refresh_renditions). Raises
    ImageNotStored when the storage refuses a file: then no row changed and no
    file of this save remains."""
    written: list[str] = []
    try:
        with transaction.atomic():
            return _image_save(
                image=image, picture=picture, icons=icons, written=written
            )
    except BaseException as error:
        _delete_now(written)
        if isinstance(error, OSError):
            raise ImageNotStored(StorageFault.of(error)) from error
        raise


def _image_save(*, image, picture, icons, written) -> ImageSaveReport:
    before = (
        Image.objects.filter(pk=image.pk).values("focal_x", "focal_y", "file").first()
        if image.pk
        else None
    )
    if picture is not None:
        name = picture.random_name()
        # A half-written file is removed too: note the name before writing.
        written.append(image.file.field.generate_filename(image, name))
        image.file.save(name, ContentFile(picture.content), save=False)
        written.append(image.file.name)
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
        _refresh_renditions(image=image, icons=icons, written=written)
    if before is not None and before["file"] and before["file"] != image.file.name:
        image_files_remove_after_commit(names=[before["file"]])
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


def image_refresh_renditions(*, image: Image, icons: bool | None = None) -> None:
    """(Re)make every rendition of an image. Names carry a hash of the source and
    the focal point, so a URL always means the same bytes (cacheable forever).
    The site's icon also gets square PNG icons: with `icons=True`, or when it
    had them before (`icons=None`)."""
    written: list[str] = []
    try:
        with transaction.atomic():
            _refresh_renditions(image=image, icons=icons, written=written)
    except BaseException:
        _delete_now(written)
        raise


def _refresh_renditions(
    *, image: Image, icons: bool | None, written: list[str]
) -> None:
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
            written.append(name)  # before writing, as above
            name = default_storage.save(name, ContentFile(content))
            written.append(name)
        made.append(
            {
                "kind": kind,
                "width": width,
                "height": height,
                "format": extension,
                "name": name,
                "bytes": len(content),
            }
        )
    stale = {item["name"] for item in image.renditions} - {
        item["name"] for item in made
    }
    image.renditions = made
    image.save(update_fields=["renditions"])
    image_files_remove_after_commit(names=stale)


def image_files_remove_after_commit(*, names: Iterable[str]) -> None:
    """Remove stored files once the current transaction commits (at once outside
    one), except those another image still uses: the same picture uploaded twice
    shares its renditions. A rolled-back transaction removes nothing."""
    names = sorted({name for name in names if name})
    if names:
        transaction.on_commit(lambda: _remove_unused(names), robust=True)


def image_deleted(sender, instance: Image, **kwargs) -> None:
    """post_delete receiver: a deleted image's picture and renditions leave with
    it, whichever way it was deleted (admin, bulk action, queryset, shell).
    Connected in ImagesConfig.ready()."""
    image_files_remove_after_commit(
        names=[instance.file.name, *(item["name"] for item in instance.renditions)]
    )


def _remove_unused(names: list[str]) -> None:
    used = reduce(
        or_,
        [
            models.Q(file=name) | models.Q(renditions__contains=[{"name": name}])
            for name in names
        ],
    )
    in_use = set()
    for file, items in Image.objects.filter(used).values_list("file", "renditions"):
        in_use.add(file)
        in_use.update(item["name"] for item in items)
    for name in names:
        if name not in in_use:
            default_storage.delete(name)


def _delete_now(names: list[str]) -> None:
    """Remove what a failed save wrote; a storage that refuses even this is
    logged, never allowed to hide the original error."""
    for name in dict.fromkeys(names):
        try:
            default_storage.delete(name)
        except OSError:
            logger.warning("Could not remove %s after a failed save", name)

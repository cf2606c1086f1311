from dataclasses import dataclass
from functools import lru_cache

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Count, Exists, IntegerField, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalChanges

from images.processing import scrub


class ScrubbedImageField(models.ImageField):
    """An ImageField that scrubs every file not yet stored before it is stored
    (see processing.py), so even a file assigned in the shell is cleaned.
    images.services.image_save stores pictures already scrubbed, and reports."""

    def pre_save(self, model_instance, add):
        file = getattr(model_instance, self.attname)
        if file and not file._committed:
            file.file.seek(0)
            clean = scrub(file.file.read())
            file.save(clean.random_name(), ContentFile(clean.content), save=False)
            model_instance.width, model_instance.height = clean.width, clean.height
            model_instance.stripped_metadata = list(clean.stripped)
        return file


def _relations():
    """Every relation pointing at an image: a lead image, a picture in a body, a
    contributor's photo, and whatever comes later; the library knows none of them
    by name, as Django's own deletion does not. Versions in History are no use."""
    return [
        relation
        for relation in Image._meta.get_fields(include_hidden=True)
        if relation.one_to_many
        and relation.auto_created
        and not issubclass(relation.related_model, HistoricalChanges)
    ]


def _rows_using(relation, image):
    return relation.related_model._base_manager.filter(**{relation.field.name: image})


class ImageQuerySet(models.QuerySet):
    def with_use_count(self):
        """Annotate `use_count`, the places each picture is used, in this one
        query whatever the number of pictures."""
        total = models.Value(0)
        for relation in _relations():
            uses = (
                _rows_using(relation, OuterRef("pk"))
                .order_by()
                .values(relation.field.name)
                .annotate(n=Count("pk"))
                .values("n")
            )
            total = total + Coalesce(Subquery(uses, output_field=IntegerField()), 0)
        return self.annotate(use_count=total)

    def unused(self):
        """Pictures nothing shows."""
        used = Q(pk__in=[])
        for relation in _relations():
            used |= Q(Exists(_rows_using(relation, OuterRef("pk"))))
        return self.exclude(used)


@dataclass(frozen=True)
class Use:
    """One place a picture appears, and the row an editor opens to change it."""

    label: str
    owner: object


class Image(models.Model):
    """A picture in the library, used as a lead image, inside a body, or as a
    contributor's photo."""

    file = ScrubbedImageField(
        _("file"),
        upload_to="images/",
        width_field="width",
        height_field="height",
        help_text=_(
            "JPEG, PNG, WebP or GIF. Location, camera and other hidden data are "
            "removed and the file is renamed before it is stored."
        ),
    )
    width = models.PositiveIntegerField(editable=False, default=0)
    height = models.PositiveIntegerField(editable=False, default=0)
    alt_text = models.CharField(
        _("alt text"),
        max_length=300,
        help_text=_("What the picture shows, for readers who cannot see it."),
    )
    caption = models.CharField(_("caption"), max_length=500, blank=True)
    credit = models.CharField(_("credit"), max_length=200, blank=True)
    content_warning = models.CharField(
        _("content warning"),
        max_length=200,
        blank=True,
        help_text=_(
            "For example “Graphic violence”. A flagged image is blurred until the "
            "reader chooses to see it, and never used as a thumbnail or social card."
        ),
    )
    focal_x = models.FloatField(
        _("focal point across"),
        default=0.5,
        validators=[MinValueValidator(0), MaxValueValidator(1)],
        help_text=_("0 is the left edge, 1 the right; crops keep this point."),
    )
    focal_y = models.FloatField(
        _("focal point down"),
        default=0.5,
        validators=[MinValueValidator(0), MaxValueValidator(1)],
        help_text=_("0 is the top edge, 1 the bottom."),
    )
    renditions = models.JSONField(default=list, editable=False)
    stripped_metadata = models.JSONField(
        _("removed on upload"),
        null=True,
        blank=True,
        editable=False,
        help_text=_(
            "The hidden data the pipeline found and removed from the file; empty "
            "for pictures stored before the library kept this."
        ),
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )

    objects = ImageQuerySet.as_manager()

    class Meta:
        ordering = ["-uploaded_at"]
        verbose_name = _("image")
        verbose_name_plural = _("images")

    def __str__(self):
        return self.caption or self.alt_text

    def uses(self) -> list[Use]:
        """Every place this picture appears. A row that is part of another (a
        picture in an article's body) is opened through what it belongs to."""
        from django.contrib import admin

        found = []
        for relation in _relations():
            model, name = relation.related_model, relation.field.name
            parents = [
                f.name
                for f in model._meta.concrete_fields
                if f.many_to_one and f.name != name
            ]
            part_of_another = parents and not admin.site.is_registered(model)
            rows = _rows_using(relation, self)
            if part_of_another:
                rows = rows.select_related(parents[0])
            for row in rows[:100]:
                if part_of_another:
                    found.append(Use(str(row), getattr(row, parents[0])))
                else:
                    label = str(relation.field.verbose_name).capitalize()
                    found.append(Use(f"{label}: {row}", row))
        return found

    @property
    def is_flagged(self) -> bool:
        return bool(self.content_warning)

    @property
    def thumbnail_url(self) -> str:
        """The smallest 3:2 crop, for grids and pickers."""
        card = self.sources("card").get("jpg")
        return card[0][0] if card else self.file.url

    def social_url(self) -> str:
        """The JPEG a social card shows: the widest full rendition up to 1280 px."""
        jpeg = [item for item in self.sources("full").get("jpg", []) if item[1] <= 1280]
        return jpeg[-1][0] if jpeg else self.file.url

    def phone_file(self, max_width: int = 720) -> "PictureFile":
        """The JPEG a phone loads for this picture (as the `src` of the full
        site's <picture>), with its weight, for a link that loads it on
        request (the lite edition)."""
        jpeg = sorted(
            (
                item
                for item in self.renditions
                if item["kind"] == "full" and item["format"] == "jpg"
            ),
            key=lambda item: item["width"],
        )
        fitting = [item for item in jpeg if item["width"] <= max_width] or jpeg[:1]
        if not fitting:
            return PictureFile(
                self.file.url, self.width, self.height, _stored_size(self.file.name)
            )
        item = fitting[-1]
        size = item.get("bytes") or _stored_size(item["name"])
        return PictureFile(
            default_storage.url(item["name"]), item["width"], item["height"], size
        )

    def sources(self, kind="full"):
        """{format: [(url, width, height), ...]} of this image's renditions,
        narrowest first; empty until renditions are made."""
        key = tuple(
            (item["kind"], item["format"], item["width"], item["height"], item["name"])
            for item in self.renditions
        )
        # Keyed by where media live too (file system, object storage, a CDN).
        return _sources(key, kind, default_storage.url(""))


@dataclass(frozen=True)
class PictureFile:
    """One stored file of a picture: its address, size in pixels and bytes."""

    url: str
    width: int
    height: int
    bytes: int

    @property
    def kilobytes(self) -> int:
        return max(round(self.bytes / 1000), 1)


@lru_cache(maxsize=4096)
def _stored_size(name: str) -> int:
    """The size of a stored file. Names carry a hash of their bytes (or are
    random and never rewritten), so a size once read holds: asked of the storage
    once per process (renditions made since this release record their size)."""
    try:
        return default_storage.size(name)
    except Exception:  # a missing file, on disk or in a bucket: nothing to tell
        return 0


@lru_cache(maxsize=2048)
def _sources(renditions, kind, media_base):
    """Rendition names carry a hash of their bytes, so a list of them always
    means the same URLs: worked out once per process, not once per card (a page
    of cards spent much of its time joining URLs)."""
    found = {}
    for item_kind, fmt, width, height, name in renditions:
        if item_kind == kind:
            found.setdefault(fmt, []).append((default_storage.url(name), width, height))
    for items in found.values():
        items.sort(key=lambda item: item[1])
    return found

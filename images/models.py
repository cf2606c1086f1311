from functools import lru_cache

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

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
        return file


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
    uploaded_at = models.DateTimeField(auto_now_add=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )

    class Meta:
        ordering = ["-uploaded_at"]
        verbose_name = _("image")
        verbose_name_plural = _("images")

    def __str__(self):
        return self.caption or self.alt_text

    @property
    def is_flagged(self) -> bool:
        return bool(self.content_warning)

    def social_url(self) -> str:
        """The JPEG a social card shows: the widest full rendition up to 1280 px."""
        jpeg = [item for item in self.sources("full").get("jpg", []) if item[1] <= 1280]
        return jpeg[-1][0] if jpeg else self.file.url

    def sources(self, kind="full"):
        """{format: [(url, width, height), ...]} of this image's renditions,
        narrowest first; empty until renditions are made."""
        key = tuple(
            (item["kind"], item["format"], item["width"], item["height"], item["name"])
            for item in self.renditions
        )
        return _sources(key, kind, default_storage.base_url)


@lru_cache(maxsize=2048)
def _sources(renditions, kind, base_url):
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

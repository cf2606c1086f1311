"""Who the site says it is: its name, short description, logo, icons and accent
colour, edited in the admin and shown in the header, footer, feeds, emails and
social cards."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from masthead.colours import DEFAULT_ACCENT, dark_variant, validate_accent

DEFAULT_DESCRIPTION = _("Independent reporting from conflict zones.")


class SiteIdentity(models.Model):
    """The one row that names the site; until an editor saves it, `current()`
    answers with the name from the SITE_NAME setting."""

    name = models.CharField(
        _("name"),
        max_length=100,
        help_text=_(
            "Shown in the header, page titles, feeds, emails and social cards."
        ),
    )
    description = models.CharField(
        _("short description"),
        max_length=300,
        blank=True,
        help_text=_(
            "One sentence about the site: the home page's description for search "
            "engines, the feeds' description and the footer."
        ),
    )
    logo = models.ForeignKey(
        "images.Image",
        verbose_name=_("logo"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_(
            "Shown in the header and given to search engines as the publisher's "
            "logo. A transparent PNG works on light and dark pages alike."
        ),
    )
    show_name_with_logo = models.BooleanField(
        _("show the name beside the logo"),
        default=True,
        help_text=_("Untick when the logo spells out the name itself."),
    )
    icon = models.ForeignKey(
        "images.Image",
        verbose_name=_("icon"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_(
            "A square picture of at least 512 by 512 pixels: the browser tab's "
            "icon and the phone home-screen icons are made from it."
        ),
    )
    accent_colour = models.CharField(
        _("accent colour"),
        max_length=7,
        default=DEFAULT_ACCENT,
        validators=[validate_accent],
        help_text=_(
            "Links, buttons and rules. It must stay readable on the white page "
            "(WCAG AA contrast); dark mode uses a lighter shade of it, made for you."
        ),
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("site identity")
        verbose_name_plural = _("site identity")
        constraints = [
            models.CheckConstraint(condition=models.Q(id=1), name="one_site_identity")
        ]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        self.pk = 1
        super().save(*args, **kwargs)

    @classmethod
    def current(cls) -> "SiteIdentity":
        """The saved identity with its logo and icon (one query), or an unsaved
        one named after the SITE_NAME setting."""
        found = cls.objects.select_related("logo", "icon").filter(pk=1).first()
        return found or cls(name=settings.SITE_NAME, description=DEFAULT_DESCRIPTION)

    @property
    def accent_on_dark(self) -> str:
        return dark_variant(self.accent_colour)

    @property
    def accent_stylesheet_url(self) -> str | None:
        """The small stylesheet that sets this accent (None for the default one,
        which site.css sets). Its address names the colour: cacheable forever."""
        if self.accent_colour == DEFAULT_ACCENT:
            return None
        return reverse("masthead:accent", args=[self.accent_colour.removeprefix("#")])

    def icon_rendition(self, size: int):
        """The storage name of the square icon of `size` pixels, or None."""
        if self.icon is None:
            return None
        for item in self.icon.renditions:
            if item["kind"] == "icon" and item["width"] == size:
                return item["name"]
        return None

    @property
    def icon_links(self) -> list[dict]:
        """The <link>s of the icons: a favicon, iOS's touch icon, Android's."""
        links = [("icon", 32), ("apple-touch-icon", 180), ("icon", 192)]
        return [
            {"rel": rel, "size": size, "url": url}
            for rel, size in links
            if (url := self.icon_url(size))
        ]

    def icon_url(self, size: int) -> str | None:
        """The icon of `size` pixels on this site (never the media host: see
        masthead/views.py), with its version in the address."""
        name = self.icon_rendition(size)
        if name is None:
            return None
        version = name.rsplit("/", 1)[-1].split("-", 1)[0]
        return reverse("masthead:icon", kwargs={"version": version, "size": size})

import re
import secrets

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _


class ContributorQuerySet(models.QuerySet):
    def with_public_profile(self):
        """Contributors who may have a page, photo, links and a Person in JSON-LD."""
        return self.filter(identity=Contributor.Identity.NAMED)


def neutral_slug() -> str:
    """A slug that says nothing of the person: "contributor-" and random hex."""
    return f"contributor-{secrets.token_hex(5)}"


NEUTRAL_SLUG = re.compile(r"^contributor-[0-9a-f]{10}$")


class Contributor(models.Model):
    class Identity(models.TextChoices):
        NAMED = "named", _("Real name")
        PSEUDONYM = "pseudonym", _("Pseudonym")
        WITHHELD = "withheld", _("Name withheld for safety")

    PROTECTED_IDENTITIES = [Identity.PSEUDONYM, Identity.WITHHELD]

    name = models.CharField(
        _("name"),
        max_length=200,
        help_text=_(
            "As the newsroom knows them. Public only when the identity is “Real name”."
        ),
    )
    slug = models.SlugField(
        _("slug"),
        max_length=200,
        unique=True,
        blank=True,
        help_text=_(
            "The address of a named contributor's page; leave empty to make it from "
            "the name. Pseudonymous and withheld contributors always get a random "
            "one that says nothing of them."
        ),
    )
    identity = models.CharField(
        _("identity"),
        max_length=20,
        choices=Identity,
        default=Identity.NAMED,
        help_text=_(
            "Pseudonymous and withheld contributors get no page, photo, links or "
            "structured data anywhere on the site."
        ),
    )
    pseudonym = models.CharField(
        _("pseudonym"),
        max_length=200,
        blank=True,
        help_text=_("The name readers see when the identity is “Pseudonym”."),
    )
    role = models.CharField(
        _("role"),
        max_length=200,
        blank=True,
        help_text=_("For example “Freelance reporter, Mosul”."),
    )
    bio = models.TextField(_("short bio"), max_length=1000, blank=True)
    photo = models.ForeignKey(
        "images.Image",
        verbose_name=_("photo"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    website = models.URLField(_("website"), blank=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("staff account"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="contributor",
        help_text=_("Lets a writer find and edit their own drafts."),
    )

    objects = ContributorQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("contributor")
        verbose_name_plural = _("contributors")
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(identity="pseudonym") | ~models.Q(pseudonym=""),
                name="pseudonymous_contributor_has_pseudonym",
                violation_error_message=_(
                    "A pseudonymous contributor needs a pseudonym."
                ),
            )
        ]

    def __str__(self):
        if self.identity == self.Identity.NAMED:
            return self.name
        return f"{self.name} ({self.byline_name})"

    def save(self, *args, **kwargs):
        # A protected identity's slug (and so any address or file name made from
        # it) carries nothing of the real name, whatever was typed or kept from
        # when the contributor was named.
        if not self.has_public_profile and not NEUTRAL_SLUG.match(self.slug):
            self.slug = neutral_slug()
            while self._slug_taken(self.slug):
                self.slug = neutral_slug()
        elif not self.slug:
            base = slugify(self.name)[:180] or "contributor"
            self.slug, number = base, 1
            while self._slug_taken(self.slug):
                number += 1
                self.slug = f"{base}-{number}"
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "slug"}
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("articles:contributor", kwargs={"slug": self.slug})

    def _slug_taken(self, slug: str) -> bool:
        return Contributor.objects.filter(slug=slug).exclude(pk=self.pk).exists()

    @property
    def has_public_profile(self) -> bool:
        return self.identity == self.Identity.NAMED

    @property
    def byline_name(self) -> str:
        """The only name the public site ever shows for this contributor."""
        if self.identity == self.Identity.PSEUDONYM:
            return self.pseudonym
        if self.identity == self.Identity.WITHHELD:
            return str(_("Name withheld for safety"))
        return self.name

    @property
    def public_role(self) -> str:
        # A protected contributor's role, bio, photo and links are for the newsroom
        # only: any of them could identify the person.
        return self.role if self.has_public_profile else ""

    @property
    def public_bio(self) -> str:
        return self.bio if self.has_public_profile else ""

    @property
    def public_photo(self):
        return self.photo if self.has_public_profile else None

    @property
    def public_website(self) -> str:
        return self.website if self.has_public_profile else ""

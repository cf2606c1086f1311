"""What the WordPress import keeps: which WordPress post, author and picture each
Newsroom row came from, so that a second run updates instead of duplicating, and
the old site's addresses, which answer with a permanent redirect to the new ones.

A WordPress post is known by its site and its id (and, should the site have moved
to another address between two exports, by its GUID, which WordPress never
changes). Nothing here is shown to readers; the old addresses are followed by
wordpress.middleware.old_addresses."""

from urllib.parse import unquote, urlsplit

from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from taggit.models import Tag

# A unique index holds a key of at most about 2,700 bytes: 600 characters of
# Arabic script (two bytes each in UTF-8) fit, and no real permalink is longer.
PATH_MAX_LENGTH = 600


def site_key(url: str) -> str:
    """A WordPress site's address as a key that survives a move from http to
    https or the loss of "www.": "example.org/news"."""
    parts = urlsplit((url or "").strip())
    host = (parts.hostname or "").lower().removeprefix("www.")
    if parts.port:
        host = f"{host}:{parts.port}"
    return f"{host}{parts.path.rstrip('/')}"


def normalized_path(path: str) -> str:
    """A path as old addresses are stored and looked up: percent-decoded, without
    a trailing slash or index.php ("/2019/05/12/slug"; the root is "/")."""
    path = unquote(path or "/")
    path = path.removesuffix("/index.php").rstrip("/")
    return path or "/"


class ImportedPost(models.Model):
    """The WordPress post an article came from, and what it was when imported."""

    site = models.CharField(max_length=300)
    post_id = models.PositiveBigIntegerField()
    guid = models.CharField(max_length=500, blank=True, db_index=True)
    article = models.OneToOneField(
        "articles.Article", on_delete=models.CASCADE, related_name="+"
    )
    # Digests of the post and of its kept comments as last imported: a run
    # leaves what did not change on WordPress untouched.
    post_digest = models.CharField(max_length=64)
    comments_digest = models.CharField(max_length=64, blank=True)
    # The WordPress ids of the comments kept: one deleted there goes here too,
    # and only comments that came from WordPress are ever removed.
    comment_ids = models.JSONField(default=list, blank=True)
    imported_at = models.DateTimeField()

    class Meta:
        verbose_name = _("imported WordPress post")
        verbose_name_plural = _("imported WordPress posts")
        constraints = [
            models.UniqueConstraint(
                fields=["site", "post_id"], name="one_article_per_wordpress_post"
            )
        ]

    def __str__(self):
        return f"{self.site} post {self.post_id}"


class ImportedAuthor(models.Model):
    """The contributor a WordPress author became. The login stays here, out of
    every page: it may be a protected contributor's real name."""

    site = models.CharField(max_length=300)
    login = models.CharField(max_length=200)
    contributor = models.ForeignKey(
        "contributors.Contributor", on_delete=models.CASCADE, related_name="+"
    )

    class Meta:
        verbose_name = _("imported WordPress author")
        verbose_name_plural = _("imported WordPress authors")
        constraints = [
            models.UniqueConstraint(
                fields=["site", "login"], name="one_contributor_per_wordpress_author"
            )
        ]

    def __str__(self):
        return f"{self.site} author {self.login}"


class ImportedImage(models.Model):
    """The library picture made from a file of the WordPress uploads folder.

    The picture is named by its key, not by a foreign key: the image library
    counts every relation to a picture as a place it is used, and this one is
    not (a picture deleted from the library is simply imported again)."""

    site = models.CharField(max_length=300)
    path = models.CharField(max_length=PATH_MAX_LENGTH)
    image_pk = models.PositiveBigIntegerField()

    class Meta:
        verbose_name = _("imported WordPress picture")
        verbose_name_plural = _("imported WordPress pictures")
        constraints = [
            models.UniqueConstraint(
                fields=["site", "path"], name="one_picture_per_wordpress_upload"
            )
        ]

    def __str__(self):
        return f"{self.site} upload {self.path}"


class OldAddressQuerySet(models.QuerySet):
    def destination(self, path: str, *, feed: bool = False) -> str | None:
        """Where an old address now leads (an article's, section's or tag's page,
        or its feed), or None. One query. An article that is not live has no
        destination: its address must not leak before it is published."""
        found = (
            self.filter(path=path)
            .select_related("article", "section", "tag")
            .only(
                "article__slug",
                "article__language",
                "article__status",
                "article__published_at",
                "section__slug",
                "tag__slug",
            )
            .first()
        )
        if found is None:
            return None
        if found.article_id is not None:
            return found.article.get_absolute_url() if found.article.is_live else None
        if found.section_id is not None:
            if feed:
                return reverse("articles:section_feed", args=[found.section.slug])
            return found.section.get_absolute_url()
        name = "articles:tag_feed" if feed else "articles:tag"
        return reverse(name, args=[found.tag.slug])


class OldAddress(models.Model):
    """An address of the old WordPress site (a post's permalink, its "?p=" form,
    a category's or a tag's page) and what it leads to now: readers following
    an old link, and search engines, get a permanent redirect."""

    path = models.CharField(
        _("old address"),
        max_length=PATH_MAX_LENGTH,
        unique=True,
        help_text=_("A path of the old site, such as /2019/05/12/a-report or /?p=12."),
    )
    article = models.ForeignKey(
        "articles.Article",
        verbose_name=_("article"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    section = models.ForeignKey(
        "articles.Section",
        verbose_name=_("section"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    tag = models.ForeignKey(
        Tag,
        verbose_name=_("tag"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )

    objects = OldAddressQuerySet.as_manager()

    class Meta:
        ordering = ["path"]
        verbose_name = _("old WordPress address")
        verbose_name_plural = _("old WordPress addresses")
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(article__isnull=False, section__isnull=True, tag__isnull=True)
                    | Q(article__isnull=True, section__isnull=False, tag__isnull=True)
                    | Q(article__isnull=True, section__isnull=True, tag__isnull=False)
                ),
                name="old_address_leads_to_one_thing",
                violation_error_message=_(
                    "An old address leads to one article, section or tag."
                ),
            )
        ]

    def __str__(self):
        return self.path

    def clean(self):
        # As the old site's links are looked up: a pasted full address, a
        # trailing slash or a percent-encoded path all find the same row.
        address = urlsplit((self.path or "").strip())
        path = normalized_path(address.path)
        self.path = f"{path}?{address.query}" if address.query else path

    @property
    def target(self):
        return self.article or self.section or self.tag

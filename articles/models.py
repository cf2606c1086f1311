import math
import re
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.postgres.aggregates import ArrayAgg, StringAgg
from django.contrib.postgres.expressions import ArraySubquery
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchRank, SearchVectorField
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Exists, F, OuterRef, Prefetch, Q, Value
from django.db.models.functions import Cast, Coalesce, Concat
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords
from taggit.managers import TaggableManager
from taggit.models import Tag, TaggedItemBase

from articles.richtext import (
    READING_WORDS_PER_MINUTE,
    SanitizedBodyField,
    blocks,
    picture_id,
    serialize,
    word_count,
)
from articles.search import field_vector, search_query
from masthead.models import SiteIdentity
from newsroom.fragments import SITE, remember, version_key
from newsroom.languages import interface_language, is_default

RTL_LANGUAGES = {"ar", "ckb", "fa", "he", "ur"}
# Between the language, slug and key of a version (see with_versions()): slugs
# hold letters, digits, "-" and "_" only.
VERSION_KEY_SEPARATOR = "|"
# Articles the public may see have one of these statuses (and a time now past).
PUBLIC_STATUSES = ["published", "scheduled"]
# How many recently tagged articles compete to be an article's related posts,
# shared out among its tags.
RELATED_CANDIDATES = 600
# How many matches search ranks by relevance (the newest).
SEARCH_CANDIDATES = 120
# Languages written in Arabic script, which separate list items with the Arabic
# comma "،" (U+060C).
ARABIC_SCRIPT_LANGUAGES = {"ar", "ckb", "fa", "ur"}


def list_separator(language: str) -> str:
    """ ", " in Latin script, "، " in Arabic script."""
    return "\u060c " if language in ARABIC_SCRIPT_LANGUAGES else ", "


class SectionQuerySet(models.QuerySet):
    def in_navigation(self):
        """The sections the header and the front page show, in the editors'
        order."""
        return self.filter(in_navigation=True).order_by("position", "name", "pk")


class Section(models.Model):
    """A part of the site editors define (Iraq, Syria, Analysis…): every article
    belongs to one, and each has its page and feed."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    slug = models.SlugField(_("slug"), max_length=100, unique=True, allow_unicode=True)
    description = models.CharField(
        _("description"),
        max_length=300,
        blank=True,
        help_text=_("One sentence, shown on the section's page and in its feed."),
    )
    position = models.PositiveSmallIntegerField(
        _("position"),
        default=0,
        help_text=_("Sections are listed from the lowest number to the highest."),
    )
    in_navigation = models.BooleanField(
        _("in the navigation"),
        default=True,
        help_text=_("Listed in the header and on the front page."),
    )

    objects = SectionQuerySet.as_manager()

    class Meta:
        ordering = ["position", "name"]
        verbose_name = _("section")
        verbose_name_plural = _("sections")

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("articles:section", kwargs={"slug": self.slug})


class PartnerOutlet(models.Model):
    """A news outlet whose reports the newsroom republishes."""

    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=200, unique=True)
    site_url = models.URLField(_("site address"))
    licence = models.CharField(
        _("licence"),
        max_length=200,
        blank=True,
        help_text=_("For example “CC BY-ND 4.0” or “Republished with permission”."),
    )
    description = models.TextField(_("description"), blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("partner outlet")
        verbose_name_plural = _("partner outlets")

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("articles:partner", kwargs={"slug": self.slug})


class TaggedArticle(TaggedItemBase):
    """Direct through-model, so tag joins and prefetches stay on one small table."""

    # Each key leads one of the two indexes below, which serve every lookup, so
    # neither needs an index of its own.
    tag = models.ForeignKey(
        Tag,
        on_delete=models.CASCADE,
        related_name="%(app_label)s_%(class)s_items",
        db_index=False,
    )
    content_object = models.ForeignKey(
        "Article", on_delete=models.CASCADE, related_name="tagged_items", db_index=False
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["content_object", "tag"], name="unique_article_tag"
            )
        ]
        indexes = [
            # A tag's articles, most recent first: tag pages and related posts.
            models.Index(
                fields=["tag", "-content_object"], name="tagged_article_by_tag"
            )
        ]


class ArticleQuerySet(models.QuerySet):
    def published(self):
        """What the public may see. Every public view, feed, sitemap and template
        tag starts here. A scheduled article counts from its publication time,
        so it goes live with no job and no one acting."""
        return self.filter(status__in=PUBLIC_STATUSES, published_at__lte=timezone.now())

    def in_edition(self, language):
        """The reports of an edition: those in `language`, or every report in
        the default (English) edition, whatever its language."""
        return self if is_default(language) else self.filter(language=language)

    def next_publication_time(self):
        """When the next scheduled article goes live (None when none is waiting):
        no cached page may outlive it. One query on the status/time index."""
        return (
            self.filter(
                status__in=[Article.Status.PUBLISHED, Article.Status.SCHEDULED],
                published_at__gt=timezone.now(),
            )
            .order_by("published_at")
            .values_list("published_at", flat=True)
            .first()
        )

    def in_public_state(self, state: "PublicState"):
        """Articles in one of the states the status column shows."""
        return self.filter(state.condition())

    def visible_to(self, user):
        """What a member of staff works on: everything for editors; for writers,
        what they created and what is credited to their contributor profile."""
        if user.has_perm("articles.publish_article"):
            return self
        credited = ArticleContributor.objects.filter(
            article=OuterRef("pk"), contributor__user=user
        )
        return self.filter(Q(created_by=user) | Q(Exists(credited)))

    def for_listing(self):
        """What a list of article cards (or a feed) needs, in one query: no N+1 on
        images or sections, and not the body or search vector, which no card
        shows."""
        return (
            self.select_related("lead_image", "section")
            .defer("body", "search_vector")
            .order_by("-published_at", "-pk")
        )

    def latest_per_section(self, sections, *, count, exclude=()):
        """The `count` newest of these articles in each of `sections`, as cards,
        in one query whatever the number of sections: a UNION ALL of one small
        query per section, each read newest first along the section/time index
        and stopped after `count` rows (never a scan of the whole archive)."""
        parts = [
            self.filter(section=section).exclude(pk__in=exclude).for_listing()[:count]
            for section in sections
        ]
        if not parts:
            return self.none()
        return parts[0].union(*parts[1:], all=True)

    def with_bylines_and_tags(self, photos=False):
        """Bylines (with their contributors, and their photos if asked) and tags
        (with their names) in one query each, for pages and feeds that show them."""
        contributor = "contributor__photo" if photos else "contributor"
        return self.prefetch_related(
            Prefetch(
                "article_contributors",
                queryset=ArticleContributor.objects.select_related(
                    contributor
                ).order_by("position", "pk"),
            ),
            Prefetch(
                "tagged_items",
                queryset=TaggedArticle.objects.select_related("tag").order_by(
                    "tag__name"
                ),
            ),
        )

    def for_page_key(self):
        """Only what the article page shows outside its kept parts (see
        templates/articles/article_detail.html): the title, the comment
        section, and `modified_at`, which the parts are kept under. The rest
        (for_article_page), the linked versions included, is read when a part
        must be rendered."""
        return self.only(
            "slug",
            "headline",
            "standfirst",
            "language",
            "status",
            "published_at",
            "modified_at",
            "comments_open",
        )

    def for_article_page(self):
        """Every join the article page makes, gathered here to avoid N+1 queries:
        one query for the article, one per prefetched relation."""
        return (
            self.select_related("partner", "lead_image", "section")
            .defer("search_vector")
            .with_bylines_and_tags(photos=True)
            .prefetch_related(
                Prefetch(
                    "corrections",
                    queryset=Correction.objects.order_by("published_at"),
                ),
                Prefetch(
                    "inline_images",
                    queryset=ArticleImage.objects.select_related("image").order_by(
                        "position", "pk"
                    ),
                ),
            )
            .with_versions()
        )

    def with_versions(self):
        """Each article with its published versions in other languages, in the
        same query ("language|slug|pk" each, read by Article.versions()): one
        short walk of the (translation_of, language) index per article."""
        group = Coalesce(OuterRef("translation_of_id"), OuterRef("pk"))
        versions = (
            Article.objects.published()
            .filter(Q(pk=group) | Q(translation_of=group))
            .exclude(pk=OuterRef("pk"))
            .order_by("language")
            .values(
                key=Concat(
                    "language",
                    Value(VERSION_KEY_SEPARATOR),
                    "slug",
                    Value(VERSION_KEY_SEPARATOR),
                    Cast("pk", models.TextField()),
                    output_field=models.TextField(),
                )
            )
        )
        return self.annotate(version_keys=ArraySubquery(versions))

    def related_to(self, article, limit=None):
        """Published articles ranked by the number of tags they share with
        `article`, then by recency, in one query whatever the number of tags.

        Only a window of candidates is ranked, so a tag on a third of a large
        archive costs what a rare one does: for each of the article's tags, its
        share of RELATED_CANDIDATES among the articles most recently given it
        (one index range each; a smaller tag is read whole), whose shared tags
        are counted exactly on the (article, tag) index. On an archive whose
        tags fit in the windows this is exactly the ranking of counting every
        article."""
        limit = limit or settings.RELATED_ARTICLES_COUNT
        # Prefetched by for_article_page(), so this costs no query there.
        tag_ids = sorted({item.tag_id for item in article.tagged_items.all()})
        if not tag_ids:
            return self.none()
        per_tag = -(-RELATED_CANDIDATES // len(tag_ids))
        windows = [
            TaggedArticle.objects.filter(tag_id=tag_id)
            .exclude(content_object_id=article.pk)
            .order_by("-content_object_id")
            .values_list("content_object_id", flat=True)[:per_tag]
            for tag_id in tag_ids
        ]
        candidates = windows[0].union(*windows[1:]) if len(windows) > 1 else windows[0]
        # COUNT(*) on the (article, tag) unique index alone, per candidate: a
        # join would tempt the planner to read every link of a popular tag.
        shared = models.Subquery(
            TaggedArticle.objects.filter(
                content_object=models.OuterRef("pk"), tag_id__in=tag_ids
            )
            .order_by()
            .values(count=models.Func(Value(1), function="COUNT"))
        )
        return (
            self.published()
            .filter(pk__in=candidates)
            .annotate(shared_tags=shared)
            .select_related("lead_image")
            .defer("body", "search_vector")
            .order_by("-shared_tags", "-published_at", "-pk")[:limit]
        )

    def matching(self, text):
        """Articles whose headline, standfirst, body or tags contain `text`."""
        return self.filter(search_vector=search_query(text))

    def search(self, text):
        """Full-text search over headline, standfirst, body and tags, best first
        (see search_matches and ranked_for): one query."""
        return Article.objects.filter(pk__in=self.search_matches(text)).ranked_for(text)

    def search_matches(self, text, limit=None):
        """The keys of the newest `limit` (SEARCH_CANDIDATES) matches of `text`:
        the date index gives them cheaply, so a word found in 30,000 reports
        costs what a rare one does, and relevance is scored for these only."""
        return (
            self.matching(text)
            .order_by("-published_at", "-pk")
            .values_list("pk", flat=True)[: limit or SEARCH_CANDIDATES]
        )

    def ranked_for(self, text):
        """These articles, most relevant to `text` first, then newest."""
        query = search_query(text)
        return self.annotate(rank=SearchRank(F("search_vector"), query)).order_by(
            "-rank", "-published_at", "-pk"
        )

    def update_search_vectors(self):
        """Recompute the stored search vectors of these articles in one UPDATE."""
        tag_names = (
            TaggedArticle.objects.filter(content_object=models.OuterRef("pk"))
            .values("content_object")
            .annotate(names=StringAgg("tag__name", delimiter=" "))
            .values("names")
        )
        tags = Coalesce(
            models.Subquery(tag_names), Value(""), output_field=models.TextField()
        )
        vector = (
            field_vector(F("headline"), "A")
            + field_vector(tags, "B")
            + field_vector(F("standfirst"), "B")
            + field_vector(F("body"), "C")
        )
        return self.update(search_vector=vector)


class PublicState(models.TextChoices):
    """What the public sees of an article right now; the label is the status
    column's word for it."""

    LIVE = "live", _("Live")
    SCHEDULED = "scheduled", _("Scheduled")
    IN_REVIEW = "review", _("In review")
    DRAFT = "draft", _("Draft")
    UNPUBLISHED = "unpublished", _("Unpublished")

    def condition(self) -> Q:
        """The articles in this state now, as a filter; LIVE is published()."""
        public = Q(status__in=[Article.Status.PUBLISHED, Article.Status.SCHEDULED])
        now = timezone.now()
        if self is PublicState.LIVE:
            return public & Q(published_at__lte=now)
        if self is PublicState.SCHEDULED:
            return public & (Q(published_at__gt=now) | Q(published_at=None))
        return Q(status=self.value)


class ArticleVersionBase(models.Model):
    """What a version keeps besides the article's own fields: its tags, bylines
    and corrections as they were (pictures are part of the body)."""

    related = models.JSONField(null=True, blank=True, editable=False)

    class Meta:
        abstract = True


class ArticleHistory(HistoricalRecords):
    """Versions are recorded by articles.services.article_changed once the tags,
    bylines, corrections and pictures of a change are saved too, so that every
    version is whole; a bare save() records none (deletions are still kept)."""

    def post_save(self, instance, created, using=None, **kwargs):
        return


class Article(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        IN_REVIEW = "review", _("In review")
        SCHEDULED = "scheduled", _("Scheduled")
        PUBLISHED = "published", _("Published")
        UNPUBLISHED = "unpublished", _("Unpublished")

    class LocationPrecision(models.TextChoices):
        CITY = "city", _("City")
        REGION = "region", _("Region")
        COUNTRY = "country", _("Country")
        WITHHELD = "withheld", _("Withheld")

    class Language(models.TextChoices):
        ENGLISH = "en", "English"
        ARABIC = "ar", "العربية"
        SORANI = "ckb", "کوردی"
        KURMANJI = "kmr", "Kurmancî"
        FRENCH = "fr", "Français"

    headline = models.CharField(_("headline"), max_length=300)
    slug = models.SlugField(
        _("slug"),
        max_length=200,
        unique=True,
        allow_unicode=True,
        help_text=_(
            "The address of the article. Old addresses keep working after a change."
        ),
    )
    standfirst = models.TextField(_("standfirst"), max_length=600, blank=True)
    language = models.CharField(
        _("language"), max_length=8, choices=Language, default=Language.ENGLISH
    )
    translation_of = models.ForeignKey(
        "self",
        verbose_name=_("version of"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="translations",
        help_text=_(
            "The same report in another language. Pick the original (or any of "
            "its versions): every version then links to the others, “Also in”."
        ),
    )
    section = models.ForeignKey(
        Section,
        verbose_name=_("section"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="articles",
        help_text=_(
            "Where the report is listed: its section page, feed and place "
            "on the front page."
        ),
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status, default=Status.DRAFT, db_index=True
    )
    published_at = models.DateTimeField(
        _("publication time"),
        null=True,
        blank=True,
        help_text=_("A scheduled article goes live at this time."),
    )
    updated_at = models.DateTimeField(
        _("visible “Updated” time"),
        null=True,
        blank=True,
        help_text=_("Shown to readers; leave empty when nothing of substance changed."),
    )
    dateline_city = models.CharField(_("city"), max_length=100, blank=True)
    dateline_region = models.CharField(_("region"), max_length=100, blank=True)
    dateline_country = models.CharField(_("country"), max_length=100, blank=True)
    location_precision = models.CharField(
        _("location shown to readers"),
        max_length=10,
        choices=LocationPrecision,
        default=LocationPrecision.CITY,
        help_text=_(
            "Show less than the city when the place itself could endanger someone."
        ),
    )
    lead_image = models.ForeignKey(
        "images.Image",
        verbose_name=_("lead image"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    body = SanitizedBodyField(_("body"), blank=True)
    content_warning = models.CharField(
        _("content warning"),
        max_length=200,
        blank=True,
        help_text=_("For example “Graphic violence”: shown before the body."),
    )
    partner = models.ForeignKey(
        PartnerOutlet,
        verbose_name=_("originally published by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="articles",
    )
    original_url = models.URLField(
        _("original article address"),
        blank=True,
        help_text=_(
            "The partner's own page; it becomes this page's canonical address."
        ),
    )
    comments_open = models.BooleanField(_("comments open"), default=True)
    preview_key = models.UUIDField(
        default=uuid.uuid4,
        editable=False,
        help_text=_("Changing it revokes every shareable preview link."),
    )
    search_vector = SearchVectorField(null=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    modified_at = models.DateTimeField(auto_now=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("submitted by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    submitted_at = models.DateTimeField(
        _("submitted for review"), null=True, blank=True, editable=False
    )

    tags = TaggableManager(_("tags"), through=TaggedArticle, blank=True)
    contributors = models.ManyToManyField(
        "contributors.Contributor",
        through="ArticleContributor",
        related_name="articles",
        blank=True,
    )

    objects = ArticleQuerySet.as_manager()
    history = ArticleHistory(
        excluded_fields=["search_vector", "modified_at"],
        bases=[ArticleVersionBase],
    )

    class Meta:
        ordering = ["-published_at", "-pk"]
        verbose_name = _("article")
        verbose_name_plural = _("articles")
        permissions = [("publish_article", _("Can publish and schedule articles"))]
        indexes = [
            GinIndex(fields=["search_vector"], name="article_search_gin"),
            # Every public list runs newest first over published articles only:
            # this index gives that order, and keyset pages seek into it.
            models.Index(
                fields=["-published_at", "-id"],
                condition=models.Q(status__in=PUBLIC_STATUSES),
                name="article_public_order",
            ),
            models.Index(
                fields=["partner", "-published_at", "-id"],
                condition=models.Q(status__in=PUBLIC_STATUSES),
                name="article_partner_order",
            ),
            # A section's newest public reports (its page, feed and front-page
            # row) are read along this index and stopped after a page.
            models.Index(
                fields=["section", "-published_at", "-id"],
                condition=models.Q(status__in=PUBLIC_STATUSES),
                name="article_section_order",
            ),
            # The Arabic and Kurdish editions' lists: a language's newest public
            # reports, however few of the archive are in it.
            models.Index(
                fields=["language", "-published_at", "-id"],
                condition=models.Q(status__in=PUBLIC_STATUSES),
                name="article_language_order",
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["translation_of", "language"],
                name="one_version_per_language",
                violation_error_message=_(
                    "This report already has a version in that language."
                ),
            )
        ]

    def __str__(self):
        return self.headline

    def save(self, *args, **kwargs):
        if self.status == self.Status.PUBLISHED and not self.published_at:
            self.published_at = timezone.now()
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        """In the article's language: /ar/articles/... for an Arabic report."""
        with translation.override(self.interface_language):
            return reverse("articles:detail", kwargs={"slug": self.slug})

    def clean(self):
        self.clean_translation_of()
        if self.status == self.Status.SCHEDULED and not self.published_at:
            raise ValidationError(
                {"published_at": _("Give the time at which the article goes live.")}
            )
        if (
            self.status == self.Status.PUBLISHED
            and self.published_at
            and self.published_at > timezone.now()
        ):
            raise ValidationError(
                {
                    "status": _(
                        "The publication time is in the future: choose “Scheduled” "
                        "to publish it then, or clear the time to publish now."
                    )
                }
            )
        if self.original_url and not self.partner_id:
            raise ValidationError(
                {"partner": _("Say which partner outlet published the original.")}
            )

    def clean_translation_of(self):
        """A version links to the original of its report (an editor may pick any
        version: the link goes to that one's original), in another language."""
        original = self.translation_of
        if original is None:
            return
        if original.translation_of_id:
            original = self.translation_of = original.translation_of
        if self.pk and original.pk == self.pk:
            raise ValidationError(
                {"translation_of": _("A report cannot be a version of itself.")}
            )
        if self.pk and self.translations.exists():
            raise ValidationError(
                {
                    "translation_of": _(
                        "Other versions link to this report: link this one to none, "
                        "or link them to the original first."
                    )
                }
            )
        if original.language == self.language:
            raise ValidationError(
                {
                    "translation_of": _(
                        "The original is in the same language: a version is in "
                        "another one."
                    )
                }
            )

    @property
    def interface_language(self) -> str:
        """The language of the page around the article: its own when the
        interface is translated into it, else the default."""
        return interface_language(self.language)

    def versions(self) -> list["Article"]:
        """This report in the other languages readers may see it in, in the
        order of the language links (each with its slug and language only);
        no query for an article read with with_versions(), else one."""
        keys = getattr(self, "version_keys", None)
        if keys is None:
            keys = Article.objects.filter(pk=self.pk).with_versions()
            keys = keys.values_list("version_keys", flat=True).first() or []
        found = [
            Article(pk=int(pk), slug=slug, language=language)
            for language, slug, pk in (
                key.split(VERSION_KEY_SEPARATOR, 2) for key in keys
            )
        ]
        order = [code for code, _name in settings.LANGUAGES]
        return sorted(
            found,
            key=lambda a: (
                order.index(a.language) if a.language in order else len(order),
                a.language,
            ),
        )

    @property
    def is_live(self) -> bool:
        return (
            self.status in {self.Status.PUBLISHED, self.Status.SCHEDULED}
            and self.published_at is not None
            and self.published_at <= timezone.now()
        )

    @property
    def public_state(self) -> PublicState:
        """What readers see now, whatever the stored status says."""
        if self.status in {self.Status.PUBLISHED, self.Status.SCHEDULED}:
            return PublicState.LIVE if self.is_live else PublicState.SCHEDULED
        return PublicState(self.status)

    def public_state_label(self) -> str:
        """“Live”, “Scheduled for 3 May 2026, 14:00”, “Draft”…"""
        state = self.public_state
        if state == PublicState.SCHEDULED:
            if not self.published_at:
                return str(_("Scheduled, no time set"))
            when = formats.date_format(
                timezone.localtime(self.published_at), "j F Y, H:i"
            )
            return str(_("Scheduled for %(when)s")) % {"when": when}
        return str(state.label)

    @property
    def word_count(self) -> int:
        return word_count(self.body)

    @property
    def reading_minutes(self) -> int:
        words = self.word_count
        return max(math.ceil(words / READING_WORDS_PER_MINUTE), 1) if words else 0

    @property
    def text_direction(self) -> str:
        return "rtl" if self.language in RTL_LANGUAGES else "ltr"

    @property
    def dateline(self) -> str:
        """The place as precisely as the editor allows readers to see it."""
        parts = {
            self.LocationPrecision.CITY: [
                self.dateline_city,
                self.dateline_region,
                self.dateline_country,
            ],
            self.LocationPrecision.REGION: [
                self.dateline_region,
                self.dateline_country,
            ],
            self.LocationPrecision.COUNTRY: [self.dateline_country],
            self.LocationPrecision.WITHHELD: [],
        }[self.location_precision]
        return list_separator(self.language).join(part for part in parts if part)

    @property
    def card_image(self):
        """The image for thumbnails and social cards: never a flagged one."""
        image = self.lead_image
        if image is None or image.is_flagged or self.content_warning:
            return None
        return image

    @property
    def warning(self) -> str:
        """What a list says instead of showing a flagged picture: the article's
        content warning, or its lead picture's."""
        if self.content_warning:
            return self.content_warning
        image = self.lead_image
        return image.content_warning if image is not None else ""

    @property
    def tag_list(self):
        """This article's tags by name; prefetched by for_article_page()."""
        return [item.tag for item in self.tagged_items.all()]

    def latest_update(self):
        """The visible “Updated” time: the editor's, or the latest correction's."""
        times = [c.published_at for c in self.corrections.all()]
        if self.updated_at:
            times.append(self.updated_at)
        return max(times, default=None)

    def body_parts(self):
        """The body as ("html", block) and ("image", BodyPicture) parts, in the
        order the editor placed them. The pictures come from the prefetched
        inline_images (see for_article_page()); a picture since deleted from the
        library is left out."""
        found = blocks(self.body)
        images = {p.image_id: p.image for p in self.inline_images.all()}
        missing = {picture_id(b) for b in found} - set(images) - {None}
        if missing:  # the index lags behind a body saved without the service
            from images.models import Image

            images |= {i.pk: i for i in Image.objects.filter(pk__in=missing)}
        parts = []
        for block in found:
            image_id = picture_id(block)
            if image_id is None:
                parts.append(("html", serialize(block)))
            elif image_id in images:
                caption = block.text.strip()
                parts.append(("image", BodyPicture(images[image_id], caption)))
        return parts


# The front page's row of top stories, and the reports shown per section.
TOP_STORIES = 4
SECTION_STORIES = 4


class FrontPage(models.Model):
    """What leads the front page: the editors' lead story and top stories. Picks
    that are not live (a scheduled report, an unpublished one) are skipped
    until they are; empty places are filled with the latest reports."""

    lead = models.ForeignKey(
        Article,
        verbose_name=_("lead story"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_(
            "Leave empty to lead with the latest report. A scheduled report leads "
            "from its publication time."
        ),
    )
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )

    class Meta:
        verbose_name = _("front page")
        verbose_name_plural = _("front page")
        constraints = [models.CheckConstraint(condition=Q(id=1), name="one_front_page")]

    def __str__(self):
        return str(_("The front page"))

    def save(self, *args, **kwargs):
        self.pk = 1
        super().save(*args, **kwargs)

    @classmethod
    def layout(cls, sections, language=None) -> "FrontPageLayout":
        """The front page's reports: the lead, the row of top stories, then the
        latest of each of `sections` (none shown twice). Four queries whatever
        the number of sections or reports, each reading a few rows along an
        index: the editors' picks, those of them that are live, the latest
        reports for empty places, and every section's row.

        The edition of another `language` than the default shows only reports
        in it: each pick as its version in that language (one query more), or
        not at all, and the latest reports in that language."""
        chosen = (
            cls.objects.filter(pk=1)
            .values("lead_id")
            .annotate(
                top=ArrayAgg(
                    "top_stories__article_id",
                    order_by=["top_stories__position", "top_stories__pk"],
                    default=Value([]),
                )
            )
            .order_by()
        )
        chosen = next(iter(chosen), {"lead_id": None, "top": []})
        top_ids = [pk for pk in chosen["top"] if pk is not None]
        # Cards need neither the body nor the search vector.
        live = Article.objects.published().defer("body", "search_vector")
        picks = live.for_listing().in_bulk([chosen["lead_id"], *top_ids])
        if language and not is_default(language):
            live = live.in_edition(language)
            picks = _versions_in(live, picks)
        lead = picks.get(chosen["lead_id"])
        top = [picks[pk] for pk in dict.fromkeys(top_ids) if pk in picks]
        top = [article for article in top if article is not lead][:TOP_STORIES]
        wanted = (lead is None) + TOP_STORIES - len(top)
        shown = [article.pk for article in picks.values()]
        latest = list(live.exclude(pk__in=shown).for_listing()[:wanted])
        if lead is None and latest:
            lead = latest.pop(0)
        top += latest
        shown += [a.pk for a in top] + ([lead.pk] if lead else [])
        rows = {}
        for article in live.latest_per_section(
            sections, count=SECTION_STORIES, exclude=shown
        ):
            rows.setdefault(article.section_id, []).append(article)
        by_section = [
            (section, sorted(rows[section.pk], key=_newest_first))
            for section in sections
            if section.pk in rows
        ]
        return FrontPageLayout(lead=lead, top=top, sections=by_section)


def _versions_in(edition, picks: dict) -> dict:
    """Each of the editors' `picks` ({pk: article}) as its version among the
    `edition`'s reports (itself when it is one), or left out: one query."""
    originals = {pk: a.translation_of_id or a.pk for pk, a in picks.items()}
    found = {
        version.translation_of_id or version.pk: version
        for version in edition.for_listing().filter(
            Q(pk__in=originals.values()) | Q(translation_of__in=originals.values())
        )
    }
    return {pk: found[o] for pk, o in originals.items() if o in found}


def _newest_first(article):
    return (-article.published_at.timestamp(), -article.pk)


class TopStory(models.Model):
    """A report the editors place in the front page's row of top stories."""

    front_page = models.ForeignKey(
        FrontPage, on_delete=models.CASCADE, related_name="top_stories"
    )
    article = models.ForeignKey(
        Article,
        verbose_name=_("article"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = _("top story")
        verbose_name_plural = _("top stories")
        constraints = [
            models.UniqueConstraint(
                fields=["front_page", "article"], name="unique_top_story"
            )
        ]

    def __str__(self):
        return str(self.article)


@dataclass(frozen=True)
class FrontPageLayout:
    """The front page's reports, in the order readers see them."""

    lead: Article | None
    top: list
    sections: list  # [(Section, [Article, ...]), ...]


@dataclass(frozen=True)
class BodyPicture:
    """A library picture where the editor placed it in a body."""

    image: "Image"  # noqa: F821
    caption: str = ""

    @property
    def display_caption(self) -> str:
        return self.caption or self.image.caption


class ArticleContributor(models.Model):
    """An ordered byline: co-authors, photographers, translators."""

    article = models.ForeignKey(
        Article, on_delete=models.CASCADE, related_name="article_contributors"
    )
    contributor = models.ForeignKey(
        "contributors.Contributor",
        on_delete=models.PROTECT,
        related_name="article_credits",
    )
    role = models.CharField(
        _("role on this article"),
        max_length=100,
        blank=True,
        help_text=_("For example “Reporting”, “Photographs”, “Translation”."),
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = _("contributor")
        verbose_name_plural = _("contributors")
        constraints = [
            models.UniqueConstraint(
                fields=["article", "contributor"], name="unique_article_contributor"
            )
        ]

    def __str__(self):
        return f"{self.contributor} on {self.article}"


class ArticleImage(models.Model):
    """A library picture the body of an article shows: derived from the body by
    articles.services.article_changed, so the article page fetches its pictures in
    one query, the media library knows where each is used, and a picture in use
    cannot be deleted."""

    article = models.ForeignKey(
        Article, on_delete=models.CASCADE, related_name="inline_images"
    )
    image = models.ForeignKey(
        "images.Image", on_delete=models.PROTECT, related_name="article_placements"
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = _("picture in the body")
        verbose_name_plural = _("pictures in the body")
        constraints = [
            models.UniqueConstraint(
                fields=["article", "image"], name="unique_article_body_image"
            )
        ]

    def __str__(self):
        return str(_("In the body of “%(article)s”")) % {"article": self.article}


class CorrectionQuerySet(models.QuerySet):
    def public(self):
        """Corrections on articles the public may see, newest first."""
        return (
            self.filter(article__in=Article.objects.published())
            .select_related("article")
            .order_by("-published_at", "-pk")
        )

    def for_listing(self):
        """Only what the corrections page and feed show of each article."""
        return self.defer(
            "article__body", "article__search_vector", "article__standfirst"
        )


class Correction(models.Model):
    class Kind(models.TextChoices):
        CORRECTION = "correction", _("Correction")
        CLARIFICATION = "clarification", _("Clarification")
        UPDATE = "update", _("Update")

    article = models.ForeignKey(
        Article, on_delete=models.CASCADE, related_name="corrections"
    )
    kind = models.CharField(
        _("kind"), max_length=20, choices=Kind, default=Kind.CORRECTION
    )
    text = models.TextField(_("text"), max_length=2000)
    published_at = models.DateTimeField(_("date"), default=timezone.now)

    objects = CorrectionQuerySet.as_manager()

    class Meta:
        ordering = ["published_at", "pk"]
        indexes = [
            models.Index(fields=["-published_at", "-id"], name="correction_order")
        ]
        verbose_name = _("correction or update")
        verbose_name_plural = _("corrections and updates")

    def __str__(self):
        return f"{self.get_kind_display()}: {self.article}"

    def get_absolute_url(self):
        return f"{self.article.get_absolute_url()}#correction-{self.pk}"


class ArticleSlugRedirect(models.Model):
    """An address a published article had before its slug changed; answers 301."""

    old_slug = models.SlugField(max_length=200, unique=True, allow_unicode=True)
    article = models.ForeignKey(
        Article, on_delete=models.CASCADE, related_name="old_slugs"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("old address")
        verbose_name_plural = _("old addresses")

    def __str__(self):
        return self.old_slug


class CallToActionQuerySet(models.QuerySet):
    def current(self):
        """The box shown under articles: the newest active one, or None."""
        return self.filter(active=True).order_by("-modified_at").first()


class CallToAction(models.Model):
    """The support/share box under every article, edited in the admin."""

    heading = models.CharField(_("heading"), max_length=200)
    text = models.TextField(_("text"), max_length=1000)
    link_label = models.CharField(_("link label"), max_length=100)
    link_url = models.URLField(_("link target"))
    show_share_links = models.BooleanField(_("show share links"), default=True)
    active = models.BooleanField(
        _("active"), default=True, help_text=_("The newest active one is shown.")
    )
    modified_at = models.DateTimeField(auto_now=True)

    objects = CallToActionQuerySet.as_manager()

    class Meta:
        ordering = ["-modified_at"]
        verbose_name = _("support call to action")
        verbose_name_plural = _("support calls to action")

    def __str__(self):
        return self.heading


class EditorialNote(models.Model):
    """A note between editor and writer on an article: never public, never
    removed by a restore, and tied to the version it was written on."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="notes")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    text = models.TextField(_("note"), max_length=4000)
    version = models.ForeignKey(
        "articles.HistoricalArticle",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="notes",
        db_constraint=False,
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("editorial note")
        verbose_name_plural = _("editorial notes")

    def __str__(self):
        return f"Note on {self.article} by {self.author}"


# How long an open editor keeps its lock without a sign of life from the page
# (the page says it is still open every 30 seconds).
LOCK_TIMEOUT_SECONDS = 120


class ArticleLockQuerySet(models.QuerySet):
    def fresh(self):
        """Locks whose editor's page was still open a moment ago."""
        return self.filter(
            seen_at__gte=timezone.now() - timedelta(seconds=LOCK_TIMEOUT_SECONDS)
        )


class ArticleLock(models.Model):
    """Who has an article open for editing, and since when."""

    article = models.OneToOneField(
        Article, on_delete=models.CASCADE, primary_key=True, related_name="lock"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    since = models.DateTimeField(default=timezone.now)
    seen_at = models.DateTimeField(default=timezone.now)

    objects = ArticleLockQuerySet.as_manager()

    class Meta:
        verbose_name = _("edit lock")
        verbose_name_plural = _("edit locks")

    def __str__(self):
        return f"{self.article} edited by {self.user}"

    @property
    def is_fresh(self) -> bool:
        age = timezone.now() - self.seen_at
        return age.total_seconds() <= LOCK_TIMEOUT_SECONDS


@dataclass(frozen=True)
class LockState:
    """Whether the person asking holds an article's edit lock, who does (None
    when nobody does) and since when."""

    held: bool
    holder: object = None
    since: datetime | None = None


class ArticleAutosave(models.Model):
    """A writer's unsaved form, kept on the server while they type, until they
    save the article or discard it. One per person and article (and one for a
    new article not saved yet)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    article = models.ForeignKey(
        Article,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="autosaves",
    )
    data = models.JSONField(default=dict)
    saved_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("autosaved draft")
        verbose_name_plural = _("autosaved drafts")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "article"],
                nulls_distinct=False,
                name="one_autosave_per_person_and_article",
            )
        ]

    def __str__(self):
        return f"Autosave of {self.article or 'a new article'} by {self.user}"


class StaffNotificationSettings(models.Model):
    """Which desk emails a member of staff wants; everyone gets them until they
    turn them off."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="desk_notifications",
    )
    email_on_submission = models.BooleanField(
        _("email me when a writer submits an article for review"),
        default=True,
        help_text=_("For editors."),
    )
    email_on_decision = models.BooleanField(
        _(
            "email me when an editor sends back, schedules or publishes my "
            "article, or leaves me a note"
        ),
        default=True,
        help_text=_("For writers."),
    )

    class Meta:
        verbose_name = _("desk email settings")
        verbose_name_plural = _("desk email settings")

    def __str__(self):
        return f"Desk emails of {self.user}"


ONION_V3 = re.compile(r"^(https?://)?[a-z2-7]{56}\.onion/?$")
PGP_KEY_BLOCK = "-----BEGIN PGP PUBLIC KEY BLOCK-----"


def validate_onion_address(value: str) -> None:
    if not ONION_V3.match(value.strip().lower()):
        raise ValidationError(
            _(
                "Give the SecureDrop address as a version 3 onion address: 56 "
                "letters and digits followed by .onion."
            )
        )


def validate_signal_number(value: str) -> None:
    if not re.fullmatch(r"\+?[0-9 ()-]{6,24}", value.strip()):
        raise ValidationError(
            _(
                "Give the Signal number with its country code, such as "
                "+964 770 000 0000."
            )
        )


def validate_pgp_fingerprint(value: str) -> None:
    if not re.fullmatch(r"[0-9A-Fa-f]{40}", value.replace(" ", "")):
        raise ValidationError(
            _("A key's fingerprint is 40 hexadecimal digits (spaces are fine).")
        )


def validate_pgp_key(value: str) -> None:
    if PGP_KEY_BLOCK not in value or "PRIVATE KEY" in value.upper():
        raise ValidationError(
            _(
                "Paste the public key block, from “%(start)s” to its END line. "
                "Never a private key."
            )
            % {"start": PGP_KEY_BLOCK}
        )


class PageQuerySet(models.QuerySet):
    def public(self):
        """The pages readers may see, in the footer's order."""
        order = models.Case(
            *[
                models.When(kind=kind, then=Value(position))
                for position, kind in enumerate(Page.Kind.values)
            ],
            output_field=models.IntegerField(),
        )
        return self.filter(published=True).order_by(order)


class Page(models.Model):
    """The pages by which readers judge whether to trust the newsroom (about,
    standards, corrections policy, funding, contact) and the tips page for
    sources. Each kind has one page, at a fixed address, named in the site's
    structured data as the Trust Project asks."""

    class Kind(models.TextChoices):
        ABOUT = "about", _("About us")
        STANDARDS = "standards", _("Editorial standards and ethics")
        CORRECTIONS = "corrections", _("Corrections policy")
        FUNDING = "funding", _("Funding and ownership")
        CONTACT = "contact", _("Contact")
        TIPS = "tips", _("Send us a tip safely")

        @property
        def url_name(self) -> str:
            return f"articles:page_{self.value}"

    kind = models.CharField(_("page"), max_length=20, choices=Kind, unique=True)
    title = models.CharField(_("title"), max_length=200)
    summary = models.CharField(
        _("summary"),
        max_length=300,
        blank=True,
        help_text=_("One sentence for search engines and link previews."),
    )
    body = SanitizedBodyField(_("text"), pictures=False, blank=True)
    published = models.BooleanField(
        _("shown to readers"),
        default=True,
        help_text=_("A hidden page answers 404 and leaves the footer."),
    )
    updated_at = models.DateTimeField(_("last updated"), auto_now=True)
    securedrop_address = models.CharField(
        _("SecureDrop address"),
        max_length=100,
        blank=True,
        validators=[validate_onion_address],
        help_text=_("Shown as plain text for sources to copy into Tor Browser."),
    )
    signal_number = models.CharField(
        _("Signal number"),
        max_length=30,
        blank=True,
        validators=[validate_signal_number],
    )
    pgp_fingerprint = models.CharField(
        _("PGP key fingerprint"),
        max_length=60,
        blank=True,
        validators=[validate_pgp_fingerprint],
    )
    pgp_key = models.TextField(
        _("PGP public key"),
        max_length=20000,
        blank=True,
        validators=[validate_pgp_key],
    )

    objects = PageQuerySet.as_manager()

    class Meta:
        ordering = ["kind"]
        verbose_name = _("trust page")
        verbose_name_plural = _("trust pages")

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse(self.Kind(self.kind).url_name)

    def clean(self):
        secure = ["securedrop_address", "signal_number", "pgp_fingerprint", "pgp_key"]
        if self.kind != self.Kind.TIPS:
            given = [name for name in secure if getattr(self, name)]
            if given:
                raise ValidationError(
                    {
                        name: _(
                            "Ways to reach the newsroom securely belong on the "
                            "tips page."
                        )
                        for name in given
                    }
                )
        if bool(self.pgp_key) != bool(self.pgp_fingerprint):
            raise ValidationError(
                {
                    "pgp_fingerprint": _(
                        "Give both the public key and its fingerprint, so that a "
                        "source can check the key they use is ours."
                    )
                }
            )

    @property
    def fingerprint_groups(self) -> list[str]:
        """The fingerprint in groups of four, as key tools print it."""
        digits = self.pgp_fingerprint.replace(" ", "").upper()
        return [digits[i : i + 4] for i in range(0, len(digits), 4)]

    @property
    def onion_address(self) -> str:
        """The SecureDrop address without a scheme: plain text to copy."""
        address = self.securedrop_address.strip().lower()
        return address.removeprefix("http://").removeprefix("https://").rstrip("/")


@dataclass(frozen=True)
class SiteChrome:
    """What the header and footer of every page show: the site's identity,
    the sections in the navigation and the trust pages readers may see."""

    identity: SiteIdentity
    navigation: list
    trust_pages: list

    @classmethod
    def current(cls) -> "SiteChrome":
        """Read from the database once per process and version of the site
        (three queries then, none after): a change to any of them bumps the
        SITE version (newsroom/fragments.py)."""
        return remember("site-chrome", version_key(SITE), cls._read)

    @classmethod
    def _read(cls) -> "SiteChrome":
        return cls(
            identity=SiteIdentity.current(),
            navigation=list(Section.objects.in_navigation()),
            trust_pages=list(Page.objects.public().only("kind", "title")),
        )

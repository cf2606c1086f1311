"""Versions of an article as editors read them: what a version keeps besides the
article's own fields, and comparisons with the changed words marked."""

import difflib
import re
from dataclasses import dataclass, field
from html import escape

from django.utils import formats, timezone
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _

from articles.models import Article, ArticleContributor, Correction, TaggedArticle
from articles.richtext import blocks, picture_id, serialize

# The fields a restore brings back: the words, pictures and facts of a report.
# Its address, status and publication time stay as they are now: a restore never
# publishes, unpublishes or moves an article by itself.
CONTENT_FIELDS = [
    "headline",
    "standfirst",
    "section",
    "language",
    "body",
    "content_warning",
    "lead_image",
    "dateline_city",
    "dateline_region",
    "dateline_country",
    "location_precision",
    "partner",
    "original_url",
    "comments_open",
    "updated_at",
]
# Shown in comparisons, never restored.
PUBLISHING_FIELDS = ["slug", "status", "published_at"]

_TOKENS = re.compile(r"\s+|\w+|[^\w\s]", re.UNICODE)


def article_snapshot(article: Article) -> dict:
    """The related rows a version keeps: tags, bylines and corrections."""
    credits = (
        ArticleContributor.objects.filter(article=article)
        .select_related("contributor")
        .order_by("position", "pk")
    )
    return {
        "tags": sorted(
            TaggedArticle.objects.filter(content_object=article).values_list(
                "tag__name", flat=True
            ),
            key=str.lower,
        ),
        "credits": [
            {
                "contributor": credit.contributor_id,
                "name": str(credit.contributor),
                "role": credit.role,
                "position": credit.position,
            }
            for credit in credits
        ],
        "corrections": [
            {
                "id": correction.pk,
                "kind": correction.kind,
                "text": correction.text,
                "published_at": correction.published_at.isoformat(),
            }
            for correction in Correction.objects.filter(article=article).order_by(
                "published_at", "pk"
            )
        ],
    }


def _text_of_body(html: str, images: dict) -> str:
    lines = []
    for block in blocks(html):
        image_id = picture_id(block)
        if image_id is None:
            lines.append(" ".join(re.sub(r"<[^>]+>", " ", serialize(block)).split()))
            continue
        image = images.get(image_id)
        caption = block.text.strip() or (image.caption if image else "")
        label = _("Picture") if image else _("Picture no longer in the library")
        lines.append(f"[{label}: {caption or image_id}]")
    return "\n".join(line for line in lines if line)


@dataclass
class ArticleState:
    """An article as it is now, or as a version kept it, for comparing."""

    values: dict
    related: dict | None = None  # None: a version from before related rows were kept

    @classmethod
    def of_article(cls, article: Article) -> "ArticleState":
        names = CONTENT_FIELDS + PUBLISHING_FIELDS
        values = {
            name: getattr(article, Article._meta.get_field(name).attname)
            for name in names
        }
        return cls(values, article_snapshot(article))

    @classmethod
    def of_version(cls, version) -> "ArticleState":
        names = CONTENT_FIELDS + PUBLISHING_FIELDS
        values = {
            name: getattr(version, Article._meta.get_field(name).attname)
            for name in names
        }
        return cls(values, version.related)


@dataclass
class Lookups:
    """Names of the rows versions point to, fetched once for a whole page."""

    images: dict = field(default_factory=dict)
    partners: dict = field(default_factory=dict)
    sections: dict = field(default_factory=dict)

    @classmethod
    def for_states(cls, states) -> "Lookups":
        from articles.models import PartnerOutlet, Section
        from articles.richtext import body_pictures
        from images.models import Image

        image_ids, partner_ids, section_ids = set(), set(), set()
        for state in states:
            image_ids.add(state.values["lead_image"])
            image_ids.update(i for i, _ in body_pictures(state.values["body"]))
            partner_ids.add(state.values["partner"])
            section_ids.add(state.values["section"])
        return cls(
            images=Image.objects.in_bulk(image_ids - {None}),
            partners=PartnerOutlet.objects.in_bulk(partner_ids - {None}),
            sections=Section.objects.in_bulk(section_ids - {None}),
        )


def _display(name: str, value, lookups: Lookups) -> str:
    if value in (None, ""):
        return ""
    if name == "body":
        return _text_of_body(value, lookups.images)
    if name == "lead_image":
        image = lookups.images.get(value)
        return str(image) if image else str(_("a picture no longer in the library"))
    if name == "partner":
        partner = lookups.partners.get(value)
        return str(partner) if partner else ""
    if name == "section":
        section = lookups.sections.get(value)
        return str(section) if section else str(_("a section deleted since"))
    if name in {"published_at", "updated_at"}:
        return formats.date_format(timezone.localtime(value), "j F Y, H:i")
    if name == "comments_open":
        return str(_("open")) if value else str(_("closed"))
    choices = dict(Article._meta.get_field(name).flatchoices)
    return str(choices.get(value, value))


def _related_items(related: dict, part: str) -> list[str]:
    if part == "tags":
        return list(related["tags"])
    if part == "credits":
        return [
            f"{credit['name']}" + (f" ({credit['role']})" if credit["role"] else "")
            for credit in related["credits"]
        ]
    kinds = dict(Correction.Kind.choices)
    return [
        f"{kinds.get(c['kind'], c['kind'])}: {c['text']}"
        for c in related["corrections"]
    ]


RELATED_LABELS = {
    "tags": _("Tags"),
    "credits": _("Bylines"),
    "corrections": _("Corrections and updates"),
}


@dataclass(frozen=True)
class Change:
    """One part of an article that differs between two states."""

    name: str
    label: str
    diff: SafeString


def word_diff(old: str, new: str, context: int | None = None) -> SafeString:
    """`old` turned into `new` with removed words in <del> and added ones in
    <ins>. With `context`, long unchanged stretches keep only that many words at
    either end."""
    a, b = _TOKENS.findall(old), _TOKENS.findall(new)
    out = []
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            same = a[i1:i2]
            keep = 2 * context if context is not None else None
            if keep is not None and len(same) > 2 * keep:
                head = same[:keep] if i1 else []
                tail = same[-keep:] if i2 < len(a) else []
                out.append(escape("".join(head)) + " … " + escape("".join(tail)))
            else:
                out.append(escape("".join(same)))
            continue
        if i2 > i1:
            out.append(f"<del>{escape(''.join(a[i1:i2]))}</del>")
        if j2 > j1:
            out.append(f"<ins>{escape(''.join(b[j1:j2]))}</ins>")
    return mark_safe("".join(out))  # every piece of text above is escaped


def item_diff(old: list[str], new: list[str], separator: str) -> SafeString:
    """Lists compared item by item: a tag or a byline is there or it is not."""
    out = []
    matcher = difflib.SequenceMatcher(None, old, new, autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            out.extend(escape(item) for item in old[i1:i2])
            continue
        out.extend(f"<del>{escape(item)}</del>" for item in old[i1:i2])
        out.extend(f"<ins>{escape(item)}</ins>" for item in new[j1:j2])
    return mark_safe(separator.join(out))  # every item is escaped


def compare(
    old: ArticleState, new: ArticleState, lookups: Lookups, context=None
) -> list[Change]:
    """What differs from `old` to `new`, field by field, words marked."""
    changes = []
    for name in CONTENT_FIELDS + PUBLISHING_FIELDS:
        before = _display(name, old.values[name], lookups)
        after = _display(name, new.values[name], lookups)
        if before != after:
            label = str(Article._meta.get_field(name).verbose_name).capitalize()
            changes.append(Change(name, label, word_diff(before, after, context)))
    if old.related is not None and new.related is not None:
        for part, label in RELATED_LABELS.items():
            before = _related_items(old.related, part)
            after = _related_items(new.related, part)
            if before == after:
                continue
            if part == "corrections":  # a correction's words matter, as a body's
                diff = word_diff("\n".join(before), "\n".join(after), context)
            else:
                diff = item_diff(before, after, ", " if part == "tags" else "\n")
            changes.append(Change(part, str(label), diff))
    return changes

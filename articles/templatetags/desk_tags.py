"""The editors' desk on the admin home: what needs someone now."""

from dataclasses import dataclass

from django import template
from django.db.models import Count, OuterRef, Subquery
from django.db.models.functions import Coalesce

from articles.models import Article, EditorialNote, PublicState

register = template.Library()

DESK_ROWS = 10


@dataclass(frozen=True)
class DeskSection:
    """One list on the desk: its rows (at most DESK_ROWS), how many there are in
    all, and the article list filtered to all of them."""

    key: str
    rows: list
    count: int
    filter: str


def _with_note_count(queryset):
    notes = (
        EditorialNote.objects.filter(article=OuterRef("pk"))
        .order_by()
        .values("article")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return queryset.annotate(note_count=Coalesce(Subquery(notes), 0))


@register.inclusion_tag("admin/articles/desk.html", takes_context=True)
def editors_desk(context):
    """In review (with who submitted it), scheduled (with times), recently
    published, and for writers their drafts; a query per list, never per row."""
    user = context["request"].user
    articles = Article.objects.visible_to(user)
    editor = user.has_perm("articles.publish_article")
    counts = articles.aggregate(
        review=Count("pk", filter=PublicState.IN_REVIEW.condition()),
        draft=Count("pk", filter=PublicState.DRAFT.condition()),
        scheduled=Count("pk", filter=PublicState.SCHEDULED.condition()),
    )
    in_review = _with_note_count(
        articles.filter(status=Article.Status.IN_REVIEW)
        .select_related("submitted_by")
        .order_by("submitted_at", "pk")
    )
    scheduled = articles.in_public_state(PublicState.SCHEDULED).order_by(
        "published_at", "pk"
    )
    recent = articles.published().order_by("-published_at", "-pk")
    sections = [
        DeskSection(
            "review",
            list(in_review[:DESK_ROWS]),
            counts["review"],
            "?status__exact=review",
        ),
        DeskSection(
            "scheduled",
            list(scheduled[:DESK_ROWS]),
            counts["scheduled"],
            "?public_state=scheduled",
        ),
    ]
    if not editor:
        drafts = _with_note_count(
            articles.filter(status=Article.Status.DRAFT).order_by("-modified_at")
        )
        sections.insert(
            0,
            DeskSection(
                "draft",
                list(drafts[:DESK_ROWS]),
                counts["draft"],
                "?status__exact=draft",
            ),
        )
    sections.append(
        DeskSection("live", list(recent[:DESK_ROWS]), None, "?public_state=live")
    )
    return {
        "sections": sections,
        "is_editor": editor,
        "perms": context.get("perms"),
        "request": context["request"],
    }

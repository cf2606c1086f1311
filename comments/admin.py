from django.contrib import admin
from django.db.models import Func, OuterRef, Subquery, Value
from django.urls import reverse
from django.utils.html import format_html
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _

from comments.models import Comment, CommentFlag, pending_first
from comments.services import comments_delete, comments_moderate
from readers.models import Reader


class CommentFlagInline(admin.TabularInline):
    model = CommentFlag
    extra = 0
    readonly_fields = ["reporter", "reason", "created_at"]
    can_delete = True

    def has_add_permission(self, request, obj=None):
        return False


class FlaggedFilter(admin.SimpleListFilter):
    title = _("flags")
    parameter_name = "flagged"

    def lookups(self, request, model_admin):
        return [("yes", _("Flagged by readers and still shown"))]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.flagged()
        return queryset


@admin.register(Comment)
class CommentAdmin(admin.ModelAdmin):
    """The moderation queue: pending comments first; sort by flags to see what
    readers reported. Built to stay quick at a million comments: no filter that
    lists every article, no date drill-down that scans every row, flags counted
    per row shown, and one count per page (show_full_result_count)."""

    list_display = [
        "excerpt",
        "reader",
        "on_article",
        "status",
        "flag_count",
        "created_at",
    ]
    list_filter = ["status", FlaggedFilter, "created_at"]
    list_select_related = ["article", "author__reader"]
    # A reader's comments are one click away (the "all comments" link); searching
    # names too would join every comment to its reader on each search.
    search_fields = ["body", "article__headline"]
    show_full_result_count = False
    fields = [
        "article",
        "author",
        "guest_name",
        "parent",
        "body",
        "status",
        "created_at",
        "moderated_by",
        "moderated_at",
        "ip_hash",
    ]
    readonly_fields = [name for name in fields if name != "status"]
    inlines = [CommentFlagInline]
    actions = ["approve", "reject", "mark_spam", "block_authors"]

    def get_queryset(self, request):
        # Counted for the rows on the page, not grouped over every comment.
        flags = (
            CommentFlag.objects.filter(comment=OuterRef("pk"))
            .order_by()
            .values(total=Func(Value(1), function="COUNT"))
        )
        return super().get_queryset(request).annotate(flag_total=Subquery(flags))

    def get_ordering(self, request):
        return [pending_first().asc(), "-created_at", "-pk"]

    def has_add_permission(self, request):
        return False

    @admin.display(description=_("comment"))
    def excerpt(self, obj):
        return Truncator(obj.body).chars(80)

    @admin.display(description=_("article"), ordering="article")
    def on_article(self, obj):
        """The article, and a link to moderate its comments alone."""
        only_these = (
            reverse("admin:comments_comment_changelist")
            + f"?article__id__exact={obj.article_id}"
        )
        return format_html(
            '{} (<a href="{}">{}</a>)', obj.article, only_these, _("its comments")
        )

    @admin.display(description=_("reader"))
    def reader(self, obj):
        if obj.author_id is None:
            return obj.author_name
        others = (
            reverse("admin:comments_comment_changelist")
            + f"?author__id__exact={obj.author_id}"
        )
        return format_html(
            '{} (<a href="{}">{}</a>)', obj.author_name, others, _("all comments")
        )

    @admin.display(description=_("flags"), ordering="flag_total")
    def flag_count(self, obj):
        return obj.flag_total

    def _moderate(self, request, queryset, status, done):
        count = comments_moderate(
            comments=queryset, status=status, moderator=request.user
        )
        self.message_user(request, done % {"count": count})

    @admin.action(description=_("Approve selected comments"), permissions=["change"])
    def approve(self, request, queryset):
        self._moderate(
            request, queryset, Comment.Status.APPROVED, _("%(count)d approved.")
        )

    @admin.action(description=_("Reject selected comments"), permissions=["change"])
    def reject(self, request, queryset):
        self._moderate(
            request, queryset, Comment.Status.REJECTED, _("%(count)d rejected.")
        )

    @admin.action(
        description=_("Mark selected comments as spam"), permissions=["change"]
    )
    def mark_spam(self, request, queryset):
        self._moderate(
            request, queryset, Comment.Status.SPAM, _("%(count)d marked as spam.")
        )

    @admin.action(
        description=_("Block the authors of selected comments"), permissions=["change"]
    )
    def block_authors(self, request, queryset):
        count = (
            Reader.objects.filter(user__comments__in=queryset)
            .distinct()
            .update(blocked=True)
        )
        self.message_user(request, _("%(count)d reader(s) blocked.") % {"count": count})

    def delete_model(self, request, obj):
        comments_delete(comments=Comment.objects.filter(pk=obj.pk))

    def delete_queryset(self, request, queryset):
        comments_delete(comments=queryset)

    def save_model(self, request, obj, form, change):
        if change and "status" in form.changed_data:
            # The row still holds the old status, so the service sees the change.
            comments_moderate(
                comments=Comment.objects.filter(pk=obj.pk),
                status=obj.status,
                moderator=request.user,
            )
            obj.refresh_from_db()
            return
        super().save_model(request, obj, form, change)

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.contrib.admin.widgets import RelatedFieldWidgetWrapper
from django.core.exceptions import ValidationError
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin
from taggit.models import Tag

from articles.models import (
    Article,
    ArticleContributor,
    ArticleImage,
    CallToAction,
    Correction,
    PartnerOutlet,
)
from articles.services import (
    article_record_slug_change,
    article_refresh_search,
    article_revoke_previews,
    preview_token_create,
)
from newsroom.admin_widgets import AutocompleteSelectMultiple, SafeAutocompleteMixin

WRITER_STATUSES = {Article.Status.DRAFT, Article.Status.IN_REVIEW}


class ArticleAdminForm(forms.ModelForm):
    # Taggit's own widget is a bare text box; editors pick from existing tags
    # with autocomplete and add new ones with the "+" beside it.
    tags = forms.ModelMultipleChoiceField(
        queryset=Tag.objects.order_by("name"),
        required=False,
        widget=AutocompleteSelectMultiple(Article._meta.get_field("tags"), admin.site),
        label=_("Tags"),
    )
    may_publish = False  # set per request in ArticleAdmin.get_form

    class Meta:
        model = Article
        fields = ["status", "tags"]  # the admin adds its fieldsets

    def clean_status(self):
        status = self.cleaned_data["status"]
        unchanged = self.instance.pk and self.instance.status == status
        if status not in WRITER_STATUSES and not self.may_publish and not unchanged:
            raise forms.ValidationError(
                _("Only an editor can schedule, publish or unpublish an article.")
            )
        return status


class ArticleContributorInline(SafeAutocompleteMixin, admin.TabularInline):
    model = ArticleContributor
    autocomplete_fields = ["contributor"]
    extra = 1
    fields = ["contributor", "role", "position"]


class ArticleImageInline(SafeAutocompleteMixin, admin.TabularInline):
    model = ArticleImage
    autocomplete_fields = ["image"]
    extra = 0
    fields = ["image", "after_paragraph", "caption"]


class CorrectionInline(admin.StackedInline):
    model = Correction
    extra = 0
    fields = ["kind", "published_at", "text"]


@admin.register(Article)
class ArticleAdmin(SafeAutocompleteMixin, SimpleHistoryAdmin):
    form = ArticleAdminForm
    inlines = [ArticleContributorInline, ArticleImageInline, CorrectionInline]
    list_display = [
        "headline",
        "status",
        "published_at",
        "language",
        "partner",
        "preview_link",
    ]
    list_filter = [
        "status",
        "language",
        "partner",
        "tags",
        "contributors",
        "published_at",
    ]
    list_select_related = ["partner"]
    search_fields = ["headline", "standfirst", "slug"]
    date_hierarchy = "published_at"
    prepopulated_fields = {"slug": ["headline"]}
    autocomplete_fields = ["lead_image", "partner"]
    readonly_fields = ["preview_links"]
    actions = ["publish_now", "revoke_preview_links"]
    fieldsets = [
        (None, {"fields": ["headline", "slug", "standfirst", "language"]}),
        (
            _("Publishing"),
            {"fields": ["status", "published_at", "updated_at", "preview_links"]},
        ),
        (
            _("Dateline"),
            {
                "fields": [
                    "dateline_city",
                    "dateline_region",
                    "dateline_country",
                    "location_precision",
                ]
            },
        ),
        (_("Content"), {"fields": ["content_warning", "lead_image", "body", "tags"]}),
        (_("Syndication"), {"fields": ["partner", "original_url"]}),
        (_("Readers"), {"fields": ["comments_open"]}),
    ]

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if request.user.has_perm("articles.publish_article"):
            return queryset
        # Writers see their own articles only.
        return queryset.filter(created_by=request.user)

    def history_view(self, request, object_id, extra_context=None):
        # django-simple-history looks a malformed id up as it comes, and the
        # database's refusal became a 500: such an id names no article.
        try:
            Article._meta.pk.to_python(unquote(object_id))
        except ValidationError:
            raise Http404("No article has this id.") from None
        return super().history_view(request, object_id, extra_context)

    def has_change_permission(self, request, obj=None):
        allowed = super().has_change_permission(request, obj)
        if obj is None or request.user.has_perm("articles.publish_article"):
            return allowed
        return allowed and obj.status in WRITER_STATUSES

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        form.may_publish = request.user.has_perm("articles.publish_article")
        if "tags" in form.base_fields:
            # The "+" beside the picker adds a new tag in a popup.
            form.base_fields["tags"].widget = RelatedFieldWidgetWrapper(
                form.base_fields["tags"].widget,
                Article._meta.get_field("tags").remote_field,
                self.admin_site,
                can_add_related=request.user.has_perm("taggit.add_tag"),
            )
        return form

    def get_changeform_initial_data(self, request):
        return super().get_changeform_initial_data(request) | {
            "status": Article.Status.DRAFT
        }

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        old_slug = form.initial.get("slug") if change else ""
        super().save_model(request, obj, form, change)
        if obj.is_live or obj.status == Article.Status.SCHEDULED:
            article_record_slug_change(article=obj, old_slug=old_slug)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        article_refresh_search(article=form.instance)

    @admin.display(description=_("Preview"))
    def preview_link(self, obj):
        return format_html(
            '<a href="{}">{}</a>',
            reverse("articles:preview", args=[obj.pk]),
            _("Preview"),
        )

    @admin.display(description=_("Preview links"))
    def preview_links(self, obj):
        if not obj.pk:
            return _("Save the article to get preview links.")
        shared = reverse(
            "articles:shared_preview", args=[preview_token_create(article=obj)]
        )
        return format_html(
            '<a href="{}">{}</a><br>{} <a href="{}">{}</a><br><small>{}</small>',
            reverse("articles:preview", args=[obj.pk]),
            _("Preview as readers will see it"),
            _("Shareable link for a reviewer without an account:"),
            shared,
            shared,
            _(
                "Expires after the configured number of days; the “Revoke preview "
                "links” action in the article list stops every link shared so far."
            ),
        )

    @admin.action(
        description=_("Publish selected articles now"), permissions=["publish"]
    )
    def publish_now(self, request, queryset):
        count = 0
        for article in queryset:
            article.status = Article.Status.PUBLISHED
            article.published_at = article.published_at or timezone.now()
            article.save()
            count += 1
        self.message_user(
            request, _("%d article(s) published.") % count, messages.SUCCESS
        )

    @admin.action(description=_("Revoke preview links"))
    def revoke_preview_links(self, request, queryset):
        for article in queryset:
            article_revoke_previews(article=article)
        self.message_user(
            request, _("Every preview link of the selected articles now fails.")
        )

    def has_publish_permission(self, request):
        return request.user.has_perm("articles.publish_article")


@admin.register(PartnerOutlet)
class PartnerOutletAdmin(admin.ModelAdmin):
    list_display = ["name", "site_url", "licence"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Correction)
class CorrectionAdmin(SafeAutocompleteMixin, admin.ModelAdmin):
    list_display = ["article", "kind", "published_at"]
    list_filter = ["kind", "published_at"]
    search_fields = ["text", "article__headline"]
    autocomplete_fields = ["article"]
    list_select_related = ["article"]
    date_hierarchy = "published_at"


@admin.register(CallToAction)
class CallToActionAdmin(admin.ModelAdmin):
    list_display = ["heading", "link_url", "active", "modified_at"]
    list_filter = ["active"]

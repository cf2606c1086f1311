from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.contrib.admin.utils import unquote
from django.contrib.admin.widgets import AdminSplitDateTime, RelatedFieldWidgetWrapper
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Q
from django.http import Http404, HttpResponseRedirect, JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import formats, timezone
from django.utils.html import format_html, format_html_join, linebreaks
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from simple_history.admin import SimpleHistoryAdmin
from taggit.admin import TagAdmin as TaggitTagAdmin
from taggit.forms import TagField
from taggit.models import Tag

from articles.models import (
    Article,
    ArticleAutosave,
    ArticleContributor,
    CallToAction,
    Correction,
    EditorialNote,
    FrontPage,
    Page,
    PartnerOutlet,
    PublicState,
    Section,
    StaffNotificationSettings,
    TopStory,
)
from articles.richtext import body_pictures
from articles.services import (
    AUTOSAVE_MAX_BYTES,
    article_autosave,
    article_autosave_discard,
    article_changed,
    article_lock_acquire,
    article_lock_release,
    article_lock_state,
    article_restore,
    article_revoke_previews,
    article_save,
    preview_token_create,
)
from articles.versions import ArticleState, Lookups, compare
from images.models import Image
from newsroom.admin_widgets import AutocompleteSelectMultiple, SafeAutocompleteMixin

WRITER_STATUSES = [Article.Status.DRAFT, Article.Status.IN_REVIEW]


def _when(value) -> str:
    return formats.date_format(timezone.localtime(value), "j F Y, H:i")


def _person(user) -> str:
    if user is None:
        return str(_("someone no longer on the staff"))
    return user.get_full_name() or user.get_username()


class ArticleAdminForm(forms.ModelForm):
    # Taggit's own widget is a bare text box; editors pick from existing tags
    # with autocomplete and add new ones with the "+" beside it (see get_form).
    tags = forms.ModelMultipleChoiceField(
        queryset=Tag.objects.order_by("name"),
        required=False,
        widget=AutocompleteSelectMultiple(Article._meta.get_field("tags"), admin.site),
        label=_("Tags"),
    )
    note = forms.CharField(
        label=_("New note"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "For the writer and the editors, never public; kept with this version "
            "in History and emailed to the writer."
        ),
    )
    # Set per request on the class get_form makes (never on this one).
    may_publish = False
    editing_user = None

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

    def clean_body(self):
        body = self.cleaned_data["body"]
        wanted = {image_id for image_id, _ in body_pictures(body)}
        known = set(Image.objects.filter(pk__in=wanted).values_list("pk", flat=True))
        if wanted - known:
            raise forms.ValidationError(
                _(
                    "The body shows a picture that is not in the image library "
                    "(deleted?): remove it and insert one from the library."
                )
            )
        return body

    def clean(self):
        cleaned = super().clean()
        if self.instance.pk and self.editing_user is not None:
            lock = article_lock_state(article=self.instance, user=self.editing_user)
            if lock.holder is not None and not lock.held:
                raise forms.ValidationError(
                    _(
                        "%(holder)s has been editing this article since %(since)s. "
                        "Take over editing to save your version; nothing you typed "
                        "is lost."
                    )
                    % {"holder": _person(lock.holder), "since": _when(lock.since)}
                )
        return cleaned


class ArticleContributorInline(SafeAutocompleteMixin, admin.TabularInline):
    model = ArticleContributor
    autocomplete_fields = ["contributor"]
    extra = 1
    fields = ["contributor", "role", "position"]


class CorrectionInline(admin.StackedInline):
    model = Correction
    extra = 0
    fields = ["kind", "published_at", "text"]


class PublicStateFilter(admin.SimpleListFilter):
    title = _("what readers see")
    parameter_name = "public_state"

    def lookups(self, request, model_admin):
        return PublicState.choices

    def queryset(self, request, queryset):
        if self.value() in PublicState.values:
            return queryset.in_public_state(PublicState(self.value()))
        return queryset


class ScheduleForm(forms.Form):
    published_at = forms.SplitDateTimeField(
        label=_("Go live at"), widget=AdminSplitDateTime
    )

    def clean_published_at(self):
        when = self.cleaned_data["published_at"]
        if when <= timezone.now():
            raise forms.ValidationError(
                _("Choose a time in the future, or publish the articles now.")
            )
        return when


class AddTagsForm(forms.Form):
    tags = TagField(
        label=_("Tags to add"),
        help_text=_("Separate tags with commas; new tags are created."),
    )


@admin.register(Article)
class ArticleAdmin(SafeAutocompleteMixin, SimpleHistoryAdmin):
    form = ArticleAdminForm
    inlines = [ArticleContributorInline, CorrectionInline]
    list_display = [
        "headline",
        "reader_status",
        "published_at",
        "section",
        "language",
        "partner",
        "preview_link",
    ]
    list_filter = [
        PublicStateFilter,
        "status",
        "section",
        "language",
        "partner",
        "tags",
        "contributors",
        "published_at",
    ]
    list_select_related = ["partner", "section"]
    search_fields = ["headline", "standfirst", "slug"]
    date_hierarchy = "published_at"
    prepopulated_fields = {"slug": ["headline"]}
    autocomplete_fields = ["lead_image", "partner", "translation_of"]
    readonly_fields = ["preview_links", "length", "notes_log", "other_versions"]
    actions = [
        "publish_now",
        "unpublish",
        "schedule",
        "add_tags",
        "revoke_preview_links",
    ]
    object_history_template = "admin/articles/article/object_history.html"
    change_form_template = "admin/articles/article/change_form.html"
    fieldsets = [
        (None, {"fields": ["headline", "slug", "standfirst", "section", "language"]}),
        (_("Other languages"), {"fields": ["translation_of", "other_versions"]}),
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
        (
            _("Content"),
            {"fields": ["content_warning", "lead_image", "body", "length", "tags"]},
        ),
        (_("Syndication"), {"fields": ["partner", "original_url"]}),
        (_("Readers"), {"fields": ["comments_open"]}),
        (_("Notes between editor and writer"), {"fields": ["notes_log", "note"]}),
    ]

    class Media:
        css = {"all": ["articles/admin/desk.css"]}
        js = [
            "articles/admin/desk.js",
            "articles/admin/prepopulate-as-you-type.js",
            "articles/admin/text-direction.js",
        ]

    # --- Who sees and may do what --------------------------------------------------

    def get_queryset(self, request):
        return super().get_queryset(request).visible_to(request.user)

    def has_change_permission(self, request, obj=None):
        allowed = super().has_change_permission(request, obj)
        if obj is None or request.user.has_perm("articles.publish_article"):
            return allowed
        return allowed and obj.status in WRITER_STATUSES

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        may_publish = request.user.has_perm("articles.publish_article")
        # get_form makes a new class (and fields dict) on every call; the fields
        # in it are replaced, never changed, as the declared form's fields are
        # shared by every later request.
        form.may_publish = may_publish
        form.editing_user = request.user
        if "tags" in form.base_fields:
            form.base_fields["tags"] = forms.ModelMultipleChoiceField(
                queryset=Tag.objects.order_by("name"),
                required=False,
                label=_("Tags"),
                widget=RelatedFieldWidgetWrapper(
                    AutocompleteSelectMultiple(
                        Article._meta.get_field("tags"), self.admin_site
                    ),
                    Article._meta.get_field("tags").remote_field,
                    self.admin_site,
                    can_add_related=request.user.has_perm("taggit.add_tag"),
                ),
            )
        if "status" in form.base_fields and not may_publish:
            form.base_fields["status"] = forms.TypedChoiceField(
                label=form.base_fields["status"].label,
                choices=[
                    choice
                    for choice in Article.Status.choices
                    if choice[0] in WRITER_STATUSES
                    or (obj is not None and choice[0] == obj.status)
                ],
                initial=Article.Status.DRAFT,
            )
        return form

    def get_changeform_initial_data(self, request):
        # A new report starts in the first section of the navigation; the
        # writer changes it when it belongs elsewhere.
        first_section = Section.objects.in_navigation().first()
        return super().get_changeform_initial_data(request) | {
            "status": Article.Status.DRAFT,
            "section": first_section.pk if first_section else None,
        }

    # --- Saving: every change ends in the article service -------------------------

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        result = article_changed(
            article=form.instance,
            user=request.user,
            note=form.cleaned_data.get("note", ""),
        )
        if result.emails_queued:
            self.message_user(
                request,
                ngettext(
                    "%(count)d person is told by email.",
                    "%(count)d people are told by email.",
                    result.emails_queued,
                )
                % {"count": result.emails_queued},
                messages.INFO,
            )

    def response_add(self, request, obj, post_url_continue=None):
        article_autosave_discard(user=request.user, article=None)
        if "_continue" not in request.POST:
            article_lock_release(article=obj, user=request.user)
        return super().response_add(request, obj, post_url_continue)

    def response_change(self, request, obj):
        if "_continue" not in request.POST:
            article_lock_release(article=obj, user=request.user)
        return super().response_change(request, obj)

    # --- The change form: lock, autosave, length, notes -----------------------------

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        article = None
        if object_id is not None:
            article = self.get_object(request, unquote(object_id))
        lock = None
        if (
            article is not None
            and request.method == "GET"
            and self.has_change_permission(request, article)
        ):
            lock = article_lock_acquire(article=article, user=request.user)
        autosave = ArticleAutosave.objects.filter(
            user=request.user, article=article
        ).first()
        context = {
            "desk_lock": lock,
            "desk_lock_holder": lock and _person(lock.holder),
            "desk_autosave": autosave,
            # Someone saved the article after these changes were typed.
            "desk_autosave_older": autosave is not None
            and article is not None
            and autosave.saved_at < article.modified_at,
            "desk_urls": self._desk_urls(article),
        }
        return super().changeform_view(
            request, object_id, form_url, (extra_context or {}) | context
        )

    def _desk_urls(self, article):
        if article is None:
            return {
                "autosave": reverse("admin:articles_article_autosave_new"),
                "discard": reverse("admin:articles_article_autosave_new_discard"),
            }
        pk = [article.pk]
        return {
            "autosave": reverse("admin:articles_article_autosave", args=pk),
            "discard": reverse("admin:articles_article_autosave_discard", args=pk),
            "lock": reverse("admin:articles_article_lock", args=pk),
            "take_over": reverse("admin:articles_article_lock_take_over", args=pk),
        }

    @admin.display(description=_("length"))
    def length(self, obj):
        words = obj.word_count if obj else 0
        minutes = obj.reading_minutes if obj else 0
        return format_html(
            '<span id="desk-length" data-words-per-minute="{}">{}</span>',
            200,
            _("%(words)d words, about %(minutes)d min to read")
            % {"words": words, "minutes": minutes},
        )

    @admin.display(description=_("notes"))
    def notes_log(self, obj):
        if obj is None or not obj.pk:
            return _("No notes yet.")
        notes = list(obj.notes.select_related("author"))
        if not notes:
            return _("No notes yet.")
        return format_html(
            '<ol class="desk-notes">{}</ol>',
            format_html_join(
                "",
                '<li class="desk-note"><p class="desk-note__meta">{} · {}</p>{}</li>',
                (
                    (
                        _person(note.author),
                        _when(note.created_at),
                        linebreaks(note.text),
                    )
                    for note in notes
                ),
            ),
        )

    # --- The list: what readers see, and search over the body ----------------------

    @admin.display(description=_("what readers see"), ordering="published_at")
    def reader_status(self, obj):
        return obj.public_state_label()

    def get_search_results(self, request, queryset, search_term):
        results, duplicates = super().get_search_results(request, queryset, search_term)
        text = "".join(ch for ch in search_term if ch.isprintable()).strip()
        if text:
            results = results | queryset.matching(text)
        return results, duplicates

    @admin.display(description=_("Preview"))
    def preview_link(self, obj):
        return format_html(
            '<a href="{}">{}</a>',
            reverse("articles:preview", args=[obj.pk]),
            _("Preview"),
        )

    @admin.display(description=_("Versions in other languages"))
    def other_versions(self, obj):
        """Every version linked with this one, each opening its own form."""
        if not obj.pk:
            return _("Save the article first.")
        original = obj.translation_of_id or obj.pk
        versions = (
            Article.objects.filter(Q(pk=original) | Q(translation_of=original))
            .exclude(pk=obj.pk)
            .only("headline", "language")
            .order_by("language")
        )
        if not versions:
            return _(
                "None: set “Version of” on a version in another language to link "
                "it with this report."
            )
        return format_html_join(
            mark_safe("<br>"),
            '<a href="{}" lang="{}" dir="auto">{}</a> ({})',
            (
                (
                    reverse("admin:articles_article_change", args=[v.pk]),
                    v.language,
                    v.headline,
                    v.get_language_display(),
                )
                for v in versions
            ),
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

    # --- Bulk actions, each through the article service -----------------------------

    def has_publish_permission(self, request):
        return request.user.has_perm("articles.publish_article")

    @admin.action(
        description=_("Publish selected articles now"), permissions=["publish"]
    )
    def publish_now(self, request, queryset):
        now = timezone.now()
        count = 0
        with transaction.atomic():  # all of them or none
            for article in queryset:
                article.status = Article.Status.PUBLISHED
                if article.published_at is None or article.published_at > now:
                    article.published_at = now  # a future time would keep it hidden
                article_save(article=article, user=request.user)
                count += 1
        self.message_user(
            request, _("%d article(s) published.") % count, messages.SUCCESS
        )

    @admin.action(description=_("Unpublish selected articles"), permissions=["publish"])
    def unpublish(self, request, queryset):
        count = 0
        with transaction.atomic():
            for article in queryset:
                article.status = Article.Status.UNPUBLISHED
                article_save(article=article, user=request.user)
                count += 1
        self.message_user(
            request,
            _("%d article(s) unpublished; their addresses answer 404 now.") % count,
            messages.SUCCESS,
        )

    def _action_page(self, request, queryset, form, action, title, template):
        context = self.admin_site.each_context(request) | {
            "title": title,
            "opts": self.model._meta,
            "form": form,
            "media": self.media + form.media,
            "articles": queryset,
            "action": action,
            "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
        }
        return TemplateResponse(request, template, context)

    @admin.action(description=_("Schedule selected articles"), permissions=["publish"])
    def schedule(self, request, queryset):
        form = ScheduleForm(request.POST if "apply" in request.POST else None)
        if form.is_valid():
            when = form.cleaned_data["published_at"]
            with transaction.atomic():
                for article in queryset:
                    article.status = Article.Status.SCHEDULED
                    article.published_at = when
                    article_save(article=article, user=request.user)
            self.message_user(
                request,
                _("%(count)d article(s) scheduled for %(when)s.")
                % {"count": len(queryset), "when": _when(when)},
                messages.SUCCESS,
            )
            return None
        return self._action_page(
            request,
            queryset,
            form,
            "schedule",
            _("Schedule articles"),
            "admin/articles/article/action_form.html",
        )

    @admin.action(
        description=_("Add tags to selected articles"), permissions=["change"]
    )
    def add_tags(self, request, queryset):
        if not request.user.has_perm("articles.publish_article"):
            queryset = queryset.filter(status__in=WRITER_STATUSES)
        form = AddTagsForm(request.POST if "apply" in request.POST else None)
        if form.is_valid():
            with transaction.atomic():
                for article in queryset:
                    names = [*article.tags.names(), *form.cleaned_data["tags"]]
                    article_save(article=article, user=request.user, tags=names)
            self.message_user(
                request,
                _("Tagged %(count)d article(s) with %(tags)s.")
                % {
                    "count": len(queryset),
                    "tags": ", ".join(form.cleaned_data["tags"]),
                },
                messages.SUCCESS,
            )
            return None
        return self._action_page(
            request,
            queryset,
            form,
            "add_tags",
            _("Add tags to articles"),
            "admin/articles/article/action_form.html",
        )

    @admin.action(description=_("Revoke preview links"))
    def revoke_preview_links(self, request, queryset):
        with transaction.atomic():
            for article in queryset:
                article_revoke_previews(article=article, user=request.user)
        self.message_user(
            request, _("Every preview link of the selected articles now fails.")
        )

    # --- Extra pages: lock, autosave, desk email settings, versions -----------------

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path(
                "<int:pk>/lock/",
                view(self.lock_view),
                name="articles_article_lock",
            ),
            path(
                "<int:pk>/lock/take-over/",
                view(self.take_over_view),
                name="articles_article_lock_take_over",
            ),
            path(
                "<int:pk>/autosave/",
                view(self.autosave_view),
                name="articles_article_autosave",
            ),
            path(
                "<int:pk>/autosave/discard/",
                view(self.discard_view),
                name="articles_article_autosave_discard",
            ),
            path(
                "autosave/",
                view(self.autosave_view),
                name="articles_article_autosave_new",
            ),
            path(
                "autosave/discard/",
                view(self.discard_view),
                name="articles_article_autosave_new_discard",
            ),
            path(
                "notifications/",
                view(self.notifications_view),
                name="articles_article_notifications",
            ),
            *super().get_urls(),
        ]

    def _article_to_edit(self, request, pk):
        if request.method != "POST":
            raise Http404
        article = self.get_object(request, str(pk))
        if article is None or not self.has_change_permission(request, article):
            raise PermissionDenied
        return article

    def lock_view(self, request, pk):
        """The open editor says it is still there; answers who holds the lock."""
        article = self._article_to_edit(request, pk)
        lock = article_lock_acquire(article=article, user=request.user)
        return JsonResponse(
            {
                "held": lock.held,
                "holder": _person(lock.holder),
                "since": _when(lock.since),
            }
        )

    def take_over_view(self, request, pk):
        article = self._article_to_edit(request, pk)
        article_lock_acquire(article=article, user=request.user, take_over=True)
        self.message_user(
            request,
            _("You are editing this article now; the other editor is told."),
            messages.WARNING,
        )
        return HttpResponseRedirect(
            reverse("admin:articles_article_change", args=[article.pk])
        )

    def autosave_view(self, request, pk=None):
        article = self._article_to_edit(request, pk) if pk else None
        if pk is None and (
            request.method != "POST" or not self.has_add_permission(request)
        ):
            raise PermissionDenied
        if int(request.META.get("CONTENT_LENGTH") or 0) > AUTOSAVE_MAX_BYTES:
            return JsonResponse(
                {"error": str(_("Too much to autosave: save the article."))},
                status=413,
            )
        data = {
            name: request.POST.getlist(name)
            for name in request.POST
            if not name.startswith("_")
        }
        autosave = article_autosave(user=request.user, article=article, data=data)
        return JsonResponse({"saved_at": _when(autosave.saved_at)})

    def discard_view(self, request, pk=None):
        article = self._article_to_edit(request, pk) if pk else None
        if request.method != "POST":
            raise Http404
        article_autosave_discard(user=request.user, article=article)
        if request.headers.get("Accept") == "application/json":
            return JsonResponse({"discarded": True})
        target = (
            reverse("admin:articles_article_change", args=[article.pk])
            if article
            else reverse("admin:articles_article_add")
        )
        return HttpResponseRedirect(target)

    def notifications_view(self, request):
        """Each person's own desk email settings."""
        settings_row = StaffNotificationSettings.objects.filter(
            user=request.user
        ).first() or StaffNotificationSettings(user=request.user)
        form_class = forms.modelform_factory(
            StaffNotificationSettings,
            fields=["email_on_submission", "email_on_decision"],
        )
        form = form_class(request.POST or None, instance=settings_row)
        if request.method == "POST" and form.is_valid():
            form.save()
            self.message_user(request, _("Your desk email settings are saved."))
            return HttpResponseRedirect(request.path)
        context = self.admin_site.each_context(request) | {
            "title": _("Desk emails"),
            "form": form,
            "opts": self.model._meta,
        }
        return TemplateResponse(
            request, "admin/articles/article/notifications.html", context
        )

    # --- History: readable versions, restored whole ---------------------------------

    def history_view(self, request, object_id, extra_context=None):
        # Only for articles this person may see (simple_history would fall back
        # to the newest version of any article); get_object answers None to a
        # malformed id too, which the database would refuse with an error.
        if self.get_object(request, unquote(object_id)) is None:
            raise Http404
        notes = EditorialNote.objects.filter(article_id=unquote(object_id))
        return super().history_view(
            request,
            object_id,
            (extra_context or {})
            | {"notes": notes.select_related("author", "version")},
        )

    def set_history_delta_changes(
        self, request, historical_records, foreign_keys_are_objs=True
    ):
        records = list(historical_records)
        states = [ArticleState.of_version(record) for record in records]
        lookups = Lookups.for_states(states)
        for newer, older, record in zip(states, states[1:], records, strict=False):
            record.desk_changes = compare(older, newer, lookups, context=6)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        """A version compared with the article as it is now, and the button that
        restores it (tags, bylines, pictures and corrections included)."""
        article = self.get_object(request, unquote(object_id))
        if article is None:
            raise Http404
        version = get_object_or_404(
            Article.history.model, id=article.pk, history_id=version_id
        )
        may_restore = self.has_change_permission(request, article)
        if not (may_restore or self.has_view_permission(request, article)):
            raise PermissionDenied
        if request.method == "POST":
            if not may_restore:
                raise PermissionDenied
            restored = article_restore(
                article=article, version=version, user=request.user
            )
            self.message_user(
                request,
                _("The version of %(when)s is restored.")
                % {"when": _when(version.history_date)},
                messages.SUCCESS,
            )
            if restored.left_out:
                self.message_user(
                    request,
                    _("Could not come back: %s.") % "; ".join(restored.left_out),
                    messages.WARNING,
                )
            return HttpResponseRedirect(
                reverse("admin:articles_article_change", args=[article.pk])
            )
        now, then = ArticleState.of_article(article), ArticleState.of_version(version)
        changes = compare(now, then, Lookups.for_states([now, then]))
        context = self.admin_site.each_context(request) | {
            "title": _("The version of %(when)s")
            % {"when": _when(version.history_date)},
            "opts": self.model._meta,
            "original": article,
            "version": version,
            "changes": changes,
            "may_restore": may_restore,
            "notes": version.notes.select_related("author"),
        }
        return TemplateResponse(request, "admin/articles/article/compare.html", context)


@admin.register(Section)
class SectionAdmin(admin.ModelAdmin):
    list_display = ["name", "position", "in_navigation", "description"]
    list_editable = ["position", "in_navigation"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}

    class Media:
        js = ["articles/admin/prepopulate-as-you-type.js"]


class TopStoryInline(SafeAutocompleteMixin, admin.TabularInline):
    model = TopStory
    autocomplete_fields = ["article"]
    extra = 1
    fields = ["article", "position"]


@admin.register(FrontPage)
class FrontPageAdmin(SafeAutocompleteMixin, admin.ModelAdmin):
    """The front page's lead and top stories: one form; the list of one row
    goes straight to it."""

    autocomplete_fields = ["lead"]
    inlines = [TopStoryInline]
    fields = ["lead", "readers_see"]
    readonly_fields = ["readers_see"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def changelist_view(self, request, extra_context=None):
        if not self.has_view_or_change_permission(request):
            raise PermissionDenied
        front_page, _created = FrontPage.objects.get_or_create(pk=1)
        return HttpResponseRedirect(
            reverse("admin:articles_frontpage_change", args=[front_page.pk])
        )

    def save_model(self, request, obj, form, change):
        obj.updated_by = request.user
        super().save_model(request, obj, form, change)

    @admin.display(description=_("what readers see now"))
    def readers_see(self, obj):
        layout = FrontPage.layout([])
        if layout.lead is None:
            return _("Nothing yet: no report is live.")
        return format_html(
            "{} <strong>{}</strong><br>{} {}<br><small>{}</small>",
            _("Lead:"),
            layout.lead.headline,
            _("Top stories:"),
            "; ".join(article.headline for article in layout.top) or "-",
            _(
                "Picks that are not live yet wait for their time; empty places "
                "show the latest reports. Each section's latest follow below them."
            ),
        )


@admin.register(Page)
class PageAdmin(admin.ModelAdmin):
    """The trust pages and the tips page, one of each kind."""

    list_display = ["title", "kind", "published", "updated_at", "view_on_site_link"]
    list_filter = ["published"]
    search_fields = ["title", "body"]
    secure_fields = [
        "securedrop_address",
        "signal_number",
        "pgp_fingerprint",
        "pgp_key",
    ]

    def get_fieldsets(self, request, obj=None):
        fieldsets = [
            (None, {"fields": ["kind", "title", "summary", "body", "published"]})
        ]
        if obj is None or obj.kind == Page.Kind.TIPS:
            fieldsets.append(
                (
                    _("Reaching the newsroom securely (the tips page only)"),
                    {"fields": self.secure_fields},
                )
            )
        return fieldsets

    @admin.display(description=_("address"))
    def view_on_site_link(self, obj):
        url = obj.get_absolute_url()
        return format_html('<a href="{}">{}</a>', url, url)


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

    # A correction is part of its article: the article's service keeps the
    # version and refreshes its page.
    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        article_changed(
            article=obj.article, user=request.user, reason="Correction saved"
        )

    def delete_model(self, request, obj):
        super().delete_model(request, obj)
        article_changed(
            article=obj.article, user=request.user, reason="Correction deleted"
        )

    def delete_queryset(self, request, queryset):
        articles = list(Article.objects.filter(corrections__in=queryset).distinct())
        super().delete_queryset(request, queryset)
        for article in articles:
            article_changed(
                article=article, user=request.user, reason="Correction deleted"
            )


@admin.register(CallToAction)
class CallToActionAdmin(admin.ModelAdmin):
    list_display = ["heading", "link_url", "active", "modified_at"]
    list_filter = ["active"]


class TagForm(forms.ModelForm):
    """Tag names are unique whatever their case (“MOSUL” is “Mosul”), and the
    slug is made from the name when left empty, in any script."""

    slug = forms.SlugField(
        label=_("slug"),
        max_length=100,
        required=False,
        allow_unicode=True,
        help_text=_("Made from the name when left empty."),
    )

    class Meta:
        model = Tag
        fields = ["name", "slug"]

    def clean_name(self):
        name = " ".join(self.cleaned_data["name"].split())
        same = Tag.objects.filter(name__iexact=name).exclude(pk=self.instance.pk)
        if same.exists():
            raise forms.ValidationError(
                _("The tag “%(name)s” exists already: use it.")
                % {"name": same.first().name}
            )
        return name

    def clean_slug(self):
        slug = self.cleaned_data["slug"]
        if slug and Tag.objects.filter(slug=slug).exclude(pk=self.instance.pk):
            raise forms.ValidationError(_("Another tag has this slug."))
        return slug


admin.site.unregister(Tag)


@admin.register(Tag)
class TagAdmin(TaggitTagAdmin):
    form = TagForm
    # Articles use their own tag table: taggit's generic items would be empty.
    inlines = []

    class Media:
        js = ["articles/admin/prepopulate-as-you-type.js"]

    def merge_tags_view(self, request):
        """taggit's merge page trusts the tags chosen earlier in the session and
        fails with a 500 when there are none, or one was deleted since: send the
        editor back to choose them instead."""
        chosen = request.session.get("selected_tag_ids", "").split(",")
        valid = all(pk.isdigit() for pk in chosen)
        if not valid or Tag.objects.filter(pk__in=chosen).count() != len(set(chosen)):
            self.message_user(
                request,
                _(
                    "Choose the tags to merge in the list, then the action "
                    "“Merge selected tags”."
                ),
                messages.ERROR,
            )
            return redirect("admin:taggit_tag_changelist")
        return super().merge_tags_view(request)

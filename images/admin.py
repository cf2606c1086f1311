from contextvars import ContextVar

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import HttpResponseRedirect, JsonResponse
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_POST

from images.forms import ImageForm, PickerUploadForm
from images.models import Image
from images.services import ImageNotStored, StorageFault, image_save

# Why storing the picture failed, while the editor's form is shown again.
_storage_fault: ContextVar[StorageFault | None] = ContextVar(
    "storage_fault", default=None
)

PICKER_PAGE = 24


class ContentWarningFilter(admin.SimpleListFilter):
    title = _("content warning")
    parameter_name = "warning"

    def lookups(self, request, model_admin):
        return [("yes", _("With a content warning")), ("no", _("Without"))]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.exclude(content_warning="")
        if self.value() == "no":
            return queryset.filter(content_warning="")
        return queryset


class UseFilter(admin.SimpleListFilter):
    title = _("use")
    parameter_name = "use"

    def lookups(self, request, model_admin):
        return [("unused", _("Unused")), ("used", _("Used somewhere"))]

    def queryset(self, request, queryset):
        if self.value() == "unused":
            return queryset.unused()
        if self.value() == "used":
            return queryset.exclude(pk__in=Image.objects.unused().values("pk"))
        return queryset


class StrippedFilter(admin.SimpleListFilter):
    title = _("hidden data removed on upload")
    parameter_name = "stripped"

    def lookups(self, request, model_admin):
        return [
            ("yes", _("Something was removed")),
            ("gps", _("A GPS position was removed")),
            ("no", _("Nothing was found")),
        ]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.exclude(stripped_metadata=[]).exclude(
                stripped_metadata=None
            )
        if self.value() == "gps":
            return queryset.filter(stripped_metadata__contains=["GPS position"])
        if self.value() == "no":
            return queryset.filter(stripped_metadata=[])
        return queryset


@admin.register(Image)
class ImageAdmin(admin.ModelAdmin):
    """The media library: a grid of thumbnails, searchable by caption, credit and
    alt text, with where each picture is used and what its upload lost."""

    form = ImageForm
    change_list_template = "admin/images/image/change_list.html"
    list_display = [
        "thumbnail",
        "__str__",
        "credit",
        "content_warning",
        "use_count",
        "uploaded_at",
    ]
    list_filter = [ContentWarningFilter, UseFilter, StrippedFilter, "uploaded_at"]
    list_per_page = 48
    search_fields = ["alt_text", "caption", "credit"]
    date_hierarchy = "uploaded_at"
    fields = [
        "file",
        "preview",
        "alt_text",
        "caption",
        "credit",
        "content_warning",
        "focal_x",
        "focal_y",
        "where_used",
        "removed_on_upload",
    ]
    readonly_fields = ["preview", "where_used", "removed_on_upload"]

    class Media:
        css = {"all": ["images/admin/library.css"]}

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if request.resolver_match and request.resolver_match.url_name.endswith(
            "changelist"
        ):
            queryset = queryset.with_use_count()
        return queryset

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except ImageNotStored as error:
            # Nothing was stored: the transaction rolled back and image_save
            # removed what it wrote. Show the editor's form again, with why.
            token = _storage_fault.set(error.fault)
            try:
                return super().changeform_view(
                    request, object_id, form_url, extra_context
                )
            finally:
                _storage_fault.reset(token)

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        fault = _storage_fault.get()
        if fault is None:
            return form

        class StorageFaultForm(form):
            def clean(self):
                self.add_error("file", fault.label)
                return super().clean()

        return StorageFaultForm

    def save_model(self, request, obj, form, change):
        if not change:
            obj.uploaded_by = request.user
        report = image_save(image=obj, picture=form.cleaned_data["file"])
        if report.stripped:
            self.message_user(
                request,
                _("Removed from the picture before storing it: %s.")
                % ", ".join(report.stripped),
                messages.INFO,
            )

    @admin.display(description=_("picture"))
    def thumbnail(self, obj):
        return format_html('<img src="{}" alt="" width="80">', obj.thumbnail_url)

    @admin.display(description=_("used"), ordering="use_count")
    def use_count(self, obj):
        return obj.use_count

    @admin.display(description=_("preview"))
    def preview(self, obj):
        if not obj.pk:
            return "-"
        return format_html('<img src="{}" alt="" width="320">', obj.file.url)

    @admin.display(description=_("where it is used"))
    def where_used(self, obj):
        if not obj.pk:
            return "-"
        uses = obj.uses()
        if not uses:
            return _("Nowhere: it can be deleted.")
        items = []
        for use in uses:
            meta = use.owner._meta
            url = reverse(
                f"admin:{meta.app_label}_{meta.model_name}_change", args=[use.owner.pk]
            )
            items.append((url, use.label))
        return format_html(
            "<ul>{}</ul>", format_html_join("", '<li><a href="{}">{}</a></li>', items)
        )

    @admin.display(description=_("removed on upload"))
    def removed_on_upload(self, obj):
        if not obj.pk:
            return "-"
        if obj.stripped_metadata is None:
            return _("Not recorded: stored before the library kept this.")
        if not obj.stripped_metadata:
            return _("No hidden data was found in the uploaded file.")
        return ", ".join(obj.stripped_metadata)

    # --- The picker the body editor opens ------------------------------------------

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path("picker/", view(self.picker_view), name="images_image_picker"),
            path(
                "picker/upload/",
                view(self.picker_upload_view),
                name="images_image_picker_upload",
            ),
            path(
                "picker/<int:pk>/",
                view(self.picker_thumbnail_view),
                name="images_image_picker_thumbnail",
            ),
            *super().get_urls(),
        ]

    @staticmethod
    def picker_item(image: Image) -> dict:
        return {
            "id": image.pk,
            "thumbnail": image.thumbnail_url,
            "caption": image.caption,
            "alt": image.alt_text,
            "credit": image.credit,
            "warning": image.content_warning,
            "stripped": image.stripped_metadata,
        }

    def picker_view(self, request):
        """Library pictures matching ?q= in caption, credit or alt text (or the
        one ?id= names), newest first, as JSON."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        return require_GET(self._picker)(request)

    def _picker(self, request):
        text = "".join(ch for ch in request.GET.get("q", "") if ch.isprintable())
        images = Image.objects.all()
        if request.GET.get("id", "").isdigit():
            images = images.filter(pk=request.GET["id"])
        for word in text.split()[:8]:
            images = images.filter(
                Q(caption__icontains=word)
                | Q(credit__icontains=word)
                | Q(alt_text__icontains=word)
            )
        return JsonResponse(
            {"results": [self.picker_item(i) for i in images[:PICKER_PAGE]]}
        )

    def picker_upload_view(self, request):
        """A new picture from the body editor, through the same scrubbing pipeline
        as every other upload."""
        if not self.has_add_permission(request):
            raise PermissionDenied
        return require_POST(self._picker_upload)(request)

    def _picker_upload(self, request):
        form = PickerUploadForm(request.POST, request.FILES)
        if not form.is_valid():
            return JsonResponse(
                {
                    "errors": {
                        name: [str(e) for e in errors]
                        for name, errors in form.errors.items()
                    }
                },
                status=400,
            )
        image = form.save(commit=False)
        image.uploaded_by = request.user
        report = image_save(image=image, picture=form.cleaned_data["file"])
        return JsonResponse(self.picker_item(report.image), status=201)

    def picker_thumbnail_view(self, request, pk):
        """The small picture the body editor shows for a placed library image."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        image = get_object_or_404(Image, pk=pk)
        return HttpResponseRedirect(image.thumbnail_url)

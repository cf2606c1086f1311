from contextvars import ContextVar

from django.contrib import admin, messages
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from images.forms import ImageForm
from images.models import Image
from images.services import ImageNotStored, StorageFault, image_save

# Why storing the picture failed, while the editor's form is shown again.
_storage_fault: ContextVar[StorageFault | None] = ContextVar(
    "storage_fault", default=None
)


@admin.register(Image)
class ImageAdmin(admin.ModelAdmin):
    form = ImageForm
    list_display = [
        "thumbnail",
        "__str__",
        "credit",
        "content_warning",
        "width",
        "height",
        "uploaded_at",
    ]
    list_filter = ["uploaded_at"]
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
    ]
    readonly_fields = ["preview"]

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
        card = obj.sources("card").get("jpg")
        url = card[0][0] if card else obj.file.url
        return format_html('<img src="{}" alt="" width="80">', url)

    @admin.display(description=_("preview"))
    def preview(self, obj):
        if not obj.pk:
            return "-"
        return format_html('<img src="{}" alt="" width="320">', obj.file.url)

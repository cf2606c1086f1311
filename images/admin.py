from django.contrib import admin, messages
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from images.forms import ImageForm
from images.models import Image
from images.services import image_save


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

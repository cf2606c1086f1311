from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from masthead.colours import DARK_BACKGROUNDS, LIGHT_BACKGROUNDS, worst_contrast
from masthead.forms import SiteIdentityForm
from masthead.models import SiteIdentity
from masthead.services import site_identity_save
from newsroom.admin_widgets import SafeAutocompleteMixin


@admin.register(SiteIdentity)
class SiteIdentityAdmin(SafeAutocompleteMixin, admin.ModelAdmin):
    """One form for the site's name, description, logo, icons and accent; the
    list of one row goes straight to it."""

    form = SiteIdentityForm
    autocomplete_fields = ["logo", "icon"]
    readonly_fields = ["contrast", "icons"]
    fieldsets = [
        (None, {"fields": ["name", "description"]}),
        (
            _("Logo"),
            {"fields": ["logo", "logo_upload", "show_name_with_logo"]},
        ),
        (_("Icons"), {"fields": ["icon", "icon_upload", "icons"]}),
        (_("Accent colour"), {"fields": ["accent_colour", "contrast"]}),
    ]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def changelist_view(self, request, extra_context=None):
        if not self.has_view_or_change_permission(request):
            raise PermissionDenied
        identity = SiteIdentity.current()
        if identity.pk is None:
            identity.save()
        return HttpResponseRedirect(
            reverse("admin:masthead_siteidentity_change", args=[identity.pk])
        )

    def save_model(self, request, obj, form, change):
        site_identity_save(
            identity=obj,
            logo=form.cleaned_data.get("logo_upload"),
            icon=form.cleaned_data.get("icon_upload"),
            user=request.user,
        )

    @admin.display(description=_("contrast"))
    def contrast(self, obj):
        if obj is None:
            return "-"
        light = worst_contrast(obj.accent_colour, LIGHT_BACKGROUNDS)
        dark = worst_contrast(obj.accent_on_dark, DARK_BACKGROUNDS)
        return format_html(
            "{}<br>{}",
            _("Light pages: %(colour)s, %(ratio).1f:1")
            % {"colour": obj.accent_colour, "ratio": light},
            _("Dark mode: %(colour)s, %(ratio).1f:1 (made lighter for you)")
            % {"colour": obj.accent_on_dark, "ratio": dark},
        )

    @admin.display(description=_("icon sizes"))
    def icons(self, obj):
        sizes = (
            [item["width"] for item in obj.icon.renditions if item["kind"] == "icon"]
            if obj and obj.icon
            else []
        )
        if not sizes:
            return _("None yet: upload a square picture.")
        return ", ".join(f"{size} by {size}" for size in sorted(sizes))

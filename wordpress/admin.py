from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from newsroom.admin_widgets import SafeAutocompleteMixin
from wordpress.models import OldAddress


@admin.register(OldAddress)
class OldAddressAdmin(SafeAutocompleteMixin, admin.ModelAdmin):
    """The old site's addresses and where they lead: an editor corrects one that
    leads to the wrong place, or adds one the export did not have."""

    list_display = ["path", "leads_to"]
    list_select_related = ["article", "section", "tag"]
    search_fields = ["path", "article__headline"]
    autocomplete_fields = ["article", "section", "tag"]
    fields = ["path", "article", "section", "tag"]

    @admin.display(description=_("leads to"))
    def leads_to(self, address: OldAddress) -> str:
        return str(address.target)

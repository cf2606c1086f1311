from django.contrib import admin

from contributors.models import Contributor
from newsroom.admin_widgets import SafeAutocompleteMixin


@admin.register(Contributor)
class ContributorAdmin(SafeAutocompleteMixin, admin.ModelAdmin):
    list_display = ["name", "identity", "pseudonym", "role", "user"]
    list_filter = ["identity"]
    search_fields = ["name", "pseudonym", "role"]
    # No prefilling from the name: for a protected identity that would put the real
    # name in the slug before the editor picks the identity. The model makes it.
    autocomplete_fields = ["photo", "user"]
    list_select_related = ["user"]

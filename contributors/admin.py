from django.contrib import admin

from contributors.models import Contributor
from newsroom.admin_widgets import SafeAutocompleteMixin


@admin.register(Contributor)
class ContributorAdmin(SafeAutocompleteMixin, admin.ModelAdmin):
    list_display = ["name", "identity", "pseudonym", "role", "user"]
    list_filter = ["identity"]
    search_fields = ["name", "pseudonym", "role"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["photo", "user"]
    list_select_related = ["user"]

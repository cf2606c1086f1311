from django.contrib import admin

from readers.models import Reader


@admin.register(Reader)
class ReaderAdmin(admin.ModelAdmin):
    list_display = ["display_name", "blocked", "notify_replies", "joined_at"]
    list_filter = ["blocked", "notify_replies"]
    search_fields = ["display_name", "user__email"]
    readonly_fields = ["user", "joined_at"]
    actions = ["block", "unblock"]

    def has_add_permission(self, request):
        # Readers sign up themselves; the admin has no way to make the account.
        return False

    @admin.action(description="Block selected readers from commenting")
    def block(self, request, queryset):
        queryset.update(blocked=True)

    @admin.action(description="Let selected readers comment again")
    def unblock(self, request, queryset):
        queryset.update(blocked=False)

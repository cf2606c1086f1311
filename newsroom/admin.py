"""Admin fixes for third-party apps (autodiscovered after theirs: newsroom is the
last installed app)."""

from django.contrib import admin, messages
from django.shortcuts import redirect
from taggit.admin import TagAdmin
from taggit.models import Tag


class NewsroomTagAdmin(TagAdmin):
    def merge_tags_view(self, request):
        """taggit's merge page trusts the tags chosen earlier in the session and
        fails with a 500 when there are none, or one was deleted since: send the
        editor back to choose them instead."""
        chosen = request.session.get("selected_tag_ids", "").split(",")
        valid = all(pk.isdigit() for pk in chosen)
        if not valid or Tag.objects.filter(pk__in=chosen).count() != len(set(chosen)):
            self.message_user(
                request,
                "Choose the tags to merge in the list, then the action "
                "“Merge selected tags”.",
                messages.ERROR,
            )
            return redirect("admin:taggit_tag_changelist")
        return super().merge_tags_view(request)


admin.site.unregister(Tag)
admin.site.register(Tag, NewsroomTagAdmin)

"""The staff roles the code relies on, declared here and synced after every
`migrate` (as django.contrib.auth creates permissions), so a fresh database, a
flushed test database and a deployed one all have the same groups."""

from django.contrib.auth.models import Group, Permission
from django.db.models import Q

WRITER = "writer"
EDITOR = "editor"

# A writer drafts articles, places pictures and credits, and submits for review.
WRITER_PERMISSIONS = [
    "articles.add_article",
    "articles.change_article",
    "articles.view_article",
    "articles.add_articlecontributor",
    "articles.change_articlecontributor",
    "articles.delete_articlecontributor",
    "articles.view_articlecontributor",
    "articles.add_articleimage",
    "articles.change_articleimage",
    "articles.delete_articleimage",
    "articles.view_articleimage",
    "articles.view_partneroutlet",
    "contributors.view_contributor",
    "images.add_image",
    "images.view_image",
    "taggit.add_tag",
    "taggit.view_tag",
]

# An editor may do everything with the newsroom's content and its readers.
EDITOR_APPS = [
    "articles",
    "contributors",
    "images",
    "masthead",
    "taggit",
    "comments",
    "readers",
]
# ...and with newsletters and their issues (composing, sending, reports), but not
# with subscribers' addresses: an administrator grants those (view, delete,
# export) to the few who need them.
EDITOR_PERMISSIONS = [
    f"newsletters.{action}_{model}"
    for model in ("newsletter", "issue", "issueitem")
    for action in ("add", "change", "delete", "view")
] + ["newsletters.send_issue"]
# ...and with the old WordPress site's addresses that redirect here.
EDITOR_PERMISSIONS += [
    f"wordpress.{action}_oldaddress" for action in ("add", "change", "delete", "view")
]


def _permissions(names):
    query = Q(pk__in=[])
    for name in names:
        app_label, codename = name.split(".")
        query |= Q(content_type__app_label=app_label, codename=codename)
    return Permission.objects.filter(query)


def roles_sync(**kwargs) -> None:
    """Create the groups and add their permissions; never removes what an
    administrator granted on top."""
    writer, _ = Group.objects.get_or_create(name=WRITER)
    writer.permissions.add(*_permissions(WRITER_PERMISSIONS))
    editor, _ = Group.objects.get_or_create(name=EDITOR)
    editor.permissions.add(
        *Permission.objects.filter(content_type__app_label__in=EDITOR_APPS),
        *_permissions(EDITOR_PERMISSIONS),
    )

"""Create the writer and editor groups with their permissions."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

ROLES = {
    "writer": [
        ("articles", "add_article"),
        ("articles", "change_article"),
        ("articles", "view_article"),
        ("articles", "add_articlecontributor"),
        ("articles", "change_articlecontributor"),
        ("articles", "delete_articlecontributor"),
        ("articles", "view_articlecontributor"),
        ("articles", "add_articleimage"),
        ("articles", "change_articleimage"),
        ("articles", "delete_articleimage"),
        ("articles", "view_articleimage"),
        ("articles", "view_partneroutlet"),
        ("contributors", "view_contributor"),
        ("images", "add_image"),
        ("images", "view_image"),
        ("taggit", "add_tag"),
        ("taggit", "view_tag"),
    ],
}
EDITOR_APPS = ["articles", "contributors", "images", "taggit"]


def create_roles(apps, schema_editor):
    # Permissions are normally made after all migrations; the groups need them now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")

    writer, _ = Group.objects.get_or_create(name="writer")
    for app_label, codename in ROLES["writer"]:
        writer.permissions.add(
            Permission.objects.get(content_type__app_label=app_label, codename=codename)
        )

    editor, _ = Group.objects.get_or_create(name="editor")
    editor.permissions.add(
        *Permission.objects.filter(content_type__app_label__in=EDITOR_APPS)
    )


def remove_roles(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=["writer", "editor"]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0001_initial"),
        ("contributors", "0001_initial"),
        ("images", "0001_initial"),
        ("taggit", "0006_rename_taggeditem_content_type_object_id_taggit_tagg_content_8fc721_idx"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_roles, remove_roles)]

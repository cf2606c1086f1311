"""Editors moderate comments and readers."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

APPS = ["comments", "readers"]


def grant(apps, schema_editor):
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    editor, _ = Group.objects.get_or_create(name="editor")
    editor.permissions.add(*Permission.objects.filter(content_type__app_label__in=APPS))


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for editor in Group.objects.filter(name="editor"):
        editor.permissions.remove(
            *Permission.objects.filter(content_type__app_label__in=APPS)
        )


class Migration(migrations.Migration):
    dependencies = [
        ("comments", "0001_initial"),
        ("readers", "0001_initial"),
        ("articles", "0002_roles"),
    ]

    operations = [migrations.RunPython(grant, revoke)]

"""Staff roles are declared in code (newsroom/roles.py) and synced on migrate."""

import pytest
from django.contrib.auth.models import Group, Permission

from newsroom.roles import EDITOR, WRITER, WRITER_PERMISSIONS, roles_sync

pytestmark = pytest.mark.django_db


def codes(group):
    return {
        f"{p.content_type.app_label}.{p.codename}"
        for p in group.permissions.select_related("content_type")
    }


def test_migrate_leaves_the_declared_roles_in_place():
    assert codes(Group.objects.get(name=WRITER)) == set(WRITER_PERMISSIONS)
    editor = codes(Group.objects.get(name=EDITOR))
    assert {"articles.publish_article", "comments.change_comment"} <= editor
    assert "auth.change_user" not in editor


def test_sync_restores_what_is_missing_and_keeps_what_was_added():
    writer = Group.objects.get(name=WRITER)
    writer.permissions.remove(Permission.objects.get(codename="add_article"))
    extra = Permission.objects.get(codename="view_correction")
    writer.permissions.add(extra)
    roles_sync()
    assert codes(writer) == set(WRITER_PERMISSIONS) | {"articles.view_correction"}

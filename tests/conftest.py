import shutil
from pathlib import Path

import pytest


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path_factory):
    """Uploaded files go to a temporary folder, never the demo site's media/."""
    root = tmp_path_factory.mktemp("media")
    settings.MEDIA_ROOT = root
    yield Path(root)
    shutil.rmtree(root, ignore_errors=True)


@pytest.fixture(autouse=True)
def _plain_static_files(settings):
    """Tests render templates without running collectstatic first."""
    settings.STORAGES = settings.STORAGES | {
        "staticfiles": {
            "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        }
    }


@pytest.fixture
def editor(django_user_model):
    from django.contrib.auth.models import Group

    ensure_roles()
    user = django_user_model.objects.create_user(
        "editor-user", "editor@example.org", "correct-horse-battery", is_staff=True
    )
    user.groups.add(Group.objects.get(name="editor"))
    return user


@pytest.fixture
def writer(django_user_model):
    from django.contrib.auth.models import Group

    ensure_roles()
    user = django_user_model.objects.create_user(
        "writer-user", "writer@example.org", "correct-horse-battery", is_staff=True
    )
    user.groups.add(Group.objects.get(name="writer"))
    return user


def ensure_roles():
    """The writer and editor groups as the data migration makes them; transactional
    tests (the browser's) flush them between tests."""
    import importlib

    from django.apps import apps

    importlib.import_module("articles.migrations.0002_roles").create_roles(apps, None)

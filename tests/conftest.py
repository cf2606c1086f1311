import shutil
from pathlib import Path

import pytest


def pytest_sessionstart(session):
    """The interface's catalogues compiled (.mo) from their current .po, as
    `make` does: tests read the site as readers of every language do."""
    from newsroom.management.commands.catalogues import compile_catalogues

    compile_catalogues()


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path_factory):
    """Uploaded files go to a temporary folder, never the demo site's media/."""
    root = tmp_path_factory.mktemp("media")
    settings.MEDIA_ROOT = root
    yield Path(root)
    shutil.rmtree(root, ignore_errors=True)


@pytest.fixture(autouse=True)
def _nothing_kept(request):
    """Each test starts with no kept parts of pages (newsroom/fragments.py):
    they live in the process's memory, which outlives a test's rollback. Their
    versions are in the shared cache, as on a site that has served a page:
    query counts are those of every request but the very first."""
    from newsroom.fragments import forget, versions

    forget()
    names = request.fixturenames
    for name in ("transactional_db", "db"):
        if name in names:
            request.getfixturevalue(name)
            break
    if request.node.get_closest_marker("django_db") or {"db", "transactional_db"} & set(
        names
    ):
        versions()
    yield
    forget()


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

    user = django_user_model.objects.create_user(
        "editor-user", "editor@example.org", "correct-horse-battery", is_staff=True
    )
    user.groups.add(Group.objects.get(name="editor"))
    return user


@pytest.fixture
def writer(django_user_model):
    from django.contrib.auth.models import Group

    user = django_user_model.objects.create_user(
        "writer-user", "writer@example.org", "correct-horse-battery", is_staff=True
    )
    user.groups.add(Group.objects.get(name="writer"))
    return user


@pytest.fixture
def smtp(settings):
    """A real SMTP server on loopback that the site's email goes to."""
    from tests.mail import SMTPServer, free_port

    port = free_port()
    server = SMTPServer(port)
    server.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_TIMEOUT = 5
    yield server.inbox
    server.stop()


@pytest.fixture(autouse=True)
def _fresh_rate_limits(request):
    """Rate limits live in the cache table, which outlives each test's transaction."""
    if request.node.get_closest_marker("django_db") is None:
        yield
        return
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()

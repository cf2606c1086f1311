"""Stored files follow their rows: a deleted or replaced picture leaves nothing
behind once the transaction commits, and a media folder that cannot take a new
picture gives the editor a form error and leaves no file and no row."""

import errno
import os
import shutil
import tempfile
from contextlib import contextmanager
from pathlib import Path

import pytest
from django.core.files.storage import FileSystemStorage, default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.urls import reverse

from images.models import Image
from images.processing import scrub
from images.services import image_create, image_save
from tests.images import samples

pytestmark = pytest.mark.django_db

FIELDS = {
    "alt_text": "A street in the old city",
    "caption": "",
    "credit": "",
    "content_warning": "",
    "focal_x": "0.5",
    "focal_y": "0.5",
}


def stored_names(image: Image) -> list[str]:
    return [image.file.name, *(item["name"] for item in image.renditions)]


def files_under(root: Path) -> list[Path]:
    return sorted(p for p in Path(root).rglob("*") if p.is_file())


def assert_all_stored(names):
    assert names
    for name in names:
        assert default_storage.exists(name), name


def assert_none_stored(names):
    assert names
    for name in names:
        assert not default_storage.exists(name), name


@pytest.fixture
def serve_media(settings):
    settings.SERVE_MEDIA = True


# --- Deleting and replacing ---------------------------------------------------------


def test_deleting_in_the_admin_removes_the_file_and_every_rendition_after_commit(
    client, editor, serve_media, django_capture_on_commit_callbacks
):
    image = image_create(data=samples.jpeg(size=(1400, 900)), alt_text="Street")
    names = stored_names(image)
    assert len(names) > 8
    urls = [default_storage.url(name) for name in names]
    assert client.get(urls[0]).status_code == 200
    client.force_login(editor)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("admin:images_image_delete", args=[image.pk]), {"post": "yes"}
        )
        assert response.status_code == 302
        assert_all_stored(names)  # not before the deletion is committed

    assert not Image.objects.exists()
    assert_none_stored(names)
    for url in urls:
        assert client.get(url).status_code == 404, url


def test_the_admin_bulk_delete_removes_every_selected_images_files(
    client, editor, django_capture_on_commit_callbacks, _media_root
):
    images = [
        image_create(data=samples.jpeg(size=(600 + n, 400)), alt_text=f"Street {n}")
        for n in range(3)
    ]
    client.force_login(editor)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("admin:images_image_changelist"),
            {
                "action": "delete_selected",
                "_selected_action": [image.pk for image in images],
                "post": "yes",
            },
        )
    assert response.status_code == 302
    assert not Image.objects.exists()
    assert files_under(_media_root) == []


@pytest.mark.parametrize("how", ["queryset", "instance"])
def test_a_delete_from_the_shell_removes_the_files_after_commit(
    how, django_capture_on_commit_callbacks, _media_root
):
    image = image_create(data=samples.png(), alt_text="Street")
    names = stored_names(image)
    with django_capture_on_commit_callbacks(execute=True):
        if how == "queryset":
            Image.objects.filter(pk=image.pk).delete()
        else:
            image.delete()
        assert_all_stored(names)
    assert_none_stored(names)
    assert files_under(_media_root) == []


def test_a_rolled_back_delete_removes_nothing(django_capture_on_commit_callbacks):
    image = image_create(data=samples.jpeg(), alt_text="Street")
    names = stored_names(image)
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        Image.objects.filter(pk=image.pk).delete()
        raise RuntimeError("the editor's request failed later on")
    assert callbacks == []
    assert Image.objects.filter(pk=image.pk).exists()
    assert_all_stored(names)


def test_replacing_the_picture_removes_the_old_file_and_renditions_after_commit(
    django_capture_on_commit_callbacks, _media_root
):
    image = image_create(data=samples.jpeg(size=(1200, 800)), alt_text="Street")
    old = stored_names(image)
    with django_capture_on_commit_callbacks(execute=True):
        image_save(image=image, picture=scrub(samples.png()))
        assert_all_stored(old)
    new = stored_names(image)
    assert set(old).isdisjoint(new)
    assert_none_stored(old)
    assert_all_stored(new)
    left = [str(path.relative_to(_media_root)) for path in files_under(_media_root)]
    assert sorted(left) == sorted(new)


def test_replacing_in_the_admin_removes_the_old_files(
    client, editor, django_capture_on_commit_callbacks, _media_root
):
    image = image_create(data=samples.jpeg(), alt_text="Street")
    old = stored_names(image)
    client.force_login(editor)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("admin:images_image_change", args=[image.pk]),
            FIELDS | {"file": SimpleUploadedFile("new.png", samples.png())},
        )
    assert response.status_code == 302
    image.refresh_from_db()
    assert_none_stored(old)
    assert len(files_under(_media_root)) == len(stored_names(image))


def test_a_rolled_back_replacement_keeps_the_old_picture(
    django_capture_on_commit_callbacks,
):
    image = image_create(data=samples.jpeg(), alt_text="Street")
    old = stored_names(image)
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        image_save(image=image, picture=scrub(samples.png()))
        raise RuntimeError("the editor's request failed later on")
    assert callbacks == []
    image.refresh_from_db()
    assert stored_names(image) == old
    assert_all_stored(old)


def test_renditions_shared_by_an_identical_picture_stay_for_the_other_image(
    django_capture_on_commit_callbacks,
):
    # Rendition names come from the pixels, so the same picture uploaded twice
    # shares them; each upload keeps a file of its own.
    data = samples.jpeg(size=(800, 500))
    first = image_create(data=data, alt_text="First")
    second = image_create(data=data, alt_text="Second")
    shared = [item["name"] for item in second.renditions]
    assert shared == [item["name"] for item in first.renditions]
    with django_capture_on_commit_callbacks(execute=True):
        first.delete()
    assert not default_storage.exists(first.file.name)
    assert_all_stored(stored_names(second))


# --- A media folder that cannot take the picture -----------------------------------


class FullDiskStorage(FileSystemStorage):
    """A media folder on a disk that fills up: the first `room` files are
    written, then a write stops half-way with ENOSPC, as a real full disk does
    (the half-written file stays behind, as with FileSystemStorage)."""

    room = 0

    def _save(self, name, content):
        if FullDiskStorage.room > 0:
            FullDiskStorage.room -= 1
            return super()._save(name, content)
        path = Path(self.path(name))
        path.parent.mkdir(parents=True, exist_ok=True)
        content.seek(0)
        path.write_bytes(content.read()[: max(content.size // 2, 1)])
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(path))


@pytest.fixture
def full_disk(settings):
    def fill(room=0):
        FullDiskStorage.room = room
        settings.STORAGES = settings.STORAGES | {
            "default": {"BACKEND": f"{__name__}.FullDiskStorage"}
        }

    yield fill
    FullDiskStorage.room = 0


def add_image(client, data=None):
    return client.post(
        reverse("admin:images_image_add"),
        FIELDS
        | {
            "file": SimpleUploadedFile(
                "street.jpg", data or samples.jpeg(size=(900, 600))
            )
        },
    )


def assert_form_error(response, text):
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert text in " ".join(errors.get("file", [])), errors
    assert text in response.text
    # The editor's words come back with the form.
    assert FIELDS["alt_text"] in response.text


@pytest.mark.parametrize("room", [0, 1, 5], ids=["picture", "first", "sixth"])
def test_a_full_media_folder_gives_a_form_error_and_leaves_nothing(
    client, editor, full_disk, room, _media_root
):
    """The disk fills up at the picture itself, or at one of its renditions."""
    full_disk(room)
    client.force_login(editor)
    response = add_image(client)
    assert_form_error(response, "The media folder is full")
    assert not Image.objects.exists()
    assert files_under(_media_root) == []


def test_a_full_media_folder_while_replacing_keeps_the_old_picture(
    client, editor, full_disk, _media_root
):
    image = image_create(data=samples.jpeg(), alt_text="Street")
    before = files_under(_media_root)
    full_disk(room=2)
    client.force_login(editor)
    response = client.post(
        reverse("admin:images_image_change", args=[image.pk]),
        FIELDS
        | {"caption": "New", "file": SimpleUploadedFile("new.png", samples.png())},
    )
    assert_form_error(response, "The media folder is full")
    unchanged = Image.objects.get()
    assert (unchanged.file.name, unchanged.renditions, unchanged.caption) == (
        image.file.name,
        image.renditions,
        "",
    )
    assert files_under(_media_root) == before


@contextmanager
def unprivileged():
    """Act as an ordinary user: root writes into read-only folders regardless of
    their mode, and tests (unlike the web server) may run as root."""
    if os.geteuid() != 0:
        yield
        return
    os.setegid(65534)
    os.seteuid(65534)  # nobody
    try:
        yield
    finally:
        os.seteuid(0)
        os.setegid(0)


@pytest.fixture
def read_only_media(settings):
    """A real media folder with no write permission for anyone."""
    base = Path(tempfile.mkdtemp(prefix="newsroom-media-"))
    base.chmod(0o755)
    media = base / "media"
    for sub in ["images", "renditions"]:
        (media / sub).mkdir(parents=True)
        (media / sub).chmod(0o555)
    media.chmod(0o555)
    settings.MEDIA_ROOT = media
    yield media
    for path in [media, media / "images", media / "renditions"]:
        path.chmod(0o755)
    shutil.rmtree(base)


def test_a_read_only_media_folder_gives_a_form_error_and_leaves_nothing(
    client, editor, read_only_media
):
    client.force_login(editor)
    data = samples.jpeg(size=(900, 600))
    with unprivileged():
        with pytest.raises(PermissionError):
            (read_only_media / "images" / "probe").write_bytes(b"")
        response = add_image(client, data)
    assert_form_error(response, "The media folder cannot be written to")
    assert not Image.objects.exists()
    assert files_under(read_only_media) == []


def test_a_media_folder_under_a_file_gives_a_form_error(client, editor, settings):
    """A mistyped or unmounted MEDIA_ROOT: the operating system refuses the path."""
    with tempfile.NamedTemporaryFile() as not_a_folder:
        settings.MEDIA_ROOT = Path(not_a_folder.name) / "media"
        client.force_login(editor)
        response = add_image(client)
    assert_form_error(response, "The media folder cannot be written to")
    assert not Image.objects.exists()

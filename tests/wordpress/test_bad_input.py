"""Hostile and broken files, missing pictures and wrong options: one clear
sentence or a line in the report, never a traceback, and nothing half-written."""

import subprocess
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path

import pytest
from django.core.management.base import CommandError
from django.db import connection
from taggit.models import Tag

from articles.models import Article, Section
from comments.models import Comment, CommentCount
from images.models import Image
from tests.images import samples
from tests.wordpress.conftest import FIXTURE, run_import
from wordpress.models import ImportedPost, OldAddress

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]
HEAD = """<?xml version="1.0" encoding="UTF-8" ?>
{doctype}<rss version="2.0" xmlns:wp="http://wordpress.org/export/1.2/"
 xmlns:content="http://purl.org/rss/1.0/modules/content/">
<channel><title>{title}</title><link>https://evil.example</link>
<wp:wxr_version>1.2</wp:wxr_version>
<wp:base_blog_url>https://evil.example</wp:base_blog_url>
<item><title>{title}</title><wp:post_id>1</wp:post_id>
<wp:post_type>post</wp:post_type><wp:status>publish</wp:status>
<wp:post_date_gmt>2024-01-01 10:00:00</wp:post_date_gmt>
<content:encoded>{title}</content:encoded></item>
</channel></rss>
"""
ENTITIES = ['<!ENTITY lol0 "lol">'] + [
    f'<!ENTITY lol{n} "{f"&lol{n - 1};" * 10}">' for n in range(1, 10)
]
BILLION_LAUGHS = "<!DOCTYPE rss [\n" + "\n".join(ENTITIES) + "\n]>\n"


class _Recorder(BaseHTTPRequestHandler):
    requests: list[str] = []

    def do_GET(self):
        _Recorder.requests.append(self.path)
        self.send_response(200)
        self.end_headers()
        self.wfile.write(b'<!ENTITY secret "fetched">')

    def log_message(self, *args):
        pass


@pytest.fixture
def listener():
    """A web server on loopback that records whether anything asked it."""
    server = HTTPServer(("127.0.0.1", 0), _Recorder)
    _Recorder.requests = []
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    server.server_close()


def refused(path, **options) -> str:
    with pytest.raises(CommandError) as error:
        run_import(path, **options)
    message = str(error.value)
    assert "\n" not in message and "Traceback" not in message
    assert not Article.objects.exists()
    return message


def test_billion_laughs_is_refused_before_anything_expands(tmp_path):
    path = tmp_path / "laughs.xml"
    path.write_text(HEAD.format(doctype=BILLION_LAUGHS, title="&lol9;"))
    started = time.monotonic()
    message = refused(path)
    assert time.monotonic() - started < 5
    assert "it declares a DTD or XML entities" in message


def test_external_entities_and_dtds_are_never_read_or_fetched(tmp_path, listener):
    secret = tmp_path / "secret.txt"
    secret.write_text("the newsroom's secret")
    for doctype in [
        f'<!DOCTYPE rss [<!ENTITY xxe SYSTEM "file://{secret}">]>\n',
        f'<!DOCTYPE rss [<!ENTITY xxe SYSTEM "{listener}/entity">]>\n',
        f'<!DOCTYPE rss SYSTEM "{listener}/evil.dtd">\n',
        f'<!DOCTYPE rss [<!ENTITY % remote SYSTEM "{listener}/p.dtd"> %remote;]>\n',
    ]:
        path = tmp_path / "xxe.xml"
        path.write_text(HEAD.format(doctype=doctype, title="&xxe;"))
        assert "it declares a DTD or XML entities" in refused(path)
    assert _Recorder.requests == []


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b"", "it is not XML"),
        (b"\xff\xd8\xff\xe0 a JPEG, say", "it is not XML"),
        (b"<html><body>Not an export</body></html>", "it is not an RSS file"),
        (
            b'<?xml version="1.0"?><rss version="2.0"><channel><title>A feed</title>'
            b"<item><title>x</title></item></channel></rss>",
            "it has no WordPress export version (WXR)",
        ),
    ],
)
def test_a_file_that_is_not_an_export_gets_one_sentence(tmp_path, content, reason):
    path = tmp_path / "export.xml"
    path.write_bytes(content)
    message = refused(path)
    assert message == (
        f"{path} cannot be imported: {reason}; export the site again from "
        "WordPress (Tools → Export → All content)."
    )


def test_a_file_cut_short_is_refused_before_anything_is_written(tmp_path, uploads):
    text = FIXTURE.read_text()
    path = tmp_path / "cut.xml"
    path.write_text(text[: len(text) * 2 // 3])
    message = refused(path, uploads=uploads)
    assert "it is not well-formed XML at line" in message
    assert "(a file cut short?)" in message
    assert not Image.objects.exists()


def test_the_command_exits_with_one_line_and_no_traceback(tmp_path):
    path = tmp_path / "notes.txt"
    path.write_text("These are my notes, not an export.")
    result = subprocess.run(
        [sys.executable, "manage.py", "import_wordpress", str(path)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert result.stderr.strip().splitlines() == [
        f"CommandError: {path} cannot be imported: it is not XML; export the site "
        "again from WordPress (Tools → Export → All content)."
    ]


def test_wrong_options_get_one_sentence(tmp_path, uploads):
    assert (
        refused(tmp_path / "absent.xml") == f"{tmp_path / 'absent.xml'} is not a file."
    )
    assert refused(FIXTURE, uploads=tmp_path / "nowhere") == (
        f"The uploads folder {tmp_path / 'nowhere'} is not a folder."
    )
    authors = tmp_path / "authors.csv"
    authors.write_text("login,identity\nhana,anonymous\n")
    assert refused(FIXTURE, authors=authors) == (
        f"The authors file {authors}: line 2: the identity must be one of named, "
        "pseudonym, withheld, not “anonymous”."
    )
    authors.write_text("login,identity\nkarwan,pseudonym\n")
    assert "line 2: a pseudonym is needed" in refused(FIXTURE, authors=authors)
    authors.write_text("name;role\n")
    assert "its first line must name the columns" in refused(FIXTURE, authors=authors)


def test_nothing_outside_the_uploads_folder_is_ever_read(tmp_path, uploads, export):
    outside = tmp_path / "private.jpg"
    outside.write_bytes(samples.jpeg())
    (uploads / "2024/03/shortcut.jpg").symlink_to(outside)
    text = export.read_text().replace(
        "Polls open at seven.",
        '<img src="https://oldnews.example.org/wp-content/uploads/../../private.jpg">'
        '<img src="https://oldnews.example.org/wp-content/uploads/2024/03/'
        'shortcut.jpg">Polls open at seven.',
    )
    export.write_text(text)
    output = run_import(export, uploads=uploads)
    assert "../../private.jpg: not in the uploads folder" in output
    assert "2024/03/shortcut.jpg: not in the uploads folder" in output
    assert Image.objects.count() == 3  # the fixture's own pictures only


def test_a_file_that_is_not_a_picture_is_left_out_and_the_post_kept(uploads):
    (uploads / "2024/03/checkpoint.jpg").write_text("<?php echo 'not a picture';")
    output = run_import(FIXTURE, uploads=uploads)
    assert "2024/03/checkpoint.jpg: refused by the image pipeline" in output
    assert Article.objects.filter(slug="checkpoint-road", lead_image=None).exists()


def test_a_media_folder_that_cannot_be_written_stops_the_import_keeping_nothing_half(
    settings, uploads, tmp_path
):
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    settings.MEDIA_ROOT = blocker / "media"
    with pytest.raises(CommandError) as error:
        run_import(FIXTURE, uploads=uploads)
    assert str(error.value).startswith(
        "The import stopped: The media folder cannot be written to"
    )
    # The batch that met it was rolled back whole: no article without its pictures.
    assert not Article.objects.exists()
    assert not Image.objects.exists()


def refuse_in_database(table, column, words):
    """The database itself refuses rows whose `column` starts with `words` (a
    real constraint, taken back with the test's transaction)."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"ALTER TABLE {table} ADD CONSTRAINT refused_by_the_test "
            f"CHECK ({column} NOT LIKE %s)",
            [f"{words}%"],
        )


def imported_without_the_checkpoint_report(output, media_root):
    """Everything of the fixture but post 10, and nothing of post 10."""
    assert "Traceback" not in output
    assert "post 10 “Checkpoint on the Mosul road" in output
    assert "could not be saved: new row for relation" in output
    assert "articles: 5 created, 0 updated, 0 unchanged" in output
    assert not ImportedPost.objects.filter(post_id=10).exists()
    assert sorted(ImportedPost.objects.values_list("post_id", flat=True)) == [
        11,
        12,
        13,
        14,
        18,
    ]
    # Its tags, its own picture and its comments are gone with it...
    assert not Tag.objects.filter(name__in=["Mosul", "Displacement", "Water"])
    assert set(Image.objects.values_list("alt_text", flat=True)) == {
        "Stalls beside the road",
        "النهر عند الموصل",
    }
    assert "pictures: 2 stored" in output
    assert not Comment.objects.filter(body__startswith="Thank you").exists()
    assert not OldAddress.objects.filter(path="/2024/03/15/checkpoint-road").exists()
    # ...and every file left in the media folder belongs to a picture.
    names = {
        name
        for image in Image.objects.all()
        for name in [image.file.name, *(r["name"] for r in image.renditions)]
    }
    files = {
        str(path.relative_to(media_root))
        for path in media_root.rglob("*")
        if path.is_file()
    }
    assert files == names
    # The section it would have made first is made by the next post, once.
    assert Section.objects.filter(slug="iraq").count() == 1
    assert "sections: 2 created (Iraq, Analysis" in output
    assert OldAddress.objects.get(path="/category/iraq").section.slug == "iraq"


def test_a_post_the_database_refuses_is_left_out_whole(
    uploads, _media_root, django_capture_on_commit_callbacks
):
    refuse_in_database("articles_article", "headline", "Checkpoint")
    with django_capture_on_commit_callbacks(execute=True):
        output = run_import(FIXTURE, uploads=uploads)
    imported_without_the_checkpoint_report(output, _media_root)


def test_a_batch_the_database_refuses_is_imported_again_post_by_post(
    uploads, _media_root, django_capture_on_commit_callbacks
):
    # Comments are written for the whole batch at once: the batch fails, then
    # each post is tried alone and only the one at fault is left out.
    refuse_in_database("comments_comment", "body", "Thank you for this report")
    with django_capture_on_commit_callbacks(execute=True):
        output = run_import(FIXTURE, uploads=uploads)
    imported_without_the_checkpoint_report(output, _media_root)
    assert CommentCount.objects.filter(approved__gt=0).count() == 1
    assert "comments: 1 kept" in output

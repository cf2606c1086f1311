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

from articles.models import Article
from images.models import Image
from tests.images import samples
from tests.wordpress.conftest import FIXTURE, run_import

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

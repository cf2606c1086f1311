"""While PostgreSQL is away, readers get a 503 with Retry-After at once, and the
background worker carries on sending once it is back. The database is a real
PostgreSQL server of these tests' own (embedded, in a scratch folder) that they
stop and start, so the suite's own database is untouched; the site runs in
gunicorn with production settings, the worker as `manage.py worker`."""

import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from newsroom import embedded_postgres
from tests.mail import SMTPServer, free_port
from tests.test_project import ROOT, clean_env

PYTHON = sys.executable
GUNICORN = str(Path(PYTHON).parent / "gunicorn")


def production_env(database_url, **values):
    return clean_env(
        DATABASE_URL=database_url,
        DJANGO_SETTINGS_MODULE="newsroom.settings",
        SECRET_KEY="outage-test-only-" + "k" * 40,
        LOG_LEVEL="CRITICAL",
        **values,
    )


@pytest.fixture(scope="module")
def database():
    """(data folder, URL) of a migrated PostgreSQL server for these tests only."""
    base = Path(tempfile.mkdtemp(prefix="newsroom-outage-"))
    base.chmod(0o755)  # as root, pgserver runs the server as its own user
    data_dir = base / "pg"
    url = embedded_postgres.database_url(data_dir)
    for command in ["migrate", "collectstatic"]:
        subprocess.run(
            [PYTHON, "manage.py", command, "--noinput", "-v0"],
            cwd=ROOT,
            env=production_env(url, STATIC_ROOT=str(base / "static")),
            check=True,
            timeout=300,
        )
    yield data_dir, url, base / "static"
    embedded_postgres.release(data_dir)
    embedded_postgres.stop(data_dir)
    shutil.rmtree(base)


class Site:
    """gunicorn with production settings on a free loopback port."""

    def __init__(self, database_url, static_root):
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.process = subprocess.Popen(
            [GUNICORN, "newsroom.wsgi:application", "--bind", f"127.0.0.1:{self.port}"],
            cwd=ROOT,
            env=production_env(
                database_url, SITE_URL=self.base, STATIC_ROOT=str(static_root)
            ),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        for _ in range(200):
            try:
                socket.create_connection(("127.0.0.1", self.port), 0.1).close()
                return
            except OSError:
                try:
                    self.process.wait(timeout=0.1)
                except subprocess.TimeoutExpired:
                    continue
                raise AssertionError("gunicorn stopped") from None
        raise AssertionError("gunicorn did not start")

    def get(self, path, timeout=30):
        """(status, headers, text, seconds taken)."""
        started = time.monotonic()
        try:
            with urllib.request.urlopen(self.base + path, timeout=timeout) as response:
                status, headers, body = (
                    response.status,
                    response.headers,
                    response.read(),
                )
        except urllib.error.HTTPError as error:
            status, headers, body = error.code, error.headers, error.read()
        return status, headers, body.decode(), time.monotonic() - started

    def stop(self):
        self.process.terminate()
        self.process.wait(timeout=30)


def test_readers_get_a_503_with_retry_after_at_once_while_postgresql_is_down(
    database,
):
    data_dir, url, static_root = database
    site = Site(url, static_root)
    try:
        assert site.get("/")[0] == 200
        embedded_postgres.stop(data_dir)
        try:
            for path in [
                "/",
                "/articles/some-report/",
                "/search/?q=water",
                "/feeds/latest/",
            ]:
                status, headers, text, seconds = site.get(path)
                assert status == 503, (path, status)
                assert headers["Retry-After"] == "30"
                assert "We are back in a moment" in text
                assert seconds < 3, (path, seconds)
        finally:
            embedded_postgres.database_url(data_dir)  # started again
        # The first request after the restart is served: stale connections are
        # checked (CONN_HEALTH_CHECKS) and replaced.
        assert site.get("/")[0] == 200
    finally:
        site.stop()


def test_a_database_that_never_answers_gives_a_503_within_the_connect_timeout(
    tmp_path,
):
    """A host that takes the connection and says nothing (a hung server, a
    firewall that swallows packets) may not hold a reader, or gunicorn's worker,
    for minutes."""
    with socket.socket() as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen(16)  # the kernel completes the handshake; nobody answers
        port = silent.getsockname()[1]
        site = Site(f"postgres://newsroom@127.0.0.1:{port}/newsroom", tmp_path)
        try:
            status, headers, _text, seconds = site.get("/", timeout=60)
        finally:
            site.stop()
    assert status == 503
    assert headers["Retry-After"] == "30"
    assert seconds < 10  # the connect timeout is 5 s


def enqueue_email(url, subject):
    code = (
        "from django.core.mail import EmailMessage; "
        "from readers.tasks import enqueue_email; "
        f"enqueue_email(EmailMessage(subject={subject!r}, body='Hello', "
        "to=['reader@example.org']))"
    )
    subprocess.run(
        [PYTHON, "manage.py", "shell", "-c", code],
        cwd=ROOT,
        env=production_env(url),
        check=True,
        timeout=60,
    )


def test_the_worker_keeps_sending_after_postgresql_restarts(database):
    data_dir, url, _static_root = database
    smtp = SMTPServer(free_port())
    smtp.start()
    worker = subprocess.Popen(
        [PYTHON, "manage.py", "worker", "--interval", "0.2", "--no-startup-delay"],
        cwd=ROOT,
        env=production_env(
            url,
            EMAIL_HOST="127.0.0.1",
            EMAIL_PORT=str(smtp.controller.port),
            EMAIL_TIMEOUT="5",
        ),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        enqueue_email(url, "Before the restart")
        assert smtp.inbox.wait_for(1, timeout=30)

        embedded_postgres.stop(data_dir)
        with pytest.raises(subprocess.TimeoutExpired):  # it waits it out
            worker.wait(timeout=3)
        embedded_postgres.database_url(data_dir)

        enqueue_email(url, "After the restart")
        assert smtp.inbox.wait_for(2, timeout=30), "no email after the restart"
        assert [m["Subject"] for m in smtp.inbox.messages] == [
            "Before the restart",
            "After the restart",
        ]
        assert worker.poll() is None
    finally:
        worker.terminate()
        worker.wait(timeout=30)
        smtp.stop()

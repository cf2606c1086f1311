"""No client addresses in the logs, and no trace of the tips page: gunicorn
started with the project's config on loopback, visited from another loopback
address, and both its logs (and Django's, which go to the same stream) read
back."""

import http.client
import socket
import subprocess
import time
from pathlib import Path

import pytest

from articles.models import Page
from tests.factories import PageFactory
from tests.mail import free_port
from tests.test_project import PYTHON, ROOT, clean_env, run, suite_database_url

CLIENT = "127.0.0.77"  # all of 127/8 is loopback: the site sees this address
FORWARDED = "198.51.100.23"


def request(port, method, path, headers=None):
    connection = http.client.HTTPConnection(
        "127.0.0.1", port, timeout=10, source_address=(CLIENT, 0)
    )
    connection.request(method, path, headers=headers or {})
    status = connection.getresponse().status
    connection.close()
    return status


def wait_for(port, process):
    deadline = time.time() + 30
    while time.time() < deadline:
        if process.poll() is not None:
            raise AssertionError("gunicorn exited")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            time.sleep(0.1)
    raise AssertionError("gunicorn did not start")


# The subprocess reads the suite's test database: the tips page is committed.
@pytest.mark.django_db(transaction=True)
def test_gunicorn_and_django_log_no_client_address_nor_the_tips_page(tmp_path):
    """Started as the Dockerfile starts it."""
    PageFactory(kind=Page.Kind.TIPS, title="Send us a tip safely")
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert '"--config", "gunicorn.conf.py"' in dockerfile
    assert '"--access-logfile", "-"' in dockerfile
    port = free_port()
    env = clean_env(
        SECRET_KEY="x" * 60,
        DATABASE_URL=suite_database_url(),
        SITE_URL=f"http://127.0.0.1:{port}",
        STATIC_ROOT=str(tmp_path / "static"),
    )
    collected = run([PYTHON, "manage.py", "collectstatic", "--noinput"], env=env)
    assert collected.returncode == 0, collected.stderr
    log = tmp_path / "gunicorn.log"
    with log.open("w") as output:
        server = subprocess.Popen(
            [
                str(Path(PYTHON).parent / "gunicorn"),
                "newsroom.wsgi:application",
                "--config",
                "gunicorn.conf.py",
                "--bind",
                f"127.0.0.1:{port}",
                "--workers",
                "1",
                "--access-logfile",
                "-",
            ],
            cwd=ROOT,
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
        )
        try:
            wait_for(port, server)
            forwarded = {"X-Forwarded-For": FORWARDED, "User-Agent": "Reader/1.0"}
            assert request(port, "GET", "/robots.txt?q=secret-search", forwarded) == 200
            assert request(port, "GET", "/nope/", forwarded) == 404
            assert request(port, "POST", "/accounts/login/") == 403  # no CSRF token
            assert request(port, "GET", "/accounts/unsubscribe/SECRETTOKEN/") == 404
            assert request(port, "GET", "/preview/shared/SECRETTOKEN/") == 404
            assert request(port, "GET", "/tips/", forwarded) == 200
            assert request(port, "GET", "/tips/?from=a-source", forwarded) == 200
            assert request(port, "GET", "/tips/no-such-page/", forwarded) == 404
            with socket.create_connection(
                ("127.0.0.1", port), source_address=(CLIENT, 0)
            ) as raw:
                raw.sendall(b"NOT A REQUEST\r\n\r\n")
                raw.recv(1024)
        finally:
            server.terminate()
            server.wait(timeout=30)
    text = log.read_text()

    # What the logs do say: the requests, Django's warnings, gunicorn's own.
    assert '"GET /robots.txt HTTP/1.1" 200' in text
    assert '"POST /accounts/login/ HTTP/1.1" 403' in text
    assert "Not Found: /nope/" in text  # Django's logging
    assert "Forbidden (CSRF cookie not set.): /accounts/login/" in text
    assert '"GET /accounts/unsubscribe/[token]/ HTTP/1.1" 404' in text
    assert "Invalid request from ip=-" in text
    # What they never say.
    for secret in [CLIENT, FORWARDED, "Reader/1.0", "secret-search", "SECRETTOKEN"]:
        assert secret not in text, secret
    # A source's visit leaves no line in the access log, and Django's 404
    # warning does not name the page.
    assert "tips" not in text and "a-source" not in text
    assert "Not Found: [a source page]" in text

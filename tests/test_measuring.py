"""What `make bench` relies on: the Server-Timing header, gunicorn's settings,
and the benchmark's own parsing of what it reads."""

import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import Client, override_settings

from bench.load import _ms
from bench.timing import TIMING
from tests.factories import ArticleFactory

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.django_db
def test_server_timing_tells_the_time_and_queries_of_a_page(client, settings):
    ArticleFactory()
    middleware = ["newsroom.timing.server_timing", *settings.MIDDLEWARE]
    with override_settings(MIDDLEWARE=middleware):
        response = client.get("/latest/")
    header = response["Server-Timing"]
    assert re.fullmatch(r'app;dur=[\d.]+, db;dur=[\d.]+;desc="6 queries"', header)
    # Cards, the versions of the kept parts of pages, the next scheduled report,
    # the identity, sections and trust pages.
    assert TIMING.search(header).group(2) == "6"
    # Off unless asked for (a new client: the first one keeps its middleware).
    assert "Server-Timing" not in Client().get("/").headers


def test_gunicorn_reads_the_projects_settings():
    """gunicorn itself loads gunicorn.conf.py (as the web container does) and
    takes its worker class, threads and limits; WEB_CONCURRENCY sets workers."""
    code = (
        "import sys; from gunicorn.app.wsgiapp import WSGIApplication; "
        "sys.argv = ['gunicorn', 'newsroom.wsgi:application']; "
        "c = WSGIApplication().cfg; "
        "print(c.worker_class_str, c.threads, c.workers, c.timeout, "
        "c.worker_connections, c.keepalive)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={"PATH": "/usr/bin:/bin", "WEB_CONCURRENCY": "3"},
        timeout=60,
    )
    assert result.stdout.split() == ["gthread", "4", "3", "30", "64", "5"], (
        result.stderr
    )


@pytest.mark.parametrize(
    ("text", "ms"), [("812.00us", 0.812), ("4.20ms", 4.2), ("1.50s", 1500.0)]
)
def test_wrk_latencies_are_read_in_milliseconds(text, ms):
    assert _ms(text) == pytest.approx(ms)


def test_wrk_output_is_read_line_by_line():
    """A "+/- Stdev" column can end in "50%": the percentile rows are anchored."""
    from bench.load import _found

    out = (
        "    Latency   202.06ms  141.74ms 860.70ms   66.50%\n"
        "    Req/Sec    49.76     16.27    80.00     64.71%\n"
        "  Latency Distribution\n"
        "     50%  158.43ms\n"
        "     99%  787.74ms\n"
    )
    assert _found(r"^\s+50%\s+(\S+)", out) == "158.43ms"

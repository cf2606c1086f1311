"""Throughput behind the proxy, and readers' pages while slow clients hold on.

    make bench                 (bench/measure.py, then this)
    .venv/bin/python bench/proxy.py

Uses the development database (the demo content is loaded if it is empty), or
with BENCH_ARCHIVE=1 the large archive of `manage.py seed_archive` (seed it
first), collects the static files, starts gunicorn (gunicorn.conf.py, 2
workers, production settings) on a loopback port and deploy/nginx.conf in
front of it with Debian's nginx, then, with Debian's wrk (2 threads, each
request asking for gzip as browsers do):

1. nginx serving a static file: the reference.
2. The article, home, tag and search pages through the proxy (cached) and
   straight from gunicorn (uncached), at 16 and 100 connections: requests per
   second, p50, p99, errors (socket errors and answers other than 2xx/3xx),
   each row's share of the static file's requests per second, and gunicorn's
   CPU time per request (its processes' user and system time over the row).
   The article is the richest the database has: the most comments, then tags
   and pictures; the tag is the one on most reports. An uncached row is
   gunicorn rendering every request, from the parts of pages each worker keeps
   (newsroom/fragments.py), after a few requests that let each worker keep
   them, as a running site's workers have.
3. 50 slow clients sending their request headers a byte a second, held against
   the proxy for 30 s, while readers fetch the cached article and, through the
   proxy to gunicorn, search pages no cache can answer: pages served and p99.

Everything stays on 127.0.0.1 and stops when the run ends. BENCH_SECONDS sets
the length of each throughput row (10 by default).
"""

import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from collections import Counter
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from deploy.nginx import LocalNginx, free_port, wait_for_port  # noqa: E402

PYTHON = sys.executable
SCRIPT = Path(__file__).with_name("report.lua")
# The article and tag pages are chosen in the database measured (pages()).
PAGES = {
    "article": None,
    "home": "/",
    "tag": None,
    "search": "/search/?q=water",
}
CONNECTIONS = (16, 100)
SECONDS = int(os.environ.get("BENCH_SECONDS", "10"))
SLOW_CLIENTS = 50
SLOW_SECONDS = 30


def load_average() -> str:
    one, five, fifteen = os.getloadavg()
    return f"{one:.2f}, {five:.2f}, {fifteen:.2f}"


def database_url() -> str:
    """DATABASE_URL, or the embedded server's site database (or its large
    archive with BENCH_ARCHIVE=1). This process holds the embedded server while
    it runs, as production settings never start it themselves."""
    if os.environ.get("DATABASE_URL"):
        return os.environ["DATABASE_URL"]
    from newsroom.embedded_postgres import database_url as embedded

    if os.environ.get("BENCH_ARCHIVE") == "1":
        return embedded(name="newsroom_archive")
    return embedded()


def server_env(port: int, static_root: str) -> dict:
    return os.environ | {
        "DATABASE_URL": database_url(),
        "DEBUG": "0",
        "SECRET_KEY": os.environ.get("SECRET_KEY", "benchmark-only-" + "x" * 40),
        "SITE_URL": f"http://127.0.0.1:{port}",
        "STATIC_ROOT": static_root,
        "SERVE_MEDIA": "0",
        "LOG_LEVEL": "WARNING",
    }


def prepare(env: dict) -> None:
    """Migrate, load the demo content if the database is empty, collect static."""
    for command in (
        ["migrate", "--noinput", "-v0"],
        ["demo_content"],
        ["collectstatic", "--noinput", "-v0"],
    ):
        subprocess.run([PYTHON, "manage.py", *command], cwd=ROOT, env=env, check=True)


CHOOSE_PAGES = """
from django.db.models import Count, F
from articles.models import Article, TaggedArticle
richest = (
    Article.objects.published()
    .annotate(
        tag_count=Count("tagged_items", distinct=True),
        pictures=Count("inline_images", distinct=True),
    )
    .order_by(
        F("comment_count__approved").desc(nulls_last=True),
        "-tag_count",
        "-pictures",
    )
    .first()
)
tag = (
    TaggedArticle.objects.filter(content_object__in=Article.objects.published())
    .values("tag__slug")
    .annotate(n=Count("pk"))
    .order_by("-n")
    .first()
)
print(richest.get_absolute_url())
print(f"/tags/{tag['tag__slug']}/")
"""


def choose_pages(env: dict) -> None:
    """The richest article and the busiest tag of the database measured."""
    result = subprocess.run(
        [PYTHON, "manage.py", "shell", "-v0", "-c", CHOOSE_PAGES],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    article, tag = result.stdout.split()[-2:]
    PAGES["article"], PAGES["tag"] = article, tag
    print(f"Article: {article}\nTag: {tag}")


def start_gunicorn(env: dict, port: int) -> subprocess.Popen:
    server = subprocess.Popen(
        [
            *(str(Path(PYTHON).parent / "gunicorn"), "newsroom.wsgi:application"),
            *("--bind", f"127.0.0.1:{port}", "--workers", "2"),
        ],
        cwd=ROOT,
        env=env,
        stderr=subprocess.DEVNULL,
    )
    wait_for_port(port, server, "gunicorn")
    return server


def static_reference(static_root: Path) -> str:
    """The stylesheet every page links to, under its hashed (immutable) name."""
    manifest = json.loads((static_root / "staticfiles.json").read_text())
    return "/static/" + manifest["paths"]["css/site.css"]


def cpu_seconds(server: subprocess.Popen) -> float:
    """User and system time of gunicorn's processes so far: the master's, its
    live workers', and that of workers it replaced (max_requests), which the
    master's children times count once it has reaped them."""
    master = psutil.Process(server.pid)
    times = master.cpu_times()
    total = times.user + times.system + times.children_user + times.children_system
    for process in master.children(recursive=True):
        try:
            times = process.cpu_times()
        except psutil.NoSuchProcess:
            continue
        total += times.user + times.system
    return total


def wrk(
    url: str,
    connections: int,
    seconds: int,
    unique: bool = False,
    server: subprocess.Popen | None = None,
) -> dict:
    """One wrk run; its figures as report.lua prints them, and gunicorn's CPU
    milliseconds per request over it."""
    before = cpu_seconds(server) if server else 0.0
    result = subprocess.run(
        [
            *(shutil.which("wrk") or "wrk", "-t2", f"-c{connections}"),
            *(f"-d{seconds}s", "--timeout", "10s", "-H", "Accept-Encoding: gzip"),
            *("-s", str(SCRIPT), url),
        ],
        capture_output=True,
        text=True,
        env=os.environ | {"WRK_UNIQUE": "1" if unique else "0"},
        check=True,
    )
    line = next(x for x in result.stdout.splitlines() if x.startswith("JSON "))
    figures = json.loads(line.removeprefix("JSON "))
    figures["rate"] = figures["requests"] / figures["seconds"]
    figures["errors"] = figures["socket_errors"] + figures["bad_status"]
    spent = cpu_seconds(server) - before if server else 0.0
    figures["cpu_ms"] = 1000 * spent / max(figures["requests"], 1)
    return figures


def fetch(url: str) -> None:
    request = urllib.request.Request(url, headers={"Accept-Encoding": "gzip"})
    with urllib.request.urlopen(request, timeout=30) as response:
        response.read()


def warm(url: str) -> None:
    """Fetch a page twice, so that the proxy holds it before it is measured; say
    so if the second answer did not come from the proxy's cache."""
    for _ in range(2):
        request = urllib.request.Request(url, headers={"Accept-Encoding": "gzip"})
        with urllib.request.urlopen(request, timeout=30) as response:
            response.read()
            status = response.headers.get("X-Cache-Status")
    if status != "HIT":
        print(f"  (warning: {url} came from gunicorn, not the cache: {status})")


def row(label: str, connections: int, figures: dict, reference: float) -> str:
    return (
        f"  {label:34} {connections:5} {figures['rate']:10.1f} "
        f"{figures['p50_us'] / 1000:9.1f} {figures['p99_us'] / 1000:9.1f} "
        f"{figures['errors']:7} {100 * figures['rate'] / reference:9.1f}% "
        f"{figures['cpu_ms']:8.1f}"
    )


def throughput(proxy: str, direct: str, static_path: str, server) -> dict:
    """Print the table; return the figures the targets are checked on."""
    print(
        f"\nThroughput: wrk, 2 threads, {SECONDS} s a row, Accept-Encoding: gzip; "
        "gunicorn has 2 workers"
    )
    print(
        f"  {'what':34} {'conns':>5} {'req/s':>10} {'p50 ms':>9} {'p99 ms':>9} "
        f"{'errors':>7} {'vs static':>10} {'app CPU':>8}"
    )
    print(f"  {'':34} {'':5} {'':10} {'':9} {'':9} {'':7} {'':10} {'ms/req':>8}")
    results = {}
    for connections in CONNECTIONS:
        reference = wrk(proxy + static_path, connections, SECONDS, server=server)
        results[("static", connections)] = reference

        def show(label, figures, connections=connections, reference=reference):
            print(row(label, connections, figures, reference["rate"]), flush=True)

        show("static file (nginx)", reference)
        for name, path in PAGES.items():
            warm(proxy + path)
            cached = wrk(proxy + path, connections, SECONDS, server=server)
            results[(name, connections)] = cached
            show(f"{name} via proxy (cached)", cached)
            # Every worker keeps the parts of the page, as a running site's do.
            for _ in range(20):
                fetch(direct + path)
            uncached = wrk(direct + path, connections, SECONDS, server=server)
            results[(name, "uncached", connections)] = uncached
            show(f"{name}, gunicorn (uncached)", uncached)
    return results


def slow_client(port: int, stop_at: float, counts: Counter, lock) -> None:
    """Send an endless request header a byte a second; when the proxy gives up
    on it (client_header_timeout), connect again."""
    header = b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: " + b"a" * 10_000
    while time.monotonic() < stop_at:
        try:
            sock = socket.create_connection(("127.0.0.1", port), timeout=5)
        except OSError:
            with lock:
                counts["refused"] += 1
            time.sleep(1)
            continue
        with lock:
            counts["connections"] += 1
        try:
            for index in range(len(header)):
                if time.monotonic() >= stop_at:
                    break
                sock.sendall(header[index : index + 1])
                time.sleep(1)
        except OSError:
            with lock:
                counts["closed by the proxy"] += 1
        finally:
            sock.close()


def slow_clients_check(proxy: str, port: int) -> dict:
    """Readers' pages while SLOW_CLIENTS hold connections for SLOW_SECONDS."""
    print(
        f"\nSlow clients: {SLOW_CLIENTS} sending headers a byte a second against "
        f"the proxy for {SLOW_SECONDS} s, while readers fetch pages"
    )
    counts, lock = Counter(), threading.Lock()
    stop_at = time.monotonic() + SLOW_SECONDS + 3
    clients = [
        threading.Thread(target=slow_client, args=(port, stop_at, counts, lock))
        for _ in range(SLOW_CLIENTS)
    ]
    for client in clients:
        client.start()
    time.sleep(2)  # every slow client is connected before readers start
    readers = {}

    def read(label, path, connections, unique):
        readers[label] = wrk(proxy + path, connections, SLOW_SECONDS, unique)

    runs = [
        threading.Thread(
            target=read, args=("cached article", PAGES["article"], 4, False)
        ),
        threading.Thread(
            target=read, args=("uncached search", PAGES["search"], 2, True)
        ),
    ]
    for run in runs:
        run.start()
    for thread in runs + clients:
        thread.join()
    print(
        f"  slow clients: {counts['connections']} connections opened; the proxy "
        f"closed {counts['closed by the proxy']} after its header timeout; "
        f"{counts['refused']} refused"
    )
    for label, figures in readers.items():
        print(
            f"  readers, {label:16}: {figures['requests']:7} pages, "
            f"p50 {figures['p50_us'] / 1000:6.1f} ms, "
            f"p99 {figures['p99_us'] / 1000:6.1f} ms, errors {figures['errors']}"
        )
    return readers


def report_targets(results: dict, readers: dict) -> None:
    print("\nTargets:")
    uncached = results[("article", "uncached", 16)]
    print(
        f"  uncached article at 16 connections: {uncached['rate']:.0f} req/s "
        f"(target at least 250), p99 {uncached['p99_us'] / 1000:.1f} ms (target "
        f"under 100 ms), {uncached['cpu_ms']:.1f} ms of gunicorn's CPU a request"
    )
    for connections in CONNECTIONS:
        article, static = (
            results[("article", connections)],
            results[("static", connections)],
        )
        share = 100 * article["rate"] / static["rate"]
        print(
            f"  cached article at {connections} connections: {share:.1f}% of the "
            f"static file (target at least 25%), {article['errors']} errors (target 0)"
        )
    worst = max(figures["p99_us"] for figures in readers.values()) / 1000
    served = min(figures["requests"] for figures in readers.values())
    print(
        f"  readers beside {SLOW_CLIENTS} slow clients: p99 at most {worst:.1f} ms "
        f"(target under 1000 ms), at least {served} pages per reader group"
    )


def main():
    gunicorn_port = free_port()
    static_root = Path(tempfile.mkdtemp(prefix="newsroom-static-"))
    nginx_dir = Path(tempfile.mkdtemp(prefix="newsroom-nginx-"))
    env = server_env(gunicorn_port, str(static_root))
    print(f"Load average before: {load_average()} ({os.cpu_count()} cores)")
    prepare(env)
    choose_pages(env)
    server = start_gunicorn(env, gunicorn_port)
    direct = f"http://127.0.0.1:{gunicorn_port}"
    proxy = LocalNginx(
        upstream=f"127.0.0.1:{gunicorn_port}",
        static_root=static_root,
        media_root=Path(env.get("MEDIA_ROOT", ROOT / "media")),
        directory=nginx_dir,
    )
    try:
        with proxy:
            results = throughput(
                proxy.url, direct, static_reference(static_root), server
            )
            readers = slow_clients_check(proxy.url, proxy.port)
        report_targets(results, readers)
    finally:
        server.terminate()
        server.wait(timeout=30)
        shutil.rmtree(static_root, ignore_errors=True)
        shutil.rmtree(nginx_dir, ignore_errors=True)
    print(f"Load average after: {load_average()}")


if __name__ == "__main__":
    main()

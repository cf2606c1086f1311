"""Measure what a reader's phone downloads and how fast the site answers.

    make bench

Uses the development database (the demo content is loaded if it is empty), starts
gunicorn on a free loopback port with production settings (given the embedded
server's address: production settings never start it themselves), then:

1. Page weight: Debian's Chromium, through Playwright, opens the demo's syndicated
   report as a 360 px wide phone (at 1x and 2x pixel density), scrolls to the end
   so lazy images load, and adds up the bytes of every response by kind. HTML and
   CSS are counted gzip-compressed, as a server sends them.
2. Throughput and latency: a bounded number of requests per page from a few
   threads, printing requests per second and the 50th/95th percentile latency.

Everything stays on 127.0.0.1 and every loop is bounded.
"""

import gzip
import http.client
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
PYTHON = sys.executable
ARTICLE = "/articles/mosul-old-city-rebuilding/"
PAGES = [
    "/",
    ARTICLE,
    "/tags/mosul/",
    "/contributors/layla-haddad/",
    "/search/?q=water",
]
REQUESTS_PER_PAGE = 300
THREADS = 4


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_server(env) -> subprocess.Popen:
    manage = [PYTHON, "manage.py"]
    subprocess.run([*manage, "migrate", "-v0"], cwd=ROOT, env=env, check=True)
    subprocess.run([*manage, "demo_content"], cwd=ROOT, env=env, check=True)
    subprocess.run(
        [*manage, "collectstatic", "--noinput", "-v0"], cwd=ROOT, env=env, check=True
    )
    server = subprocess.Popen(
        [
            str(Path(PYTHON).parent / "gunicorn"),
            "newsroom.wsgi:application",
            "--bind",
            f"127.0.0.1:{env['PORT']}",
            "--workers",
            "2",
        ],
        cwd=ROOT,
        env=env,
        stderr=subprocess.DEVNULL,
    )
    for _ in range(100):
        try:
            socket.create_connection(("127.0.0.1", int(env["PORT"])), 0.2).close()
            return server
        except OSError:
            time.sleep(0.1)
    server.kill()
    raise SystemExit("gunicorn did not start")


def page_weight(base: str, scale: int) -> dict:
    from playwright.sync_api import sync_playwright

    sizes = {"html": 0, "css": 0, "image": 0, "other": 0}
    hosts = set()
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=os.environ.get("CHROMIUM", "/usr/bin/chromium"),
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        page = browser.new_page(
            viewport={"width": 360, "height": 740},
            device_scale_factor=scale,
            is_mobile=True,
            has_touch=True,
        )

        def record(response):
            hosts.add(urlsplit(response.url).hostname)
            body = response.body()
            kind = response.request.resource_type
            if kind == "document":
                sizes["html"] += len(gzip.compress(body))
            elif kind == "stylesheet":
                sizes["css"] += len(gzip.compress(body))
            elif kind == "image":
                sizes["image"] += len(body)
            else:
                sizes["other"] += len(body)

        page.on("response", record)
        page.goto(base + ARTICLE, wait_until="networkidle")
        height = page.evaluate("document.body.scrollHeight")
        for _ in range(0, height + 740, 370):  # bounded: the page's own height
            page.mouse.wheel(0, 370)
            page.wait_for_timeout(60)
        page.wait_for_load_state("networkidle")
        browser.close()
    sizes["hosts"] = sorted(hosts)
    return sizes


def load(base: str, path: str, count: int) -> tuple[float, list[float]]:
    parts = urlsplit(base)
    latencies = []
    lock = threading.Lock()
    per_thread = count // THREADS

    def worker():
        conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=10)
        for _ in range(per_thread):
            started = time.perf_counter()
            conn.request("GET", path)
            response = conn.getresponse()
            response.read()
            elapsed = time.perf_counter() - started
            assert response.status == 200, (path, response.status)
            with lock:
                latencies.append(elapsed)
        conn.close()

    threads = [threading.Thread(target=worker) for _ in range(THREADS)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return len(latencies) / (time.perf_counter() - started), latencies


def main():
    port = free_port()
    static_root = tempfile.mkdtemp(prefix="newsroom-static-")
    env = os.environ | {
        "PORT": str(port),
        "DEBUG": "0",
        "SECRET_KEY": os.environ.get("SECRET_KEY", "benchmark-only-" + "x" * 40),
        "SITE_URL": f"http://127.0.0.1:{port}",
        "SERVE_MEDIA": "1",
        "STATIC_ROOT": static_root,
        "LOG_LEVEL": "WARNING",
    }
    if not env.get("DATABASE_URL"):
        from newsroom.embedded_postgres import database_url

        # This process holds the server (and stops it at the end if it started it).
        env["DATABASE_URL"] = database_url()
    server = start_server(env)
    base = f"http://127.0.0.1:{port}"
    try:
        print(
            f"Page weight of {ARTICLE} (lead image and two inline images), as a phone:"
        )
        for scale in (1, 2, 3):
            sizes = page_weight(base, scale)
            print(
                f"  360 px wide at {scale}x: HTML {sizes['html'] / 1000:.1f} KB + "
                f"CSS {sizes['css'] / 1000:.1f} KB (gzip) = "
                f"{(sizes['html'] + sizes['css']) / 1000:.1f} KB; "
                f"images {sizes['image'] / 1000:.1f} KB; "
                f"other {sizes['other'] / 1000:.1f} KB; "
                f"hosts contacted: {', '.join(sizes['hosts'])}"
            )
        print(
            f"\nThroughput: gunicorn, 2 workers, {THREADS} client threads, "
            f"{REQUESTS_PER_PAGE} requests per page:"
        )
        for path in PAGES:
            load(base, path, 20)  # warm up
            rate, latencies = load(base, path, REQUESTS_PER_PAGE)
            p50 = statistics.median(latencies) * 1000
            p95 = statistics.quantiles(latencies, n=20)[-1] * 1000
            print(
                f"  {path:32} {rate:7.1f} req/s   p50 {p50:6.1f} ms   p95 {p95:6.1f} ms"
            )
    finally:
        server.terminate()
        server.wait(timeout=30)


if __name__ == "__main__":
    main()

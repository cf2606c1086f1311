"""The scale benchmark: every public page on the demo content and on a large
archive (100,000 reports and 1,000,000 comments by default), served by gunicorn
with production settings on 127.0.0.1.

    make bench-scale              # seeds the archive once, then reuses it
    make bench-scale ARTICLES=20000 COMMENTS=200000

For each page: the server's own time (its Server-Timing header, median of
unloaded requests one after another) at both sizes, their ratio, the queries and
the bytes; then the sitemap parts; then throughput under load with Debian's wrk
at 16 connections, and how long robots.txt takes meanwhile. Each row says
whether it meets the targets (within 1.5x of its demo-size time and under 50 ms;
sitemap parts under 1 s). The run fails (exit status 1) when any page answers
anything but 200, or with --strict when any misses its target.
"""

import argparse
import os
import re
import subprocess
import sys
import threading
import time
import urllib.request

from bench.load import wrk
from bench.pages import archive_pages
from bench.server import ROOT, free_port, gunicorn, manage, prepare_demo, site_env
from bench.timing import unloaded

RATIO_LIMIT = 1.5
PAGE_LIMIT_MS = 50
SITEMAP_LIMIT_MS = 1000
LOADED = ["home", "article", "article, most comments", "tag (popular)"]
LOADED += ["search, common word", "robots.txt"]


def archive_url() -> str:
    """The archive's database: ARCHIVE_DATABASE_URL, or the embedded server's."""
    if url := os.environ.get("ARCHIVE_DATABASE_URL"):
        return url
    sys.path.insert(0, str(ROOT))
    from newsroom.embedded_postgres import database_url

    return database_url(name="newsroom_archive")


def seed(url: str, args) -> None:
    """Seed the archive, or keep it when it was seeded with these sizes."""
    env = os.environ | {"DATABASE_URL": url, "DEBUG": "1"}
    command = [sys.executable, "manage.py", "seed_archive", "--database-url", url]
    command += ["--articles", str(args.articles), "--comments", str(args.comments)]
    subprocess.run(command, cwd=ROOT, env=env, check=True)


def measure(base: str, paths: list[str], count: int) -> dict:
    return {path: unloaded(base, path, count=count) for path in paths}


def sitemap_parts(base: str) -> list[str]:
    with urllib.request.urlopen(base + "/sitemap.xml", timeout=30) as response:
        index = response.read().decode()
    return ["/sitemap.xml"] + [
        re.sub(r"^https?://[^/]+", "", loc)
        for loc in re.findall(r"<loc>(.*?)</loc>", index)
    ]


def robots_under_load(base: str, path: str, seconds: int) -> float:
    """The slowest of robots.txt requests made while wrk loads `path`."""
    slowest = 0.0
    done = threading.Event()

    def probe():
        nonlocal slowest
        while not done.is_set():
            started = time.perf_counter()
            with urllib.request.urlopen(base + "/robots.txt", timeout=60) as answer:
                answer.read()
            slowest = max(slowest, time.perf_counter() - started)
            time.sleep(0.2)

    thread = threading.Thread(target=probe)
    thread.start()
    try:
        wrk(base, path, seconds=seconds)
    finally:
        done.set()
        thread.join()
    return slowest * 1000


def verdict(demo, large) -> str:
    if not (demo.ok and large.ok):
        return "ERROR"
    ratio = large.server_ms / demo.server_ms
    fine = ratio <= RATIO_LIMIT and large.server_ms < PAGE_LIMIT_MS
    return "ok" if fine else "SLOW"


def print_pages(pages, demo, large) -> tuple[bool, bool]:
    """The table; returns (every page answered 200, every page met its target)."""
    print(
        f"{'page':32} {'demo ms':>8} {'large ms':>9} {'ratio':>6} "
        f"{'queries':>8} {'demo KB':>8} {'large KB':>9} {'trip ms':>8}  "
    )
    answered = fine = True
    for page in pages:
        d, a = demo[page.demo], large[page.archive]
        mark = verdict(d, a)
        answered &= mark != "ERROR"
        fine &= mark == "ok"
        print(
            f"{page.label:32} {d.server_ms:8.1f} {a.server_ms:9.1f} "
            f"{a.server_ms / d.server_ms:6.2f} {d.queries:>3} / {a.queries:<3} "
            f"{d.size / 1000:8.1f} {a.size / 1000:9.1f} {a.round_trip_ms:8.1f}  {mark}"
        )
        if not a.ok or not d.ok:
            print(f"  {page.archive}: {a.status}; {page.demo}: {d.status}")
    return answered, fine


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--comments", type=int, default=1_000_000)
    parser.add_argument("--requests", type=int, default=25, help="per page, unloaded")
    parser.add_argument("--load-seconds", type=int, default=10)
    parser.add_argument(
        "--strict", action="store_true", help="fail when a page misses its target"
    )
    args = parser.parse_args(argv)

    print(f"Load average before: {os.getloadavg()[0]:.2f} {os.getloadavg()[1]:.2f}")
    url = archive_url()
    seed(url, args)
    pages = archive_pages(url)

    demo_env = site_env(free_port())
    prepare_demo(demo_env)
    with gunicorn(demo_env) as base:
        demo = measure(base, sorted({p.demo for p in pages}), args.requests)

    large_env = site_env(free_port(), url)
    manage(large_env, "collectstatic", "--noinput", "-v0")
    with gunicorn(large_env) as base:
        large = measure(base, [p.archive for p in pages], args.requests)
        parts = sitemap_parts(base)
        sitemaps = measure(base, parts, count=3)
        loaded = []
        wrk_missing = False
        try:
            for page in pages:
                if page.label in LOADED:
                    loaded.append(
                        (page.label, wrk(base, page.archive, seconds=args.load_seconds))
                    )
            article = next(p.archive for p in pages if p.label == "article")
            robots = robots_under_load(base, article, args.load_seconds)
        except SystemExit as missing:
            wrk_missing = str(missing)

    print(
        f"\nServer time per page (gunicorn {demo_env['PORT']}/{large_env['PORT']}, "
        f"production settings; median of {args.requests} unloaded requests on one "
        f"connection); large = {args.articles:,} articles, {args.comments:,} comments"
    )
    answered, fine = print_pages(pages, demo, large)

    print(f"\nSitemaps at large size (median of 3; limit {SITEMAP_LIMIT_MS} ms)")
    for path, sample in sitemaps.items():
        ok = sample.ok and sample.server_ms < SITEMAP_LIMIT_MS
        answered &= sample.ok
        fine &= ok
        print(
            f"  {path:34} {sample.server_ms:8.1f} ms {sample.size / 1000:9.1f} KB  "
            f"{'ok' if ok else 'SLOW' if sample.ok else sample.status}"
        )

    if wrk_missing:
        print(f"\nThroughput under load: skipped. {wrk_missing}")
    else:
        print(
            f"\nUnder load at large size: wrk, 16 connections, "
            f"{args.load_seconds} s per page"
        )
        for label, result in loaded:
            answered &= result.errors == 0
            print(
                f"  {label:30} {result.requests_per_second:8.1f} req/s  "
                f"p50 {result.p50_ms:7.1f} ms  p99 {result.p99_ms:7.1f} ms  "
                f"errors {result.errors}"
            )
        print(f"  robots.txt while the article page is loaded: slowest {robots:.0f} ms")
    print(f"\nLoad average after: {os.getloadavg()[0]:.2f} {os.getloadavg()[1]:.2f}")
    if not answered:
        print("Some page answered an error (see above).")
        return 1
    if not fine:
        print("Some page missed its target (see above).")
    return 1 if args.strict and not fine else 0


if __name__ == "__main__":
    sys.exit(main())

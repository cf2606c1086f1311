"""The scale benchmark: every public page on the demo content and on a large
archive (100,000 reports and 1,000,000 comments by default), served by gunicorn
with production settings on 127.0.0.1.

    make bench-scale              # seeds the archives once, then reuses them
    make bench-scale ARTICLES=20000 COMMENTS=200000

For each page: the server's own time (its Server-Timing header, median of
unloaded requests one after another) on the demo content and on the large
archive, their ratio, the queries and the bytes. A third column times the same
page on a small archive (1% of the large one) whose pages have the same shape as
the large one's (twelve cards, thirty feed items, twenty threads of comments):
the demo content has five reports, so some of a page's cost at large size is its
fuller page, and large/small shows what the size of the archive itself costs.
Then the sitemap parts; throughput under load with Debian's wrk at 16
connections while robots.txt is timed alongside; and posting and moderating a
comment on the busiest article and on a quiet one (bench/writes.py).

Each row says whether it meets the targets (within 1.5x of its demo-size time
and under 50 ms; sitemap parts under 1 s). The run fails (exit status 1) when a
page answers anything but 200, or with --strict when a page misses a target.
"""

import argparse
import contextlib
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
from bench.timing import Site, in_turns, unloaded

RATIO_LIMIT = 1.5
PAGE_LIMIT_MS = 50
SITEMAP_LIMIT_MS = 1000
LOADED = ["home", "article", "article, most comments", "tag (popular)"]
LOADED += ["search, common word"]


def archive_url(name: str) -> str:
    """An archive's database on the embedded server (or ARCHIVE_DATABASE_URL for
    the large one on a server of your own)."""
    if name == "newsroom_archive" and (url := os.environ.get("ARCHIVE_DATABASE_URL")):
        return url
    sys.path.insert(0, str(ROOT))
    from newsroom.embedded_postgres import database_url

    return database_url(name=name)


def seed(url: str, articles: int, comments: int, scale: float = 1.0) -> None:
    """Seed an archive, or keep it when it was seeded with these sizes."""
    env = os.environ | {"DATABASE_URL": url, "DEBUG": "1"}
    command = [sys.executable, "manage.py", "seed_archive", "--database-url", url]
    command += ["--articles", str(articles), "--comments", str(comments)]
    if scale < 1:
        command += ["--tags", str(max(int(10_000 * scale), 50))]
        command += ["--contributors", str(max(int(2_000 * scale), 20))]
        command += ["--readers", str(max(int(20_000 * scale), 200)), "--pictures", "4"]
    subprocess.run(command, cwd=ROOT, env=env, check=True)


def measure(base: str, paths: list[str], count: int) -> dict:
    return {path: unloaded(base, path, count=count) for path in paths}


def serve(stack: contextlib.ExitStack, url: str | None) -> str:
    """Serve a database (the demo content when `url` is None) until `stack`
    closes; returns the base URL."""
    env = site_env(free_port(), url)
    if url is None:
        prepare_demo(env)
    else:
        manage(env, "collectstatic", "--noinput", "-v0")
    return stack.enter_context(gunicorn(env))


def compare(bases: list[str], pages: list[list[str]], count: int) -> list[list]:
    """For each row of `pages` (one path per base), its samples at every base,
    taken in turns so that the machine's other work slows them alike."""
    sites = [Site(base) for base in bases]
    try:
        return [
            in_turns(list(zip(sites, paths, strict=True)), count=count)
            for paths in pages
        ]
    finally:
        for site in sites:
            site.close()


def sitemap_parts(base: str) -> list[str]:
    with urllib.request.urlopen(base + "/sitemap.xml", timeout=30) as response:
        index = response.read().decode()
    found = re.findall(r"<loc>(.*?)</loc>", index)
    return ["/sitemap.xml"] + [re.sub(r"^https?://[^/]+", "", loc) for loc in found]


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


def print_pages(pages, rows) -> tuple[bool, bool]:
    """The table; returns (every page answered 200, every page met its target)."""
    print(
        f"{'page':30} {'demo':>6} {'small':>6} {'large':>6} {'l/demo':>7} "
        f"{'l/small':>7} {'queries d/s/l':>13} {'KB demo':>8} {'KB large':>8}"
    )
    answered = fine = True
    for page, (d, s, a) in zip(pages, rows, strict=True):
        mark = verdict(d, a)
        answered &= mark != "ERROR" and s.ok
        fine &= mark == "ok"
        print(
            f"{page.label:30} {d.server_ms:6.1f} {s.server_ms:6.1f} "
            f"{a.server_ms:6.1f} {a.server_ms / d.server_ms:7.2f} "
            f"{a.server_ms / s.server_ms:7.2f} "
            f"{f'{d.queries}/{s.queries}/{a.queries}':>13} "
            f"{d.size / 1000:8.1f} {a.size / 1000:8.1f}  {mark}"
        )
        for sample in (d, s, a):
            if not sample.ok:
                print(f"  {sample.path}: {sample.status}")
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
    large_url = archive_url("newsroom_archive")
    seed(large_url, args.articles, args.comments)
    small_url = archive_url("newsroom_archive_small")
    seed(small_url, args.articles // 100, args.comments // 100, scale=0.01)
    pages = archive_pages(large_url)
    small_pages = archive_pages(small_url)

    loaded, robots, wrk_missing = [], None, None
    with contextlib.ExitStack() as servers:
        bases = [serve(servers, None), serve(servers, small_url)]
        large_base = serve(servers, large_url)
        rows = compare(
            [*bases, large_base],
            [
                [page.demo, twin.archive, page.archive]
                for page, twin in zip(pages, small_pages, strict=True)
            ],
            args.requests,
        )
        sitemaps = measure(large_base, sitemap_parts(large_base), count=3)
        try:
            for page in pages:
                if page.label in LOADED:
                    result = wrk(large_base, page.archive, seconds=args.load_seconds)
                    loaded.append((page.label, result))
            article = next(p.archive for p in pages if p.label == "article")
            robots = robots_under_load(large_base, article, args.load_seconds)
        except SystemExit as missing:
            wrk_missing = str(missing)
    print(
        f"\nServer time in ms per page (gunicorn, production settings; median of "
        f"{args.requests} unloaded requests on one connection per site, the three "
        f"sites asked in turns). demo: the demo "
        f"content; small: {args.articles // 100:,} articles, "
        f"{args.comments // 100:,} comments; large: {args.articles:,} articles, "
        f"{args.comments:,} comments"
    )
    answered, fine = print_pages(pages, rows)

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
                f"error answers {result.errors}  socket errors {result.socket_errors}"
            )
        print(f"  robots.txt while the article page is loaded: slowest {robots:.0f} ms")
    print("\nWrites at large size: the comment services, median of 20, rolled back")
    subprocess.run(
        [sys.executable, "-m", "bench.writes"],
        cwd=ROOT,
        env=site_env(free_port(), large_url),
        check=True,
    )
    print(f"\nLoad average after: {os.getloadavg()[0]:.2f} {os.getloadavg()[1]:.2f}")
    if not answered:
        print("Some page answered an error (see above).")
        return 1
    if not fine:
        print("Some page missed its target (see above).")
    return 1 if args.strict and not fine else 0


if __name__ == "__main__":
    sys.exit(main())

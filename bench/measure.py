"""Measure what a reader's phone downloads and how fast the site answers.

    make bench          # the demo content: page weight, throughput and latency
    make bench-scale    # every page on the demo content and on a large archive

Default mode: uses the development database (the demo content is loaded if it is
empty), starts gunicorn on a free loopback port with production settings, then

1. Page weight: the demo's syndicated report as a 360 px wide phone, at 1x, 2x
   and 3x pixel density (bench/weight.py).
2. Throughput and latency: a bounded number of requests per page from a few
   threads, printing requests per second and the 50th/95th percentile latency.

Scale mode (--scale, bench/scale.py) seeds or reuses a large archive in a
database of its own and compares every public page with its demo-size twin.
Everything stays on 127.0.0.1 and every loop is bounded.
"""

import statistics
import sys

from bench.load import threads_loop
from bench.server import free_port, gunicorn, prepare_demo, site_env
from bench.weight import page_weight

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


def demo_bench():
    env = site_env(free_port())
    prepare_demo(env)
    with gunicorn(env) as base:
        print(
            f"Page weight of {ARTICLE} (lead image and two inline images), as a phone:"
        )
        for scale in (1, 2, 3):
            sizes = page_weight(base, ARTICLE, scale)
            print(
                f"  360 px wide at {scale}x: HTML {sizes['html'] / 1000:.1f} KB + "
                f"CSS {sizes['css'] / 1000:.1f} KB (gzip) = "
                f"{(sizes['html'] + sizes['css']) / 1000:.1f} KB; "
                f"images {sizes['image'] / 1000:.1f} KB; "
                f"other {sizes['other'] / 1000:.1f} KB; "
                f"hosts contacted: {', '.join(sizes['hosts'])}"
            )
        print(
            f"\nThroughput: gunicorn (gunicorn.conf.py), {THREADS} client threads, "
            f"{REQUESTS_PER_PAGE} requests per page:"
        )
        for path in PAGES:
            threads_loop(base, path, 20, THREADS)  # warm up
            rate, latencies = threads_loop(base, path, REQUESTS_PER_PAGE, THREADS)
            p50 = statistics.median(latencies) * 1000
            p95 = statistics.quantiles(latencies, n=20)[-1] * 1000
            print(
                f"  {path:32} {rate:7.1f} req/s   p50 {p50:6.1f} ms   p95 {p95:6.1f} ms"
            )
    return 0


def main(argv):
    if argv and argv[0] == "--scale":
        from bench.scale import main as scale

        return scale(argv[1:])
    return demo_bench()


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

"""The front page over a large archive: 100,000 published reports in ten sections,
put into the development database inside a transaction that is rolled back at
the end (nothing stays). Prints the plan of each of the front page's queries and
how long building the page's reports takes.

    .venv/bin/python bench/front_page.py [--reports 100000] [--sections 10]

Uses DATABASE_URL, or the embedded PostgreSQL of `make run` when it is unset.
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")
os.environ.setdefault("DEBUG", "1")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402

from articles.models import (  # noqa: E402
    SECTION_STORIES,
    Article,
    FrontPage,
    Section,
    TopStory,
)

INSERT = """
INSERT INTO articles_article (
    headline, slug, standfirst, language, status, published_at, dateline_city,
    dateline_region, dateline_country, location_precision, body, content_warning,
    original_url, comments_open, preview_key, created_at, modified_at, section_id
)
SELECT 'Report ' || n, 'bench-front-' || n, 'A standfirst.', 'en',
       CASE WHEN n %% 50 = 0 THEN 'draft' ELSE 'published' END,
       now() - (n || ' minutes')::interval * 50, '', '', 'Iraq', 'country',
       '<p>Words.</p>', '', '', true, gen_random_uuid(), now(), now(),
       (%(ids)s::bigint[])[1 + n %% cardinality(%(ids)s::bigint[])]
FROM generate_series(1, %(count)s) AS n
"""


PUBLIC_ORDER_INDEX = """
CREATE INDEX IF NOT EXISTS bench_public_order ON articles_article
    (published_at DESC, id DESC) WHERE status IN ('published', 'scheduled')
"""


def explain(queryset) -> str:
    sql, params = queryset.query.get_compiler(connection=connection).as_sql()
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS OFF, TIMING ON) {sql}", params)
        return "\n".join(row[0] for row in cursor.fetchall())


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reports", type=int, default=100_000)
    parser.add_argument("--sections", type=int, default=10)
    parser.add_argument(
        "--public-order-index",
        action="store_true",
        help="add the index of the newest public reports the archive work brings "
        "(article_public_order), to measure the page as it will run",
    )
    options = parser.parse_args()
    call_command("migrate", verbosity=0)
    with transaction.atomic():
        sections = [
            Section.objects.create(
                name=f"Bench section {n}", slug=f"bench-section-{n}", position=100 + n
            )
            for n in range(options.sections)
        ]
        ids = [section.pk for section in sections]
        started = time.monotonic()
        with connection.cursor() as cursor:
            cursor.execute(INSERT, {"ids": ids, "count": options.reports})
            if options.public_order_index:
                # Check the new rows' keys now: an index cannot be made under
                # checks still pending.
                cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
                cursor.execute(PUBLIC_ORDER_INDEX)
            cursor.execute("ANALYZE articles_article")
        print(
            f"{options.reports} reports in {options.sections} sections inserted in "
            f"{time.monotonic() - started:.1f} s"
        )
        articles = list(Article.objects.filter(slug__startswith="bench-front-")[:5])
        front = FrontPage.objects.update_or_create(
            pk=1, defaults={"lead": articles[0]}
        )[0]
        for position, article in enumerate(articles[1:3]):
            TopStory.objects.create(
                front_page=front, article=article, position=position
            )

        live = Article.objects.published().defer("body", "search_vector")
        in_navigation = list(Section.objects.in_navigation())
        print("\n--- Each section's newest reports (one query) ---")
        print(
            explain(
                live.latest_per_section(
                    in_navigation, count=SECTION_STORIES, exclude=[]
                )
            )
        )
        print("\n--- The latest reports for empty places ---")
        print(explain(live.for_listing()[:3]))

        times = []
        for _ in range(20):
            started = time.perf_counter()
            layout = FrontPage.layout(in_navigation)
            times.append((time.perf_counter() - started) * 1000)
        print(
            f"\nFrontPage.layout over {len(layout.sections)} sections, 20 runs: "
            f"median {statistics.median(times):.1f} ms, "
            f"max {max(times):.1f} ms"
        )
        print(f"Load average: {os.getloadavg()}")
        transaction.set_rollback(True)


if __name__ == "__main__":
    main()

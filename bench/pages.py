"""The pages the scale benchmark measures, each at demo size and at large size:
the demo content's own addresses, and the large archive's found by asking its
database (the seed is reproducible, but its slugs are not worth hard-coding)."""

from dataclasses import dataclass
from datetime import UTC, datetime
from urllib.parse import quote

import dj_database_url
import psycopg2

PER_PAGE = 12  # ARTICLES_PER_PAGE's default
DEEP_PAGE = 4_000
PUBLIC = "status IN ('published', 'scheduled') AND published_at <= now()"
# An article's address in its language's edition (the default one unprefixed),
# its slug left for quote() to escape.
ADDRESS = "CASE WHEN a.language = 'en' THEN '' ELSE '/' || a.language END, a.slug"


@dataclass(frozen=True)
class Page:
    label: str
    demo: str
    archive: str


def _row(cursor, sql, params=()):
    cursor.execute(sql, params)
    row = cursor.fetchone()
    if row is None:
        raise SystemExit(f"The archive has nothing for: {sql}")
    return row


def _one(cursor, sql, params=()):
    return _row(cursor, sql, params)[0]


def _article_path(row) -> str:
    prefix, slug = row
    return f"{prefix}/articles/{quote(slug)}/"


def archive_pages(database_url: str) -> list[Page]:
    """Representative pages of a seeded archive, beside their demo twins."""
    config = dj_database_url.parse(database_url)
    conn = psycopg2.connect(
        dbname=config["NAME"],
        user=config["USER"],
        password=config["PASSWORD"] or None,
        host=config["HOST"] or None,
        port=config["PORT"] or None,
    )
    month = datetime.now(UTC)
    try:
        with conn.cursor() as cur:
            popular_tag = _one(
                cur,
                "SELECT t.slug FROM taggit_tag t JOIN articles_taggedarticle x "
                "ON x.tag_id = t.id GROUP BY t.slug ORDER BY count(*) DESC LIMIT 1",
            )
            # An everyday report that carries popular tags and a few comments.
            article = _row(
                cur,
                f"SELECT {ADDRESS} FROM articles_article a WHERE {PUBLIC} AND "
                "(SELECT count(*) FROM articles_taggedarticle x WHERE "
                "x.content_object_id = a.id AND x.tag_id <= 5) >= 2 "
                "ORDER BY published_at DESC LIMIT 1 OFFSET 200",
            )
            viral = _row(
                cur,
                f"SELECT {ADDRESS} FROM comments_commentcount c "
                "JOIN articles_article a ON a.id = c.article_id "
                "ORDER BY c.approved DESC LIMIT 1",
            )
            viral_pages = _one(
                cur,
                "SELECT (threads + 19) / 20 FROM comments_commentcount "
                "ORDER BY approved DESC LIMIT 1",
            )
            contributor = _one(
                cur,
                "SELECT c.slug FROM contributors_contributor c JOIN "
                "articles_articlecontributor x ON x.contributor_id = c.id "
                "WHERE c.identity = 'named' GROUP BY c.slug "
                "ORDER BY count(*) DESC LIMIT 1",
            )
            partner = _one(
                cur,
                "SELECT p.slug FROM articles_partneroutlet p JOIN articles_article a "
                "ON a.partner_id = p.id GROUP BY p.slug ORDER BY count(*) DESC LIMIT 1",
            )
            # Page N of the home page continues after the last card of page N-1
            # (a smaller archive's deepest page, if it has fewer).
            public = _one(cur, f"SELECT count(*) FROM articles_article WHERE {PUBLIC}")
            deep_page = min(DEEP_PAGE, (public - 1) // PER_PAGE + 1)
            deep = _one(
                cur,
                f"SELECT id FROM articles_article WHERE {PUBLIC} "
                "ORDER BY published_at DESC, id DESC OFFSET %s LIMIT 1",
                [(deep_page - 1) * PER_PAGE - 1],
            )
            old = _one(
                cur,
                f"SELECT published_at FROM articles_article WHERE {PUBLIC} "
                "ORDER BY published_at LIMIT 1 OFFSET %s",
                [public // 5],
            )
    finally:
        conn.close()
    article, viral = _article_path(article), _article_path(viral)
    popular_tag = quote(popular_tag)
    this_month = f"/archive/{month.year}/{month.month}/"
    demo_article = "/articles/mosul-old-city-rebuilding/"
    return [
        Page("home", "/", "/"),
        Page(f"home, page {DEEP_PAGE:,}", "/", f"/?before={deep}"),
        Page("article", demo_article, article),
        Page("article, most comments", demo_article, viral),
        Page(
            "  its last page, newest first",
            demo_article + "?comments=newest",
            f"{viral}?comments=newest&comments_page={viral_pages}",
        ),
        Page("tag (popular)", "/tags/mosul/", f"/tags/{popular_tag}/"),
        Page(
            "contributor",
            "/contributors/layla-haddad/",
            f"/contributors/{contributor}/",
        ),
        Page("partner", "/partners/tigris-dispatch/", f"/partners/{partner}/"),
        Page("corrections", "/corrections/", "/corrections/"),
        Page("archive month", this_month, f"/archive/{old.year}/{old.month}/"),
        Page("search, common word", "/search/?q=water", "/search/?q=water"),
        Page("search, rare word", "/search/?q=lemon", "/search/?q=saffron"),
        Page("feed: latest (RSS)", "/feeds/latest/", "/feeds/latest/"),
        Page("feed: latest (Atom)", "/feeds/latest/atom/", "/feeds/latest/atom/"),
        Page("feed: tag", "/feeds/tags/mosul/", f"/feeds/tags/{popular_tag}/"),
        Page(
            "feed: contributor",
            "/contributors/layla-haddad/feed/",
            f"/contributors/{contributor}/feed/",
        ),
        Page("feed: corrections", "/feeds/corrections/", "/feeds/corrections/"),
        Page("robots.txt", "/robots.txt", "/robots.txt"),
    ]


def sitemap_pages(parts: int) -> list[str]:
    """The sitemap index and every part it lists."""
    pages = ["/sitemap.xml", "/sitemap-news.xml", "/sitemap-tags.xml"]
    pages += ["/sitemap-contributors.xml", "/sitemap-articles.xml"]
    pages += [f"/sitemap-articles.xml?p={n}" for n in range(2, parts + 1)]
    return pages

"""How fast a WordPress archive moves in: `manage.py import_wordpress` on a
generated export of 10,000 posts (a busy newsroom's few years), timed as an
operator runs it, then run again (nothing changed: every post unchanged).

    make bench-wordpress    # or: .venv/bin/python bench/wordpress_import.py
                            #     [--posts 10000] [--pictures 300]

The export is written by write_export() into a temporary folder with its uploads
(pictures carrying a GPS position), imported into a throwaway database on the
development server (or DATABASE_URL's), which is dropped afterwards, with its
media in the temporary folder. Prints the file's size, the wall and CPU time of
each run (the command's own: PostgreSQL's work shows in the wall time only), the
posts read per second, the command's peak memory (resident set), and the load
average.
"""

import argparse
import io
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from html import escape
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")
os.environ.setdefault("DEBUG", "1")
DATABASE = "newsroom_bench_wordpress"

ENGLISH_TEXT = (
    "the checkpoint road river market families drivers officials said night "
    "closure queue water dam city north village camp council election report "
    "reporters displaced people returned school hospital power prices bread fuel "
    "border crossing week month year morning evening police army militia court"
)
ARABIC_TEXT = (
    "قال مسؤولون إن منسوب المياه في النهر انخفض إلى أدنى مستوى منذ سنوات وإن "
    "المزارعين في القرى القريبة من الموصل يخشون على محاصيلهم هذا العام"
)
SORANI_TEXT = "جووتیاران دەڵێن ئاوی ڕووبارەکە کەم بووەتەوە و خەڵکی گوندەکان نیگەرانن"
WORDS, ARABIC, SORANI = (t.split() for t in [ENGLISH_TEXT, ARABIC_TEXT, SORANI_TEXT])
HEAD = """<?xml version="1.0" encoding="UTF-8" ?>
<rss version="2.0" xmlns:excerpt="http://wordpress.org/export/1.2/excerpt/"
 xmlns:content="http://purl.org/rss/1.0/modules/content/"
 xmlns:wfw="http://wellformedweb.org/CommentAPI/"
 xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:wp="http://wordpress.org/export/1.2/">
<channel>
<title>Generated News</title><link>https://generated.example.org</link>
<wp:wxr_version>1.2</wp:wxr_version>
<wp:base_site_url>https://generated.example.org</wp:base_site_url>
<wp:base_blog_url>https://generated.example.org</wp:base_blog_url>
"""
SITE = "https://generated.example.org"
UPLOADS = f"{SITE}/wp-content/uploads"


def cdata(value: str) -> str:
    return "<![CDATA[" + value.replace("]]>", "]]]]><![CDATA[>") + "]]>"


def _picture(seed: int) -> bytes:
    """A JPEG carrying a GPS position and a camera serial, as phones write them."""
    from PIL import Image, ImageDraw

    rng = random.Random(seed)
    picture = Image.new("RGB", (1200, 800), (rng.randrange(256), 90, 60))
    ImageDraw.Draw(picture).rectangle(
        [rng.randrange(600), rng.randrange(400), 900, 700], fill=(20, 120, 160)
    )
    exif = Image.Exif()
    exif[0x013B] = "Photographer Name"
    exif.get_ifd(0x8769)[0xA431] = f"SN-{seed:06d}"
    gps = exif.get_ifd(0x8825)
    gps[1], gps[2] = "N", (36.0, 20.0, float(seed % 60))
    gps[3], gps[4] = "E", (43.0, 7.0, 48.0)
    out = io.BytesIO()
    picture.save(out, "JPEG", quality=80, exif=exif)
    return out.getvalue()


def _words(rng, count, vocabulary=WORDS) -> str:
    return " ".join(rng.choice(vocabulary) for _ in range(count))


def write_export(
    path: Path, uploads: Path | None = None, *, posts: int, pictures: int = 0, seed=1
) -> None:
    """Write a WXR export of `posts` posts (with authors, categories, tags,
    comments, Arabic and Sorani posts, drafts, schedules and a few private and
    trashed ones) and, into `uploads`, `pictures` pictures, each the featured
    picture of one post and shown inside another. Written as it goes: memory
    holds one post at a time."""
    rng = random.Random(seed)
    authors = [f"author{n}" for n in range(40)]
    categories = [f"region-{n}" for n in range(12)]
    subcategories = [(f"town-{n}", categories[n % 12]) for n in range(24)]
    tags = [f"tag-{n}" for n in range(800)]
    with open(path, "w", encoding="utf-8") as out:
        out.write(HEAD)
        for n, login in enumerate(authors):
            out.write(
                f"<wp:author><wp:author_id>{n + 1}</wp:author_id><wp:author_login>"
                f"{login}</wp:author_login><wp:author_email>{login}@generated.example"
                f"</wp:author_email><wp:author_display_name>{cdata(f'Reporter {n}')}"
                "</wp:author_display_name><wp:author_first_name>Reporter"
                f"</wp:author_first_name><wp:author_last_name>{n}"
                "</wp:author_last_name></wp:author>\n"
            )
        for n, slug in enumerate(categories):
            out.write(
                f"<wp:category><wp:term_id>{n + 1}</wp:term_id><wp:category_nicename>"
                f"{slug}</wp:category_nicename><wp:category_parent></wp:category_parent>"
                f"<wp:cat_name>Region {n}</wp:cat_name></wp:category>\n"
            )
        for n, (slug, parent) in enumerate(subcategories):
            out.write(
                f"<wp:category><wp:term_id>{100 + n}</wp:term_id><wp:category_nicename>"
                f"{slug}</wp:category_nicename><wp:category_parent>{parent}"
                f"</wp:category_parent><wp:cat_name>Town {n}</wp:cat_name>"
                "</wp:category>\n"
            )
        for n, slug in enumerate(tags):
            out.write(
                f"<wp:tag><wp:term_id>{1000 + n}</wp:term_id><wp:tag_slug>{slug}"
                f"</wp:tag_slug><wp:tag_name>Tag {n}</wp:tag_name></wp:tag>\n"
            )
        comment_id = 0
        for post_id in range(1, posts + 1):
            kind = rng.random()
            vocabulary = ARABIC if kind < 0.1 else SORANI if kind < 0.13 else WORDS
            title = _words(rng, 8, vocabulary).capitalize()
            status = rng.choices(
                ["publish", "draft", "pending", "future", "private", "trash"],
                [90, 4, 2, 2, 1, 1],
            )[0]
            year = 2016 + post_id * 8 // max(posts, 1)
            day = f"{year}-{rng.randrange(1, 13):02d}-{rng.randrange(1, 29):02d}"
            when = f"{day} {rng.randrange(24):02d}:{rng.randrange(60):02d}:00"
            if status == "future":
                when = f"2099-01-01 {rng.randrange(24):02d}:00:00"
            paragraphs = [
                _words(rng, rng.randrange(40, 90), vocabulary) for _ in range(6)
            ]
            block = post_id % 2 == 0
            if block:
                body = "\n\n".join(
                    f"<!-- wp:paragraph -->\n<p>{p}</p>\n<!-- /wp:paragraph -->"
                    for p in paragraphs
                )
            else:
                body = "\n\n".join(paragraphs)
            if pictures and post_id % max(posts // pictures, 1) == 1:
                shown = (post_id // max(posts // pictures, 1) + 1) % pictures + 1
                body += (
                    f'\n\n[caption id="attachment_{900000 + shown}" width="1024"]'
                    f'<img class="wp-image-{900000 + shown}" src="{UPLOADS}/2020/01/'
                    f'picture-{shown}-1024x683.jpg" alt="" /> A caption.[/caption]'
                )
            slug = f"report-{post_id}"
            terms = [
                f'<category domain="category" nicename="{c}">{c}</category>'
                for c in rng.sample(categories + [s for s, _p in subcategories], 2)
            ] + [
                f'<category domain="post_tag" nicename="{t}">{t}</category>'
                for t in rng.sample(tags, 3)
            ]
            meta = ""
            if pictures and post_id % max(posts // pictures, 1) == 0:
                number = post_id // max(posts // pictures, 1)
                if number <= pictures:
                    meta = (
                        "<wp:postmeta><wp:meta_key>_thumbnail_id</wp:meta_key>"
                        f"<wp:meta_value>{900000 + number}</wp:meta_value>"
                        "</wp:postmeta>"
                    )
            comments = []
            for _ in range(rng.choice([0, 0, 1, 2, 3, 5, 8])):
                comment_id += 1
                approved = rng.choices(["1", "0", "spam"], [85, 5, 10])[0]
                parent = rng.choice([0, 0, comment_id - 1]) if comments else 0
                comments.append(
                    f"<wp:comment><wp:comment_id>{comment_id}</wp:comment_id>"
                    f"<wp:comment_author>{cdata(f'Reader {comment_id % 500}')}"
                    f"</wp:comment_author><wp:comment_author_email>r{comment_id}"
                    "@example.net</wp:comment_author_email><wp:comment_author_IP>"
                    "192.0.2.1</wp:comment_author_IP><wp:comment_date_gmt>"
                    f"{day} 23:00:00</wp:comment_date_gmt><wp:comment_content>"
                    f"{cdata(_words(rng, 25, vocabulary))}</wp:comment_content>"
                    f"<wp:comment_approved>{approved}</wp:comment_approved>"
                    "<wp:comment_type>comment</wp:comment_type><wp:comment_parent>"
                    f"{parent}</wp:comment_parent><wp:comment_user_id>0"
                    "</wp:comment_user_id></wp:comment>"
                )
            gmt = when if status in ("publish", "future") else "0000-00-00 00:00:00"
            out.write(
                f"<item><title>{cdata(title)}</title>"
                f"<link>{SITE}/{day.replace('-', '/')}"
                f"/{slug}/</link><dc:creator>{rng.choice(authors)}</dc:creator>"
                f'<guid isPermaLink="false">{SITE}/?p={post_id}</guid>'
                f"<content:encoded>{cdata(body)}</content:encoded><excerpt:encoded>"
                f"{cdata(_words(rng, 20, vocabulary))}</excerpt:encoded>"
                f"<wp:post_id>{post_id}</wp:post_id><wp:post_date>{when}</wp:post_date>"
                f"<wp:post_date_gmt>{gmt}"
                f"</wp:post_date_gmt><wp:comment_status>open</wp:comment_status>"
                f"<wp:post_name>{slug}</wp:post_name><wp:status>{status}</wp:status>"
                "<wp:post_type>post</wp:post_type><wp:post_password></wp:post_password>"
                f"{''.join(terms)}{meta}{''.join(comments)}</item>\n"
            )
        for number in range(1, pictures + 1):
            name = f"2020/01/picture-{number}.jpg"
            out.write(
                f"<item><title>picture {number}</title><wp:post_id>{900000 + number}"
                "</wp:post_id><wp:post_type>attachment</wp:post_type><wp:status>"
                f"inherit</wp:status><wp:attachment_url>{UPLOADS}/{name}"
                "</wp:attachment_url><wp:postmeta><wp:meta_key>_wp_attached_file"
                f"</wp:meta_key><wp:meta_value>{name}</wp:meta_value></wp:postmeta>"
                "<wp:postmeta><wp:meta_key>_wp_attachment_image_alt</wp:meta_key>"
                f"<wp:meta_value>{escape(f'Picture {number}')}</wp:meta_value>"
                "</wp:postmeta></item>\n"
            )
            if uploads is not None:
                file = uploads / name
                file.parent.mkdir(parents=True, exist_ok=True)
                file.write_bytes(_picture(number))
        out.write("</channel>\n</rss>\n")


def _run(args, env) -> tuple[float, float, float, str]:
    """Wall and CPU seconds of a command, the largest memory it held (MB), and
    what it printed. wait4 gives this one process's figures, not the largest of
    every process run so far."""
    with tempfile.TemporaryFile("w+") as out:
        started = time.perf_counter()
        process = subprocess.Popen(
            args, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT, text=True
        )
        _pid, status, usage = os.wait4(process.pid, 0)
        wall = time.perf_counter() - started
        process.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        output = out.read()
    if process.returncode:
        raise SystemExit(output)
    return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024, output


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--posts", type=int, default=10_000)
    parser.add_argument("--pictures", type=int, default=300)
    options = parser.parse_args()

    import django

    django.setup()
    from django.db import connection
    from django.test.utils import setup_test_environment

    folder = Path(tempfile.mkdtemp(prefix="newsroom-wordpress-"))
    export, uploads = folder / "export.xml", folder / "uploads"
    started = time.perf_counter()
    write_export(export, uploads, posts=options.posts, pictures=options.pictures)
    size = export.stat().st_size / 1e6
    print(
        f"Export of {options.posts} posts and {options.pictures} pictures: "
        f"{size:.1f} MB, written in {time.perf_counter() - started:.1f} s"
    )
    setup_test_environment()
    connection.settings_dict["TEST"]["NAME"] = DATABASE
    connection.creation.create_test_db(verbosity=0, autoclobber=True)
    db = connection.settings_dict
    host = db["HOST"].replace("/", "%2F")
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    port = f":{db['PORT']}" if db.get("PORT") else ""
    env = os.environ | {
        "DATABASE_URL": f"postgres://{db['USER']}{password}@{host}{port}/{db['NAME']}",
        "DEBUG": "0",
        "SECRET_KEY": "bench-only-not-a-secret",
        "SITE_URL": "http://127.0.0.1:8000",
        "MEDIA_ROOT": str(folder / "media"),
    }
    command = [sys.executable, "manage.py", "import_wordpress", str(export)]
    command += ["--uploads", str(uploads)]
    try:
        for label in ["first run", "second run (nothing changed)"]:
            load = os.getloadavg()
            wall, cpu, memory, output = _run(command, env)
            summary = [
                line.strip()
                for line in output.splitlines()
                if line.strip().startswith(("articles:", "pictures:", "comments:"))
            ]
            print(
                f"  {label}: {wall:6.1f} s wall, {cpu:6.1f} s CPU, "
                f"{options.posts / wall:5.1f} posts/s; peak memory {memory:.0f} MB; "
                f"load average before {' '.join(f'{n:.2f}' for n in load)}"
            )
            for line in summary:
                print(f"      {line}")
        print(f"Load average after: {' '.join(f'{n:.2f}' for n in os.getloadavg())}")
    finally:
        connection.creation.destroy_test_db(DATABASE, verbosity=0, keepdb=False)
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()

import os
import subprocess
import sys
import time
from urllib.parse import urlsplit

import dj_database_url
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from tqdm import tqdm

from articles.models import Article, ArticleContributor, ArticleImage, TaggedArticle
from comments.models import Comment
from demo.archive import ArchiveSize, seed_archive

ARCHIVE_DATABASE_NAME = "newsroom_archive"
MARKER = "Seeded by seed_archive:"
# Secondary indexes of these tables are dropped while the rows stream in and
# built again once, which is several times faster than keeping them up to date.
LOADED_MODELS = [Article, ArticleContributor, ArticleImage, TaggedArticle, Comment]


def default_archive_url() -> str:
    """The embedded server's archive database, beside the demo site's."""
    if os.environ.get("DATABASE_URL"):
        raise CommandError(
            "DATABASE_URL names the site's database: give the archive a database "
            "of its own with --database-url."
        )
    from newsroom.embedded_postgres import database_url

    return database_url(name=ARCHIVE_DATABASE_NAME)


def same_database(url: str, config: dict) -> bool:
    parsed = dj_database_url.parse(url)
    return all(
        str(parsed.get(key) or "") == str(config.get(key) or "")
        for key in ("HOST", "PORT", "NAME")
    )


class Command(BaseCommand):
    help = (
        "Seed a large archive (by default 100,000 articles and 1,000,000 comments) "
        "into a database of its own, never the site's, for measuring. The same "
        "seed and sizes always give the same archive; an archive already seeded "
        "with them is kept."
    )

    def add_arguments(self, parser):
        defaults = ArchiveSize()
        parser.add_argument("--articles", type=int, default=defaults.articles)
        parser.add_argument("--comments", type=int, default=defaults.comments)
        parser.add_argument("--tags", type=int, default=defaults.tags)
        parser.add_argument("--contributors", type=int, default=defaults.contributors)
        parser.add_argument("--readers", type=int, default=defaults.readers)
        parser.add_argument("--pictures", type=int, default=defaults.pictures)
        parser.add_argument("--seed", type=int, default=9)
        parser.add_argument(
            "--database-url",
            help="The archive's database (default: the embedded server's "
            f"{ARCHIVE_DATABASE_NAME!r} database). Created rows replace a previous "
            "archive; a database with other articles is refused.",
        )
        parser.add_argument(
            "--fresh", action="store_true", help="Seed again even if it matches."
        )

    def handle(self, *args, **options):
        sizes = {
            name: options[name]
            for name in (
                "articles",
                "comments",
                "tags",
                "contributors",
                "readers",
                "pictures",
            )
        }
        if min(sizes.values()) < 0 or sizes["articles"] < 1:
            raise CommandError("Sizes are counts: at least one article, none below 0.")
        target = options["database_url"] or default_archive_url()
        in_place = os.environ.get("DATABASE_URL") == target
        if not in_place:
            if same_database(target, settings.DATABASES["default"]):
                raise CommandError(
                    "That is the site's own database: the archive needs one of its own."
                )
            return self.seed_elsewhere(target, options)
        call_command("migrate", interactive=False, verbosity=0)
        size = ArchiveSize(**sizes)
        self.seed_here(size, options["seed"], options["fresh"])

    def seed_elsewhere(self, target, options):
        """Seed the archive from a process connected to its database alone, so
        nothing here ever writes to the site's database."""
        env = os.environ | {"DATABASE_URL": target}
        manage = [sys.executable, str(settings.BASE_DIR / "manage.py")]
        location = urlsplit(target)
        self.stdout.write(f"Archive database: {location.path.lstrip('/')}")
        argv = [*manage, "seed_archive", "--database-url", target]
        for name in ("articles", "comments", "tags", "contributors", "readers"):
            argv += [f"--{name}", str(options[name])]
        argv += ["--pictures", str(options["pictures"]), "--seed", str(options["seed"])]
        if options["fresh"]:
            argv.append("--fresh")
        result = subprocess.run(argv, env=env, check=False)
        if result.returncode:
            raise CommandError("Seeding the archive failed (see above).")

    def seed_here(self, size: ArchiveSize, seed: int, fresh: bool):
        wanted = f"{MARKER} seed={seed} {size.marker}"
        marker = self.marker()
        if marker == wanted and not fresh:
            self.stdout.write(f"The archive is already seeded ({wanted}): kept.")
            return
        if marker is None and Article.objects.exists():
            raise CommandError(
                "This database holds articles that seed_archive did not write: "
                "give the archive an empty database of its own."
            )
        if marker is not None or Article.objects.exists():
            self.stdout.write("Removing the previous archive...")
            call_command("flush", interactive=False, verbosity=0)
        started = time.monotonic()
        estimate = size.articles * 7 + size.comments + size.readers * 3 + size.tags
        with tqdm(total=estimate, unit=" rows", unit_scale=True) as bar:

            def progress(rows, stage):
                bar.set_description(stage)
                bar.update(rows)

            with transaction.atomic():
                with connection.cursor() as cursor:
                    cursor.execute("SET LOCAL maintenance_work_mem = '256MB'")
                    cursor.execute("SET LOCAL synchronous_commit = off")
                indexes = self.drop_secondary_indexes()

                def indexes_build():
                    bar.set_description("indexes")
                    with connection.cursor() as cursor:
                        for definition in indexes:
                            cursor.execute(definition)

                report = seed_archive(
                    size=size, seed=seed, progress=progress, rows_written=indexes_build
                )
                with connection.cursor() as cursor:
                    name = connection.ops.quote_name(connection.settings_dict["NAME"])
                    cursor.execute(f"COMMENT ON DATABASE {name} IS %s", [wanted])
            bar.set_description("vacuum")
            with connection.cursor() as cursor:
                # Fresh statistics and visibility maps: index-only scans work at once.
                cursor.execute("VACUUM ANALYZE")
            bar.set_description("done")
        rows = ", ".join(f"{table} {count:,}" for table, count in report.rows.items())
        self.stdout.write(
            self.style.SUCCESS(
                f"Archive seeded in {time.monotonic() - started:.0f} s: {rows}."
            )
        )
        self.stdout.write("Viral reports: " + ", ".join(report.viral_slugs))

    def marker(self) -> str | None:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT shobj_description(oid, 'pg_database') FROM pg_database "
                "WHERE datname = current_database()"
            )
            comment = cursor.fetchone()[0]
        return comment if comment and comment.startswith(MARKER) else None

    def drop_secondary_indexes(self) -> list[str]:
        """Drop the indexes that back no constraint; return how to build them."""
        tables = [model._meta.db_table for model in LOADED_MODELS]
        with connection.cursor() as cursor:
            cursor.execute(
                """
                SELECT i.relname, pg_get_indexdef(i.oid)
                FROM pg_index x
                JOIN pg_class i ON i.oid = x.indexrelid
                JOIN pg_class t ON t.oid = x.indrelid
                WHERE t.relname = ANY(%s) AND NOT x.indisprimary
                  AND NOT EXISTS (
                    SELECT 1 FROM pg_constraint c WHERE c.conindid = x.indexrelid
                  )
                """,
                [tables],
            )
            found = cursor.fetchall()
            for name, _definition in found:
                cursor.execute(f"DROP INDEX {connection.ops.quote_name(name)}")
        return [definition for _name, definition in found]

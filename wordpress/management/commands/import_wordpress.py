from collections import Counter
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from articles.models import Article
from wordpress.services import (
    ImportAborted,
    ImportReport,
    read_author_choices,
    wordpress_import,
)
from wordpress.wxr import NotWxr

# How many of each kind of thing left out are listed (all of them with -v 2).
EXAMPLES = 5


class Command(BaseCommand):
    help = (
        "Import a WordPress export file (Tools → Export → All content): posts, "
        "authors, categories, tags, pictures from the uploads folder and approved "
        "comments; old addresses redirect to the new ones. Running it again "
        "updates what changed."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "export", type=Path, help="The WXR file WordPress exported."
        )
        parser.add_argument(
            "--uploads",
            type=Path,
            help="The site's uploads folder (wp-content/uploads), copied from its "
            "server: pictures are taken from it, never downloaded.",
        )
        parser.add_argument(
            "--language",
            choices=Article.Language.values,
            help="The language of posts whose export does not say (WPML or "
            "Polylang). Without it, posts mostly in Arabic script are Arabic (or "
            "Sorani, by its letters) and the rest in the site's language.",
        )
        parser.add_argument(
            "--authors",
            type=Path,
            help="A CSV file (login,identity[,pseudonym,name,contributor]) marking "
            "authors as pseudonymous or withheld, or crediting an existing "
            "contributor. Without it every author is named as WordPress showed them.",
        )
        parser.add_argument(
            "--overwrite",
            action="store_true",
            help="Replace articles edited here since they were imported with what "
            "WordPress has.",
        )
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Do everything, report it, and write nothing.",
        )

    def handle(self, *args, export, uploads, language, authors, **options):
        if not export.is_file():
            raise CommandError(f"{export} is not a file.")
        if uploads is not None and not uploads.is_dir():
            raise CommandError(f"The uploads folder {uploads} is not a folder.")
        if uploads is not None and (uploads / "wp-content" / "uploads").is_dir():
            uploads = uploads / "wp-content" / "uploads"
        choices = {}
        if authors is not None:
            try:
                choices = read_author_choices(authors)
            except (OSError, UnicodeDecodeError, ValueError) as error:
                raise CommandError(f"The authors file {authors}: {error}.") from None
        verbosity = options["verbosity"]
        try:
            report = wordpress_import(
                source=export,
                uploads=uploads,
                language=language,
                authors=choices,
                overwrite=options["overwrite"],
                dry_run=options["dry_run"],
                # A progress bar where someone watches, not in a log.
                progress=self.stderr._out
                if verbosity and self.stderr.isatty()
                else None,
            )
        except NotWxr as error:
            raise CommandError(
                f"{export} cannot be imported: {error}; export the site again "
                "from WordPress (Tools → Export → All content)."
            ) from None
        except ImportAborted as error:
            raise CommandError(
                f"The import stopped: {error} What was imported so far is kept; "
                "run the command again to go on."
            ) from None
        if verbosity:
            self._print(report, everything=verbosity > 1)

    def _print(self, report: ImportReport, *, everything: bool) -> None:
        write = self.stdout.write
        done = "Would import" if report.dry_run else "Imported"
        write(f"{done} from {report.site}:")
        articles = report.articles
        statuses = ", ".join(f"{n} {s}" for s, n in sorted(report.statuses.items()))
        write(
            f"  articles: {articles['created']} created, {articles['updated']} "
            f"updated, {articles['unchanged']} unchanged"
            + (f" ({statuses})" if statuses else "")
        )
        if report.languages:
            languages = ", ".join(
                f"{n} {code}" for code, n in report.languages.most_common()
            )
            write(f"  languages: {languages}")
        write(f"  contributors: {report.contributors_created} created")
        sections = report.sections_created
        line = f"  sections: {len(sections)} created"
        if sections:
            line += (
                f" ({', '.join(sections)}; out of the navigation until an editor "
                "puts them there)"
            )
        write(line)
        write(f"  tags: {report.tags_created} created")
        removed = ", ".join(sorted(report.metadata_removed)) or "nothing"
        write(
            f"  pictures: {report.pictures_stored} stored through the image "
            f"pipeline (removed: {removed})"
        )
        if report.pictures_without_alt:
            write(
                f"    {report.pictures_without_alt} without alt text: describe them "
                "in the image library"
            )
        comments = report.comments
        write(
            f"  comments: {comments['kept']} kept, {comments['updated']} updated, "
            f"{comments['removed']} removed"
        )
        for reason, count in report.comments_skipped.most_common():
            write(f"    {count} not kept: {reason.label}")
        write(f"  old addresses: {report.old_addresses} redirect to their new place")
        self._list(
            "Skipped",
            [
                (label, f"{reason.label}: {detail}" if detail else reason.label, reason)
                for label, reason, detail in report.skipped
            ],
            everything,
        )
        self._list(
            "Pictures left out",
            [
                (label, f"{what}: {problem.label}" + (f" ({d})" if d else ""), problem)
                for label, problem, what, d in report.pictures_left_out
            ],
            everything,
        )
        for warning in report.warnings:
            self.stdout.write(self.style.WARNING(f"Note: {warning}"))
        if report.dry_run:
            write(self.style.SUCCESS("Dry run: nothing was written."))
        else:
            write(self.style.SUCCESS("Done."))

    def _list(self, title, entries, everything):
        if not entries:
            return
        self.stdout.write(f"{title} ({len(entries)}):")
        shown = Counter()
        for label, why, kind in entries:
            shown[kind] += 1
            if everything or shown[kind] <= EXAMPLES:
                self.stdout.write(f"  {label}: {why}")
        for kind, count in shown.items():
            if not everything and count > EXAMPLES:
                self.stdout.write(
                    f"  … and {count - EXAMPLES} more {kind.label.split(' (')[0]!r} "
                    "(-v 2 lists them all)"
                )

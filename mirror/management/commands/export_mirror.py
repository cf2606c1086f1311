from pathlib import Path

from django.core.management.base import BaseCommand
from tqdm import tqdm

from mirror.export import Mirror


class ProgressOutput:
    """The command's stderr as tqdm writes to it: as is, without the line end
    Django's OutputWrapper adds to every write (the bar redraws one line)."""

    def __init__(self, stream):
        self.stream = stream

    def write(self, text):
        self.stream.write(text, ending="")

    def flush(self):
        self.stream.flush()


class Command(BaseCommand):
    help = (
        "Write the public site (reports and their lite pages, front, section and "
        "tag pages, trust pages, feeds, pictures) into a folder as plain files "
        "with relative links, for any static host or bucket. Later runs into the "
        "same folder write only what changed and delete what is gone."
    )

    def add_arguments(self, parser):
        parser.add_argument("folder", type=Path, help="Where the mirror is written.")
        parser.add_argument(
            "--address",
            default="",
            help=(
                "The mirror's public address (https://mirror.example.net/news/): "
                "the feeds' links then lead into the mirror, not to SITE_URL."
            ),
        )

    def handle(self, *args, folder, address, verbosity, **options):
        def progress(items, total):
            return tqdm(
                items,
                total=total,
                unit="page",
                disable=verbosity < 1,
                file=ProgressOutput(self.stderr),
            )

        report = Mirror(folder, progress=progress, address=address).run()
        if verbosity > 1:
            for name in report.written:
                self.stdout.write(f"written: {name}")
            for name in report.removed:
                self.stdout.write(f"removed: {name}")
        for path, status in report.skipped:
            self.stderr.write(f"Left out {path}: it answered {status}.")
        self.stdout.write(
            f"{len(report.written)} files written, {report.unchanged} unchanged, "
            f"{len(report.removed)} removed, in {folder}."
        )

"""manage.py catalogues: gather the interface's strings into the Arabic and
Sorani Kurdish catalogues (locale/<language>/LC_MESSAGES/django.po), leaving out
the code only staff see; --check says whether both catalogues translate every
string (none missing, empty or fuzzy). Compiling them is `manage.py
compilemessages` (or make, which does it before `make run` and `make test`)."""

import os
import subprocess
import tempfile
from pathlib import Path

from django.conf import settings
from django.core.management import BaseCommand, CommandError, call_command
from django.test.utils import override_settings

from newsroom.languages import STAFF_ONLY_CODE

CATALOGUE = Path("LC_MESSAGES") / "django.po"


def translated_languages() -> list[str]:
    """The interface's languages but the default, which needs no catalogue."""
    return [
        code for code, _name in settings.LANGUAGES if code != settings.LANGUAGE_CODE
    ]


def _gather(locale_path: Path, languages: list[str]) -> None:
    """makemessages over the project (from its root), into `locale_path`."""
    here = Path.cwd()
    os.chdir(settings.BASE_DIR)
    try:
        with override_settings(LOCALE_PATHS=[locale_path]):
            call_command(
                "makemessages",
                locale=languages,
                ignore_patterns=STAFF_ONLY_CODE,
                add_location="file",
                no_obsolete=True,
                verbosity=0,
            )
    finally:
        os.chdir(here)


def catalogue_problems() -> list[str]:
    """What keeps the catalogues from being complete: each string of the
    interface (gathered afresh into a temporary folder) that a catalogue lacks,
    leaves empty or marks fuzzy, and any catalogue msgfmt refuses."""
    problems = []
    ours = Path(settings.LOCALE_PATHS[0])
    with tempfile.TemporaryDirectory() as folder:
        _gather(Path(folder), [settings.LANGUAGE_CODE])
        reference = Path(folder) / settings.LANGUAGE_CODE / CATALOGUE
        for language in translated_languages():
            catalogue = ours / language / CATALOGUE
            if not catalogue.exists():
                problems.append(f"{catalogue} is missing.")
                continue
            for command in (
                ["msgfmt", "--check", "--output-file=/dev/null", str(catalogue)],
                ["msgcmp", str(catalogue), str(reference)],
            ):
                found = subprocess.run(command, capture_output=True, text=True)
                if found.returncode:
                    problems.append(f"{language}: {found.stderr.strip()}")
            if "#, fuzzy" in catalogue.read_text(encoding="utf-8"):
                problems.append(f"{language}: {catalogue} has fuzzy entries.")
    return problems


class Command(BaseCommand):
    help = __doc__

    def add_arguments(self, parser):
        parser.add_argument(
            "--check",
            action="store_true",
            help="Change nothing; fail when a catalogue misses a string.",
        )

    def handle(self, *args, check=False, **options):
        if check:
            problems = catalogue_problems()
            if problems:
                raise CommandError("\n".join(problems))
            self.stdout.write("Every string of the interface is translated.")
            return
        _gather(Path(settings.LOCALE_PATHS[0]), translated_languages())
        self.stdout.write(
            "Catalogues updated: translate what is new or marked fuzzy in "
            + ", ".join(
                str(Path(settings.LOCALE_PATHS[0]) / code / CATALOGUE)
                for code in translated_languages()
            )
        )

"""manage.py catalogues: gather the interface's strings into the Arabic and
Sorani Kurdish catalogues (locale/<language>/LC_MESSAGES/django.po), leaving out
the code only staff see; --check says whether both catalogues translate every
string (none missing, empty or fuzzy). Compiling them is `manage.py
compilemessages` (make and the test suite do it whenever a catalogue changed)."""

import os
import re
import subprocess
import tempfile
from pathlib import Path

from django.conf import settings
from django.core.management import BaseCommand, CommandError, call_command
from django.core.management.commands import makemessages

from newsroom.languages import STAFF_ONLY_CODE

CATALOGUE = Path("LC_MESSAGES") / "django.po"


def translated_languages() -> list[str]:
    """The interface's languages but the default, which needs no catalogue."""
    default = settings.LANGUAGE_CODE
    return [code for code, _name in settings.LANGUAGES if code != default]


class _Gather(makemessages.Command):
    """makemessages writing everything it finds into one folder: Django's own
    picks the locale folder nearest each source file, which would write a
    check's catalogues into the project's locale/."""

    def __init__(self, target: Path):
        super().__init__()
        self.target = str(target)

    def find_files(self, root):
        found = super().find_files(root)
        for source in found:
            source.locale_dir = self.target
        self.locale_paths = [self.target]
        return found


def _gather(target: Path, languages: list[str], keep_pot=False) -> None:
    """makemessages over the project (from its root) into `target`."""
    here = Path.cwd()
    os.chdir(settings.BASE_DIR)
    try:
        _Gather(target).run_from_argv(
            ["manage.py", "makemessages"]
            + [f"--locale={code}" for code in languages]
            + [f"--ignore={pattern}" for pattern in STAFF_ONLY_CODE]
            + ["--add-location=file", "--no-obsolete", "--verbosity=0"]
            + (["--keep-pot"] if keep_pot else [])
        )
    finally:
        os.chdir(here)


def interface_template(folder: Path) -> Path:
    """Every string of the interface, gathered afresh from the code into a
    catalogue template (django.pot) in `folder`."""
    _gather(folder, [settings.LANGUAGE_CODE], keep_pot=True)
    return folder / "django.pot"


def catalogue_problems(template: Path | None = None, locale: Path | None = None):
    """What keeps the catalogues in `locale` (the project's by default) from
    being complete: each string of `template` (gathered afresh by default) that
    a catalogue lacks or leaves empty, fuzzy entries, and any catalogue msgfmt
    refuses. An empty list when both are complete."""
    locale = locale or Path(settings.LOCALE_PATHS[0])
    if template is None:
        with tempfile.TemporaryDirectory() as folder:
            return catalogue_problems(interface_template(Path(folder)), locale)
    problems = []
    for language in translated_languages():
        catalogue = locale / language / CATALOGUE
        if not catalogue.exists():
            problems.append(f"{catalogue} is missing.")
            continue
        checked = subprocess.run(
            ["msgfmt", "--check", "--output-file=/dev/null", str(catalogue)],
            capture_output=True,
            text=True,
        )
        if checked.returncode:
            problems.append(f"{language}: {checked.stderr.strip()}")
        # Untranslated and fuzzy entries count as missing.
        compared = subprocess.run(
            ["msgcmp", str(catalogue), str(template)], capture_output=True, text=True
        )
        if compared.returncode:
            missing = _missing_strings(compared.stderr)
            problems += [f"{language}: not translated: {text!r}" for text in missing]
            if not missing:
                problems.append(f"{language}: {compared.stderr.strip()}")
        fuzzy = subprocess.run(
            ["msgattrib", "--only-fuzzy", "--no-obsolete", str(catalogue)],
            capture_output=True,
            text=True,
        )
        if fuzzy.stdout.strip():
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


def _missing_strings(report: str) -> list[str]:
    """The strings msgcmp's `report` names (by a file and a line of their entry)
    as missing or untranslated."""
    missing = []
    pattern = r"^(.+?):(\d+): this message (?:is used but not defined|is untranslated)"
    for path, number in re.findall(pattern, report, re.MULTILINE):
        lines = Path(path).read_text(encoding="utf-8").splitlines()
        start = int(number) - 1
        while start > 0 and not lines[start].startswith("msgid "):
            start -= 1
        parts = []
        for line in lines[start:]:
            if line.startswith(("msgstr", "msgid_plural")):
                break
            parts.append(line.removeprefix("msgid ").strip().strip('"'))
        missing.append("".join(parts))
    return missing


def compile_catalogues() -> None:
    """compilemessages for the project's catalogues only (each .mo rebuilt
    when its .po is newer), without walking the virtualenv's packages."""
    here = Path.cwd()
    os.chdir(settings.LOCALE_PATHS[0])
    try:
        call_command("compilemessages", verbosity=0)
    finally:
        os.chdir(here)

"""The interface's Arabic and Sorani Kurdish catalogues translate every string
a reader can meet, and the suite reads them compiled (see tests/conftest.py)."""

import shutil
import subprocess
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import translation

from newsroom.management.commands.catalogues import (
    catalogue_problems,
    interface_template,
)


@pytest.fixture(scope="module")
def template(tmp_path_factory):
    """The strings of the code as it is now (makemessages, once per module)."""
    return interface_template(tmp_path_factory.mktemp("gathered"))


def test_every_string_of_the_interface_is_translated(template):
    assert catalogue_problems(template) == []


def _copy_of_catalogues(tmp_path) -> Path:
    copy = tmp_path / "locale"
    shutil.copytree(settings.LOCALE_PATHS[0], copy)
    return copy


def test_a_string_missing_from_a_catalogue_is_reported(template, tmp_path):
    copy = _copy_of_catalogues(tmp_path)
    catalogue = copy / "ckb" / "LC_MESSAGES" / "django.po"
    text = catalogue.read_text(encoding="utf-8")
    entry = 'msgid "Skip to content"\nmsgstr "بازدان بۆ ناوەڕۆک"\n'
    assert entry in text
    catalogue.write_text(text.replace(entry, ""), encoding="utf-8")
    problems = catalogue_problems(template, copy)
    assert len(problems) == 1
    assert problems[0].startswith("ckb:") and "Skip to content" in problems[0]


def test_an_empty_or_fuzzy_translation_is_reported(template, tmp_path):
    copy = _copy_of_catalogues(tmp_path)
    catalogue = copy / "ar" / "LC_MESSAGES" / "django.po"
    text = catalogue.read_text(encoding="utf-8")
    catalogue.write_text(
        text.replace('msgstr "انتقل إلى المحتوى"', 'msgstr ""').replace(
            'msgid "Post comment"', '#, fuzzy\nmsgid "Post comment"'
        ),
        encoding="utf-8",
    )
    problems = "\n".join(catalogue_problems(template, copy))
    assert "Skip to content" in problems
    assert "fuzzy" in problems


def test_compiled_catalogues_are_current():
    for code in ("ar", "ckb"):
        folder = Path(settings.LOCALE_PATHS[0]) / code / "LC_MESSAGES"
        compiled = folder / "django.mo"
        assert compiled.stat().st_mtime >= (folder / "django.po").stat().st_mtime
        unpacked = subprocess.run(
            ["msgunfmt", str(compiled)], capture_output=True, text=True, check=True
        )
        assert "Skip to content" in unpacked.stdout


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        ("ar", "انتقل إلى المحتوى"),
        ("ckb", "بازدان بۆ ناوەڕۆک"),
        ("en", "Skip to content"),
    ],
)
def test_the_running_site_reads_the_catalogues(code, expected):
    with translation.override(code):
        assert translation.gettext("Skip to content") == expected

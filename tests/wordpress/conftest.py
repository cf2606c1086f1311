import io
import shutil
from datetime import UTC, datetime
from pathlib import Path

import pytest
import time_machine
from django.core.management import call_command

from tests.images import samples

FIXTURE = Path(__file__).parent / "fixtures" / "export.xml"
# The day of the export: the scheduled report (1 July 2024) is still ahead.
EXPORT_DAY = datetime(2024, 6, 1, 12, 0, tzinfo=UTC)


@pytest.fixture
def uploads(tmp_path) -> Path:
    return make_uploads(tmp_path / "uploads")


def make_uploads(root: Path) -> Path:
    """The exported wp-content/uploads folder: pictures that carry a GPS
    position, a camera serial and an owner's name (tests/images/samples.py)."""
    (root / "2024" / "03").mkdir(parents=True)
    (root / "2024" / "04").mkdir(parents=True)
    (root / "2024/03/checkpoint.jpg").write_bytes(samples.jpeg())
    (root / "2024/03/market.jpg").write_bytes(samples.jpeg(size=(600, 400)))
    (root / "2024/04/river.png").write_bytes(samples.png())
    return root


@pytest.fixture
def export(tmp_path) -> Path:
    """A copy of the fixture that a test may change."""
    path = tmp_path / "export.xml"
    shutil.copy(FIXTURE, path)
    return path


class Terminal(io.StringIO):
    """Standard error as when someone watches the command: it shows progress."""

    def isatty(self):
        return True


def run_import(*args, when=EXPORT_DAY, **options) -> str:
    """The command as an operator runs it in a terminal; returns what it printed
    (the progress bars on stderr first, then the report)."""
    out, err = io.StringIO(), Terminal()
    with time_machine.travel(when, tick=False):
        call_command(
            "import_wordpress", *map(str, args), stdout=out, stderr=err, **options
        )
    return err.getvalue() + out.getvalue()

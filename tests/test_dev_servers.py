"""`make test` and `make run` stop the embedded PostgreSQL server they started, and
leave alone one that was already running: each case in a scratch data folder, with
the real make targets, as a developer runs them."""

import contextlib
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import urllib.request
from pathlib import Path

import psutil
import pytest

from newsroom import embedded_postgres
from tests.mail import free_port
from tests.test_project import ROOT, clean_env

PYTHON = sys.executable
# A test that needs no database, so the run is quick: the server is started by
# the settings all the same, as in every `make test`.
QUICK_TEST = "tests/test_project.py::test_an_old_python_is_told_what_to_install"


@pytest.fixture(scope="module")
def scratch():
    """A data folder of its own. Not under pytest's temporary folder: as root,
    pgserver runs the server as its own user, which must reach the folder."""
    base = Path(tempfile.mkdtemp(prefix="newsroom-pg-"))
    base.chmod(0o755)
    data_dir = base / "pg"
    yield data_dir
    embedded_postgres.stop(data_dir)
    shutil.rmtree(base)


def env_for(data_dir, **values):
    return clean_env(EMBEDDED_POSTGRES_DIR=str(data_dir), **values)


class Holder:
    """Another process using the server (a shell, a second site) until closed."""

    def __init__(self, data_dir):
        code = (
            "import sys; from newsroom.embedded_postgres import database_url; "
            "print(database_url(sys.argv[1]), flush=True); sys.stdin.read()"
        )
        self.process = subprocess.Popen(
            [PYTHON, "-c", code, str(data_dir)],
            cwd=ROOT,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        self.url = self.process.stdout.readline().strip()
        assert self.url.endswith("/newsroom")

    def query(self) -> str:
        code = (
            "import sys, psycopg2; from urllib.parse import unquote; "
            "c = psycopg2.connect(dbname='newsroom', user='postgres', "
            "host=unquote(sys.argv[1])); cur = c.cursor(); "
            "cur.execute('select 41 + 1'); print(cur.fetchone()[0])"
        )
        host = self.url.split("@")[1].split("/")[0]
        result = subprocess.run(
            [PYTHON, "-c", code, host], capture_output=True, text=True, timeout=30
        )
        return result.stdout.strip() or result.stderr

    def close(self):
        self.process.stdin.close()
        self.process.wait(timeout=60)


def make_test(data_dir):
    return subprocess.run(
        ["make", "--no-print-directory", "test", f"PYTEST_ARGS={QUICK_TEST} -q"],
        cwd=ROOT,
        env=env_for(data_dir),
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_make_test_stops_the_server_it_started_even_after_a_killed_run(scratch):
    # A run killed with everything it had (kill -9, a power cut) is forgotten.
    crashed = Holder(scratch)
    postmaster = int((scratch / "postmaster.pid").read_text().split()[0])
    crashed.process.kill()
    crashed.process.wait()
    os.kill(postmaster, signal.SIGKILL)
    psutil.wait_procs([psutil.Process(postmaster)], timeout=20)
    assert not embedded_postgres.is_running(scratch)

    result = make_test(scratch)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "1 passed" in result.stdout
    assert not embedded_postgres.is_running(scratch)


def test_make_test_leaves_a_server_it_found_running(scratch):
    # Started by something else (by hand, another tool): reused, never stopped.
    start = (
        "import sys, pgserver; "
        "pgserver.get_server(sys.argv[1], cleanup_mode=None).get_pid()"
    )
    subprocess.run([PYTHON, "-c", start, str(scratch)], check=True, timeout=120)
    assert embedded_postgres.is_running(scratch)
    try:
        result = make_test(scratch)
        assert result.returncode == 0, result.stdout + result.stderr
        assert embedded_postgres.is_running(scratch)
    finally:
        embedded_postgres.stop(scratch)


def test_make_test_beside_a_running_site_leaves_it_running_until_it_stops(scratch):
    site = Holder(scratch)
    try:
        result = make_test(scratch)
        assert result.returncode == 0, result.stdout + result.stderr
        assert embedded_postgres.is_running(scratch)
        assert site.query() == "42"
    finally:
        site.close()
    assert not embedded_postgres.is_running(scratch)  # the site started it


class MakeRun:
    """`make run` on a free port, in a process group of its own."""

    def __init__(self, data_dir):
        self.port = free_port()
        self.process = subprocess.Popen(
            ["make", "--no-print-directory", "run", f"ADDRPORT=127.0.0.1:{self.port}"],
            cwd=ROOT,
            env=env_for(data_dir),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        self.processes = []
        try:
            self.wait_until_serving()
        except AssertionError:
            self.kill()
            raise
        self.refresh()
        commands = [" ".join(p.cmdline()) for p in self.processes]
        assert any("runserver" in c for c in commands), commands
        assert any("manage.py worker" in c for c in commands), commands

    def wait_until_serving(self):
        for _ in range(960):  # 4 minutes at most: initdb, migrations, demo content
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{self.port}/", timeout=1)
                return
            except OSError:
                try:
                    self.process.wait(timeout=0.25)
                except subprocess.TimeoutExpired:
                    continue
                raise AssertionError("make run stopped") from None
        raise AssertionError("make run did not serve the site")

    def pause(self):
        """A quarter of a second, or less if make ends."""
        with contextlib.suppress(subprocess.TimeoutExpired):
            self.process.wait(timeout=0.25)

    def kill(self):
        """After a failed check: nothing of the run may outlive the test."""
        self.refresh()
        for process in self.processes:
            with contextlib.suppress(psutil.NoSuchProcess):
                process.kill()
        psutil.wait_procs(self.processes, timeout=30)

    def refresh(self):
        with contextlib.suppress(psutil.NoSuchProcess):
            make = psutil.Process(self.process.pid)
            self.processes = [make, *make.children(recursive=True)]

    def workers(self):
        found = []
        for process in self.processes:
            try:
                if "manage.py worker" in " ".join(process.cmdline()):
                    found.append(process)
            except psutil.NoSuchProcess:
                pass
        return found

    def stop(self, signal_to):
        signal_to(signal.SIGTERM)
        _, alive = psutil.wait_procs(self.processes, timeout=60)
        for process in alive:
            process.kill()
        assert alive == [], [" ".join(p.cmdline()) for p in alive]


def test_make_run_stopped_with_sigterm_stops_everything_it_started(scratch):
    run = MakeRun(scratch)
    try:
        assert embedded_postgres.is_running(scratch)
        # The worker is started again should it ever die.
        workers = run.workers()
        next(w for w in workers if w.parent() in workers).kill()  # not its reloader
        for _ in range(120):
            run.refresh()
            if set(run.workers()) - set(workers):
                break
            run.pause()
        assert set(run.workers()) - set(workers), "no new worker"
        # To make alone: make does not pass SIGTERM on, yet nothing may stay.
        run.stop(lambda sig: os.kill(run.process.pid, sig))
    finally:
        run.kill()
    assert not embedded_postgres.is_running(scratch)


def test_make_run_stopped_with_sigterm_leaves_a_server_it_found_running(scratch):
    shell = Holder(scratch)
    try:
        run = MakeRun(scratch)
        try:
            # To the whole process group, as a terminal or a process manager does.
            run.stop(lambda sig: os.killpg(run.process.pid, sig))
        finally:
            run.kill()
        assert embedded_postgres.is_running(scratch)
        assert shell.query() == "42"
    finally:
        shell.close()
    assert not embedded_postgres.is_running(scratch)

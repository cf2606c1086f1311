"""A real PostgreSQL server for development and tests, installed by pip (pgserver).

Used only when DATABASE_URL is unset, in development (DEBUG=1) and in the test
suite (EMBEDDED_POSTGRES=1); production refuses it (see settings.py). The data
lives in the ignored `.postgres/` folder of the project; the server listens on a
Unix socket in that folder and on no TCP port, so two checkouts never collide.

Every process that asks for the server uses the same one, and is written down as
one of its users (in `newsroom-users.json` in the data folder): a second `make
run`, the test suite beside a running site. When the last user leaves (it exits,
is stopped with SIGTERM or Ctrl-C, or calls release()), the server stops, if a
Newsroom process started it: a server that was already running when we came (one
started by hand, say) is reused and left running. Users that died without leaving
(kill -9) are forgotten on the next visit, so they never keep a server alive, and
a run killed that way leaves nothing that blocks the next one (pgserver reads
postmaster.pid and starts afresh when the process it names is gone).
"""

import atexit
import contextlib
import fcntl
import json
import os
import signal
import threading
import warnings
from pathlib import Path
from urllib.parse import quote

import psutil

DATA_DIR = Path(__file__).resolve().parent.parent / ".postgres"
DATABASE_NAME = "newsroom"
USERS_FILE = "newsroom-users.json"

_joined: set[Path] = set()  # data folders this process is a user of


def database_url(data_dir: Path = DATA_DIR, name: str = DATABASE_NAME) -> str:
    """Start (or reuse) the embedded server, join its users and return a URL for
    the site database (or for another database on the same server, such as the
    large archive's)."""
    import psycopg2
    from psycopg2 import errors

    data_dir = Path(data_dir).resolve()
    with _locked(data_dir):
        registry = _registry(data_dir)
        running = _postmaster(data_dir)
        server = _pgserver().get_server(data_dir, cleanup_mode=None)
        if running is None:
            server.ensure_postgres_running()  # after stop(), in this process
            registry["postmaster"] = server.get_pid()  # ours: the last user stops it
        elif running != registry.get("postmaster"):
            registry["postmaster"] = None  # someone else's: reuse, never stop
        me = _me()
        registry["users"] = [*(u for u in _alive(registry["users"]) if u != me), me]
        _write(data_dir, registry)
        socket_dir = server.get_postmaster_info().socket_dir
    if data_dir not in _joined:
        _joined.add(data_dir)
        atexit.register(release, data_dir)
        _leave_on_sigterm()

    conn = psycopg2.connect(dbname="postgres", user="postgres", host=socket_dir)
    conn.autocommit = True  # CREATE DATABASE cannot run inside a transaction.
    try:
        with conn.cursor() as cursor:
            cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
            if cursor.fetchone() is None:
                # Another process may create it first.
                with contextlib.suppress(errors.DuplicateDatabase):
                    cursor.execute(f'CREATE DATABASE "{name}"')
    finally:
        conn.close()
    return f"postgres://postgres@{quote(str(socket_dir), safe='')}/{name}"


def release(data_dir: Path = DATA_DIR) -> bool:
    """Leave the server's users; stop it when no user is left and a Newsroom
    process started it. Returns whether it stopped. Runs at exit by itself."""
    data_dir = Path(data_dir).resolve()
    _joined.discard(data_dir)
    if not (data_dir / USERS_FILE).exists():
        return False
    with _locked(data_dir):
        registry = _registry(data_dir)
        me = _me()
        registry["users"] = [user for user in _alive(registry["users"]) if user != me]
        running = _postmaster(data_dir)
        stopping = (
            not registry["users"]
            and running is not None
            and running == registry.get("postmaster")
        )
        if stopping:
            _shut_down(data_dir)
            registry["postmaster"] = None
        _write(data_dir, registry)
    return stopping


def stop(data_dir: Path = DATA_DIR) -> None:
    """Stop the server now, whoever uses it (fault tests take it away on purpose);
    database_url() starts it again."""
    data_dir = Path(data_dir).resolve()
    with _locked(data_dir):
        _shut_down(data_dir)


def is_running(data_dir: Path = DATA_DIR) -> bool:
    return _postmaster(Path(data_dir).resolve()) is not None


def _pgserver():
    with warnings.catch_warnings():
        # pgserver falls back to /tmp for its lock file when XDG_RUNTIME_DIR is
        # unset (as on servers and in CI) and warns about it; that is fine here.
        warnings.simplefilter("ignore")
        import pgserver
    return pgserver


def _shut_down(data_dir: Path) -> None:
    """PostgreSQL's fast shutdown (SIGINT to the postmaster: sessions end, data is
    flushed), sent directly: pg_ctl would have to run as the server's own user
    (pgserver's, as root) and reach the data folder through every parent."""
    pid = _postmaster(data_dir)
    if pid is None:
        return
    server = psutil.Process(pid)
    with contextlib.suppress(psutil.NoSuchProcess):
        server.send_signal(signal.SIGINT)
        try:
            server.wait(timeout=60)
        except psutil.TimeoutExpired:
            server.send_signal(signal.SIGQUIT)  # immediate shutdown
            server.wait(timeout=30)


@contextlib.contextmanager
def _locked(data_dir: Path):
    """One process at a time reads and changes the users and the server."""
    data_dir.mkdir(exist_ok=True)  # pgserver's initdb accepts an empty folder
    fd = os.open(data_dir, os.O_RDONLY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)  # and the lock with it


def _postmaster(data_dir: Path) -> int | None:
    """The pid of the server running on this data folder, if one is."""
    try:
        pid = int((data_dir / "postmaster.pid").read_text().split()[0])
    except (FileNotFoundError, IndexError, ValueError):
        return None
    try:
        process = psutil.Process(pid)
        return pid if "postgres" in process.name() else None
    except psutil.Error:
        return None


def _me() -> list:
    return [os.getpid(), psutil.Process().create_time()]


def _alive(users: list) -> list:
    """Users whose process still runs (the start time tells a reused pid apart)."""
    alive = []
    for pid, started in users:
        with contextlib.suppress(psutil.Error):
            process = psutil.Process(pid)
            if (
                process.create_time() == started
                and process.status() != psutil.STATUS_ZOMBIE  # killed, not yet reaped
            ):
                alive.append([pid, started])
    return alive


def _registry(data_dir: Path) -> dict:
    try:
        return json.loads((data_dir / USERS_FILE).read_text())
    except (FileNotFoundError, ValueError):
        return {"postmaster": None, "users": []}


def _write(data_dir: Path, registry: dict) -> None:
    path = data_dir / USERS_FILE
    path.with_suffix(".tmp").write_text(json.dumps(registry))
    path.with_suffix(".tmp").replace(path)


def _leave_on_sigterm() -> None:
    """SIGTERM ends a process without running atexit: make it end as Ctrl-C does
    (the test run stops cleanly too), so that the process leaves the server's
    users on its way out. Processes that handle SIGTERM themselves keep their
    own handler."""
    if threading.current_thread() is not threading.main_thread():
        return
    if signal.getsignal(signal.SIGTERM) is signal.SIG_DFL:
        signal.signal(signal.SIGTERM, signal.default_int_handler)

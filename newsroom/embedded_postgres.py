"""A real PostgreSQL server for development and tests, installed by pip (pgserver).

Used only when DATABASE_URL is unset. The data lives in the ignored `.postgres/`
folder of the project; the server listens on a Unix socket in that folder and on
no TCP port, so two checkouts never collide. Every process that asks for it gets
the same server: a second `make run`, the test suite beside a running site, or a
run after a killed one (pgserver reads postmaster.pid and starts afresh when the
process it names is gone). The server stops when the last process using it exits.
"""

import contextlib
import warnings
from pathlib import Path
from urllib.parse import quote

DATA_DIR = Path(__file__).resolve().parent.parent / ".postgres"
DATABASE_NAME = "newsroom"


def database_url(data_dir: Path = DATA_DIR, name: str = DATABASE_NAME) -> str:
    """Start (or reuse) the embedded server and return a URL for the site database
    (or for another database on the same server, such as the large archive's)."""
    import psycopg2

    with warnings.catch_warnings():
        # pgserver falls back to /tmp for its lock file when XDG_RUNTIME_DIR is
        # unset (as on servers and in CI) and warns about it; that is fine here.
        warnings.simplefilter("ignore")
        import pgserver
    from psycopg2 import errors

    server = pgserver.get_server(data_dir, cleanup_mode="stop")
    socket_dir = server.get_postmaster_info().socket_dir
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

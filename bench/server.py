"""Serving the site for measurement: gunicorn with production settings (DEBUG
off, the project's gunicorn.conf.py) on a free loopback port, against a chosen
database. Later rows of the benchmark (a caching proxy in front, say) start their
own server beside this one and reuse the same helpers."""

import contextlib
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
GUNICORN = str(Path(PYTHON).parent / "gunicorn")
STATIC_PREFIX = "newsroom-static-"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def site_env(port: int, database_url: str | None = None) -> dict:
    """The environment of a production-like site on 127.0.0.1:`port`."""
    env = os.environ | {
        "PORT": str(port),
        "DEBUG": "0",
        "SECRET_KEY": os.environ.get("SECRET_KEY", "benchmark-only-" + "x" * 40),
        "SITE_URL": f"http://127.0.0.1:{port}",
        "SERVE_MEDIA": "1",
        "STATIC_ROOT": tempfile.mkdtemp(prefix=STATIC_PREFIX),
        "LOG_LEVEL": "WARNING",
        # Server-Timing: the server's own time and query count per response.
        "SERVER_TIMING": "1",
    }
    if database_url:
        env["DATABASE_URL"] = database_url
    elif not env.get("DATABASE_URL"):
        from newsroom.embedded_postgres import database_url as embedded

        # Production settings never start the embedded server themselves: this
        # process holds it (and stops it at the end if it started it).
        env["DATABASE_URL"] = embedded()
    return env


def manage(env: dict, *args: str) -> None:
    subprocess.run([PYTHON, "manage.py", *args], cwd=ROOT, env=env, check=True)


def prepare_demo(env: dict) -> None:
    """Migrate, load the demo content into an empty database, collect static."""
    manage(env, "migrate", "-v0")
    manage(env, "demo_content")
    manage(env, "collectstatic", "--noinput", "-v0")


@contextlib.contextmanager
def gunicorn(env: dict):
    """gunicorn on 127.0.0.1:env["PORT"]; yields the base URL. On exit it stops
    and the site's collected static files (a temporary folder) go."""
    port = int(env["PORT"])
    server = subprocess.Popen(
        [GUNICORN, "newsroom.wsgi:application", "--bind", f"127.0.0.1:{port}"],
        cwd=ROOT,
        env=env,
        stderr=subprocess.DEVNULL,
    )
    try:
        for _ in range(200):
            try:
                socket.create_connection(("127.0.0.1", port), 0.2).close()
                break
            except OSError:
                if server.poll() is not None:
                    raise SystemExit("gunicorn stopped at start") from None
                time.sleep(0.1)
        else:
            raise SystemExit("gunicorn did not start")
        yield f"http://127.0.0.1:{port}"
    finally:
        server.terminate()
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
        if Path(env["STATIC_ROOT"]).name.startswith(STATIC_PREFIX):
            shutil.rmtree(env["STATIC_ROOT"], ignore_errors=True)

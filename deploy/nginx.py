"""deploy/nginx.conf on this machine, with Debian's nginx: the tests and the
benchmark run the very file docker-compose runs, filled in for loopback."""

import os
import shutil
import socket
import subprocess
import time
from pathlib import Path

CONFIG = Path(__file__).with_name("nginx.conf")
PLACEHOLDERS = ("NEWSROOM_LISTEN", "NEWSROOM_UPSTREAM", "NEWSROOM_ADMIN_PATH")


def nginx_binary() -> str:
    """Debian installs nginx in /usr/sbin, which is not on every user's PATH."""
    found = shutil.which("nginx") or shutil.which("nginx", path="/usr/sbin")
    if not found:
        raise RuntimeError("nginx not found: apt-get install nginx (.ci/run does)")
    return found


def render(*, listen: str, upstream: str, admin_path: str = "/admin/") -> str:
    """The configuration with its placeholders filled in, as the nginx image's
    envsubst fills them in docker-compose."""
    text = CONFIG.read_text()
    values = (listen, upstream, admin_path)
    for name, value in zip(PLACEHOLDERS, values, strict=True):
        text = text.replace("${" + name + "}", value)
    return text


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for_port(port: int, process: subprocess.Popen, what: str) -> None:
    """Return once `port` takes connections; fail if `process` dies first."""
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{what} stopped at start (exit {process.returncode})")
        try:
            socket.create_connection(("127.0.0.1", port), 0.2).close()
            return
        except OSError:
            time.sleep(0.05)
    raise RuntimeError(f"{what} did not listen on 127.0.0.1:{port}")


class LocalNginx:
    """nginx on 127.0.0.1 in front of `upstream`, serving `static_root` and
    `media_root`, with its prefix (cache, temp files, access log) in `directory`.
    Use it as a context manager; it stops the server it started."""

    def __init__(self, *, upstream, static_root, media_root, directory):
        self.upstream = upstream
        self.prefix = Path(directory)
        self.static_root = Path(static_root)
        self.media_root = Path(media_root)
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.access_log = self.prefix / "access.log"
        self.process = None

    def start(self) -> "LocalNginx":
        self.prefix.mkdir(parents=True, exist_ok=True)
        for name, target in [("static", self.static_root), ("media", self.media_root)]:
            link = self.prefix / name
            if link.is_symlink() or link.exists():
                link.unlink()
            link.symlink_to(target.resolve(), target_is_directory=True)
        config = self.prefix / "nginx.conf"
        config.write_text(
            render(listen=f"127.0.0.1:{self.port}", upstream=self.upstream)
        )
        directives = "daemon off;"
        if os.geteuid() == 0:
            # Workers would run as nobody, who cannot read private temp folders.
            directives += " user root;"
        command = [nginx_binary(), "-p", f"{self.prefix}/", "-c", str(config)]
        check = subprocess.run(
            [*command, "-e", "stderr", "-g", directives, "-t", "-q"],
            capture_output=True,
            text=True,
        )
        if check.returncode != 0:
            raise RuntimeError(f"nginx rejected the configuration: {check.stderr}")
        with self.access_log.open("ab") as log:
            self.process = subprocess.Popen(
                [*command, "-e", "stderr", "-g", directives],
                stdout=log,
                stderr=subprocess.DEVNULL,
            )
        wait_for_port(self.port, self.process, "nginx")
        return self

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=15)
        self.process = None

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()

import contextlib
import ctypes
import os
import signal
import subprocess
import sys

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

PR_SET_PDEATHSIG = 1


class Command(BaseCommand):
    help = (
        "Development in one step: migrate, load demo content into an empty database, "
        "start the background worker and serve the site on http://127.0.0.1:8000."
    )

    def add_arguments(self, parser):
        parser.add_argument("addrport", nargs="?", default="127.0.0.1:8000")

    def handle(self, *args, addrport, **options):
        if not settings.DEBUG:
            raise CommandError(
                "rundev is for development: run it with DEBUG=1 (make run does)."
            )
        # Stopped by SIGTERM (a process manager, kill) as by Ctrl-C: the children
        # stop, and so does the embedded database server if this run started it.
        signal.signal(signal.SIGTERM, signal.default_int_handler)
        stop_with_parent()
        call_command("migrate", interactive=False, verbosity=0)
        call_command("demo_content")
        self.stdout.write(f"Emails are written to {settings.EMAIL_FILE_PATH}/")
        self.stdout.write(
            f"Serving on http://{addrport}/ (admin at /{settings.ADMIN_URL}). "
            "Ctrl-C stops."
        )
        # The children use this process's database (and leave the embedded
        # server's lifetime to it); each runs in a group of its own, so that its
        # autoreloader goes with it.
        env = os.environ | {"DATABASE_URL": settings.DATABASE_URL}
        manage = [sys.executable, "manage.py"]
        children = {}

        def start(name, command):
            children[name] = subprocess.Popen(
                [*manage, *command], env=env, start_new_session=True
            )

        start("server", ["runserver", addrport])
        # The worker sends email outside requests; it reconnects by itself after
        # a database restart, and is started again should it ever exit.
        start("worker", ["worker"])
        try:
            while True:
                try:
                    children["server"].wait(timeout=1)
                    break
                except subprocess.TimeoutExpired:
                    pass
                if children["worker"].poll() is not None:
                    self.stderr.write("The worker stopped; starting it again.")
                    start("worker", ["worker"])
        except KeyboardInterrupt:
            pass
        finally:
            for child in children.values():
                stop(child)


def stop(child: subprocess.Popen) -> None:
    """Stop a child and everything it started, waiting for them to finish."""
    try:
        os.killpg(child.pid, signal.SIGTERM)
        child.wait(timeout=20)
    except ProcessLookupError:
        return
    except subprocess.TimeoutExpired:
        os.killpg(child.pid, signal.SIGKILL)
        child.wait()
    # The group may outlive its leader (an autoreloader's child).
    with contextlib.suppress(ProcessLookupError):
        os.killpg(child.pid, signal.SIGTERM)


def stop_with_parent() -> None:
    """Ask Linux to send us SIGTERM when the parent dies: make does not pass its
    own SIGTERM on to the command it runs."""
    if not sys.platform.startswith("linux"):
        return
    libc = ctypes.CDLL(None, use_errno=True)
    libc.prctl(PR_SET_PDEATHSIG, signal.SIGTERM)
    if os.getppid() == 1:  # the parent died before we asked
        os.kill(os.getpid(), signal.SIGTERM)

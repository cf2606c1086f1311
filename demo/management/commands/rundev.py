import subprocess
import sys

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError


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
        call_command("migrate", interactive=False, verbosity=0)
        call_command("demo_content")
        call_command("housekeeping", schedule=True, verbosity=0)
        call_command("newsletters", schedule=True, verbosity=0)
        self.stdout.write(f"Emails are written to {settings.EMAIL_FILE_PATH}/")
        self.stdout.write(
            f"Serving on http://{addrport}/ (admin at /{settings.ADMIN_URL}). "
            "Ctrl-C stops."
        )
        manage = [sys.executable, "manage.py"]
        # The worker sends email outside requests; it lives and dies with the server.
        worker = subprocess.Popen([*manage, "db_worker"])
        try:
            subprocess.run([*manage, "runserver", addrport], check=False)
        except KeyboardInterrupt:
            pass
        finally:
            worker.terminate()
            worker.wait(timeout=30)

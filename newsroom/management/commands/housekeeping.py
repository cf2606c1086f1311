from django.core.management.base import BaseCommand

from newsroom.housekeeping import housekeeping_run, housekeeping_schedule


class Command(BaseCommand):
    help = (
        "Purge expired cache rows and sessions, prune finished task rows and blank "
        "old comments' address hashes. With --schedule, queue it for the worker "
        "instead, which then repeats it every HOUSEKEEPING_INTERVAL_MINUTES."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--schedule",
            action="store_true",
            help="Queue the periodic run in the worker (once; nothing if queued).",
        )

    def handle(self, *args, schedule, **options):
        if schedule:
            queued = housekeeping_schedule()
            self.stdout.write(
                "Housekeeping queued for the worker."
                if queued
                else "Housekeeping was already queued for the worker."
            )
            return
        self.stdout.write(f"Removed {housekeeping_run()}.")

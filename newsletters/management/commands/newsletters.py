from django.core.management.base import BaseCommand, CommandError

from newsletters.models import Newsletter
from newsletters.services import digest_assemble
from newsletters.tasks import newsletters_run, newsletters_schedule


class Command(BaseCommand):
    help = (
        "Newsletters' periodic work now (digests that are due, scheduled issues, "
        "sends a stopped worker left); --schedule makes the worker do it every "
        "few minutes; --digest assembles today's digests now (for cron)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--schedule",
            action="store_true",
            help="Queue the periodic run for the worker (once, when it starts).",
        )
        parser.add_argument(
            "--digest",
            action="store_true",
            help="Assemble today's digest of every newsletter with one, now.",
        )
        parser.add_argument(
            "--newsletter", metavar="SLUG", help="With --digest: only this one."
        )
        parser.add_argument(
            "--draft",
            action="store_true",
            help="With --digest: leave the digests as drafts, whatever the "
            "newsletter says.",
        )

    def handle(self, *args, schedule, digest, newsletter, draft, **options):
        if schedule:
            queued = newsletters_schedule()
            self.stdout.write(
                "Newsletters' periodic run queued."
                if queued
                else "Newsletters' periodic run already queued."
            )
            return
        if digest:
            newsletters = Newsletter.objects.exclude(digest=Newsletter.Digest.OFF)
            if newsletter:
                newsletters = Newsletter.objects.filter(slug=newsletter)
                if not newsletters:
                    raise CommandError(f"No newsletter has the slug {newsletter!r}.")
            for item in newsletters:
                issue = digest_assemble(newsletter=item, send=False if draft else None)
                if issue is None:
                    self.stdout.write(f"{item.slug}: nothing new, or done already.")
                else:
                    issue.refresh_from_db()
                    articles = issue.items.count()
                    self.stdout.write(
                        f"{item.slug}: “{issue.subject}”, {articles} article(s), "
                        f"{issue.get_status_display()}."
                    )
            return
        report = newsletters_run()
        self.stdout.write(
            f"{report.get('digests', 0)} digest(s), {report.get('started', 0)} "
            f"scheduled issue(s) started, {report.get('unconfirmed', 0)} email(s) "
            "of stopped workers counted as unconfirmed."
        )

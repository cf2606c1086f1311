from django.conf import settings
from django.core.management.base import BaseCommand

from articles.models import Article
from demo.content import DEMO_EDITOR, demo_editor, load_demo_content


class Command(BaseCommand):
    help = "Load demo reports into an empty database and make or keep the demo editor."

    def handle(self, *args, **options):
        if Article.objects.exists():
            self.stdout.write(
                "The database already has articles: demo content left as it is."
            )
        else:
            load_demo_content()
            self.stdout.write(self.style.SUCCESS("Demo content loaded."))
        user, _created = demo_editor()
        username, password = DEMO_EDITOR
        self.stdout.write(
            f"Demo editor login: {username} (or {user.email}) / {password}  "
            f"(at /{settings.ADMIN_URL})"
        )
        if settings.STAFF_REQUIRE_TWO_FACTOR:
            self.stdout.write(
                "Staff need two-factor authentication here: the first login asks "
                "the demo editor to set up an authenticator app or security key."
            )

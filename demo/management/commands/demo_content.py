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
        demo_editor()
        username, password = DEMO_EDITOR
        self.stdout.write(f"Demo editor login: {username} / {password}  (at /admin/)")

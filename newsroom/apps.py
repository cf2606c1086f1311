from django.apps import AppConfig
from django.db.models.signals import post_migrate


class NewsroomConfig(AppConfig):
    name = "newsroom"
    verbose_name = "Newsroom"

    def ready(self):
        from newsroom import hosts  # noqa: F401  (registers its system check)
        from newsroom.fragments import connect_receivers
        from newsroom.roles import roles_sync

        # Sent once per app with models, each after that app's permissions are
        # made; the sync is idempotent, so the last one leaves every role whole.
        post_migrate.connect(roles_sync, dispatch_uid="newsroom.roles")
        connect_receivers()

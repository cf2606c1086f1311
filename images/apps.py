from django.apps import AppConfig
from django.db.models.signals import post_delete
from django.utils.translation import gettext_lazy as _


class ImagesConfig(AppConfig):
    name = "images"
    verbose_name = _("Image library")

    def ready(self):
        from images.models import Image
        from images.services import image_deleted

        # A signal, because a queryset or cascade delete calls no model method:
        # this is the one hook every way of deleting an image passes through.
        post_delete.connect(image_deleted, sender=Image, dispatch_uid="images.files")

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Reader(models.Model):
    """What a reader shows the public (a chosen name, never an email address) and
    what they asked of us."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reader"
    )
    display_name = models.CharField(
        _("display name"),
        max_length=60,
        help_text=_("Shown with your comments. It need not be your real name."),
    )
    notify_replies = models.BooleanField(
        _("email me when someone replies to my comments"), default=False
    )
    blocked = models.BooleanField(
        _("blocked"), default=False, help_text=_("A blocked reader cannot comment.")
    )
    joined_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("reader")
        verbose_name_plural = _("readers")

    def __str__(self):
        return self.display_name

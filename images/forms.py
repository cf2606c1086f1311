from django import forms
from django.utils.translation import gettext_lazy as _

from images.models import Image
from images.processing import scrub, too_large


class ImageForm(forms.ModelForm):
    # A plain file field: every check is the pipeline's, with its own messages,
    # instead of Django's ImageField accepting whatever Pillow can open.
    file = forms.FileField(
        label=_("File"),
        help_text=Image._meta.get_field("file").help_text,
        widget=forms.ClearableFileInput(
            attrs={"accept": "image/jpeg,image/png,image/webp,image/gif"}
        ),
    )

    class Meta:
        model = Image
        fields = [
            "file",
            "alt_text",
            "caption",
            "credit",
            "content_warning",
            "focal_x",
            "focal_y",
        ]

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if (
            upload is None
            or getattr(upload, "_committed", False)
            or not hasattr(upload, "read")
        ):
            return upload
        if getattr(upload, "too_large", False):  # see images/uploads.py
            raise too_large()
        upload.seek(0)
        upload.scrubbed = scrub(upload.read())
        return upload

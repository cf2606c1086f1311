from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy as _

from images.models import Image
from images.processing import scrub, too_large
from images.uploads import TooLargeUpload


class ImageForm(forms.ModelForm):
    """The picture itself is not a model field here: `cleaned_data["file"]` holds
    the scrubbed picture (a CleanImage) or None when it is unchanged, and
    `images.services.image_save` stores it."""

    # A plain file field: every check is the pipeline's, with its own messages,
    # instead of Django's ImageField accepting whatever Pillow can open.
    file = forms.FileField(
        label=_("File"),
        help_text=Image._meta.get_field("file").help_text,
        widget=forms.FileInput(
            attrs={"accept": "image/jpeg,image/png,image/webp,image/gif"}
        ),
    )

    class Meta:
        model = Image
        fields = [
            "alt_text",
            "caption",
            "credit",
            "content_warning",
            "focal_x",
            "focal_y",
        ]
        # Declared above and stored by image_save: never copied onto the model
        # as it comes, even when the admin lists it among the form's fields.
        exclude = ["file"]  # noqa: DJ006

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.file:
            # Editing: the stored picture stays unless a new one is chosen.
            self.fields["file"].required = False
            self.fields["file"].help_text = _(
                "Choose a file only to replace the picture."
            )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if isinstance(upload, TooLargeUpload):  # see images/uploads.py
            raise too_large()
        if not isinstance(upload, UploadedFile):
            return None
        upload.seek(0)
        return scrub(upload.read())


class PickerUploadForm(ImageForm):
    """A picture uploaded from the body editor: what the library needs to know
    about it; the focal point can be set later in the library."""

    class Meta(ImageForm.Meta):
        fields = ["alt_text", "caption", "credit", "content_warning"]

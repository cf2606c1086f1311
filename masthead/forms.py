from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy as _

from images.processing import ICON_SIZES, scrub, too_large
from images.uploads import TooLargeUpload
from masthead.colours import normalise
from masthead.models import SiteIdentity

ICON_MIN_SIZE = max(ICON_SIZES)
PICTURE_TYPES = "image/jpeg,image/png,image/webp,image/gif"


def _scrubbed(upload):
    """The upload through the image pipeline (a CleanImage), or None."""
    if isinstance(upload, TooLargeUpload):  # see images/uploads.py
        raise too_large()
    if not isinstance(upload, UploadedFile):
        return None
    upload.seek(0)
    return scrub(upload.read())


def _check_square(width: int, height: int) -> None:
    if width != height:
        raise forms.ValidationError(
            _(
                "The icon must be square: this picture is %(width)d by %(height)d "
                "pixels. Crop it to a square first."
            )
            % {"width": width, "height": height}
        )
    if width < ICON_MIN_SIZE:
        raise forms.ValidationError(
            _(
                "The icon must be at least %(min)d by %(min)d pixels (phones show it "
                "that large); this one is %(width)d by %(height)d."
            )
            % {"min": ICON_MIN_SIZE, "width": width, "height": height}
        )


class SiteIdentityForm(forms.ModelForm):
    """New pictures arrive as uploads, scrubbed here: `cleaned_data["logo_upload"]`
    and `["icon_upload"]` hold CleanImages (or None), which
    masthead.services.site_identity_save stores."""

    logo_upload = forms.FileField(
        label=_("Upload a new logo"),
        required=False,
        widget=forms.FileInput(attrs={"accept": PICTURE_TYPES}),
        help_text=_("Or choose one from the image library above."),
    )
    icon_upload = forms.FileField(
        label=_("Upload a new icon"),
        required=False,
        widget=forms.FileInput(attrs={"accept": PICTURE_TYPES}),
        help_text=_("A square picture, at least 512 by 512 pixels."),
    )

    class Meta:
        model = SiteIdentity
        fields = [
            "name",
            "description",
            "logo",
            "show_name_with_logo",
            "icon",
            "accent_colour",
        ]
        widgets = {"accent_colour": forms.TextInput(attrs={"type": "color"})}

    def clean_accent_colour(self):
        colour = normalise(self.cleaned_data["accent_colour"])
        # The model's validator says what is wrong with it, contrast included.
        SiteIdentity._meta.get_field("accent_colour").run_validators(colour)
        return colour

    def clean_logo_upload(self):
        return _scrubbed(self.cleaned_data.get("logo_upload"))

    def clean_icon_upload(self):
        picture = _scrubbed(self.cleaned_data.get("icon_upload"))
        if picture is not None:
            _check_square(picture.width, picture.height)
        return picture

    def clean_icon(self):
        image = self.cleaned_data.get("icon")
        if image is not None:
            _check_square(image.width, image.height)
        return image

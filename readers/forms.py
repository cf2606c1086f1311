from django import forms
from django.utils.translation import gettext_lazy as _

from readers.models import Reader


class ReaderSignupForm(forms.Form):
    """Extra sign-up fields; allauth adds email, password and the honeypot."""

    display_name = forms.CharField(
        label=_("Display name"),
        max_length=60,
        help_text=_("Shown with your comments. It need not be your real name."),
    )

    def signup(self, request, user):
        Reader.objects.create(user=user, display_name=self.cleaned_data["display_name"])


class ReaderSettingsForm(forms.ModelForm):
    class Meta:
        model = Reader
        fields = ["display_name", "notify_replies"]


class DeleteAccountForm(forms.Form):
    password = forms.CharField(
        label=_("Your password"),
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    def __init__(self, *args, user, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)

    def clean_password(self):
        if not self.user.check_password(self.cleaned_data["password"]):
            raise forms.ValidationError(_("That is not your password."))
        return ""

from allauth.account.forms import SignupForm
from django import forms
from django.contrib.auth.hashers import make_password
from django.utils.translation import gettext_lazy as _

from readers.models import Reader
from readers.names import validate_display_name


class ReaderSignupForm(SignupForm):
    """allauth's sign-up (email, password, honeypot) with a display name."""

    display_name = forms.CharField(
        label=_("Display name"),
        max_length=60,
        help_text=_("Shown with your comments. It need not be your real name."),
    )
    field_order = ["email", "display_name", "password1", "password2"]

    def clean_display_name(self):
        name = self.cleaned_data["display_name"]
        validate_display_name(name)
        return name

    def signup(self, request, user):
        Reader.objects.create(user=user, display_name=self.cleaned_data["display_name"])

    def try_save(self, request):
        """An address that already has an account gets an email saying so, and
        no account. Making an account hashes the password, the slow part of a
        sign-up: hash it here too, so both answers take the same work and the
        time taken tells no one which addresses have accounts."""
        if self.account_already_exists and self.cleaned_data.get("password1"):
            make_password(self.cleaned_data["password1"])
        return super().try_save(request)


class ReaderSettingsForm(forms.ModelForm):
    class Meta:
        model = Reader
        fields = ["display_name", "notify_replies"]

    def clean_display_name(self):
        name = self.cleaned_data["display_name"]
        validate_display_name(name, user=self.instance.user)
        return name


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

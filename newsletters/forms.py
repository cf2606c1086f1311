from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from newsletters.models import Issue, Newsletter


class NewsletterChoiceField(forms.ModelMultipleChoiceField):
    widget = forms.CheckboxSelectMultiple

    def label_from_instance(self, obj):
        return obj.name


class SubscribeForm(forms.Form):
    """An address and the newsletters it asks for; a confirmation email follows."""

    email = forms.EmailField(
        label=_("Your email address"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    newsletters = NewsletterChoiceField(
        label=_("Newsletters"),
        queryset=Newsletter.objects.none(),
        error_messages={"required": _("Choose at least one newsletter.")},
    )
    # Left empty by people; bots that fill it get the usual answer and no email.
    website = forms.CharField(
        label=_("Leave this empty"),
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["newsletters"].queryset = Newsletter.objects.offered()

    @property
    def is_bot(self) -> bool:
        return bool(self.cleaned_data.get("website"))


class ChooseNewslettersForm(forms.Form):
    """The newsletters an address keeps: those offered, and any it has that are
    offered no longer."""

    newsletters = NewsletterChoiceField(
        label=_("Your newsletters"), queryset=Newsletter.objects.none(), required=False
    )

    def __init__(self, *args, current=(), **kwargs):
        super().__init__(*args, **kwargs)
        current = list(current)
        field = self.fields["newsletters"]
        field.queryset = Newsletter.objects.filter(
            Q(active=True) | Q(pk__in=[n.pk for n in current])
        ).order_by("position", "name")
        field.initial = [n.pk for n in current]


class IssueAdminForm(forms.ModelForm):
    """The issue's form in the admin; “Schedule” needs a time in the future."""

    class Meta:
        model = Issue
        fields = ["newsletter", "subject", "introduction", "pictures", "scheduled_for"]
        widgets = {"pictures": forms.RadioSelect}

    def clean(self):
        cleaned = super().clean()
        if "_schedule" not in self.data or "scheduled_for" in self.errors:
            return cleaned
        when = cleaned.get("scheduled_for")
        if not when:
            self.add_error(
                "scheduled_for", _("Give the time at which the issue is sent.")
            )
        elif when <= timezone.now():
            self.add_error(
                "scheduled_for", _("Choose a time in the future to schedule it.")
            )
        return cleaned

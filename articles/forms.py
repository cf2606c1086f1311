from django import forms
from django.utils.translation import gettext_lazy as _


class SearchForm(forms.Form):
    q = forms.CharField(label=_("Search reports"), max_length=200, strip=True)

    def clean_q(self):
        # PostgreSQL text cannot hold NUL; other control characters mean nothing here.
        text = "".join(ch for ch in self.cleaned_data["q"] if ch.isprintable())
        if not text.strip():
            raise forms.ValidationError(_("Type a word to search for."))
        return text

import re

from django import forms
from django.conf import settings
from django.core.validators import MaxLengthValidator
from django.utils.translation import gettext_lazy as _

from comments.models import Comment

LINK = re.compile(r"(https?://|www\.)", re.IGNORECASE)


class CommentForm(forms.Form):
    body = forms.CharField(
        label=_("Your comment"),
        widget=forms.Textarea(attrs={"rows": 5}),
        strip=True,
    )
    parent = forms.IntegerField(required=False, widget=forms.HiddenInput)
    # A field people never see and bots fill in.
    website = forms.CharField(required=False)
    submission_id = forms.UUIDField(widget=forms.HiddenInput)

    def __init__(self, *args, article, **kwargs):
        self.article = article
        super().__init__(*args, **kwargs)
        # Read per form, so the limit follows the setting.
        limit = settings.COMMENT_MAX_LENGTH
        self.fields["body"].validators.append(MaxLengthValidator(limit))
        self.fields["body"].widget.attrs["maxlength"] = str(limit)

    def clean_website(self):
        if self.cleaned_data["website"]:
            raise forms.ValidationError(_("This comment could not be sent."))
        return ""

    def clean_body(self):
        body = self.cleaned_data["body"]
        if len(LINK.findall(body)) > settings.COMMENT_MAX_LINKS:
            raise forms.ValidationError(
                _("A comment may hold at most %(count)d links."),
                params={"count": settings.COMMENT_MAX_LINKS},
            )
        return body

    def clean_parent(self):
        parent_id = self.cleaned_data.get("parent")
        if not parent_id:
            return None
        parent = (
            Comment.objects.approved()
            .filter(article=self.article, parent=None, pk=parent_id)
            .first()
        )
        if parent is None:
            raise forms.ValidationError(_("That comment can no longer be replied to."))
        return parent

    @property
    def reply_to(self):
        """The comment this form answers, once validated; None for a new thread."""
        return getattr(self, "cleaned_data", {}).get("parent")


class FlagForm(forms.Form):
    """Why a reader reports a comment; optional, and held to what a field stores."""

    reason = forms.CharField(required=False, max_length=300, strip=True)

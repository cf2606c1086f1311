"""The names readers choose and the labels the site shows instead of one.

A display name may not pass for the editors (the label of staff comments, or a
staff member's name) or hide what it is: characters that reorder the text around
them or show nothing are refused."""

import functools
import unicodedata

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from contributors.models import Contributor

# Shown in place of a display name; a reader may not take one of these.
STAFF_LABEL = _("The editors")
FORMER_READER_LABEL = _("A former reader")
READER_LABEL = _("A reader")
LABELS = [STAFF_LABEL, FORMER_READER_LABEL, READER_LABEL]

# Format characters (bidi overrides and isolates, marks, zero-width characters,
# soft hyphens, tags), controls, private use and lone surrogates...
REFUSED_CATEGORIES = {"Cf", "Cc", "Co", "Cs", "Zl", "Zp"}
# ...and letters or symbols that print as nothing.
BLANK_CHARACTERS = {
    "\u034f",  # combining grapheme joiner
    "\u115f",  # Hangul choseong filler
    "\u1160",  # Hangul jungseong filler
    "\u2800",  # Braille pattern blank
    "\u3164",  # Hangul filler
    "\uffa0",  # halfwidth Hangul filler
}


class DisplayNameProblem(models.TextChoices):
    """Why a display name is refused, with what the reader is told."""

    HIDDEN_CHARACTER = (
        "hidden_character",
        _(
            "Your display name holds a character that is invisible or changes the "
            "direction of the text around it (%(character)s). Type it again without it."
        ),
    )
    RESERVED = (
        "reserved",
        _(
            "This name is kept for the newsroom's editors and the site's own labels. "
            "Choose another."
        ),
    )


def name_key(text: str) -> str:
    """What a name reads as, for comparing: letters and digits only, without case,
    accents, spacing or punctuation ("THE  Editors!" reads as "theeditors")."""
    decomposed = unicodedata.normalize("NFKD", str(text))
    kept = "".join(c for c in decomposed if unicodedata.category(c)[0] in "LN")
    return unicodedata.normalize("NFKC", kept.casefold())


def label_keys() -> frozenset[str]:
    """The site's labels in every language it may show them in (LANGUAGES)."""
    return _label_keys(
        tuple(code for code, _name in settings.LANGUAGES),
        tuple(map(str, settings.LOCALE_PATHS)),
    )


@functools.cache
def _label_keys(languages, locale_paths) -> frozenset[str]:
    keys = set()
    for code in languages:
        with translation.override(code):
            keys.update(name_key(label) for label in LABELS)
    return frozenset(keys)


def staff_name_keys(*, exclude_user=None) -> set[str]:
    """Staff members' full names and the display names they comment under. Staff
    linked to a pseudonymous or withheld contributor are left out: refusing their
    real name would tell anyone who tries it that they work here."""
    staff = (
        get_user_model()
        .objects.filter(is_staff=True, is_active=True)
        .exclude(contributor__identity__in=Contributor.PROTECTED_IDENTITIES)
    )
    if exclude_user is not None and exclude_user.pk:
        staff = staff.exclude(pk=exclude_user.pk)
    names = set()
    for first, last, display in staff.values_list(
        "first_name", "last_name", "reader__display_name"
    ):
        if first.strip() and last.strip():
            names |= {f"{first} {last}", f"{last} {first}"}
        if display:
            names.add(display)
    return {key for key in map(name_key, names) if key}


def hidden_character(name: str) -> str | None:
    """The first invisible or direction-changing character in `name`, if any."""
    for char in name:
        if unicodedata.category(char) in REFUSED_CATEGORIES or char in (
            BLANK_CHARACTERS
        ):
            return char
    return None


def validate_display_name(name: str, *, user=None) -> None:
    """Raise ValidationError when `name` may not be shown as a reader's name.
    `user` is the account the name is for: a staff member may keep their own."""
    if (char := hidden_character(name)) is not None:
        code = f"U+{ord(char):04X}"
        description = unicodedata.name(char, "")
        raise ValidationError(
            DisplayNameProblem.HIDDEN_CHARACTER.label,
            code=DisplayNameProblem.HIDDEN_CHARACTER,
            params={"character": f"{code} {description}".strip()},
        )
    key = name_key(name)
    if key in label_keys() or key in staff_name_keys(exclude_user=user):
        raise ValidationError(
            DisplayNameProblem.RESERVED.label, code=DisplayNameProblem.RESERVED
        )

"""The interface's languages, and which one a request is read in.

The address says it, and nothing else does: /ar/... is the Arabic edition,
/ckb/... the Sorani Kurdish one, and every address without a prefix is English.
No cookie and no Accept-Language header is read, so a page's address alone
decides what it holds: any cache (the proxy, a CDN, the reader's browser) keeps
one copy per address, the static mirror is a folder per edition, and nothing
on a reader's device records which language they read. A reader who picks a
language with the header's plain links stays in it, because every link on a
page is in the page's language.

An article's page is in its own language (an Arabic report at /ar/articles/...,
with Arabic navigation around it); reports in a language the interface is not
translated into (Kurmanji, French) sit in the English edition.
"""

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext_lazy as _

# Languages written right to left: their pages and elements get dir="rtl".
RTL_LANGUAGES = {"ar", "ckb", "fa", "he", "ur"}

# Month names of the Gregorian calendar as the region's newsrooms write them, from
# this project's catalogues, which override Django's own for every date the site
# writes: the Arabic names most Arabic news sites use ("نوفمبر"), and in Sorani
# the Syriac names Kurdish newsrooms use for Gregorian months ("تشرینی دووەم"),
# where Django's catalogue gives the months of the Kurdish solar calendar, which
# begin and end on other days ("سەرماوەرز").
MONTHS = {
    1: _("January"),
    2: _("February"),
    3: _("March"),
    4: _("April"),
    5: _("May"),
    6: _("June"),
    7: _("July"),
    8: _("August"),
    9: _("September"),
    10: _("October"),
    11: _("November"),
    12: _("December"),
}


# Code only staff see (the admin, desk emails, upload errors, commands) is
# English and left out of the catalogues; everything else a reader can meet is
# translated in full (manage.py catalogues --check, run by the test suite).
STAFF_ONLY_CODE = [
    "*/admin.py",
    "templates/admin/*",
    "templates/articles/email/*",
    "articles/notifications.py",
    "articles/versions.py",
    "articles/templatetags/desk_tags.py",
    "images/forms.py",
    "images/processing.py",
    "images/services.py",
    "masthead/forms.py",
    "newsletters/mailer.py",
    "newsroom/admin_widgets.py",
    "newsroom/roles.py",
    "*/management/*",
    "bench/*",
    "demo/*",
    "deploy/*",
    "tests/*",
    ".venv/*",
    "media/*",
    "staticfiles/*",
    "sent-emails/*",
]


def interface_languages() -> list[str]:
    """The codes of the languages the interface is translated into."""
    return [code for code, _name in settings.LANGUAGES]


def interface_language(code: str) -> str:
    """The interface language for content in `code`: the same when the site is
    translated into it, else the default (English)."""
    return code if code in interface_languages() else settings.LANGUAGE_CODE


def is_default(code: str) -> bool:
    """Whether `code` is the default language, whose addresses carry no prefix."""
    return code == settings.LANGUAGE_CODE


def direction(code: str) -> str:
    return "rtl" if code in RTL_LANGUAGES else "ltr"


def language_name(code: str) -> str:
    """A language's name in itself ("العربية"), as the language links show it."""
    return dict(settings.LANGUAGES).get(code) or translation.get_language_info(
        code
    ).get("name_local", code)


def path_language(path: str) -> str:
    """The interface language an address is in: its prefix's, or the default."""
    found = translation.get_language_from_path(path)
    return found or settings.LANGUAGE_CODE


def language_from_path(get_response):
    """Activates the language the address names for the whole request (URL
    resolution included: the prefixed patterns match only in their language),
    says it in Content-Language, and goes back to the default afterwards, so
    nothing after the request (a test, a task in the same thread) inherits it."""

    def middleware(request):
        language = path_language(request.path_info)
        translation.activate(language)
        request.LANGUAGE_CODE = language
        try:
            response = get_response(request)
            # A preview shows an article in its own language, whatever the address.
            shown_in = translation.get_language()
        finally:
            translation.deactivate()
        response.headers.setdefault("Content-Language", shown_in)
        return response

    return middleware

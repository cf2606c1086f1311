"""Display names may not pass for the editors or hide what they are: refused with a
clear form error at sign-up and in a reader's settings, and nothing is saved."""

import struct

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from contributors.models import Contributor
from readers.models import Reader
from tests.factories import ContributorFactory, ReaderUserFactory, UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "a-long-reader-passphrase"

HIDDEN = [
    ("\u202eevil", "U+202E RIGHT-TO-LEFT OVERRIDE"),
    ("Layla\u202d", "U+202D LEFT-TO-RIGHT OVERRIDE"),
    ("\u2067Layla\u2069", "U+2067 RIGHT-TO-LEFT ISOLATE"),
    ("Lay\u200bla", "U+200B ZERO WIDTH SPACE"),
    ("Lay\u200dla", "U+200D ZERO WIDTH JOINER"),
    ("Lay\u2060la", "U+2060 WORD JOINER"),
    ("\ufeffLayla", "U+FEFF ZERO WIDTH NO-BREAK SPACE"),
    ("Lay\u00adla", "U+00AD SOFT HYPHEN"),
    ("Layla\u200f", "U+200F RIGHT-TO-LEFT MARK"),
    ("Lay\x07la", "U+0007"),
    ("\u3164", "U+3164 HANGUL FILLER"),
    ("Layla\U000e0041", "U+E0041 TAG LATIN CAPITAL LETTER A"),
]
LABELS = ["The editors", "the editors", "THE  EDITORS", "The-Editors!", "Thé Éditors"]


def sign_up(client, name, email="reader@example.org"):
    return client.post(
        reverse("account_signup"),
        {
            "email": email,
            "display_name": name,
            "password1": PASSWORD,
            "password2": PASSWORD,
        },
    )


@pytest.fixture
def staff_member():
    user = UserFactory(first_name="Samira", last_name="Aziz", is_staff=True)
    Reader.objects.create(user=user, display_name="Desk Samira")
    return user


@pytest.mark.parametrize("name", [*LABELS, "A former reader", "a reader"])
def test_the_sites_own_labels_are_refused_at_sign_up(client, name):
    response = sign_up(client, name)
    assert response.status_code == 200
    assert "kept for the newsroom&#x27;s editors" in response.text
    assert not get_user_model().objects.exists()


@pytest.mark.parametrize(
    "name", ["Samira Aziz", "samira  aziz", "AZIZ, Samira", "Desk Samira"]
)
def test_staff_members_names_are_refused(client, staff_member, name):
    response = sign_up(client, name)
    assert "kept for the newsroom&#x27;s editors" in response.text
    assert get_user_model().objects.count() == 1  # the staff member only


@pytest.mark.parametrize(("name", "character"), HIDDEN)
def test_invisible_and_direction_changing_characters_are_refused(
    client, name, character
):
    response = sign_up(client, name)
    assert response.status_code == 200
    assert "invisible or changes the direction" in response.text
    assert character in response.text
    assert not get_user_model().objects.exists()


@pytest.mark.parametrize(
    "name",
    [
        "Layla",
        "ليلى من الموصل",  # Arabic
        "لەیلا",  # Sorani Kurdish
        "Editors' friend",
        "Samira",  # a staff member's first name alone is anyone's
        "Reader ❤️",  # an emoji with its variation selector
    ],
)
def test_ordinary_names_are_accepted(client, staff_member, name):
    response = sign_up(client, name)
    assert response.status_code == 302
    assert Reader.objects.get(user__email="reader@example.org").display_name == name


def test_a_protected_contributors_real_name_is_not_revealed_by_refusing_it(client):
    """A staff member behind a withheld byline: refusing their real name would tell
    anyone who tries it that they work here."""
    hidden = UserFactory(first_name="Karim", last_name="Nouri", is_staff=True)
    ContributorFactory(
        name="Karim Nouri", identity=Contributor.Identity.WITHHELD, user=hidden
    )
    assert sign_up(client, "Karim Nouri").status_code == 302


@pytest.mark.parametrize(
    "name", ["The Editors", "Samira Aziz", "\u202eevil", "Lay\u200bla"]
)
def test_reader_settings_refuse_the_same_names_and_keep_the_old_one(
    client, staff_member, name
):
    reader = ReaderUserFactory(reader__display_name="Layla")
    client.force_login(reader)
    response = client.post(reverse("readers:settings"), {"display_name": name})
    assert response.status_code == 200
    assert 'class="errorlist' in response.text
    assert Reader.objects.get(user=reader).display_name == "Layla"


def test_a_staff_member_may_keep_their_own_name(client, staff_member):
    client.force_login(staff_member)
    response = client.post(reverse("readers:settings"), {"display_name": "Desk Samira"})
    assert response.status_code == 302


def write_mo(path, catalog: dict[str, str]) -> None:
    """A compiled gettext catalog (the GNU .mo format), as msgfmt writes it."""
    keys = sorted(catalog)
    ids = b"".join(key.encode() + b"\0" for key in keys)
    strs = b"".join(catalog[key].encode() + b"\0" for key in keys)
    start = 7 * 4 + 16 * len(keys)
    offsets, position = [], 0
    for key in keys:
        offsets += [len(key.encode()), start + position]
        position += len(key.encode()) + 1
    values, position = [], 0
    for key in keys:
        values += [len(catalog[key].encode()), start + len(ids) + position]
        position += len(catalog[key].encode()) + 1
    header = struct.pack(
        "Iiiiiii", 0x950412DE, 0, len(keys), 7 * 4, 7 * 4 + 8 * len(keys), 0, 0
    )
    path.parent.mkdir(parents=True)
    path.write_bytes(
        header
        + struct.pack(f"{2 * len(keys)}i", *offsets)
        + struct.pack(f"{2 * len(keys)}i", *values)
        + ids
        + strs
    )


def test_the_label_is_refused_in_every_language_the_site_shows_it_in(
    client, settings, tmp_path
):
    write_mo(
        tmp_path / "ar" / "LC_MESSAGES" / "django.mo",
        {"": "Content-Type: text/plain; charset=UTF-8\n", "The editors": "المحررون"},
    )
    settings.LOCALE_PATHS = [tmp_path]
    settings.LANGUAGES = [("en", "English")]
    assert sign_up(client, "المحررون", email="first@example.org").status_code == 302

    settings.LANGUAGES = [("en", "English"), ("ar", "العربية")]
    response = sign_up(client, "المُحرِّرون", email="second@example.org")
    assert "kept for the newsroom&#x27;s editors" in response.text

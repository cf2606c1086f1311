"""Staff access: the admin's login goes through allauth (rate limits, two-factor
step), staff need a second factor where the setting says so, the admin's address
comes from the environment, and every part of the site has its own
Content-Security-Policy."""

import base64
import hashlib
import hmac
import re
import struct
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.contrib import admin
from django.contrib.auth import SESSION_KEY
from django.test import Client
from django.urls import reverse

from contributors.models import Contributor
from tests.factories import ArticleFactory, ContributorFactory
from tests.mail import run_worker
from tests.test_project import PYTHON, clean_env, run, unused_database_url

pytestmark = pytest.mark.django_db

PASSWORD = "correct-horse-battery"
LOGIN = reverse("account_login")
ADMIN = reverse("admin:index")
START = datetime(2026, 5, 4, 9, 0, tzinfo=UTC)


def totp(secret: str, when: datetime) -> str:
    """RFC 6238 as an authenticator app computes it (SHA-1, 30 s, 6 digits),
    written out here rather than borrowed from allauth."""
    key = base64.b32decode(secret, casefold=True)
    digest = hmac.new(
        key, struct.pack(">Q", int(when.timestamp()) // 30), hashlib.sha1
    ).digest()
    offset = digest[-1] & 0x0F
    number = struct.unpack(">I", digest[offset : offset + 4])[0] & 0x7FFFFFFF
    return f"{number % 1_000_000:06d}"


@pytest.fixture
def staff(editor):
    """The editor, with a confirmed email address (staff log in through allauth)."""
    EmailAddress.objects.create(
        user=editor, email=editor.email, verified=True, primary=True
    )
    return editor


def log_in(client, login, password=PASSWORD, **extra):
    return client.post(
        f"{LOGIN}?next={ADMIN}", {"login": login, "password": password}, **extra
    )


def test_the_admin_sends_staff_to_the_sites_login_and_back(client, staff):
    response = client.get(ADMIN, follow=True)
    assert response.redirect_chain[-1][0].startswith(f"{LOGIN}?next=")
    assert response.status_code == 200
    response = client.post(
        response.redirect_chain[-1][0],
        {"login": staff.username, "password": PASSWORD},
    )
    assert response.status_code == 302
    assert response["Location"] == ADMIN
    assert client.get(ADMIN).status_code == 200


def test_staff_may_log_in_with_their_email_address_too(client, staff):
    response = log_in(client, staff.email)
    assert response["Location"] == ADMIN


@pytest.mark.django_db(transaction=True)
def test_a_new_staff_account_confirms_its_address_at_the_first_login(
    client, django_user_model, smtp
):
    """As createsuperuser leaves it: a username, a password and an email address
    that no one has confirmed yet."""
    django_user_model.objects.create_superuser("desk", "desk@example.org", PASSWORD)
    response = log_in(client, "desk")
    assert response["Location"] == reverse("account_email_verification_sent")
    assert client.get(ADMIN).status_code == 302
    run_worker()
    [message] = smtp.messages
    assert message["To"] == "desk@example.org"
    path = "/" + smtp.link(message).split("://", 1)[1].split("/", 1)[1]
    assert client.post(path).status_code == 302
    assert client.get(ADMIN).status_code == 200


def test_thirty_wrong_passwords_lock_the_account_and_the_right_one_then_fails(
    client, staff
):
    with time_machine.travel(START, tick=False) as traveller:
        responses = [
            log_in(client, staff.username, "wrong-password") for _attempt in range(30)
        ]
        # Five tries with a form error, then refused with a 429 that says when.
        assert [r.status_code for r in responses] == [200] * 5 + [429] * 25
        assert "not correct" in responses[0].text
        assert [r.get("Retry-After") for r in responses[:5]] == [None] * 5
        assert all(0 < int(r["Retry-After"]) <= 300 for r in responses[5:])
        assert "Too many wrong passwords for this account" in responses[5].text

        # The right password within the window does not get in either.
        right = log_in(client, staff.username)
        assert right.status_code == 429
        assert SESSION_KEY not in client.session
        assert client.get(ADMIN).status_code == 302

        # Nor from another address: the lock is on the account.
        other = Client(REMOTE_ADDR="198.51.100.7")
        assert log_in(other, staff.username).status_code == 429

        traveller.shift(timedelta(minutes=5, seconds=1))
        assert log_in(client, staff.username)["Location"] == ADMIN
        assert client.get(ADMIN).status_code == 200


def test_logins_from_one_address_are_limited_too(client, staff, settings):
    settings.ACCOUNT_RATE_LIMITS = settings.ACCOUNT_RATE_LIMITS | {"login": "3/m/ip"}
    with time_machine.travel(START, tick=False):
        codes = [log_in(client, f"nobody{n}", "x").status_code for n in range(4)]
        assert codes == [200, 200, 200, 429]
        response = log_in(client, staff.username)
        assert response.status_code == 429
        assert 0 < int(response["Retry-After"]) <= 60
        assert "Too many attempts to log in." in response.text


def admin_urls():
    """Every page of the admin: the site's own, and each model's list, add form,
    change, delete and history pages (for a row made here)."""
    article = ArticleFactory()
    contributor = ContributorFactory()
    objects = {type(article): article, type(contributor): contributor}
    urls = [
        ADMIN,
        reverse("admin:app_list", args=["articles"]),
        reverse("admin:password_change"),
        reverse("admin:jsi18n"),
        reverse("admin:autocomplete") + "?app_label=articles&model_name=article"
        "&field_name=article",
        f"{ADMIN}no-such-page/",
    ]
    for model in admin.site._registry:
        name = f"admin:{model._meta.app_label}_{model._meta.model_name}"
        urls += [reverse(f"{name}_changelist"), reverse(f"{name}_add")]
        if model in objects:
            pk = objects[model].pk
            urls += [
                reverse(f"{name}_change", args=[pk]),
                reverse(f"{name}_delete", args=[pk]),
                reverse(f"{name}_history", args=[pk]),
            ]
    return urls


def test_staff_without_a_second_factor_are_sent_to_set_one_up(client, staff, settings):
    settings.STAFF_REQUIRE_TWO_FACTOR = True
    client.force_login(staff)
    urls = admin_urls()
    assert len(urls) > 30
    setup = reverse("mfa_index")
    for url in urls:
        response = client.get(url)
        assert (response.status_code, response.get("Location")) == (302, setup), url
    article = ArticleFactory()
    preview = client.get(reverse("articles:preview", args=[article.pk]))
    assert preview["Location"] == setup
    # A write is refused as well, and nothing is written.
    add = reverse("admin:contributors_contributor_add")
    response = client.post(add, {"name": "Someone", "identity": "named"})
    assert response["Location"] == setup
    assert not Contributor.objects.filter(name="Someone").exists()
    page = client.get(setup)
    assert "Set up two-factor authentication" in page.text

    settings.STAFF_REQUIRE_TWO_FACTOR = False
    assert client.get(ADMIN).status_code == 200


def test_readers_never_meet_the_second_factor_rule(client, settings):
    from tests.factories import ReaderUserFactory

    settings.STAFF_REQUIRE_TWO_FACTOR = True
    client.force_login(ReaderUserFactory())
    assert client.get(reverse("readers:settings")).status_code == 200
    response = client.get(ADMIN, follow=True)
    assert response.status_code == 403  # not staff: no admin at all


def test_staff_set_up_an_authenticator_app_and_log_in_with_its_code(
    client, staff, settings
):
    settings.STAFF_REQUIRE_TWO_FACTOR = True
    with time_machine.travel(START, tick=False) as traveller:
        response = log_in(client, staff.username)
        assert response["Location"] == ADMIN
        assert client.get(ADMIN)["Location"] == reverse("mfa_index")

        # Setting up a factor asks for the password again, as allauth does.
        activate = reverse("mfa_activate_totp")
        reauthenticate = client.get(activate)["Location"]
        assert reauthenticate.startswith(reverse("account_reauthenticate"))
        assert client.post(reauthenticate, {"password": PASSWORD})["Location"] == (
            activate
        )
        page = client.get(activate)
        assert page.status_code == 200
        secret = re.search(r'value="([A-Z2-7]{32})"', page.text).group(1)
        assert "data:image/svg+xml" in page.text  # the QR code to scan
        wrong = client.post(activate, {"code": "000000"})
        assert wrong.status_code == 200
        assert not Authenticator.objects.filter(user=staff).exists()
        assert client.post(activate, {"code": totp(secret, START)}).status_code == 302
        assert Authenticator.objects.filter(user=staff, type="totp").exists()
        assert client.get(ADMIN).status_code == 200

        # The next login asks for a code after the password; a wrong one fails.
        client.post(reverse("account_logout"))
        traveller.shift(timedelta(seconds=30))
        response = log_in(client, staff.username)
        assert response["Location"] == reverse("mfa_authenticate")
        assert client.get(ADMIN).status_code == 302  # not logged in yet
        failed = client.post(reverse("mfa_authenticate"), {"code": "123456"})
        assert failed.status_code == 200
        assert "Incorrect code" in failed.text
        now = START + timedelta(seconds=30)
        done = client.post(reverse("mfa_authenticate"), {"code": totp(secret, now)})
        assert done["Location"] == ADMIN
        assert client.get(ADMIN).status_code == 200


def test_recovery_codes_come_with_the_first_authenticator(client, staff):
    with time_machine.travel(START, tick=False):
        log_in(client, staff.username)
        reauthenticate = client.get(reverse("mfa_activate_totp"))["Location"]
        client.post(reauthenticate, {"password": PASSWORD})
        page = client.get(reverse("mfa_activate_totp"))
        secret = re.search(r'value="([A-Z2-7]{32})"', page.text).group(1)
        client.post(reverse("mfa_activate_totp"), {"code": totp(secret, START)})
    codes = Authenticator.objects.get(user=staff, type="recovery_codes")
    assert len(codes.wrap().get_unused_codes()) == 10


def test_the_admin_address_comes_from_the_environment():
    code = (
        "import django; django.setup(); from django.urls import reverse; "
        "from django.test import Client; c = Client(HTTP_HOST='127.0.0.1'); "
        "print(reverse('admin:index')); "
        "r = c.get('/desk-7f3a/login/'); print(r.status_code, r['Location']); "
        "print(r['Content-Security-Policy']); "
        "print(c.get('/admin/').status_code)"
    )
    env = clean_env(
        DJANGO_SETTINGS_MODULE="newsroom.settings",
        DEBUG="1",
        DATABASE_URL=unused_database_url(),
        ADMIN_URL="/desk-7f3a/",
    )
    result = run([PYTHON, "-c", code], env=env)
    assert result.returncode == 0, result.stderr
    index, login, policy, old = result.stdout.splitlines()
    assert index == "/desk-7f3a/"
    assert login == "302 /accounts/login/?next=%2Fdesk-7f3a%2Flogin%2F"
    assert "script-src 'self'" in policy  # the admin's policy follows the address
    assert old == "404"

    bad = run([PYTHON, "manage.py", "check"], env=env | {"ADMIN_URL": "admin?x=1/"})
    assert bad.returncode != 0
    assert "ADMIN_URL must be a plain path" in bad.stderr


def test_the_admin_address_defaults_to_admin():
    assert ADMIN == "/admin/"


def directives(policy: str) -> dict[str, set[str]]:
    parts = (part.split() for part in policy.split(";") if part.strip())
    return {name: set(values) for name, *values in parts}


def test_public_pages_keep_the_strict_policy(client):
    article = ArticleFactory()
    policy = directives(
        client.get(article.get_absolute_url())["Content-Security-Policy"]
    )
    assert policy == {
        "default-src": {"'none'"},
        "style-src": {"'self'"},
        "img-src": {"'self'"},
        "form-action": {"'self'"},
        "frame-ancestors": {"'none'"},
        "base-uri": {"'none'"},
    }
    for url in [reverse("account_login"), reverse("account_signup"), "/robots.txt"]:
        assert directives(client.get(url)["Content-Security-Policy"]) == policy


def test_the_admin_policy_runs_no_inline_or_evaluated_script(client, editor):
    article = ArticleFactory()
    client.force_login(editor)
    response = client.get(reverse("admin:articles_article_change", args=[article.pk]))
    policy = directives(response["Content-Security-Policy"])
    nonce = re.search(r'<script type="importmap" nonce="([^"]+)"', response.text)
    assert nonce, "the editor's import map carries the nonce"
    assert policy["script-src"] == {"'self'", f"'nonce-{nonce.group(1)}'"}
    assert policy["default-src"] == {"'none'"}
    assert policy["frame-ancestors"] == {"'none'"}
    assert policy["base-uri"] == {"'none'"}
    everything = " ".join(" ".join(values) for values in policy.values())
    assert "unsafe" not in everything
    # Every script on the page is a file of this site's, or carries the nonce,
    # or is data (JSON) that never runs.
    for tag in re.findall(r"<script\b[^>]*>", response.text):
        assert (
            'src="/' in tag
            or f'nonce="{nonce.group(1)}"' in tag
            or 'type="application/json"' in tag
        ), tag
    # Another response, another nonce.
    again = client.get(reverse("admin:articles_article_change", args=[article.pk]))
    assert again["Content-Security-Policy"] != response["Content-Security-Policy"]


def test_two_factor_pages_may_load_allauths_scripts_only(client, staff):
    client.force_login(staff)
    policy = directives(client.get(reverse("mfa_index"))["Content-Security-Policy"])
    assert policy["script-src"] == {"'self'"}
    assert policy["img-src"] == {"'self'", "data:"}
    assert policy["default-src"] == {"'none'"}

"""The trust pages (about, standards, corrections policy, funding, contact) and
the tips page: edited in the admin, each at its address, linked from the footer
and the article, named in the Organization JSON-LD. The tips page follows
SecureDrop's landing-page rules: its headers, no cookie whatever the visitor
brings, and no log line."""

import io
import json
import logging
import re

import pytest
from django.test import Client
from django.urls import reverse

from articles.models import Page
from newsroom.log_privacy import HIDDEN_PAGE, RedactFilter
from tests.factories import ArticleFactory, PageFactory, ReaderUserFactory

pytestmark = pytest.mark.django_db

ADDRESSES = {
    Page.Kind.ABOUT: "/about/",
    Page.Kind.STANDARDS: "/standards/",
    Page.Kind.CORRECTIONS: "/corrections/policy/",
    Page.Kind.FUNDING: "/funding/",
    Page.Kind.CONTACT: "/contact/",
    Page.Kind.TIPS: "/tips/",
}
ONION = "a" * 52 + "2345.onion"
PGP_KEY = (
    "-----BEGIN PGP PUBLIC KEY BLOCK-----\n\nmDMEZabc\n=XYZW\n"
    "-----END PGP PUBLIC KEY BLOCK-----"
)


@pytest.fixture
def pages():
    made = {kind: PageFactory(kind=kind) for kind in Page.Kind}
    tips = made[Page.Kind.TIPS]
    tips.securedrop_address = ONION
    tips.signal_number = "+44 7700 900 123"
    tips.pgp_fingerprint = "ABCD " * 10
    tips.pgp_key = PGP_KEY
    tips.full_clean()
    tips.save()
    return made


def organisation(html):
    for block in re.findall(
        r'<script type="application/ld\+json">(.*?)</script>', html, re.S
    ):
        data = json.loads(block)
        if data.get("@type") == "NewsMediaOrganization":
            return data
        if data.get("@type") == "NewsArticle":
            return data["publisher"]
    raise AssertionError("no organisation")


def test_each_page_answers_at_its_address_and_is_linked_from_the_footer(client, pages):
    for kind, address in ADDRESSES.items():
        assert pages[kind].get_absolute_url() == address
        response = client.get(address)
        assert response.status_code == 200, address
        assert f'<h1 class="page-title" dir="auto">{pages[kind].title}</h1>' in (
            response.text
        )
    footer = client.get(reverse("articles:latest")).text.split("site-footer", 1)[1]
    assert re.findall(r'<a href="(/[a-z/]+)" dir="auto">', footer) == list(
        ADDRESSES.values()
    )


def test_a_hidden_or_unwritten_page_is_404_and_leaves_the_footer(client, pages):
    # As the admin saves it.
    funding = Page.objects.get(kind=Page.Kind.FUNDING)
    funding.published = False
    funding.save()
    Page.objects.filter(kind=Page.Kind.CONTACT).delete()
    assert client.get("/funding/").status_code == 404
    assert client.get("/contact/").status_code == 404
    html = client.get(reverse("articles:latest")).text
    assert 'href="/funding/"' not in html and 'href="/contact/"' not in html


def test_the_organisation_names_its_trust_pages_as_the_trust_project_asks(
    client, pages
):
    home = organisation(client.get(reverse("articles:home")).text)
    article = organisation(client.get(ArticleFactory().get_absolute_url()).text)
    for data in (home, article):
        assert data["publishingPrinciples"].endswith("/standards/")
        assert data["ethicsPolicy"].endswith("/standards/")
        assert data["correctionsPolicy"].endswith("/corrections/policy/")
        assert data["ownershipFundingInfo"].endswith("/funding/")
        assert data["actionableFeedbackPolicy"].endswith("/contact/")
        assert data["masthead"].endswith("/about/")
    # As the admin saves it.
    funding = Page.objects.get(kind=Page.Kind.FUNDING)
    funding.published = False
    funding.save()
    assert "ownershipFundingInfo" not in organisation(
        client.get(reverse("articles:home")).text
    )


def test_the_article_links_to_the_standards_and_the_corrections_policy(client, pages):
    html = client.get(ArticleFactory().get_absolute_url()).text
    note = html.split('class="standards-note"', 1)[1].split("</aside>", 1)[0]
    assert '<a href="/standards/">editorial standards</a>' in note
    assert '<a href="/corrections/policy/">corrections policy</a>' in note
    assert '<a href="/contact/">Tell us</a>' in note
    corrections = client.get(reverse("articles:corrections")).text
    assert 'href="/corrections/policy/"' in corrections


def test_page_bodies_are_sanitised_as_article_bodies_and_hold_no_pictures():
    page = PageFactory(
        body='<p onclick="x()">Our <strong>standards</strong></p>'
        '<script>alert(1)</script><figure data-image="3"></figure><h1>Rules</h1>'
        "loose words"
    )
    assert page.body == (
        "<p>Our <strong>standards</strong></p><h2>Rules</h2><p>loose words</p>"
    )


def test_secure_contact_details_are_checked_and_belong_on_the_tips_page():
    from django.core.exceptions import ValidationError

    page = Page(kind=Page.Kind.TIPS, title="Tips", securedrop_address="example.onion")
    with pytest.raises(ValidationError, match="version 3 onion address"):
        page.full_clean()
    page = Page(
        kind=Page.Kind.TIPS,
        title="Tips",
        pgp_key="-----BEGIN PGP PRIVATE KEY BLOCK-----",
    )
    with pytest.raises(ValidationError, match="Never a private key"):
        page.full_clean()
    page = Page(kind=Page.Kind.ABOUT, title="About", signal_number="+44 7700 900 1")
    with pytest.raises(ValidationError, match="belong on the tips page"):
        page.full_clean()


def test_trust_pages_are_cached_like_other_public_pages(client, pages):
    response = client.get("/standards/")
    assert "public" in response["Cache-Control"] and response["ETag"]


# --- The tips page ------------------------------------------------------------------


def test_the_tips_page_shows_the_ways_to_reach_us_as_plain_text(client, pages):
    html = client.get("/tips/").text
    assert f'<code class="secure-contact__value" dir="ltr">{ONION}</code>' in html
    assert f'href="http://{ONION}' not in html and 'href="' + ONION not in html
    assert "+44 7700 900 123" in html
    assert "ABCD ABCD ABCD" in html and "-----BEGIN PGP PUBLIC KEY BLOCK-----" in html
    # Nothing that could reach another host or a form: no picture, no search.
    assert "<img" not in html and "<form" not in html
    assert "/media/" not in html


def test_the_tips_page_headers_follow_securedrops_rules(client, pages, settings):
    settings.MEDIA_URL = "https://media.example.net/newsroom/"
    response = client.get("/tips/")
    assert response["Referrer-Policy"] == "no-referrer"
    assert '<meta name="referrer" content="no-referrer">' in response.text
    cache = {part.strip() for part in response["Cache-Control"].split(",")}
    assert {"no-store", "private", "no-cache"} <= cache
    policy = dict(
        part.strip().split(" ", 1)
        for part in response["Content-Security-Policy"].split(";")
    )
    assert policy == {
        "default-src": "'none'",
        "style-src": "'self'",
        "img-src": "'self'",
        "form-action": "'none'",
        "frame-ancestors": "'none'",
        "base-uri": "'none'",
    }
    assert "media.example.net" not in response["Content-Security-Policy"]


def cookie_jars(client_with_session):
    """Visitors bringing every cookie the site sets, and some it never would."""
    yield "a first visit", Client()
    yield "a logged-in reader", client_with_session
    stale = Client()
    stale.cookies["sessionid"] = "x"  # too short: Django would delete it
    stale.cookies["messages"] = "old"
    stale.cookies["csrftoken"] = "y" * 10
    yield "stale session, message and CSRF cookies", stale


def test_the_tips_page_sets_no_cookie_whatever_the_visitor_brings(pages):
    reader = Client()
    reader.force_login(ReaderUserFactory())
    reader.cookies["messages"] = "old"
    for who, client in cookie_jars(reader):
        for address in ["/tips/", "/tips/no-such-thing/"]:
            response = client.get(address)
            assert response.status_code in {200, 404}
            assert not response.cookies, (who, address, response.cookies)
            assert not response.has_header("Set-Cookie"), (who, address)
            assert "no-store" in response["Cache-Control"]


def test_other_pages_still_set_the_cookies_they_need(pages):
    # The stripping is the tips page's alone: the login page keeps its CSRF
    # cookie, which its form needs.
    response = Client().get(reverse("account_login"))
    assert "csrftoken" in response.cookies


def test_djangos_logs_never_name_the_tips_page(client, pages):
    """Through the handler settings.LOGGING configures (gunicorn's and nginx's
    logs are read in tests/test_logs.py and tests/test_proxy.py)."""
    [handler] = [
        handler
        for handler in logging.getLogger("django").handlers
        if any(isinstance(f, RedactFilter) for f in handler.filters)
    ]
    written = io.StringIO()
    stream = handler.setStream(written)
    try:
        client.get("/tips/no-such-thing/")
        client.get("/no-such-page/")
        # The development server's access line for the page: dropped.
        logging.getLogger("django.server").info('"GET /tips/ HTTP/1.1" 200 1234')
    finally:
        handler.setStream(stream)
    text = written.getvalue()
    assert "/tips" not in text
    assert f"Not Found: {HIDDEN_PAGE}" in text
    assert "Not Found: /no-such-page/" in text


def test_editors_write_the_tips_page_in_the_admin_and_bad_details_are_refused(
    client, editor
):
    client.force_login(editor)
    add = reverse("admin:articles_page_add")
    data = {
        "kind": "tips",
        "title": "Send us a tip safely",
        "summary": "",
        "body": "<p>How to reach us.</p>",
        "published": "on",
        "securedrop_address": "not-an-onion.example.org",
        "signal_number": "+44 7700 900 123",
        "pgp_fingerprint": "",
        "pgp_key": "",
    }
    response = client.post(add, data)
    assert response.status_code == 200
    assert "version 3 onion address" in response.text
    assert not Page.objects.exists()
    response = client.post(add, data | {"securedrop_address": ONION})
    assert response.status_code == 302
    assert client.get("/tips/").status_code == 200

"""The site under a second host name (its onion service, a mirror domain):
it answers, its pages link within that host, and every page read elsewhere
names its onion address in Onion-Location."""

from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest
from django.contrib.staticfiles import finders
from django.urls import reverse

from articles.models import Page
from demo.content import load_demo_content
from tests.factories import ArticleFactory, PageFactory, UserFactory
from tests.mail import run_worker

pytestmark = pytest.mark.django_db

ONION = "http://newsroomexampleonionaddressxxxxxxxxxxxxxxxxxxxxxxxxxxxxx.onion"
ONION_HOST = ONION.removeprefix("http://")
MIRROR_HOST = "mirror.example.net"


@pytest.fixture
def hosts(settings):
    settings.SITE_URL = "https://news.example.org"
    settings.ALLOWED_HOSTS = ["news.example.org", ONION_HOST, MIRROR_HOST]
    settings.ONION_LOCATION = ONION
    settings.ONION_HOST = ONION_HOST
    settings.MIRROR_HOSTS = [MIRROR_HOST]


def test_every_page_read_off_the_onion_names_its_onion_address(client, hosts):
    article = ArticleFactory(slug="water-returns")
    PageFactory(kind=Page.Kind.TIPS, title="Send us a tip")
    paths = [
        "/",
        f"{article.get_absolute_url()}?comments=newest",
        "/lite/water-returns/",
        reverse("articles:page_tips"),
        "/no-such-page/",
        reverse("articles:feed"),
    ]
    for host in ["news.example.org", MIRROR_HOST]:
        for path in paths:
            response = client.get(path, HTTP_HOST=host)
            assert response["Onion-Location"] == f"{ONION}{path}", (host, path)


def test_an_arabic_address_is_sent_percent_encoded(client, hosts):
    article = ArticleFactory(slug="عودة-المياه", language="ar")
    response = client.get(article.get_absolute_url(), HTTP_HOST="news.example.org")
    assert response.status_code == 200
    assert response["Onion-Location"] == (
        f"{ONION}/ar/articles/%D8%B9%D9%88%D8%AF%D8%A9-%D8%A7%D9%84%D9%85%D9%8A%D8%A7%D9%87/"
    )


def test_the_onion_service_itself_sends_no_onion_location(client, hosts):
    ArticleFactory(slug="water-returns")
    response = client.get("/articles/water-returns/", HTTP_HOST=ONION_HOST)
    assert response.status_code == 200
    assert "Onion-Location" not in response


def test_without_an_onion_service_no_page_sends_onion_location(client, settings):
    settings.ONION_LOCATION = settings.ONION_HOST = ""
    ArticleFactory(slug="water-returns")
    for path in ["/", "/articles/water-returns/", "/lite/"]:
        response = client.get(path)
        assert response.status_code == 200
        assert "Onion-Location" not in response


def test_the_onion_service_is_never_sent_to_https(client, hosts, settings):
    settings.SECURE_SSL_REDIRECT = True
    ArticleFactory(slug="water-returns")
    assert client.get("/", HTTP_HOST=ONION_HOST).status_code == 200
    response = client.get("/", HTTP_HOST="news.example.org")
    assert response.status_code == 301
    assert response["Location"] == "https://news.example.org/"


def test_a_host_not_listed_is_refused(client, hosts):
    assert client.get("/", HTTP_HOST="elsewhere.example.com").status_code == 400


def test_feeds_name_the_main_site_wherever_they_are_read(client, hosts):
    article = ArticleFactory(slug="water-returns")
    for name in ["articles:feed", "articles:feed_atom"]:
        feed = client.get(reverse(name), HTTP_HOST=ONION_HOST).text
        assert f"https://news.example.org{article.get_absolute_url()}" in feed
        assert ONION_HOST not in feed


def test_machine_readable_addresses_name_the_host_the_page_is_read_on(client, hosts):
    article = ArticleFactory(slug="water-returns")
    html = client.get(article.get_absolute_url(), HTTP_HOST=MIRROR_HOST).text
    assert (
        '<link rel="canonical" href="https://news.example.org/articles/water-returns/">'
        in html
    )
    assert (
        f'<meta property="og:url" content="https://{MIRROR_HOST}/articles/water-returns/">'
        in html
    )
    assert html.count("news.example.org") == 1  # the canonical link alone


class Links(HTMLParser):
    """Every address a page names in an attribute, with the element's rel."""

    def __init__(self):
        super().__init__()
        self.found = []

    def handle_starttag(self, tag, attrs):
        named = dict(attrs)
        for name in ("href", "src", "action", "content"):
            if named.get(name):
                self.found.append((tag, named.get("rel"), named[name]))
        if named.get("srcset"):
            for candidate in named["srcset"].split(","):
                self.found.append((tag, None, candidate.split()[0]))


@pytest.mark.parametrize("host", [ONION_HOST, MIRROR_HOST])
def test_the_demo_read_under_a_second_host_never_links_to_the_first(
    client, hosts, host, settings
):
    """Every page reached from the front pages (full and lite, each edition),
    fetched under the onion or mirror host: every link answers there, and the
    main domain appears only as rel="canonical", nowhere else."""
    settings.SERVE_MEDIA = True
    load_demo_content(picture_size=(320, 200))
    queue, seen, pages = ["/", "/lite/", "/ar/", "/ckb/lite/"], set(), 0
    while queue:
        path = queue.pop()
        if path in seen:
            continue
        seen.add(path)
        if path.startswith(settings.STATIC_URL):
            # The proxy serves them, from collectstatic's folder.
            assert finders.find(path.removeprefix(settings.STATIC_URL)), path
            continue
        response = client.get(path, HTTP_HOST=host)
        assert response.status_code in (200, 301, 302), (path, response.status_code)
        if not response["Content-Type"].startswith("text/html"):
            continue
        pages += 1
        html = response.content.decode()
        parser = Links()
        parser.feed(html)
        main_site = [
            (tag, rel, url)
            for tag, rel, url in parser.found
            if "news.example.org" in url
        ]
        assert all(rel == "canonical" for _tag, rel, _url in main_site), (
            path,
            main_site,
        )
        assert html.count("news.example.org") == len(main_site), path
        for _tag, _rel, url in parser.found:
            parts = urlsplit(url)
            if parts.netloc == host:
                url = parts.path + (f"?{parts.query}" if parts.query else "")
            elif parts.scheme or parts.netloc or not url.startswith("/"):
                continue
            if url.startswith(("/admin/", "/accounts/")) or "comments=" in url:
                continue  # forms and sorting: not a page to read
            queue.append(url.partition("#")[0])
    assert pages > 50


def test_django_security_checks_still_run_on_the_renamed_middleware(settings):
    """Django's checks of HSTS, the HTTPS redirect and the like look for its
    middleware by name; newsroom.hosts runs them for ours."""
    from newsroom.hosts import security_middleware_check

    settings.SECURE_HSTS_SECONDS = 0
    settings.SECURE_SSL_REDIRECT = False
    found = {warning.id for warning in security_middleware_check(None)}
    assert found == {"security.W004", "security.W008"}
    settings.MIDDLEWARE = [
        name
        for name in settings.MIDDLEWARE
        if name != "newsroom.hosts.SecurityMiddleware"
    ]
    found = {warning.id for warning in security_middleware_check(None)}
    assert found == {"newsroom.W001"}


@pytest.mark.django_db(transaction=True)
def test_an_email_asked_for_on_the_onion_service_links_to_the_main_site(
    client, hosts, smtp
):
    UserFactory(username="reader", email="reader@example.org")
    response = client.post(
        "/accounts/password/reset/",
        {"email": "reader@example.org"},
        HTTP_HOST=ONION_HOST,
    )
    assert response.status_code == 302
    run_worker()
    text = smtp.text(smtp.messages[0])
    link = smtp.link(smtp.messages[0], r"https?://\S+/password/reset/key/\S+/")
    assert link.startswith("https://news.example.org/accounts/password/reset/key/")
    assert ONION_HOST not in text

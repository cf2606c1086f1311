"""deploy/nginx.conf through Debian's real nginx, in front of the live server:
anonymous pages cached and refreshed within their lifetime, served stale while
the database is down, logged-in readers and POSTs passed through, POSTs limited,
static and media files served from disk, and logs without readers' addresses.

nginx's clock cannot travel, so here pages live one second (HTTP_CACHE_S_MAXAGE)
and the tests wait for real, briefly and bounded, where a copy must expire."""

import gzip
import http.client
import re
import threading
import time
import uuid
from http.cookies import SimpleCookie
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlencode

import psycopg2
import pytest
from django.db import connection
from django.test import Client, RequestFactory
from django.urls import reverse

from articles.models import Article, Page
from articles.services import article_save, preview_token_create
from comments.models import Comment
from comments.services import comments_moderate, ip_hash
from deploy.nginx import LocalNginx, render
from newsroom.proxy import client_address
from tests.factories import (
    ArticleFactory,
    CommentFactory,
    CorrectionFactory,
    ImageFactory,
    PageFactory,
    ReaderUserFactory,
)

LIFETIME = 1  # seconds a page lives in the proxy here
# At most, for a copy to expire: nginx counts whole seconds, and a loaded machine
# answers slowly.
WAIT = 6


class Answer:
    def __init__(self, response):
        self.status = response.status
        self.headers = response.headers
        self.raw = response.read()

    @property
    def cache(self) -> str:
        return self.headers.get("X-Cache-Status", "")

    @property
    def text(self) -> str:
        if self.headers.get("Content-Encoding") == "gzip":
            return gzip.decompress(self.raw).decode()
        return self.raw.decode()


def fetch(base, path, method="GET", headers=None, body=None) -> Answer:
    host, port = base.removeprefix("http://").split(":")
    conn = http.client.HTTPConnection(host, int(port), timeout=10)
    try:
        conn.request(method, path, body=body, headers=headers or {})
        return Answer(conn.getresponse())
    finally:
        conn.close()


def until(check, seconds=WAIT):
    """Call `check` until it returns something true, for at most `seconds`."""
    deadline = time.monotonic() + seconds
    while True:
        result = check()
        if result or time.monotonic() > deadline:
            return result
        time.sleep(0.1)


@pytest.fixture
def proxy(live_server, settings, tmp_path, _media_root):
    settings.HTTP_CACHE_S_MAXAGE = LIFETIME
    settings.HTTP_CACHE_STALE_WHILE_REVALIDATE = LIFETIME
    settings.CLIENT_IP_HEADER = "X-Real-IP"
    static = tmp_path / "static"
    (static / "css").mkdir(parents=True)
    css = b"body { color: #222; }\n" * 100
    for name in ["site.css", "site.0123456789ab.css"]:
        (static / "css" / name).write_bytes(css)
    (static / "css" / "site.0123456789ab.css.gz").write_bytes(gzip.compress(css))
    upstream = live_server.url.removeprefix("http://").replace("localhost", "127.0.0.1")
    nginx = LocalNginx(
        upstream=upstream,
        static_root=static,
        media_root=_media_root,
        directory=tmp_path / "nginx",
    )
    with nginx:
        yield nginx


def test_the_configuration_has_just_two_placeholders():
    text = render(listen="80", upstream="web:8000")
    assert "${NEWSROOM_" not in text
    assert "set $newsroom_upstream web:8000;" in text
    assert "listen 80 default_server;" in text


@pytest.mark.django_db(transaction=True)
def test_anonymous_pages_are_kept_and_every_change_shows_within_their_lifetime(
    proxy, editor
):
    article = ArticleFactory(headline="Water returns to the old city")
    pending = CommentFactory(article=article, status="pending", body="Thanks, Mosul")
    draft = ArticleFactory(
        headline="Bridge reopens", status=Article.Status.DRAFT, published_at=None
    )
    url = article.get_absolute_url()
    assert fetch(proxy.url, url).cache == "MISS"
    kept = fetch(proxy.url, url)
    assert (kept.status, kept.cache) == (200, "HIT")
    assert fetch(proxy.url, "/").status == 200

    # An edit, a correction, an approved comment and a publication, as editors
    # make them.
    CorrectionFactory(article=article, text="An earlier version misnamed a street.")
    article.headline = "Water returns after weeks"
    article_save(article=article, user=editor)
    comments_moderate(
        comments=Comment.objects.filter(pk=pending.pk),
        status=Comment.Status.APPROVED,
        moderator=editor,
    )
    draft.status = Article.Status.PUBLISHED
    draft.save()

    # At once, readers still get the kept copies: the database is not asked...
    still = fetch(proxy.url, url)
    assert still.cache == "HIT" and "Water returns to the old city" in still.text
    assert "Bridge reopens" not in fetch(proxy.url, "/").text

    # ...and once a copy's lifetime is over, every change shows.
    def changed():
        page, home = fetch(proxy.url, url).text, fetch(proxy.url, "/").text
        return (
            "Water returns after weeks" in page
            and "misnamed a street" in page
            and "Thanks, Mosul" in page
            and "Bridge reopens" in home
        )

    assert until(changed), "a change did not show within the page's lifetime"


def database_down(down: bool) -> None:
    """Refuse (or allow again) new connections to the test database and end the
    live server's: to the site, PostgreSQL is down. The test's own stays."""
    name = connection.settings_dict["NAME"]
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        mine = cursor.fetchone()[0]
    params = connection.get_connection_params() | {"dbname": "postgres"}
    admin = psycopg2.connect(**params)
    admin.autocommit = True
    try:
        with admin.cursor() as cursor:
            allow = "false" if down else "true"
            cursor.execute(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS {allow}')
            if down:
                cursor.execute(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                    "WHERE datname = %s AND pid <> %s",
                    [name, mine],
                )
    finally:
        admin.close()


@pytest.mark.django_db(transaction=True)
def test_pages_are_served_stale_while_the_database_is_down(proxy, live_server):
    article = ArticleFactory(headline="Shelling near the dam")
    url = article.get_absolute_url()
    fetch(proxy.url, url)
    assert fetch(proxy.url, url).cache == "HIT"
    database_down(True)
    try:
        direct = fetch(live_server.url, url)
        assert direct.status in {500, 503}

        def stale():
            answer = fetch(proxy.url, url)
            return answer if answer.cache == "STALE" else None

        served = until(stale)
        assert served, "the proxy did not serve its copy while the database was down"
        assert served.status == 200 and "Shelling near the dam" in served.text
    finally:
        database_down(False)


def session_cookie(user) -> str:
    client = Client()
    client.force_login(user)
    return f"sessionid={client.cookies['sessionid'].value}"


@pytest.mark.django_db(transaction=True)
def test_logged_in_readers_and_posts_go_straight_through(proxy):
    article = ArticleFactory(headline="Schools reopen")
    url = article.get_absolute_url()
    fetch(proxy.url, url)
    assert fetch(proxy.url, url).cache == "HIT"

    cookie = session_cookie(ReaderUserFactory())
    mine = fetch(proxy.url, url, headers={"Cookie": cookie})
    assert mine.cache == "BYPASS"
    assert "Your account" in mine.text and "no-store" in mine.headers["Cache-Control"]
    # Nobody else ever gets the reader's page.
    for _ in range(2):
        anonymous = fetch(proxy.url, url)
        assert anonymous.cache == "HIT"
        assert "Your account" not in anonymous.text

    # The reader comments through the proxy: CSRF passes, the POST reaches Django,
    # and the comment's address hash is of the reader's address, not the proxy's.
    csrf = SimpleCookie(mine.headers["Set-Cookie"])["csrftoken"].value
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', mine.text)
    posted = fetch(
        proxy.url,
        reverse("comments:post", args=[article.slug]),
        method="POST",
        headers={
            "Cookie": f"{cookie}; csrftoken={csrf}",
            "Content-Type": "application/x-www-form-urlencoded",
            "X-Forwarded-For": "198.51.100.9",
        },
        body=urlencode(
            {
                "csrfmiddlewaretoken": token.group(1),
                "body": "Good news for the children.",
                "submission_id": str(uuid.uuid4()),
                "website": "",
            }
        ),
    )
    assert posted.status == 302, posted.text
    comment = Comment.objects.get()
    assert comment.ip_hash == ip_hash("198.51.100.9")

    # Pages that set a cookie (the log-in form's CSRF cookie) are never kept.
    for _ in range(2):
        login = fetch(proxy.url, reverse("account_login"))
        assert login.status == 200 and "csrftoken" in login.headers["Set-Cookie"]
        assert login.cache == "MISS"


@pytest.mark.django_db(transaction=True)
def test_posts_are_limited_per_address_with_a_429(proxy):
    statuses = [
        fetch(proxy.url, "/search/", method="POST", body="q=x").status
        for _ in range(30)
    ]
    # 20 at once beyond the steady rate reach Django (which wants a CSRF token),
    # then nginx answers 429 itself.
    assert statuses[:20] == [403] * 20
    assert statuses.count(429) >= 5
    limited = fetch(proxy.url, "/search/", method="POST", body="q=x")
    assert limited.status == 429 and limited.headers["Retry-After"]
    assert "wait a few seconds" in limited.text
    assert fetch(proxy.url, "/search/?q=x").status == 200  # reading is not limited
    # A mail provider's one-click unsubscribe still reaches Django (which
    # finds this link not valid), however many of its readers leave at once.
    unsubscribe = fetch(
        proxy.url, "/newsletters/unsubscribe/x/", method="POST", body="x=1"
    )
    assert unsubscribe.status == 404


@pytest.mark.django_db(transaction=True)
def test_static_and_media_files_come_from_disk_and_pages_are_compressed(proxy):
    hashed = fetch(
        proxy.url,
        "/static/css/site.0123456789ab.css",
        headers={"Accept-Encoding": "gzip"},
    )
    assert hashed.status == 200 and hashed.headers["Content-Encoding"] == "gzip"
    assert hashed.headers["Cache-Control"] == "public, max-age=31536000, immutable"
    assert "X-Cache-Status" not in hashed.headers  # nginx's own file, not gunicorn's
    plain = fetch(proxy.url, "/static/css/site.css")
    assert plain.headers["Cache-Control"] == "public, max-age=60"

    image = ImageFactory()
    for name in [image.file.name, image.renditions[0]["name"]]:
        media = fetch(proxy.url, f"/media/{name}")
        assert media.status == 200
        assert media.raw == (proxy.media_root / name).read_bytes()
        assert "immutable" in media.headers["Cache-Control"]
        assert media.headers["X-Content-Type-Options"] == "nosniff"

    url = ArticleFactory().get_absolute_url()
    compressed = fetch(proxy.url, url, headers={"Accept-Encoding": "gzip"})
    assert compressed.headers["Content-Encoding"] == "gzip"
    assert len(compressed.raw) < len(compressed.text) / 2
    # Gunicorn compresses every page it sends nginx; nginx inflates it for a
    # client that takes no gzip.
    inflated = fetch(proxy.url, url)
    assert "Content-Encoding" not in inflated.headers
    assert inflated.raw.decode() == compressed.text


@pytest.mark.django_db(transaction=True)
def test_the_access_log_has_no_addresses_queries_or_secret_links(proxy):
    article = ArticleFactory(status=Article.Status.DRAFT)
    PageFactory(kind=Page.Kind.TIPS, title="Send us a tip safely")
    token = preview_token_create(article=article)
    headers = {"X-Forwarded-For": "198.51.100.23", "User-Agent": "Phone/1.0"}
    fetch(proxy.url, reverse("articles:shared_preview", args=[token]), headers=headers)
    fetch(proxy.url, "/search/?q=checkpoint+names", headers=headers)
    # A source reading the tips page: never stored, never logged.
    tips = [fetch(proxy.url, "/tips/", headers=headers) for _ in range(2)]
    assert [answer.status for answer in tips] == [200, 200]
    assert all(answer.cache != "HIT" for answer in tips)
    assert all("Set-Cookie" not in answer.headers for answer in tips)
    assert fetch(proxy.url, "//tips/x", headers=headers).status == 404
    proxy.stop()  # flushes the log
    log = proxy.access_log.read_text()
    assert "/preview/shared/[hidden]" in log and "/search/" in log
    for secret in ["198.51.100.23", "127.0.0.1", "Phone/1.0", "checkpoint", token]:
        assert secret not in log
    assert "tips" not in log


def test_the_reader_address_header_counts_only_when_configured(settings):
    seen = []
    middleware = client_address(
        lambda request: seen.append(request.META["REMOTE_ADDR"])
    )

    def remote(header):
        request = RequestFactory().get("/", REMOTE_ADDR="10.0.0.2")
        environ = request.META
        if header is not None:
            environ["HTTP_X_REAL_IP"] = header
        middleware(request)
        return seen[-1], environ["REMOTE_ADDR"]

    settings.CLIENT_IP_HEADER = ""
    assert remote("203.0.113.5") == ("10.0.0.2", "10.0.0.2")
    settings.CLIENT_IP_HEADER = "X-Real-IP"
    # The WSGI environ keeps the proxy's address: gunicorn's log never sees a reader's.
    assert remote("203.0.113.5") == ("203.0.113.5", "10.0.0.2")
    assert remote("not an address") == ("10.0.0.2", "10.0.0.2")
    assert remote(None) == ("10.0.0.2", "10.0.0.2")


def test_the_proxy_never_keeps_an_answer_that_sets_a_cookie(tmp_path):
    """Django never marks such an answer public (newsroom/http_cache.py); were
    it ever to, nginx would still not store it. A bare upstream shows it."""

    class Upstream(BaseHTTPRequestHandler):
        def do_GET(self):
            body = self.path.encode()
            self.send_response(200)
            self.send_header("Cache-Control", "public, s-maxage=60")
            if self.path == "/with-cookie/":
                self.send_header("Set-Cookie", "sessionid=for-one-reader; HttpOnly")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    upstream = ThreadingHTTPServer(("127.0.0.1", 0), Upstream)
    thread = threading.Thread(target=upstream.serve_forever, args=(0.05,))
    thread.start()
    try:
        with LocalNginx(
            upstream=f"127.0.0.1:{upstream.server_port}",
            static_root=tmp_path,
            media_root=tmp_path,
            directory=tmp_path / "nginx",
        ) as nginx:
            plain = [fetch(nginx.url, "/plain/").cache for _ in range(2)]
            assert plain == ["MISS", "HIT"]
            with_cookie = [fetch(nginx.url, "/with-cookie/") for _ in range(2)]
            assert [answer.cache for answer in with_cookie] == ["MISS", "MISS"]
    finally:
        upstream.shutdown()
        upstream.server_close()
        thread.join()

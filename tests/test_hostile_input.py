"""Nothing a client sends answers 500: every URL pattern of the project, filled with
real values and with NUL bytes or invalid UTF-8, is fetched and posted to (fields
taken from the forms each page shows, plus the names every form here uses), as an
anonymous visitor, a confirmed reader and an editor."""

import re
from html.parser import HTMLParser
from urllib.parse import quote

import pytest
from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.test import Client
from django.urls import URLResolver, get_resolver
from taggit.models import Tag

from articles.services import preview_token_create
from readers.services import unsubscribe_token_create
from tests.factories import (
    ArticleContributorFactory,
    ArticleFactory,
    CommentFactory,
    CorrectionFactory,
    ImageFactory,
    PartnerOutletFactory,
    ReaderUserFactory,
    body_with_picture,
)

pytestmark = pytest.mark.django_db

# Put in place of every part of a path a URL pattern captures.
PATH_TOKENS = ["%00", "%C0%AF", "%FF", "%ED%A0%80"]
# Sent as every field of a form: raw, as a client may encode them.
QUERY_VALUES = ["%00", "%C0%AF%FF"]
# The names the project's and allauth's forms use, posted everywhere.
FIELD_NAMES = {
    "body",
    "parent",
    "submission_id",
    "website",
    "reason",
    "email",
    "login",
    "password",
    "password1",
    "password2",
    "oldpassword",
    "display_name",
    "notify_replies",
    "remember",
    "code",
    "key",
    "q",
    "page",
    "next",
    "action",
    "_selected_action",
    "username",
}
# Requests that end the session: the client logs in again after them.
SESSION_ENDING = {"account_logout", "logout", "delete", "account_change_password"}


class FormFields(HTMLParser):
    """The names of every field of every form on a page."""

    def __init__(self):
        super().__init__()
        self.names = set()

    def handle_starttag(self, tag, attrs):
        name = dict(attrs).get("name")
        if tag in {"input", "textarea", "select", "button"} and name:
            self.names.add(name)


def form_fields(response) -> set[str]:
    if "html" not in response.get("Content-Type", ""):
        return set()
    parser = FormFields()
    parser.feed(response.content.decode(errors="replace"))
    return parser.names - {"csrfmiddlewaretoken"}


def patterns(resolver=None, prefix=()):
    """(pieces, name) for every URL pattern: pieces are the route and regex
    strings from the root down."""
    resolver = resolver or get_resolver()
    for pattern in resolver.url_patterns:
        pieces = (*prefix, pattern.pattern)
        if isinstance(pattern, URLResolver):
            yield from patterns(pattern, pieces)
        else:
            yield pieces, pattern.name


ROUTE_PART = re.compile(r"<(?:(?P<converter>[^>:]+):)?(?P<name>[^>]+)>")


def fill(pieces, value_for) -> str:
    """A path for the pattern with every captured part given by
    value_for(name, route so far)."""
    path = ""
    for piece in pieces:
        text = str(piece)
        route = path + text
        if piece.__class__.__name__ == "RoutePattern":
            path += ROUTE_PART.sub(
                lambda m, route=route: value_for(m["name"], route), text
            )
        else:
            path += regex_fill(text, lambda name, route=route: value_for(name, route))
    return "/" + path


def regex_fill(regex: str, value_for) -> str:
    """The regex with every group replaced by value_for(its name); unnamed groups
    (django-simple-history's) are an object id, then a version id."""
    out, i, unnamed = "", 0, iter(["object_id", "history_id"])
    regex = regex.removeprefix("^").removesuffix("$")
    while i < len(regex):
        if regex[i] == "(":
            if regex.startswith("(?P<", i):
                name = regex[i + 4 : regex.index(">", i)]
            else:
                name = next(unnamed)
            depth, j = 0, i
            while True:
                depth += {"(": 1, ")": -1}.get(regex[j], 0)
                j += 1
                if depth == 0:
                    break
            out += value_for(name)
            i = j
        elif regex[i] == "\\":
            out += regex[i + 1]
            i += 2
        else:
            out += regex[i]
            i += 1
    return out


@pytest.fixture
def world(editor):
    """One of everything a URL can point at."""
    tag = Tag.objects.create(name="Water", slug="water")
    picture = ImageFactory()
    article = ArticleFactory(
        tags=[tag], partner=PartnerOutletFactory(), body=body_with_picture(picture)
    )
    credit = ArticleContributorFactory(article=article)
    CorrectionFactory(article=article)
    comment = CommentFactory(article=article)
    reader = ReaderUserFactory()
    return {
        "article": article,
        "tag": tag,
        "contributor": credit.contributor,
        "comment": comment,
        "reader": reader,
        "image": picture,
        "editor": editor,
    }


def real_value(world):
    def value_for(name, route):
        article = world["article"]
        if name == "slug":
            if route.startswith(("tags/", "feeds/tags/")):
                return world["tag"].slug
            if route.startswith("partners/"):
                return article.partner.slug
            if route.startswith("contributors/"):
                return world["contributor"].slug
            return article.slug
        if name == "pk":
            return str(world["comment"].pk if "comments" in route else article.pk)
        if name == "token":
            if "unsubscribe" in route:
                return unsubscribe_token_create(reader=world["reader"].reader)
            return preview_token_create(article=article)
        if name == "path":
            return quote(world["image"].file.name)
        if name == "content_type_id":
            return str(ContentType.objects.get_for_model(article).pk)
        if name in {"object_id", "id"}:
            match = re.match(r"admin/(\w+)/(\w+)/", route)
            if match:
                model = apps.get_model(match[1], match[2])
                first = model._default_manager.order_by("pk").first()
                return quote(str(first.pk)) if first else "1"
            return str(article.pk)
        if name == "history_id":
            return str(article.history.first().history_id)
        if name == "app_label":
            return "articles"
        if name == "url":
            return "nothing-here/"
        if name == "uidb36":
            return "1"
        return "key"

    return value_for


def requests_for(world, staff_only=False):
    """(pattern name, method, path, data, content type) for every request sent;
    with staff_only, for the pages only staff reach (the rest are as a reader's)."""
    value_for = real_value(world)
    for pieces, name in patterns():
        real = fill(pieces, value_for)
        if staff_only and not real.startswith(("/admin/", "/preview/")):
            continue
        yield name, "GET", real, None, None
        for value in QUERY_VALUES:
            query = "&".join(f"{field}={value}" for field in sorted(FIELD_NAMES))
            yield name, "GET", f"{real}?{query}", None, None
            yield name, "GET", f"{real}?q={value}", None, None
        yield name, "POST", real, "fields", None
        for value in QUERY_VALUES:
            yield name, "POST", real, value, "application/x-www-form-urlencoded"
        if any(ROUTE_PART.search(str(p)) or "(?P<" in str(p) for p in pieces):
            for token in PATH_TOKENS:
                fuzzed = fill(pieces, lambda *_, token=token: token)
                yield name, "GET", fuzzed, None, None
                yield name, "POST", fuzzed, "fields", None


def send(client, method, path, data, content_type, fields):
    if method == "GET":
        return client.get(path)
    if data == "fields":
        # multipart, as browsers send forms with files
        return client.post(path, dict.fromkeys(sorted(fields), "a\x00b"))
    body = "&".join(f"{field}={data}" for field in sorted(fields)) + f"&{data}=1"
    return client.post(path, body, content_type=content_type)


@pytest.mark.parametrize("who", ["anonymous", "reader", "editor"])
def test_no_url_or_form_answers_500_to_nul_or_invalid_utf8(who, world):
    client = Client(raise_request_exception=False)
    user = {"anonymous": None, "reader": world["reader"], "editor": world["editor"]}[
        who
    ]
    if user:
        client.force_login(user)
    page_fields = {}
    failures = []
    sent = 0
    # Deleting comes last, so that the objects stay for the other requests.
    ordered = sorted(
        requests_for(world, staff_only=who == "editor"),
        key=lambda r: "delete" in (r[2] or ""),
    )
    for name, method, path, data, content_type in ordered:
        fields = FIELD_NAMES | page_fields.get(path.split("?")[0], set())
        response = send(client, method, path, data, content_type, fields)
        sent += 1
        if method == "GET" and "?" not in path:
            page_fields[path] = form_fields(response)
        if response.status_code >= 500:
            failures.append(f"{response.status_code} {method} {path} ({name})")
        if user and name in SESSION_ENDING and method == "POST":
            client.force_login(user)
    assert sent > 500
    assert not failures, "\n".join(failures)


@pytest.mark.parametrize(
    "path",
    [
        "/articles/%00/",
        "/tags/%00/",
        "/feeds/tags/%00/",
        "/admin/articles/article/%00/change/",
    ],
)
def test_a_nul_byte_in_the_address_is_a_bad_request(client, editor, path):
    client.force_login(editor)
    response = client.get(path)
    assert response.status_code == 400
    assert "We could not understand that request" in response.text


def test_a_nul_byte_in_a_cookie_is_a_bad_request(client):
    client.cookies["sessionid"] = "a\x00" * 20
    assert client.get("/").status_code == 400


def test_a_flag_with_a_nul_byte_is_refused_with_a_message_and_stores_nothing(world):
    from comments.models import CommentFlag

    client = Client()
    client.force_login(world["reader"])
    comment = world["comment"]
    response = client.post(
        f"/comments/{comment.pk}/flag/", {"reason": "spam\x00"}, follow=True
    )
    assert response.status_code == 200
    assert "Null characters are not allowed." in response.text
    assert not CommentFlag.objects.exists()


def test_every_admin_autocomplete_survives_a_value_that_is_no_key(rf, editor):
    """Django's own autocomplete widgets answer 500 when a form comes back with
    a value that is no key; every admin form with autocomplete uses ours."""
    from django.contrib import admin

    from newsroom.admin_widgets import SafeAutocompleteMixin

    request = rf.get("/")
    request.user = editor
    unsafe = []
    for model_admin in admin.site._registry.values():
        parts = [model_admin, *model_admin.get_inline_instances(request)]
        for part in parts:
            if part.autocomplete_fields and not isinstance(part, SafeAutocompleteMixin):
                unsafe.append(type(part).__name__)
    assert unsafe == []

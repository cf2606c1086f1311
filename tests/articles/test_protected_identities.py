"""Pseudonymous and withheld contributors: nothing of their profile (internal name,
role, bio, photo, links) appears on any public page, feed, sitemap, JSON-LD, search
result or comment section, and no stored handle that reaches an address carries
their name."""

import re
from pathlib import Path

import pytest
from django.core.management import call_command
from django.urls import reverse

from articles.models import Article
from articles.services import preview_token_create
from contributors.models import NEUTRAL_SLUG, Contributor
from tests.factories import (
    ArticleContributorFactory,
    ArticleFactory,
    CommentFactory,
    ContributorFactory,
    CorrectionFactory,
    ImageFactory,
    PartnerOutletFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def protected(identity, name, role, bio, website, **fields):
    return ContributorFactory(
        name=name,
        slug=re.sub(r"\W+", "-", name.lower()),
        identity=identity,
        role=role,
        bio=bio,
        website=website,
        photo=ImageFactory(caption="", alt_text="", credit=""),
        **fields,
    )


def image_handles(image):
    """Every address and file name of a picture."""
    urls = [image.file.url, Path(image.file.name).stem]
    for kind in ("full", "card"):
        for sources in image.sources(kind).values():
            urls += [url for url, _width, _height in sources]
    return urls


@pytest.fixture
def newsroom():
    """A withheld and a pseudonymous contributor credited with no role of their
    own on a syndicated report, beside a named one; a reader's and an editor's
    comments."""
    withheld = protected(
        Contributor.Identity.WITHHELD,
        "Zubaida Qassem-Tahir",
        "Fixer in Tal Afar",
        "Lives near the Qadisiya bridge",
        "https://zubaida-private.example.org/",
    )
    pen = protected(
        Contributor.Identity.PSEUDONYM,
        "Haval Barzani-Rekani",
        "Columnist on the Zab river",
        "Farms near Makhmour",
        "https://haval-private.example.org/",
        pseudonym="Nour al-Furat",
    )
    named = ContributorFactory(name="Layla Haddad", slug="layla-haddad")
    article = ArticleFactory(
        headline="Water returns to the old city",
        tags=["Mosul"],
        partner=PartnerOutletFactory(slug="tigris"),
        original_url="https://partner.example.org/water",
        lead_image=ImageFactory(),
    )
    for position, person in enumerate([withheld, pen, named]):
        ArticleContributorFactory(
            article=article, contributor=person, role="", position=position
        )
    other = ArticleFactory(tags=["Mosul"])
    ArticleContributorFactory(article=other, contributor=withheld, role="Reporting")
    CorrectionFactory(article=article, text="An earlier version misdated the flood.")
    CommentFactory(article=article, body="Thank you for this.")
    editor_user = UserFactory(is_staff=True)
    CommentFactory(article=article, author=editor_user, body="We will follow up.")
    Article.objects.update_search_vectors()
    return {"withheld": withheld, "pen": pen, "named": named, "article": article}


def secrets_of(contributor, old_slug):
    words = [part for part in re.split(r"[\s-]+", contributor.name) if part]
    return [
        contributor.name,
        *words,
        old_slug,
        contributor.role,
        contributor.bio,
        contributor.website,
        contributor.website.split("//")[1].rstrip("/"),
        *image_handles(contributor.photo),
    ]


def public_pages(newsroom):
    article, named = newsroom["article"], newsroom["named"]
    token = preview_token_create(article=article)
    return [
        reverse("articles:home"),
        article.get_absolute_url(),
        reverse("articles:tag", args=["mosul"]),
        reverse("articles:partner", args=["tigris"]),
        named.get_absolute_url(),
        reverse("articles:contributor_feed", args=[named.slug]),
        reverse("articles:corrections"),
        reverse("articles:search") + "?q=water",
        reverse("articles:search") + "?q=Mosul",
        reverse("articles:feed"),
        reverse("articles:feed_atom"),
        reverse("articles:tag_feed", args=["mosul"]),
        reverse("articles:corrections_feed"),
        reverse("sitemap"),
        "/robots.txt",
        reverse("articles:shared_preview", args=[token]),
    ]


def test_no_public_page_shows_anything_of_a_protected_contributor(client, newsroom):
    withheld, pen = newsroom["withheld"], newsroom["pen"]
    secrets = secrets_of(withheld, "zubaida-qassem-tahir") + secrets_of(
        pen, "haval-barzani-rekani"
    )
    pages = public_pages(newsroom)
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        text = response.content.decode().lower()
        for secret in secrets:
            assert secret.lower() not in text, (url, secret)

    article_page = client.get(newsroom["article"].get_absolute_url()).text
    # What the page does show: the bylines, the named contributor's own role,
    # both comments (the editor's under the staff label).
    assert "Name withheld for safety" in article_page
    assert "Nour al-Furat" in article_page
    assert "Layla Haddad" in article_page
    assert "Thank you for this." in article_page
    assert "The editors" in article_page
    # Their own article credit role is the newsroom's to show.
    other = withheld.articles.exclude(pk=newsroom["article"].pk).get()
    assert "(Reporting)" in client.get(other.get_absolute_url()).text


def test_search_for_a_protected_name_finds_nothing(client, newsroom):
    for name in ["Zubaida", "Qassem-Tahir", "Barzani", "Tal Afar", "Makhmour"]:
        response = client.get(reverse("articles:search"), {"q": name})
        assert list(response.context["articles"]) == [], name


def test_protected_contributors_have_no_page_or_feed(client, newsroom):
    for person in [newsroom["withheld"], newsroom["pen"]]:
        for name in ["articles:contributor", "articles:contributor_feed"]:
            assert client.get(reverse(name, args=[person.slug])).status_code == 404


def test_the_leak_that_was_found_the_profile_role_under_an_empty_credit(
    client, newsroom
):
    html = client.get(newsroom["article"].get_absolute_url()).text
    about = html[html.index('class="about-contributors"') :]
    assert "Fixer in Tal Afar" not in about
    assert "Columnist on the Zab river" not in about
    assert "Reporter" in about  # the named contributor's own role is shown


@pytest.mark.parametrize(
    "identity", [Contributor.Identity.WITHHELD, Contributor.Identity.PSEUDONYM]
)
def test_protected_contributors_get_a_neutral_slug_whatever_was_typed(identity):
    person = Contributor.objects.create(
        name="Zubaida Qassem-Tahir",
        slug="zubaida-qassem-tahir",
        identity=identity,
        pseudonym="Nour al-Furat",
    )
    assert NEUTRAL_SLUG.match(person.slug)
    first = person.slug
    person.role = "Fixer"
    person.save()
    assert person.slug == first  # stable once neutral
    person.slug = "zubaida"
    person.save(update_fields=["slug"])
    person.refresh_from_db()
    assert NEUTRAL_SLUG.match(person.slug)


def test_a_named_contributor_gets_a_slug_from_the_name():
    first = Contributor.objects.create(name="Layla Haddad")
    second = Contributor.objects.create(name="Layla Haddad")
    assert (first.slug, second.slug) == ("layla-haddad", "layla-haddad-2")


def test_a_named_contributor_made_withheld_loses_the_address(client, editor):
    person = ContributorFactory(name="Omar Saleh", slug="omar-saleh")
    ArticleContributorFactory(contributor=person)
    old = person.get_absolute_url()
    old_feed = reverse("articles:contributor_feed", args=["omar-saleh"])
    assert client.get(old).status_code == 200

    admin = client
    admin.force_login(editor)
    change = reverse("admin:contributors_contributor_change", args=[person.pk])
    response = admin.post(
        change,
        {
            "name": "Omar Saleh",
            "slug": "omar-saleh",
            "identity": "withheld",
            "pseudonym": "",
            "role": "Photographer",
            "bio": "",
            "website": "",
        },
    )
    assert response.status_code == 302
    person.refresh_from_db()
    assert NEUTRAL_SLUG.match(person.slug)
    admin.logout()
    # The old address and feed answer 404: no redirect that would say where the
    # person went, and nothing at the new one either.
    for url in [old, old_feed, person.get_absolute_url()]:
        response = client.get(url)
        assert response.status_code == 404, url
        assert "Location" not in response


def test_the_admin_does_not_prefill_the_slug_from_the_name(client, editor):
    client.force_login(editor)
    html = client.get(reverse("admin:contributors_contributor_add")).text
    prepopulated = re.search(r'data-prepopulated-fields="([^"]*)"', html)
    assert prepopulated is None or "slug" not in prepopulated.group(1)
    response = client.post(
        reverse("admin:contributors_contributor_add"),
        {
            "name": "Zubaida Qassem-Tahir",
            "slug": "",
            "identity": "withheld",
            "pseudonym": "",
            "role": "",
            "bio": "",
            "website": "",
        },
    )
    assert response.status_code == 302
    assert NEUTRAL_SLUG.match(Contributor.objects.get().slug)


def test_slugs_made_from_names_before_are_replaced_by_the_migration(newsroom):
    Contributor.objects.filter(pk=newsroom["withheld"].pk).update(
        slug="zubaida-qassem-tahir"
    )
    call_command("migrate", "contributors", "0001", verbosity=0)
    call_command("migrate", "contributors", verbosity=0)
    assert NEUTRAL_SLUG.match(Contributor.objects.get(pk=newsroom["withheld"].pk).slug)
    assert Contributor.objects.get(pk=newsroom["named"].pk).slug == "layla-haddad"

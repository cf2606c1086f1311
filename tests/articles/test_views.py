import json
import re
from datetime import timedelta

import pytest
import time_machine
from django.core import signing
from django.urls import reverse
from django.utils import timezone
from taggit.models import Tag

from articles.models import Article, Page
from articles.services import (
    article_revoke_previews,
    article_save,
    preview_token_create,
)
from contributors.models import Contributor
from newsroom.fragments import forget
from tests.factories import (
    ArticleContributorFactory,
    ArticleFactory,
    CallToActionFactory,
    ContributorFactory,
    CorrectionFactory,
    ImageFactory,
    PageFactory,
    PartnerOutletFactory,
    SectionFactory,
    body_with_picture,
)

pytestmark = pytest.mark.django_db


def full_article(*, tags=10, contributors=3, corrections=3, related=5):
    """An article with every part of the page filled in."""
    tag_names = [f"tag {n}" for n in range(tags)]
    article = ArticleFactory(
        headline="Rebuilding the old city",
        lead_image=ImageFactory(),
        partner=PartnerOutletFactory(),
        original_url="https://partner.example.org/original-report",
        body=body_with_picture(
            ImageFactory(),
            after="<blockquote><p>A pull quote.</p></blockquote><p>Two.</p>",
        ),
        tags=tag_names,
    )
    for position in range(contributors):
        ArticleContributorFactory(
            article=article,
            position=position,
            contributor=ContributorFactory(photo=ImageFactory()),
        )
    for _ in range(corrections):
        CorrectionFactory(article=article)
    for _ in range(related):
        ArticleFactory(tags=tag_names[:2], lead_image=ImageFactory())
    CallToActionFactory()
    return article


def strip_json_ld(html):
    return re.sub(
        r'<script type="application/ld\+json">.*?</script>', "", html, flags=re.S
    )


def json_ld(response):
    match = re.search(
        r'<script type="application/ld\+json">(.*?)</script>', response.text, re.S
    )
    return json.loads(match.group(1))


def test_article_page_shows_every_part(client):
    article = full_article()
    response = client.get(article.get_absolute_url())
    assert response.status_code == 200
    html = response.text
    assert "<h1" in html and "Rebuilding the old city" in html
    assert "<blockquote><p>A pull quote.</p></blockquote>" in html
    assert html.count("<figure") == 2  # lead image and the inline image
    assert "Originally published by" in html
    assert 'href="https://partner.example.org/original-report"' in html
    assert (
        '<link rel="canonical" href="https://partner.example.org/original-report">'
        in html
    )
    assert "About the contributors" in html
    assert "See other posts related to" in html
    assert html.count('class="tag"') == 10
    assert "Corrections and updates" in html
    assert "Be the first to comment" in html
    assert "Related posts" in html
    assert "Support our reporting" in html and "https://wa.me/?" in html


def test_article_query_budget_stays_constant_as_data_grows(
    client, django_assert_num_queries
):
    small = full_article(tags=1, contributors=1, corrections=1, related=1)
    large = full_article()
    # The article's version (its row without the body) and the versions of the
    # kept parts of pages (newsroom/fragments.py); then, the first time a process
    # shows it: the article with its partner, section and lead image, bylines,
    # tags, corrections, inline images, related articles, the call to action,
    # comments, the site's identity, sections and trust pages (header, footer,
    # JSON-LD), and the next scheduled publication (no cached copy may outlive
    # it). Afterwards the two versions alone.
    for article in [small, large]:
        forget()
        with django_assert_num_queries(15):
            client.get(article.get_absolute_url())
        with django_assert_num_queries(2):
            client.get(article.get_absolute_url())


@pytest.mark.parametrize("count", [3, 30])
def test_listing_query_budgets(client, django_assert_num_queries, count):
    tag = Tag.objects.create(name="Mosul", slug="mosul")
    contributor = ContributorFactory()
    for _ in range(count):
        article = ArticleFactory(lead_image=ImageFactory(), tags=[tag])
        ArticleContributorFactory(article=article, contributor=contributor)
    # The versions of the kept parts of pages; a page of cards (no count: keyset
    # pages); a tag or contributor page looks its owner up first; the site's
    # identity, sections and trust pages, and the next scheduled publication
    # (for the cache headers), both kept after the first page.
    for url, queries in [
        (reverse("articles:latest"), 6),
        (reverse("articles:tag", args=["mosul"]), 3),
        (contributor.get_absolute_url(), 3),
    ]:
        with django_assert_num_queries(queries):
            assert client.get(url).status_code == 200


def test_json_ld_names_partner_corrections_and_named_people_only(client):
    article = full_article(contributors=0)
    named = ContributorFactory(name="Layla Haddad")
    hidden = ContributorFactory(name="Secret Person", identity="withheld")
    ArticleContributorFactory(article=article, contributor=named, position=0)
    ArticleContributorFactory(article=article, contributor=hidden, position=1)
    data = json_ld(client.get(article.get_absolute_url()))
    assert data["@type"] == "NewsArticle"
    assert data["author"] == [
        {
            "@type": "Person",
            "name": "Layla Haddad",
            # On the host the page was read on (the test client's).
            "url": "http://testserver" + named.get_absolute_url(),
        }
    ]
    assert data["sourceOrganization"]["name"] == article.partner.name
    assert data["isBasedOn"] == "https://partner.example.org/original-report"
    assert len(data["correction"]) == 3
    assert data["correction"][0]["@type"] == "CorrectionComment"


def test_a_withheld_contributor_leaks_nowhere(client):
    secret = ContributorFactory(
        name="Zainab Real-Name",
        slug="zainab-real-name",
        identity=Contributor.Identity.WITHHELD,
        bio="Lives on Faruq Street",
        website="https://zainab.example.org",
        photo=ImageFactory(),
    )
    article = ArticleFactory(tags=["Mosul"])
    ArticleContributorFactory(article=article, contributor=secret)
    Article.objects.update_search_vectors()

    assert (
        client.get(reverse("articles:contributor", args=[secret.slug])).status_code
        == 404
    )
    assert (
        client.get(reverse("articles:contributor_feed", args=[secret.slug])).status_code
        == 404
    )
    pages = [
        article.get_absolute_url(),
        reverse("articles:home"),
        reverse("articles:tag", args=["mosul"]),
        reverse("articles:feed"),
        reverse("articles:feed_atom"),
        reverse("articles:tag_feed", args=["mosul"]),
        reverse("sitemap"),
        "/sitemap-articles.xml",
        "/sitemap-tags.xml",
        "/sitemap-contributors.xml",
        "/sitemap-news.xml",
        reverse("articles:search") + "?q=Mosul",
    ]
    for url in pages:
        html = client.get(url).content.decode()
        for leak in ["Zainab", "zainab", "Faruq Street", secret.photo.file.url]:
            assert leak not in html, (url, leak)
    assert "Name withheld for safety" in client.get(article.get_absolute_url()).text
    found = client.get(reverse("articles:search"), {"q": "Zainab"}).context["articles"]
    assert list(found) == []


def test_pseudonymous_contributor_is_shown_by_pseudonym_only(client):
    pen = ContributorFactory(
        name="Real Name Here", identity="pseudonym", pseudonym="Nour al-Furat"
    )
    article = ArticleFactory()
    ArticleContributorFactory(article=article, contributor=pen)
    html = client.get(article.get_absolute_url()).text
    assert "Nour al-Furat" in html
    assert "Real Name Here" not in html
    assert '"Person"' not in html


def test_content_warning_and_flagged_image_need_a_choice(client):
    flagged = ImageFactory(content_warning="Graphic violence")
    article = ArticleFactory(lead_image=flagged, content_warning="Graphic descriptions")
    html = client.get(article.get_absolute_url()).text
    assert html.index("Content warning:") < html.index('class="article__body"')
    assert '<details class="sensitive">' in html
    assert 'property="og:image"' not in html
    listing = client.get(reverse("articles:home")).text
    assert flagged.file.url not in listing


@time_machine.travel("2026-03-14 12:00 +0000", tick=False)
def test_arabic_article_is_right_to_left(client):
    article = ArticleFactory(
        language="ar",
        headline="في الموصل",
        slug="في-الموصل",
        published_at=timezone.now() - timedelta(days=1),
    )
    response = client.get(article.get_absolute_url())
    assert response.status_code == 200
    assert '<article class="article" lang="ar" dir="rtl">' in response.text
    assert "13 مارس 2026" in response.text  # the date in Arabic


def test_public_pages_carry_a_strict_content_security_policy(client):
    article = full_article()
    policy = client.get(article.get_absolute_url())["Content-Security-Policy"]
    assert "default-src 'none'" in policy
    assert "script-src" not in policy  # no script at all
    # The admin has its own policy (tests/test_staff_access.py).
    admin_policy = client.get("/admin/login/")["Content-Security-Policy"]
    assert "script-src 'self'" in admin_policy


def test_public_pages_have_no_inline_script_style_or_handlers_and_no_other_hosts(
    client,
):
    article = full_article()
    section = SectionFactory(slug="iraq")
    Article.objects.filter(pk=article.pk).update(section=section)
    for kind in Page.Kind:
        PageFactory(kind=kind)
    urls = [
        reverse("articles:home"),
        reverse("articles:latest"),
        section.get_absolute_url(),
        *[page.get_absolute_url() for page in Page.objects.all()],
        article.get_absolute_url(),
        reverse("articles:tag", args=[article.tag_list[0].slug]),
        article.article_contributors.first().contributor.get_absolute_url(),
        article.partner.get_absolute_url(),
        reverse("articles:corrections"),
        reverse("articles:search") + "?q=old+city",
        reverse("account_signup"),
        reverse("account_login"),
        reverse("account_reset_password"),
    ]
    for url in urls:
        html = strip_json_ld(client.get(url).text)
        assert "<script" not in html, url
        assert "<style" not in html, url
        assert not re.search(r"\sstyle=", html), url
        assert not re.search(r"\son[a-z]+=", html), url
        for tag in re.findall(r"<(?:img|link|script|iframe|source)\b[^>]*>", html):
            src = re.search(r'(?:src|href)="([^"]*)"', tag)
            if src and "canonical" not in tag:
                assert not re.match(r"(https?:)?//", src.group(1)), (url, tag)


@pytest.mark.parametrize(
    "url",
    [
        "/articles/no-such-article/",
        "/tags/no-such-tag/",
        "/contributors/no-such-person/",
        "/partners/no-such-partner/",
        "/feeds/tags/no-such-tag/",
        "/contributors/no-such-person/feed/",
        "/latest/?before=abc",
        "/latest/?after=-1",
        "/latest/?before=99999999",
        "/latest/?before=1" + "0" * 30,
        "/corrections/?before=x",
        "/archive/2024/13/",
        "/archive/0/1/",
        "/search/?q=water&page=abc",
    ],
)
def test_unknown_things_answer_404_not_500(client, url):
    ArticleFactory()
    assert client.get(url).status_code == 404


@pytest.mark.parametrize(
    "query",
    ["", "   ", "\x00", "water\x00; DROP TABLE", "x" * 5000, "«»!@#$%^&*()'\"", "-"],
)
def test_search_is_safe_with_any_input(client, query):
    ArticleFactory(headline="Water")
    Article.objects.update_search_vectors()
    response = client.get(reverse("articles:search"), {"q": query})
    assert response.status_code == 200


def test_search_finds_published_articles_only(client):
    ArticleFactory(headline="Water in the desert", slug="water")
    ArticleFactory(headline="Water draft", status=Article.Status.DRAFT)
    Article.objects.update_search_vectors()
    response = client.get(reverse("articles:search"), {"q": "water"})
    assert list(response.context["articles"]) == [Article.objects.get(slug="water")]


def test_drafts_and_future_schedules_are_not_public(client):
    draft = ArticleFactory(status=Article.Status.DRAFT)
    future = ArticleFactory(
        status=Article.Status.SCHEDULED,
        published_at=timezone.now() + timedelta(hours=1),
    )
    for article in (draft, future):
        assert client.get(article.get_absolute_url()).status_code == 404


def test_changed_slug_answers_301_to_the_new_address(client):
    article = ArticleFactory(slug="old-address")
    article.slug = "new-address"
    article_save(article=article)
    response = client.get("/articles/old-address/")
    assert response.status_code == 301
    assert response["Location"] == "/articles/new-address/"
    # Renaming back leaves no redirect loop.
    article.slug = "old-address"
    article_save(article=article)
    assert client.get("/articles/old-address/").status_code == 200
    assert client.get("/articles/new-address/").status_code == 301


def test_staff_preview_shows_a_draft_with_noindex(client, editor, writer):
    draft = ArticleFactory(status=Article.Status.DRAFT, headline="Secret draft")
    url = reverse("articles:preview", args=[draft.pk])
    assert client.get(url).status_code == 302  # to the admin login
    client.force_login(editor)
    response = client.get(url)
    assert response.status_code == 200
    assert "Secret draft" in response.text
    assert '<meta name="robots" content="noindex, nofollow">' in response.text


def test_shared_preview_link_works_then_fails_when_tampered_expired_or_revoked(
    client, settings
):
    draft = ArticleFactory(status=Article.Status.DRAFT, headline="Draft for review")
    token = preview_token_create(article=draft)
    url = reverse("articles:shared_preview", args=[token])
    response = client.get(url)
    assert response.status_code == 200
    assert "Draft for review" in response.text
    assert response["X-Robots-Tag"] == "noindex, nofollow"

    tampered = reverse("articles:shared_preview", args=[token[:-2] + "xx"])
    assert client.get(tampered).status_code == 404
    forged = signing.dumps({"article": draft.pk, "key": "guess"}, salt="wrong")
    assert (
        client.get(reverse("articles:shared_preview", args=[forged])).status_code == 404
    )

    settings.PREVIEW_LINK_MAX_AGE_DAYS = 0
    assert client.get(url).status_code == 404
    settings.PREVIEW_LINK_MAX_AGE_DAYS = 7

    article_revoke_previews(article=draft)
    response = client.get(url)
    assert response.status_code == 404


def test_feeds_sitemap_and_robots(client):
    article = full_article()
    for name in ["articles:feed", "articles:feed_atom", "articles:corrections_feed"]:
        response = client.get(reverse(name))
        assert response.status_code == 200
        assert article.headline in response.text
    index = client.get(reverse("sitemap")).text
    assert "/sitemap-articles.xml" in index and "/sitemap-news.xml" in index
    sitemap = client.get("/sitemap-articles.xml").text
    assert article.get_absolute_url() in sitemap
    robots = client.get("/robots.txt")
    assert robots["Content-Type"].startswith("text/plain")
    assert "Sitemap: http://127.0.0.1:8000/sitemap.xml" in robots.text


def test_corrections_page_lists_public_corrections_only(client):
    visible = CorrectionFactory(text="We misspelled the street.")
    CorrectionFactory(
        text="Hidden correction.", article=ArticleFactory(status=Article.Status.DRAFT)
    )
    html = client.get(reverse("articles:corrections")).text
    assert visible.text in html
    assert "Hidden correction." not in html

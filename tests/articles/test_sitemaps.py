"""Sitemaps that search engines accept at any size."""

import xml.etree.ElementTree as ET
from datetime import timedelta

import pytest
from django.utils import timezone

import articles.sitemaps
from contributors.models import Contributor
from tests.factories import (
    ArticleContributorFactory,
    ArticleFactory,
    ContributorFactory,
)

pytestmark = pytest.mark.django_db

SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
NEWS = "{http://www.google.com/schemas/sitemap-news/0.9}"


def locations(client, path):
    response = client.get(path)
    assert response.status_code == 200, path
    root = ET.fromstring(response.content)
    return [loc.text for loc in root.iter(f"{SITEMAP}loc")]


def test_an_index_of_parts_none_longer_than_the_part_size(client, monkeypatch):
    for sitemap in (articles.sitemaps.ArticleSitemap, articles.sitemaps.TagSitemap):
        monkeypatch.setattr(sitemap, "limit", 3)
    made = [ArticleFactory(tags=[f"tag {n}"]) for n in range(7)]
    ArticleFactory(status="draft", tags=["draft only"])
    parts = [loc.split("testserver")[1] for loc in locations(client, "/sitemap.xml")]
    assert parts == [
        "/sitemap-articles.xml",
        "/sitemap-articles.xml?p=2",
        "/sitemap-articles.xml?p=3",
        "/sitemap-tags.xml",
        "/sitemap-tags.xml?p=2",
        "/sitemap-tags.xml?p=3",
        "/sitemap-contributors.xml",
        "/sitemap-sections.xml",
        "/sitemap-pages.xml",
        "/sitemap-news.xml",
    ]
    listed = []
    for part in parts[:3]:
        found = locations(client, part)
        assert 1 <= len(found) <= 3
        listed += found
    # Oldest first, so a part keeps its addresses as new reports join the last.
    expected = sorted(made, key=lambda a: (a.published_at, a.pk))
    assert listed == [f"http://testserver{a.get_absolute_url()}" for a in expected]
    tags = [url for part in parts[3:6] for url in locations(client, part)]
    assert len(tags) == 7 and not any("draft-only" in url for url in tags)
    assert client.get("/sitemap-articles.xml?p=4").status_code == 404


def test_the_news_sitemap_lists_the_last_two_days_with_what_google_asks(client):
    fresh = ArticleFactory(
        headline="Water returns to the old city",
        language="ar",
        published_at=timezone.now() - timedelta(hours=30),
    )
    ArticleFactory(published_at=timezone.now() - timedelta(days=3))
    response = client.get("/sitemap-news.xml")
    root = ET.fromstring(response.content)
    urls = root.findall(f"{SITEMAP}url")
    assert [u.find(f"{SITEMAP}loc").text for u in urls] == [
        f"http://testserver{fresh.get_absolute_url()}"
    ]
    news = urls[0].find(f"{NEWS}news")
    assert news.find(f"{NEWS}publication/{NEWS}name").text == "Newsroom"
    assert news.find(f"{NEWS}publication/{NEWS}language").text == "ar"
    assert news.find(f"{NEWS}title").text == "Water returns to the old city"
    assert news.find(f"{NEWS}publication_date").text.startswith(
        fresh.published_at.date().isoformat()
    )


def test_only_named_contributors_with_a_published_report_are_listed(client):
    named = ContributorFactory(slug="layla-haddad")
    ArticleContributorFactory(contributor=named)
    for identity in (Contributor.Identity.WITHHELD, Contributor.Identity.PSEUDONYM):
        hidden = ContributorFactory(identity=identity, pseudonym="Pen Name")
        ArticleContributorFactory(contributor=hidden)
    ArticleContributorFactory(article=ArticleFactory(status="draft"))
    assert locations(client, "/sitemap-contributors.xml") == [
        f"http://testserver{named.get_absolute_url()}"
    ]

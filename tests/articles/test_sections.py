"""Sections: defined by editors, in their order; an article's section in its
breadcrumb (visible and BreadcrumbList), its JSON-LD, section pages, feeds and
the sitemap."""

import json
import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from articles.models import Article, Section
from tests.factories import ArticleFactory, ImageFactory, SectionFactory

pytestmark = pytest.mark.django_db


def json_ld_blocks(html):
    return [
        json.loads(block)
        for block in re.findall(
            r'<script type="application/ld\+json">(.*?)</script>', html, re.S
        )
    ]


def test_the_header_lists_the_sections_in_the_editors_order(client):
    SectionFactory(name="Syria", slug="syria", position=2)
    SectionFactory(name="Iraq", slug="iraq", position=1)
    SectionFactory(name="Archive", slug="archive", position=0, in_navigation=False)
    html = client.get(reverse("articles:latest")).text
    nav = html.split('class="sections-nav"', 1)[1].split("</nav>", 1)[0]
    assert re.findall(r">([^<]+)</a>", nav) == ["Iraq", "Syria"]


def test_a_section_page_lists_its_published_reports_and_marks_its_link(client):
    iraq = SectionFactory(name="Iraq", slug="iraq")
    syria = SectionFactory(name="Syria", slug="syria")
    ArticleFactory(headline="In Mosul", section=iraq)
    ArticleFactory(headline="In Raqqa", section=syria)
    ArticleFactory(headline="Draft in Basra", section=iraq, status="draft")
    response = client.get(iraq.get_absolute_url())
    assert [a.headline for a in response.context["articles"]] == ["In Mosul"]
    assert '<a href="/sections/iraq/" dir="auto" aria-current="page">Iraq</a>' in (
        response.text
    )
    assert client.get("/sections/nowhere/").status_code == 404


def test_section_page_query_budget(client, django_assert_num_queries):
    section = SectionFactory(slug="iraq")
    for _ in range(8):
        ArticleFactory(section=section, lead_image=ImageFactory())
    # The versions of the kept parts of pages; the section; a page of cards
    # with their pictures and sections (keyset pages: no count); the identity,
    # navigation and trust pages; the next scheduled publication.
    with django_assert_num_queries(7):
        assert client.get(section.get_absolute_url()).status_code == 200
    # The site's chrome and the next scheduled publication are kept.
    with django_assert_num_queries(3):
        assert client.get(section.get_absolute_url()).status_code == 200


def test_the_article_names_its_section_in_the_breadcrumb_and_json_ld(client):
    section = SectionFactory(name="Iraq", slug="iraq")
    article = ArticleFactory(headline="In Mosul", section=section)
    html = client.get(article.get_absolute_url()).text
    crumbs = html.split('class="breadcrumbs"', 1)[1].split("</nav>", 1)[0]
    assert re.findall(r'<a href="([^"]+)"', crumbs) == ["/", "/sections/iraq/"]
    news, trail = json_ld_blocks(html)
    assert news["articleSection"] == "Iraq"
    assert trail["@type"] == "BreadcrumbList"
    assert [(item["position"], item["name"]) for item in trail["itemListElement"]] == [
        (1, "Newsroom"),
        (2, "Iraq"),
        (3, "In Mosul"),
    ]
    assert trail["itemListElement"][1]["item"].endswith("/sections/iraq/")


def test_an_article_without_a_section_still_reads(client):
    article = ArticleFactory(section=None)
    html = client.get(article.get_absolute_url()).text
    news, trail = json_ld_blocks(html)
    assert "articleSection" not in news
    assert len(trail["itemListElement"]) == 2


def test_section_feed_and_sitemap(client):
    section = SectionFactory(name="Iraq", slug="iraq", description="From Iraq.")
    ArticleFactory(headline="In Mosul", section=section)
    ArticleFactory(headline="Elsewhere")
    SectionFactory(slug="empty")
    feed = client.get(reverse("articles:section_feed", args=["iraq"])).content.decode()
    assert "<title>Newsroom: Iraq</title>" in feed
    assert "<description>From Iraq.</description>" in feed
    assert "In Mosul" in feed and "Elsewhere" not in feed
    assert "<category>Iraq</category>" in feed
    sitemap = client.get("/sitemap-sections.xml").content.decode()
    assert "/sections/iraq/" in sitemap and "/sections/empty/" not in sitemap
    assert client.get("/feeds/sections/nowhere/").status_code == 404


def test_a_new_article_starts_in_the_first_section(client, editor):
    SectionFactory(name="Syria", slug="syria", position=2)
    iraq = SectionFactory(name="Iraq", slug="iraq", position=1)
    client.force_login(editor)
    form = client.get(reverse("admin:articles_article_add")).context["adminform"].form
    assert form.initial["section"] == iraq.pk


def test_a_restore_brings_the_section_back_unless_it_was_deleted(editor):
    from articles.services import article_restore, article_save

    iraq, syria = SectionFactory(), SectionFactory()
    article = ArticleFactory(section=iraq)
    first = article.history.latest()
    article.section = syria
    article_save(article=article, user=editor)
    article_restore(article=article, version=first, user=editor)
    assert Article.objects.get(pk=article.pk).section == iraq

    article.section = syria
    article_save(article=article, user=editor)
    version = article.history.latest()
    article.section = iraq
    article_save(article=article, user=editor)
    Article.objects.filter(pk=article.pk).update(section=None)
    Section.objects.filter(pk=syria.pk).delete()
    restored = article_restore(article=article, version=version, user=editor)
    assert "the section, deleted since" in restored.left_out


def test_sections_keep_their_reports_listed_newest_first(client):
    section = SectionFactory(slug="iraq")
    now = timezone.now()
    for hours in (5, 1, 3):
        ArticleFactory(
            section=section, published_at=now - timedelta(hours=hours), slug=f"a{hours}"
        )
    response = client.get(section.get_absolute_url())
    assert [a.slug for a in response.context["articles"]] == ["a1", "a3", "a5"]

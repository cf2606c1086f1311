"""Reaching any report in a long archive: keyset pages, months, search and
related posts that cost the same whatever the archive's size."""

import random
import re
from datetime import UTC, datetime, timedelta

import pytest
from django.db.models import Count
from django.urls import reverse
from django.utils import timezone

import articles.models
import articles.views
from articles.models import Article, TaggedArticle
from tests.factories import ArticleFactory, CorrectionFactory

pytestmark = pytest.mark.django_db


def cards(response):
    return [article.pk for article in response.context["articles"]]


def follow(client, url, rel):
    """The pages reached by following rel="next" (or "prev") links from `url`."""
    pages = []
    while url:
        response = client.get(url)
        assert response.status_code == 200
        pages.append(response)
        link = re.search(rf'<a rel="{rel}" href="([^"]+)"', response.text)
        url = link and link.group(1).replace("&amp;", "&")
        if url and url.startswith("?"):
            url = response.request["PATH_INFO"] + url
    return pages


def test_older_links_reach_every_report_once_and_newer_links_come_back(
    client, settings
):
    settings.ARTICLES_PER_PAGE = 4
    now = timezone.now()
    made = [ArticleFactory(published_at=now - timedelta(hours=n)) for n in range(11)]
    # Two reports at the same second still both appear: pages are keyed on
    # (time, id), not time alone.
    twin = ArticleFactory(published_at=made[5].published_at)
    ArticleFactory(status=Article.Status.DRAFT)

    pages = follow(client, "/latest/", "next")
    seen = [pk for page in pages for pk in cards(page)]
    expected = list(
        Article.objects.published()
        .order_by("-published_at", "-pk")
        .values_list("pk", flat=True)
    )
    assert seen == expected and twin.pk in seen
    assert [len(cards(page)) for page in pages] == [4, 4, 4]
    assert "Older" not in pages[-1].text.split('class="pagination"')[-1]

    back = follow(
        client,
        pages[-1].request["PATH_INFO"] + "?" + pages[-1].request["QUERY_STRING"],
        "prev",
    )
    assert [cards(page) for page in back] == [cards(page) for page in reversed(pages)]


def test_tag_pages_page_through_their_own_reports_only(client, settings):
    settings.ARTICLES_PER_PAGE = 2
    tagged = [ArticleFactory(tags=["Mosul"]) for _ in range(5)]
    ArticleFactory(tags=["Basra"])
    pages = follow(client, reverse("articles:tag", args=["mosul"]), "next")
    seen = [pk for page in pages for pk in cards(page)]
    assert sorted(seen) == sorted(a.pk for a in tagged)
    assert len(seen) == 5


def test_a_cursor_that_leads_nowhere_is_a_404(client):
    oldest = ArticleFactory(published_at=timezone.now() - timedelta(days=3))
    # The factory's times go back an hour per article made in the run.
    ArticleFactory(published_at=timezone.now() - timedelta(hours=1))
    assert client.get(f"/latest/?before={oldest.pk}").status_code == 404
    assert client.get("/latest/?before=123456789").status_code == 404
    assert client.get(f"/latest/?after={oldest.pk}").status_code == 200


def test_a_month_of_the_archive_lists_that_month_only(client):
    march = ArticleFactory(published_at=datetime(2024, 3, 31, 23, 0, tzinfo=UTC))
    ArticleFactory(published_at=datetime(2024, 4, 1, 0, 30, tzinfo=UTC))
    ArticleFactory(published_at=datetime(2024, 2, 29, 12, 0, tzinfo=UTC))
    response = client.get(reverse("articles:archive_month", args=[2024, 3]))
    assert cards(response) == [march.pk]
    assert "Reports from March 2024" in response.text


def test_the_archive_links_every_month_since_the_first_report(client):
    ArticleFactory(published_at=timezone.now() - timedelta(days=400))
    html = client.get(reverse("articles:archive")).text
    now = timezone.now()
    months = re.findall(r'href="/archive/(\d+)/(\d+)/"', html)
    assert (str(now.year), str(now.month)) == months[0]
    assert len(months) in {14, 15}  # thirteen months back, and this one
    assert 'href="/archive/"' in client.get("/").text  # from every page's footer


def test_corrections_are_paged_by_cursor_too(client):
    corrections = [CorrectionFactory() for _ in range(3)]
    response = client.get(reverse("articles:corrections"))
    assert [c.pk for c in response.context["corrections"]][:3] == sorted(
        (c.pk for c in corrections), reverse=True
    )


def test_search_ranks_only_the_newest_matches_and_says_so(client, monkeypatch):
    monkeypatch.setattr(articles.models, "SEARCH_CANDIDATES", 3)
    monkeypatch.setattr(articles.views, "SEARCH_CANDIDATES", 3)
    now = timezone.now()
    old_but_best = ArticleFactory(
        headline="Water water water", published_at=now - timedelta(days=30)
    )
    newest = [
        ArticleFactory(
            headline=f"Report {n} on water", published_at=now - timedelta(hours=n)
        )
        for n in range(4)
    ]
    Article.objects.update_search_vectors()
    response = client.get(reverse("articles:search"), {"q": "water"})
    found = cards(response)
    assert found and set(found) <= {a.pk for a in newest[:3]}
    assert old_but_best.pk not in found
    assert "At least 3 results" in response.text

    response = client.get(reverse("articles:search"), {"q": "Report 2"})
    assert "result" in response.text and "At least" not in response.text


def related_by_counting_everything(article, limit=5):
    """The ranking before the archive grew: count shared tags on every article."""
    tag_ids = TaggedArticle.objects.filter(content_object=article).values("tag_id")
    return list(
        Article.objects.published()
        .exclude(pk=article.pk)
        .filter(tagged_items__tag_id__in=tag_ids)
        .annotate(shared=Count("tagged_items"))
        .order_by("-shared", "-published_at", "-pk")
        .values_list("pk", flat=True)[:limit]
    )


def test_related_posts_rank_as_counting_every_article_when_tags_fit_the_windows():
    rng = random.Random(4)
    names = [f"tag {n}" for n in range(8)]
    now = timezone.now()
    made = [
        ArticleFactory(
            tags=rng.sample(names, rng.randint(1, 4)),
            published_at=now - timedelta(hours=rng.randint(1, 500)),
            status=rng.choice([Article.Status.PUBLISHED] * 9 + [Article.Status.DRAFT]),
        )
        for _ in range(60)
    ]
    for article in made[:20]:
        article = Article.objects.for_article_page().get(pk=article.pk)
        ranked = [a.pk for a in Article.objects.related_to(article)]
        assert ranked == related_by_counting_everything(article)


def test_related_posts_rank_only_each_tags_recent_window(monkeypatch):
    """A tag used on a third of a large archive costs what a rare tag does: only
    its most recent articles compete."""
    monkeypatch.setattr(articles.models, "RELATED_CANDIDATES", 4)
    article = ArticleFactory(tags=["mosul", "water"])
    old_but_closer = ArticleFactory(
        tags=["mosul", "water"], published_at=timezone.now() - timedelta(days=90)
    )
    recent = [ArticleFactory(tags=["mosul"]) for _ in range(2)]
    recent += [ArticleFactory(tags=["water"]) for _ in range(2)]
    article = Article.objects.for_article_page().get(pk=article.pk)
    related = {a.pk for a in Article.objects.related_to(article)}
    assert related == {a.pk for a in recent}
    assert old_but_closer.pk not in related

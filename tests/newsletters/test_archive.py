"""Each newsletter's public archive, its issues' web versions and its feeds: only
what was sent, only articles still public, cached like the site's other public
pages, in a fixed number of queries; the subscribe form is never cached."""

import xml.etree.ElementTree as ET
from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from newsletters.models import Issue
from tests.factories import (
    ArticleFactory,
    ImageFactory,
    IssueFactory,
    NewsletterFactory,
)

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"


def sent_issue(newsletter, number, articles=(), **fields):
    return IssueFactory(
        newsletter=newsletter,
        articles=list(articles),
        status=Issue.Status.SENT,
        number=number,
        started_at=timezone.now() - timedelta(days=10 - number),
        **fields,
    )


@pytest.fixture
def brief():
    newsletter = NewsletterFactory(name="The Tigris Brief", slug="tigris-brief")
    for number in (1, 2, 3):
        sent_issue(
            newsletter,
            number,
            [ArticleFactory(lead_image=ImageFactory()), ArticleFactory()],
            subject=f"Issue number {number}",
        )
    IssueFactory(newsletter=newsletter, subject="A draft nobody has seen")
    IssueFactory(
        newsletter=newsletter,
        subject="Scheduled for tomorrow",
        status=Issue.Status.SCHEDULED,
        scheduled_for=timezone.now() + timedelta(days=1),
    )
    return newsletter


def is_public(response) -> bool:
    return response["Cache-Control"].startswith("public") and bool(response["ETag"])


def test_the_archive_lists_sent_issues_newest_first(brief, django_assert_num_queries):
    # The newsletter, its issues, the versions of the kept parts of pages, the
    # next scheduled report (cache headers) and the header and footer's
    # identity, sections and trust pages.
    with django_assert_num_queries(8):
        response = Client().get(brief.get_absolute_url())
    assert response.status_code == 200
    text = response.text
    assert text.index("Issue number 3") < text.index("Issue number 1")
    assert "A draft nobody has seen" not in text and "Scheduled" not in text
    assert is_public(response)
    assert "style-src 'self'" in response["Content-Security-Policy"]
    assert reverse("newsletters:feed", args=["tigris-brief"]) in text


def test_an_issue_shows_only_the_articles_still_public(
    brief, django_assert_num_queries
):
    issue = brief.issues.get(number=2)
    shown, taken_down = (item.article for item in issue.items.all())
    taken_down.status = "unpublished"
    taken_down.save()
    with django_assert_num_queries(7):
        response = Client().get(issue.get_absolute_url())
    assert response.status_code == 200
    assert shown.headline in response.text
    assert taken_down.headline not in response.text
    assert is_public(response)
    assert '<article class="issue" lang="en" dir="ltr">' in response.text


def test_unsent_and_unknown_issues_are_not_found(brief):
    for number in (0, 4, 99):
        url = reverse("newsletters:issue", args=["tigris-brief", number])
        assert Client().get(url).status_code == 404
    assert Client().get("/newsletters/no-such-letter/").status_code == 404


def test_an_arabic_edition_reads_right_to_left():
    arabic = NewsletterFactory(language="ar", slug="arabic")
    issue = sent_issue(arabic, 1, [ArticleFactory(language="ar")])
    page = Client().get(issue.get_absolute_url()).text
    assert 'lang="ar" dir="rtl"' in page


def test_the_feeds_carry_the_sent_issues(brief, django_assert_num_queries):
    with django_assert_num_queries(5):
        rss = Client().get(reverse("newsletters:feed", args=["tigris-brief"]))
    assert is_public(rss)
    channel = ET.fromstring(rss.content).find("channel")
    assert channel.findtext("language") == "en"
    titles = [item.findtext("title") for item in channel.findall("item")]
    assert titles == ["Issue number 3", "Issue number 2", "Issue number 1"]
    first = channel.find("item")
    article = brief.issues.get(number=3).items.first().article
    assert article.headline in first.findtext("description")

    atom = Client().get(reverse("newsletters:feed_atom", args=["tigris-brief"]))
    entries = ET.fromstring(atom.content).findall(f"{ATOM}entry")
    assert [e.findtext(f"{ATOM}title") for e in entries] == titles


def test_the_subscribe_form_is_never_cached_and_preselects_a_newsletter(brief):
    response = Client().get(
        reverse("newsletters:subscribe") + "?newsletter=tigris-brief"
    )
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    assert "csrfmiddlewaretoken" in response.text
    assert f'value="{brief.pk}" id="id_newsletters_0" checked' in response.text
    assert "The day&#x27;s reports, every morning." in response.text

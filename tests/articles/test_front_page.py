"""The front page: the editors' lead and top stories (or the latest), then each
section's newest reports; content warnings without flagged pictures; a fixed
number of queries however many sections and reports."""

from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from articles.models import SECTION_STORIES, TOP_STORIES, FrontPage, TopStory
from tests.factories import ArticleFactory, ImageFactory, SectionFactory

pytestmark = pytest.mark.django_db

HOME = reverse("articles:home")


def layout(client):
    return client.get(HOME).context["layout"]


def test_without_picks_the_latest_leads_and_the_next_make_the_top_row(client):
    articles = [ArticleFactory() for _ in range(7)]  # newest first
    result = layout(client)
    assert result.lead == articles[0]
    assert result.top == articles[1 : 1 + TOP_STORIES]


def test_the_editors_lead_and_top_stories_in_their_order(client):
    old, older, newest = ArticleFactory(), ArticleFactory(), ArticleFactory()
    front = FrontPage.objects.create(lead=older)
    TopStory.objects.create(front_page=front, article=old, position=2)
    TopStory.objects.create(front_page=front, article=newest, position=1)
    result = layout(client)
    assert result.lead == older
    assert result.top[:2] == [newest, old]


def test_a_scheduled_pick_waits_for_its_time_and_an_unpublished_one_leaves(client):
    now = timezone.now()
    live = ArticleFactory(headline="Live")
    scheduled = ArticleFactory(
        headline="Later", status="scheduled", published_at=now + timedelta(hours=2)
    )
    gone = ArticleFactory(headline="Gone", status="unpublished")
    front = FrontPage.objects.create(lead=scheduled)
    TopStory.objects.create(front_page=front, article=gone, position=0)
    assert layout(client).lead == live
    assert gone not in layout(client).top
    with time_machine.travel(now + timedelta(hours=3)):
        assert layout(client).lead == scheduled


def test_sections_follow_with_their_newest_reports_none_shown_twice(client):
    iraq = SectionFactory(name="Iraq", position=1)
    syria = SectionFactory(name="Syria", position=2)
    SectionFactory(name="Empty", position=3)
    hidden = SectionFactory(name="Hidden", position=0, in_navigation=False)
    in_iraq = [ArticleFactory(section=iraq) for _ in range(9)]
    in_syria = [ArticleFactory(section=syria) for _ in range(2)]
    ArticleFactory(section=hidden)
    result = layout(client)
    shown = [result.lead, *result.top]
    assert [section.name for section, _ in result.sections] == ["Iraq", "Syria"]
    rows = dict(result.sections)
    assert len(rows[iraq]) == SECTION_STORIES
    assert rows[iraq] == [a for a in in_iraq if a not in shown][:SECTION_STORIES]
    assert rows[syria] == [a for a in in_syria if a not in shown]
    listed = [a for _, row in result.sections for a in row]
    assert not set(listed) & set(shown)


def test_lists_show_the_warning_and_never_the_flagged_picture(client):
    flagged = ImageFactory(content_warning="Graphic destruction")
    ArticleFactory(headline="After the strike", lead_image=flagged)
    ArticleFactory(
        headline="Injuries",
        lead_image=ImageFactory(),
        content_warning="Graphic descriptions",
    )
    ArticleFactory(headline="Lead story")
    html = client.get(HOME).text
    assert "Graphic destruction" in html and "Graphic descriptions" in html
    assert html.count('class="warning-label"') == 2
    assert flagged.file.name.rsplit("/", 1)[-1].split(".")[0] not in html
    for item in flagged.renditions:
        assert item["name"] not in html


def test_no_reports_yet_is_said_plainly(client):
    response = client.get(HOME)
    assert response.status_code == 200
    assert "No reports here yet." in response.text


def test_no_most_read_or_anything_that_tracks_readers(client):
    ArticleFactory()
    html = client.get(HOME).text.lower()
    assert "most read" not in html and "popular" not in html


@pytest.mark.parametrize("sections", [2, 8])
def test_the_front_page_costs_the_same_queries_however_many_sections(
    client, django_assert_num_queries, sections
):
    front = FrontPage.objects.create()
    picture = ImageFactory()
    for n in range(sections):
        section = SectionFactory()
        for _ in range(6):
            article = ArticleFactory(section=section, lead_image=picture)
        if n == 0:
            front.lead = article
            front.save()
    # The versions of the kept parts of pages (newsroom/fragments.py); the
    # sections (navigation too); the editors' picks and those that are live;
    # the latest for empty places; every section's row in one query; the
    # identity and trust pages; the next scheduled publication.
    with django_assert_num_queries(9):
        assert client.get(HOME).status_code == 200
    # Then the versions alone: the page's parts are kept until a change.
    with django_assert_num_queries(1):
        assert client.get(HOME).status_code == 200


def test_the_front_page_is_cached_like_any_public_page(client):
    ArticleFactory()
    response = client.get(HOME)
    assert "public" in response["Cache-Control"]
    assert not response.cookies


def test_editors_choose_the_lead_and_top_stories_in_the_admin(client, editor):
    lead, second, first = ArticleFactory(), ArticleFactory(), ArticleFactory()
    client.force_login(editor)
    change = client.get(reverse("admin:articles_frontpage_changelist"))["Location"]
    assert change == reverse("admin:articles_frontpage_change", args=[1])
    page = client.get(change)
    assert page.status_code == 200
    assert "Lead:" in page.text  # what readers see now
    response = client.post(
        change,
        {
            "lead": lead.pk,
            "top_stories-TOTAL_FORMS": "2",
            "top_stories-INITIAL_FORMS": "0",
            "top_stories-MIN_NUM_FORMS": "0",
            "top_stories-MAX_NUM_FORMS": "1000",
            "top_stories-0-article": first.pk,
            "top_stories-0-position": "1",
            "top_stories-1-article": second.pk,
            "top_stories-1-position": "2",
        },
    )
    assert response.status_code == 302
    assert FrontPage.objects.get().updated_by == editor
    result = layout(client)
    assert result.lead == lead and result.top[:2] == [first, second]


def test_writers_do_not_change_the_front_page(client, writer):
    client.force_login(writer)
    assert client.get(reverse("admin:articles_frontpage_changelist")).status_code == 403

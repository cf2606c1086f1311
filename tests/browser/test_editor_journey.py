"""An editor reproduces a full syndicated report in the admin, rich-text editor
included, schedules it, and sees it go live at its time with nobody acting."""

import re
from datetime import timedelta
from urllib.parse import urlsplit

import pytest
import time_machine
from django.utils import timezone
from taggit.models import Tag

from articles.models import Article
from contributors.models import Contributor
from tests.browser.conftest import log_in
from tests.factories import ContributorFactory, ImageFactory, PartnerOutletFactory

pytestmark = pytest.mark.django_db(transaction=True)

GO_LIVE_AFTER = timedelta(hours=2)


def pick(page, container, text, search=None):
    """Choose `text` in one of the admin's autocomplete (select2) pickers."""
    page.click(f"{container} .select2-selection")
    page.keyboard.type(search or text)
    option = page.locator(".select2-results__option", has_text=text).first
    option.wait_for()
    option.click()


def test_editor_schedules_a_full_syndicated_report_and_it_goes_live(
    page, editor, live_server, request
):
    lead = ImageFactory(alt_text="The old city at dusk", caption="Dusk in the old city")
    partner = PartnerOutletFactory(name="Tigris Dispatch")
    ContributorFactory(
        name="Hidden Reporter", slug="hidden", identity=Contributor.Identity.WITHHELD
    )
    for name in ["Mosul", "Reconstruction", "Displacement"]:
        Tag.objects.create(name=name, slug=name.lower())

    log_in(page.context, editor, live_server)
    page.goto("/admin/articles/article/add/")
    page.locator("#id_headline").press_sequentially(
        "Rebuilding the courtyards of Mosul"
    )
    assert page.input_value("#id_slug") == "rebuilding-the-courtyards-of-mosul"
    page.fill("#id_standfirst", "Families restore their houses stone by stone.")

    go_live = timezone.localtime() + GO_LIVE_AFTER
    page.select_option("#id_status", "scheduled")
    page.fill("#id_published_at_0", go_live.strftime("%Y-%m-%d"))
    page.fill("#id_published_at_1", go_live.strftime("%H:%M:%S"))
    page.fill("#id_dateline_city", "Mosul")
    page.fill("#id_dateline_country", "Iraq")

    pick(page, ".field-lead_image", "Dusk in the old city")

    # The rich-text editor: three paragraphs, the middle one made a pull quote.
    body = page.locator('.field-body [contenteditable="true"]')
    body.click()
    page.keyboard.type("The courtyard was full of rubble for five years.")
    page.keyboard.press("Enter")
    page.keyboard.type("We did not wait for anyone.")
    page.keyboard.press("Enter")
    page.keyboard.type("Now a lemon tree grows there again.")
    body.get_by_text("We did not wait for anyone.").click()
    page.click('.field-body button[title="blockquote"]')

    for tag in ["Mosul", "Reconstruction", "Displacement"]:
        pick(page, ".field-tags", tag)

    pick(page, ".field-partner", "Tigris Dispatch")
    page.fill("#id_original_url", "https://tigris.example.org/courtyards")

    pick(
        page,
        "#article_contributors-0 .field-contributor",
        "Hidden Reporter (Name withheld for safety)",
        search="Hidden",
    )
    page.fill("#id_article_contributors-0-role", "Reporting")

    page.click("#corrections-group .add-row a")
    page.select_option("#id_corrections-0-kind", "correction")
    page.fill("#id_corrections-0-text", "An earlier version misnamed the street.")

    page.click("input[name=_save]")
    page.wait_for_selector(".messagelist .success")

    article = Article.objects.get(slug="rebuilding-the-courtyards-of-mosul")
    assert article.status == Article.Status.SCHEDULED
    assert "<blockquote><p>We did not wait for anyone.</p></blockquote>" in article.body
    assert article.tags.count() == 3

    # Not public before its time...
    response = page.goto(article.get_absolute_url())
    assert response.status == 404
    # ...and public after it, with nobody acting: the clock travels past the
    # publication time (the live server runs in this process, so it travels too).
    assert article.published_at - timezone.now() <= GO_LIVE_AFTER
    traveller = time_machine.travel(article.published_at + timedelta(seconds=1))
    traveller.start()
    request.addfinalizer(traveller.stop)

    hosts = set()
    page.on("request", lambda request: hosts.add(urlsplit(request.url).hostname))
    response = page.goto(article.get_absolute_url())
    assert response.status == 200
    html = page.content()
    assert page.locator("h1").inner_text() == "Rebuilding the courtyards of Mosul"
    assert page.locator(".article__body blockquote").inner_text() == (
        "We did not wait for anyone."
    )
    assert page.locator("figure").count() == 1  # the lead image
    assert (
        page.locator(".syndication")
        .inner_text()
        .startswith("Originally published by Tigris Dispatch")
    )
    assert 'rel="canonical" href="https://tigris.example.org/courtyards"' in html
    assert (
        "Name withheld for safety" in page.locator(".about-contributors").inner_text()
    )
    assert "Hidden Reporter" not in html
    tags = page.locator(".tags a.tag").all_inner_texts()
    assert sorted(tags) == ["Displacement", "Mosul", "Reconstruction"]
    assert (
        "An earlier version misnamed the street."
        in page.locator(".corrections-log").inner_text()
    )
    assert "Be the first to comment" in html
    assert hosts == {urlsplit(live_server.url).hostname}
    assert re.search(r"Updated", page.locator(".article__header").inner_text())
    assert lead.alt_text in html
    assert partner.name in html

"""An editor picks articles for an issue in the admin (the autocomplete asks the
server) and previews the email in its frame: a real browser shows it, under the
admin's policy and the email's own, with no violation."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from newsletters.models import Issue
from tests.browser.conftest import log_in
from tests.browser.test_admin_security import violations
from tests.factories import ArticleFactory, NewsletterFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_an_editor_composes_and_previews_an_issue(page, editor, live_server):
    NewsletterFactory(name="The Tigris Brief")
    article = ArticleFactory(headline="Water returns to the old city")
    seen = violations(page)
    log_in(page.context, editor, live_server)

    page.goto(reverse("admin:newsletters_issue_add"))
    page.select_option("#id_newsletter", label="The Tigris Brief")
    page.fill("#id_subject", "Monday in Mosul")
    page.fill("#id_introduction", "Good morning.")
    page.click(".field-article .select2-selection >> nth=0")
    page.keyboard.type("Water")
    page.get_by_role("option", name="Water returns to the old city").click()
    page.click("input[name=_preview]")

    issue = Issue.objects.get()
    assert [item.article for item in issue.items.all()] == [article]
    frame = page.frame_locator("iframe.email-frame")
    expect(frame.get_by_role("heading", name="Monday in Mosul")).to_be_visible()
    expect(frame.get_by_text("Water returns to the old city")).to_be_visible()
    assert seen() == []

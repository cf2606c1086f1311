"""A reader signs up, opens the link from the email, comments, and sees the
comment appear once an editor approves it."""

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import log_in
from tests.factories import ArticleFactory
from tests.mail import run_worker

pytestmark = pytest.mark.django_db(transaction=True)


def test_reader_signs_up_confirms_comments_and_sees_it_approved(
    browser, page, live_server, smtp, editor, settings
):
    # Emails link to the main site (SITE_URL), whichever host the reader used.
    settings.SITE_URL = live_server.url
    article = ArticleFactory(headline="Water returns to the old city")

    page.goto(article.get_absolute_url())
    expect(page.get_by_text("Be the first to comment.")).to_be_visible()
    page.locator("#comments").get_by_role("link", name="sign up").click()
    page.get_by_label("Email").fill("reader@example.org")
    page.get_by_label("Display name").fill("Reader from Mosul")
    page.get_by_label("Password:", exact=True).fill("a-long-reader-passphrase")
    page.get_by_label("Password (again):").fill("a-long-reader-passphrase")
    page.get_by_role("button", name="Sign up").click()
    expect(
        page.get_by_text(
            "Please check your e-mail for a link to activate your account."
        )
    ).to_be_visible()

    run_worker()
    [message] = smtp.messages
    link = smtp.link(message)
    assert link.startswith(f"{live_server.url}/accounts/confirm-email/")
    page.goto(link)
    page.get_by_role("button", name="Confirm").click()

    page.goto(article.get_absolute_url())
    page.get_by_label("Your comment").first.fill("Thank you for reporting this.")
    page.get_by_role("button", name="Post comment").click()
    assert page.get_by_text(
        "Your comment will appear once an editor approves it"
    ).is_visible()
    assert page.locator(".comment").count() == 0

    editor_page = browser.new_page(base_url=live_server.url)
    log_in(editor_page.context, editor, live_server)
    editor_page.goto("/admin/comments/comment/?status__exact=pending")
    editor_page.locator("input.action-select").first.check()
    editor_page.select_option("select[name=action]", "approve")
    editor_page.click("button[name=index]")
    expect(editor_page.get_by_text("1 approved.")).to_be_visible()
    editor_page.close()

    page.reload()
    comment = page.locator(".comment").first
    assert comment.locator(".comment__author").inner_text() == "Reader from Mosul"
    assert "Thank you for reporting this." in comment.inner_text()
    assert "reader@example.org" not in page.content()

"""The admin's rich-text editor and text fields write right to left for an
Arabic or Kurdish article, and follow the language field when it changes."""

import pytest

from tests.browser.conftest import log_in
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db(transaction=True)

BODY = '.field-body [contenteditable="true"]'


def test_the_editor_writes_in_the_direction_of_the_articles_language(
    page, editor, live_server
):
    article = ArticleFactory(language="ar", headline="عودة العائلات", slug="arabic")
    log_in(page.context, editor, live_server)
    page.goto(f"/admin/articles/article/{article.pk}/change/")
    body = page.locator(BODY)
    body.wait_for()
    assert page.locator(".field-body .prose-editor").get_attribute("dir") == "rtl"
    assert body.evaluate("e => getComputedStyle(e).direction") == "rtl"
    assert page.get_attribute("#id_headline", "dir") == "rtl"

    page.select_option("#id_language", "en")
    assert body.evaluate("e => getComputedStyle(e).direction") == "ltr"
    assert page.get_attribute("#id_standfirst", "dir") == "ltr"

    page.select_option("#id_language", "ckb")
    assert body.evaluate("e => getComputedStyle(e).direction") == "rtl"
    body.click()
    page.keyboard.type("خانووەکان")
    assert "خانووەکان" in body.inner_text()

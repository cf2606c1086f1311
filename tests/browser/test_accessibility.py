"""Public pages checked against WCAG 2 A and AA with axe-core in Chromium, on a
phone-sized and a desktop-sized screen."""

import pytest
from axe_playwright_python.sync_playwright import Axe

from demo.content import load_demo_content

pytestmark = pytest.mark.django_db(transaction=True)

PAGES = [
    "/",
    "/articles/mosul-old-city-rebuilding/",
    "/articles/market-road-strike/",
    "/articles/الموصل-القديمة-إعادة-البناء/",
    "/tags/mosul/",
    "/contributors/layla-haddad/",
    "/partners/tigris-dispatch/",
    "/corrections/",
    "/search/?q=water",
    "/accounts/signup/",
    "/accounts/login/",
    "/newsletters/",
    "/newsletters/tigris-brief/",
    "/newsletters/tigris-brief/1/",
]
WCAG_AA = {
    "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}
}


@pytest.mark.parametrize("width", [360, 1280])
def test_public_pages_meet_wcag_aa(browser, live_server, settings, editor, width):
    settings.SERVE_MEDIA = True
    load_demo_content()  # the `editor` fixture made the roles it needs
    page = browser.new_page(
        base_url=live_server.url, viewport={"width": width, "height": 900}
    )
    axe = Axe()
    problems = {}
    for path in PAGES:
        response = page.goto(path)
        assert response.status == 200, path
        results = axe.run(page, options=WCAG_AA)
        if results.violations_count:
            problems[path] = results.generate_report()
    page.close()
    assert not problems, "\n".join(
        f"{path}:\n{report}" for path, report in problems.items()
    )

"""The public site in Chromium, as readers see it: every page at a phone's and a
desktop's width, light and dark, checked against WCAG 2 A and AA with axe-core;
nothing requested from another host; nothing blocked by the Content-Security-
Policy; no page wider than a 360 px phone (long web addresses included); the
lead headline on a phone's first screen; a 60-75 character measure. Screenshots
of the main pages go to test-results/screenshots/ for people to look at."""

from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe

from articles.models import PartnerOutlet
from contributors.models import Contributor
from demo.content import load_demo_content

pytestmark = pytest.mark.django_db(transaction=True)

SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-results" / "screenshots"
# Saved as screenshots at both widths, in light and dark mode.
SHOWN = {
    "home": "/",
    "section": "/sections/iraq/",
    "article": "/articles/mosul-old-city-rebuilding/",
    "arabic-article": "/articles/الموصل-القديمة-إعادة-البناء/",
    "trust-page": "/standards/",
    "tag": "/tags/mosul/",
    "tips": "/tips/",
    "lite-article": "/lite/mosul-old-city-rebuilding/",
    "lite-arabic-article": "/ar/lite/الموصل-القديمة-إعادة-البناء/",
}
# Checked at both widths, in light mode.
ALSO = {
    "kurdish-article": "/articles/دهۆک-خێزانە-ئاوارەکان/",
    "flagged-article": "/articles/market-road-strike/",
    "latest": "/latest/",
    "contributor": "/contributors/layla-haddad/",
    "partner": "/partners/tigris-dispatch/",
    "corrections": "/corrections/",
    "search": "/search/?q=water",
    "signup": "/accounts/signup/",
    "login": "/accounts/login/",
    "newsletters": "/newsletters/",
    "newsletter-archive": "/newsletters/tigris-brief/",
    "newsletter-issue": "/newsletters/tigris-brief/1/",
    "lite-home": "/lite/",
    "lite-tag": "/lite/tags/mosul/",
    "lite-search": "/lite/search/?q=water",
}
PHONE = {"width": 360, "height": 640}
DESKTOP = {"width": 1280, "height": 900}
WCAG_AA = {
    "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}
}
LONG_ADDRESS = (
    "https://tigris-dispatch.example.org/archive/2026/reconstruction/"
    "a-very-long-address-without-any-place-to-break-it-at-all-0123456789"
)
# Characters a line of body text holds: the width over the average character.
MEASURE = """() => {
  const p = [...document.querySelectorAll('.article__body > p')]
    .sort((a, b) => b.textContent.length - a.textContent.length)[0];
  const context = document.createElement('canvas').getContext('2d');
  context.font = getComputedStyle(p).font;
  const average = context.measureText(p.textContent).width / p.textContent.length;
  return p.clientWidth / average;
}"""

# A full-page screenshot shows pictures below the fold too.
LOAD_LAZY_PICTURES = """() => Promise.all([...document.images].map(img => {
  img.loading = 'eager';
  return img.decode().catch(() => null);
}))"""


def test_public_pages_in_light_and_dark_at_phone_and_desktop_widths(
    browser, live_server, settings, editor
):
    settings.SERVE_MEDIA = True
    load_demo_content()  # the `editor` fixture made the roles it needs
    Contributor.objects.filter(slug="layla-haddad").update(
        bio=f"Layla's reports are listed at {LONG_ADDRESS} and in print.",
        website=LONG_ADDRESS,
    )
    PartnerOutlet.objects.update(description=f"Read the originals: {LONG_ADDRESS}")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    axe = Axe()
    problems, elsewhere, blocked, too_wide, saved = {}, set(), [], {}, []
    for viewport in (PHONE, DESKTOP):
        width = viewport["width"]
        for scheme in ("light", "dark"):
            context = browser.new_context(
                base_url=live_server.url, viewport=viewport, color_scheme=scheme
            )
            page = context.new_page()
            page.on(
                "request",
                lambda request: (
                    None
                    if request.url.startswith((live_server.url, "data:"))
                    else elsewhere.add(request.url)
                ),
            )
            page.on(
                "console",
                lambda message: (
                    blocked.append(message.text)
                    if "Content Security Policy" in message.text
                    else None
                ),
            )
            pages = SHOWN | (ALSO if scheme == "light" else {})
            for name, path in pages.items():
                response = page.goto(path)
                assert response.status == 200, path
                where = f"{name} at {width} px, {scheme}"
                if name == "home" and viewport is PHONE:
                    box = page.locator(".lead-story__headline").bounding_box()
                    assert box["y"] + box["height"] <= PHONE["height"], box
                if name == "article" and viewport is DESKTOP and scheme == "light":
                    assert 60 <= page.evaluate(MEASURE) <= 75
                    # On paper: the article alone, without the site around it.
                    page.emulate_media(media="print")
                    for part in [".masthead__bar", ".comments", ".related", ".cta"]:
                        assert page.locator(part).is_hidden(), part
                    assert page.locator(".article__body").is_visible()
                    page.emulate_media(media="screen")
                scroll_width = page.evaluate("document.documentElement.scrollWidth")
                if scroll_width > width:
                    too_wide[where] = scroll_width
                results = axe.run(page, options=WCAG_AA)
                if results.violations_count:
                    problems[where] = results.generate_report()
                if name in SHOWN:
                    page.evaluate(LOAD_LAZY_PICTURES)
                    shot = SCREENSHOTS / f"{name}-{width}-{scheme}.png"
                    page.screenshot(path=shot, full_page=True)
                    saved.append(shot)
            context.close()
    assert not problems, "\n".join(f"{where}:\n{r}" for where, r in problems.items())
    assert not too_wide, too_wide
    assert not elsewhere, elsewhere
    assert not blocked, blocked
    assert len(saved) == len(SHOWN) * 4

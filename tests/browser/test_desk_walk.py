"""The editors' desk, walked as a newsroom does it: a writer submits a report, the
editors hear of it by email and see it on the desk, one places a picture at the
cursor, leaves a note and schedules it while a second editor sees who is editing;
the writer reads the note, and work typed into a tab that was then closed is
still there. Every admin page runs under a strict script policy (scripts from
this site only), and screenshots of the desk, the editor with an inline picture,
the media library and a comparison are saved under test-results/screenshots/."""

import base64
import hashlib
import re
from datetime import timedelta
from pathlib import Path

import pytest
from django.contrib.auth.models import Group
from django.utils import timezone

from articles.models import Article
from images.services import image_create
from tests.browser.conftest import log_in
from tests.factories import ImageFactory
from tests.images import samples
from tests.mail import run_worker

pytestmark = pytest.mark.django_db(transaction=True)

SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-results" / "screenshots"
HEADLINE = "Water returns to the old canals"
IMPORT_MAP = re.compile(r'<script type="importmap"[^>]*>(.*?)</script>', re.S)


def strict_script_policy(route):
    """The admin as it will be served: scripts from this site only, plus the
    prose editor's import map (data, allowed by its hash)."""
    if route.request.resource_type != "document":
        route.continue_()
        return
    response = route.fetch()
    headers = dict(response.headers)
    if headers.get("content-type", "").startswith("text/html"):
        hashes = " ".join(
            f"'sha256-{base64.b64encode(hashlib.sha256(block.encode()).digest()).decode()}'"
            for block in IMPORT_MAP.findall(response.text())
        )
        headers["content-security-policy"] = (
            f"default-src 'self'; script-src 'self' {hashes}; "
            "style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
            "object-src 'none'; base-uri 'none'; form-action 'self'"
        )
    route.fulfill(response=response, headers=headers)


@pytest.fixture
def staff_page(browser, live_server):
    """A page of its own browser context for each member of staff."""
    contexts, blocked = [], []

    def open_page(user):
        context = browser.new_context(
            base_url=live_server.url, viewport={"width": 1280, "height": 1000}
        )
        context.set_default_timeout(15_000)
        context.route(re.compile(r".*/admin/.*"), strict_script_policy)
        log_in(context, user, live_server)
        context.on(
            "console",
            lambda message: (
                blocked.append(message.text)
                if "Content Security Policy" in message.text
                else None
            ),
        )
        contexts.append(context)
        return context.new_page()

    yield open_page
    for context in contexts:
        context.close()
    assert blocked == [], "the script policy blocked something"


def shot(page, name):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SCREENSHOTS / f"{name}.png", full_page=True)


def body_editor(page):
    return page.locator('.field-body [contenteditable="true"]')


def test_a_report_crosses_the_desk(staff_page, editor, writer, smtp, django_user_model):
    second = django_user_model.objects.create_user(
        "second-editor", "second@example.org", "x", is_staff=True
    )
    second.groups.add(Group.objects.get(name="editor"))
    picture = ImageFactory(
        caption="Families farm the slopes above the river",
        alt_text="Terraced hills above a river",
    )
    image_create(  # from a phone: the library shows what its upload lost
        data=samples.jpeg(),
        alt_text="A street of shops with their shutters blown in",
        caption="The market road the morning after the strike",
        content_warning="Graphic destruction",
    )

    # A writer drafts the report and submits it for review.
    desk = staff_page(writer)
    desk.goto("/admin/articles/article/add/")
    desk.fill("#id_headline", HEADLINE)
    assert desk.input_value("#id_slug") == "water-returns-to-the-old-canals"
    body_editor(desk).click()
    desk.keyboard.insert_text("The canal had been dry for eleven years.")
    desk.keyboard.press("Enter")
    desk.keyboard.insert_text("Now children swim in it again.")
    assert desk.inner_text("#desk-length") == "13 words, about 1 min to read"
    options = desk.locator("#id_status option").all_inner_texts()
    assert options == ["Draft", "In review"]
    desk.select_option("#id_status", "review")
    desk.click("input[name=_save]")
    assert "2 people are told by email" in desk.inner_text(".messagelist")
    article = Article.objects.get()

    # Both editors hear of it by email (through the worker, over SMTP).
    run_worker()
    assert sorted(m["To"] for m in smtp.messages) == [
        "editor@example.org",
        "second@example.org",
    ]
    assert smtp.messages[0]["Subject"].endswith(f"Submitted for review: {HEADLINE}")
    assert "writer-user submitted" in smtp.text(smtp.messages[0])

    # The editor finds it on the desk, with who submitted it.
    page = staff_page(editor)
    page.goto("/admin/")
    row = page.locator("#desk-review tr", has_text=HEADLINE)
    assert "submitted by writer-user" in row.inner_text()
    shot(page, "desk")
    row.get_by_role("link").click()

    # ...and places a library picture at the cursor, after the first paragraph.
    body_editor(page).get_by_text("eleven years").click()
    page.keyboard.press("End")
    page.click('button[title="Insert a picture from the library"]')
    page.fill(".desk-picker__search", "slopes")
    page.locator(".desk-picker__item", has_text="slopes above").click()
    page.fill("#desk-picker-caption", "The terraces above the canal")
    page.click(".desk-picker button.default")
    figure = body_editor(page).locator(".desk-figure")
    assert figure.inner_text() == "The terraces above the canal"
    shot(page, "editor-inline-picture")

    # A second editor opening the report sees who is editing it.
    other = staff_page(second)
    other.goto(f"/admin/articles/article/{article.pk}/change/")
    assert other.inner_text("#desk-lock").startswith(
        "editor-user has been editing this article since"
    )
    assert other.get_by_role(
        "button", name="Take over editing", exact=True
    ).is_visible()

    # The editor leaves a note for the writer and schedules the report.
    page.fill("#id_note", "Check the year the canal ran dry with the council.")
    go_live = timezone.localtime() + timedelta(hours=2)
    page.select_option("#id_status", "scheduled")
    page.fill("#id_published_at_0", go_live.strftime("%Y-%m-%d"))
    page.fill("#id_published_at_1", go_live.strftime("%H:%M:%S"))
    page.click("input[name=_save]")
    page.wait_for_selector(".messagelist .success")
    article.refresh_from_db()
    assert article.status == Article.Status.SCHEDULED
    assert article.body == (
        "<p>The canal had been dry for eleven years.</p>"
        f'<figure data-image="{picture.pk}">'
        "<figcaption>The terraces above the canal</figcaption></figure>"
        "<p>Now children swim in it again.</p>"
    )
    run_worker()
    scheduled = smtp.messages[-1]
    assert scheduled["To"] == "writer@example.org"
    assert f"Scheduled: {HEADLINE}" in scheduled["Subject"]
    assert "Check the year the canal ran dry" in smtp.text(scheduled)

    # An Arabic tag's slug is filled in as its name is typed.
    desk.goto("/admin/taggit/tag/add/")
    desk.locator("#id_name").press_sequentially("الموصل القديمة")
    assert desk.input_value("#id_slug") == "الموصل-القديمة"

    # The writer reads the note on the report.
    desk.goto(f"/admin/articles/article/{article.pk}/change/")
    assert "Check the year the canal ran dry with the council." in desk.inner_text(
        ".desk-note"
    )

    # Work typed into a tab that is then closed is kept, and offered back.
    desk.goto("/admin/articles/article/add/")
    with desk.expect_response(re.compile(r".*/autosave/$")):
        desk.fill("#id_headline", "Unsaved: the dam")
        body_editor(desk).click()
        desk.keyboard.type("Words that must not be lost.")
    with desk.expect_event("dialog") as warning:
        desk.close(run_before_unload=True)
    assert warning.value.type == "beforeunload"  # "Leave site? Changes…"
    with desk.expect_event("close"):
        warning.value.accept()
    desk = desk.context.new_page()
    desk.goto("/admin/articles/article/add/")
    desk.click("#desk-restore")
    assert desk.input_value("#id_headline") == "Unsaved: the dam"
    assert body_editor(desk).inner_text() == "Words that must not be lost."

    # For the record: the media library and a comparison of two versions.
    page.goto("/admin/images/image/")
    tile = page.locator(".media-grid__item", has_text="slopes")
    assert "used once" in tile.inner_text()
    shot(page, "media-library")
    page.goto(f"/admin/articles/article/{article.pk}/history/")
    page.locator("#change-history tbody tr").last.get_by_role("link").click()
    page.locator(".desk-diff del").first.wait_for()  # the picture, struck out
    assert "[Picture: The terraces above the canal]" in page.inner_text(".desk-diff")
    shot(page, "comparison")

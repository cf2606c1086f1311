"""What an issue's email is made of: HTML and text, pictures as the editor
chose, right to left for Arabic editions, nothing that tracks, and only the
articles the public may read."""

import re

import pytest

from newsletters.emails import issue_content, issue_message, render_issue
from newsletters.links import TEST_SUBSCRIBER, personal_links
from newsletters.models import Issue
from tests.factories import (
    ArticleFactory,
    ImageFactory,
    IssueFactory,
    NewsletterFactory,
)

pytestmark = pytest.mark.django_db


def links():
    return personal_links(subscriber_id=TEST_SUBSCRIBER, newsletter_id=1)


def image_sources(html: str) -> list[str]:
    return re.findall(r'<img [^>]*src="([^"]+)"', html)


def test_pictures_are_left_out_attached_or_linked_as_the_editor_chooses():
    picture, flagged = ImageFactory(), ImageFactory(content_warning="Graphic")
    articles = [
        ArticleFactory(lead_image=picture),
        ArticleFactory(lead_image=flagged),
        ArticleFactory(lead_image=ImageFactory(), content_warning="Distressing"),
    ]
    issue = IssueFactory(articles=articles)

    message = issue_message(
        issue_content(issue=issue), to="r@example.org", links=links()
    )
    html = message.alternatives[0][0]
    assert image_sources(html) == []  # the default: the lightest email
    assert not message.attachments

    issue.pictures = Issue.Pictures.ATTACHED
    message = issue_message(
        issue_content(issue=issue), to="r@example.org", links=links()
    )
    mime = message.message()
    assert mime.get_content_type() == "multipart/related"
    [image] = [part for part in mime.walk() if part.get_content_maintype() == "image"]
    assert image.get_content_type() == "image/jpeg"
    content_id = image["Content-ID"].strip("<>")
    # Only the picture without a warning, from inside the email: nothing remote.
    assert image_sources(message.alternatives[0][0]) == [f"cid:{content_id}"]
    assert image.get_payload(decode=True)[:2] == b"\xff\xd8"

    issue.pictures = Issue.Pictures.LINKED
    html = render_issue(issue_content(issue=issue), links())[2]
    [source] = image_sources(html)
    assert source.startswith("http://127.0.0.1:8000/media/") and source.endswith(".jpg")


def test_an_arabic_edition_reads_right_to_left_and_each_article_in_its_language():
    arabic = NewsletterFactory(language="ar", name="النشرة")
    english = ArticleFactory(language="en", headline="Water returns")
    issue = IssueFactory(
        newsletter=arabic,
        articles=[ArticleFactory(language="ar", headline="عودة الماء"), english],
    )
    _subject, text, html = render_issue(issue_content(issue=issue), links())
    assert '<html lang="ar" dir="rtl">' in html
    assert "text-align:right" in html
    english_block = html[: html.index("Water returns")].rsplit("<div", 1)[1]
    assert 'lang="en" dir="ltr"' in english_block
    assert "عودة الماء" in text and "Water returns" in text


def test_an_article_taken_down_since_it_was_chosen_is_left_out():
    kept, taken_down = ArticleFactory(), ArticleFactory()
    issue = IssueFactory(articles=[kept, taken_down])
    taken_down.status = "unpublished"
    taken_down.save()
    content = issue_content(issue=issue)
    assert [item.headline for item in content.items] == [kept.headline]
    assert content.left_out == (taken_down.headline,)
    _, text, html = render_issue(content, links())
    assert taken_down.headline not in text + html


def test_an_email_tracks_nothing_and_links_straight_to_the_site(settings):
    issue = IssueFactory(articles=[ArticleFactory(lead_image=ImageFactory())])
    _subject, _text, html = render_issue(issue_content(issue=issue), links())
    hrefs = re.findall(r'href="([^"]+)"', html)
    assert hrefs and all(h.startswith(settings.SITE_URL) for h in hrefs)
    assert image_sources(html) == []  # no pixel
    assert "<script" not in html and "<table" not in html
    article = issue.items.get().article
    assert f"{settings.SITE_URL}{article.get_absolute_url()}" in hrefs

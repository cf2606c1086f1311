"""A thread of thousands of comments: pages in the order the reader chooses, the
count kept with the article, replies that lead to their parent wherever it is,
and posting and moderating that cost the same on a busy article as a quiet one."""

import re
import uuid
from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from comments.models import (
    REPLIES_PER_PAGE,
    REPLIES_SHOWN,
    THREADS_PER_PAGE,
    Comment,
    CommentCount,
)
from comments.services import comment_counts_rebuild
from tests.factories import ArticleFactory, CommentFactory, ReaderUserFactory

pytestmark = pytest.mark.django_db


def busy_article(threads, replies_to_first=0):
    """An article with `threads` approved top-level comments a minute apart,
    the first with `replies_to_first` approved replies, written in bulk."""
    article = ArticleFactory()
    author = ReaderUserFactory()
    start = timezone.now() - timedelta(days=2)
    top = Comment.objects.bulk_create(
        Comment(
            article=article,
            author=author,
            body=f"Thread {n}",
            status=Comment.Status.APPROVED,
        )
        for n in range(threads)
    )
    replies = Comment.objects.bulk_create(
        Comment(
            article=article,
            author=author,
            parent=top[0],
            body=f"Reply {n}",
            status=Comment.Status.APPROVED,
        )
        for n in range(replies_to_first)
    )
    for n, comment in enumerate(top + replies):
        comment.created_at = start + timedelta(minutes=n)
    Comment.objects.bulk_update(top + replies, ["created_at"])
    comment_counts_rebuild(articles=[article.pk])
    return article, top, replies


def bodies(html):
    return re.findall(r"(Thread \d+|Reply \d+)", html)


def test_threads_come_a_page_at_a_time_in_the_order_the_reader_chooses(client):
    article, top, _ = busy_article(THREADS_PER_PAGE * 2 + 3, replies_to_first=1)
    url = article.get_absolute_url()
    html = client.get(url).text
    assert f"Comments ({len(top) + 1})" in html
    assert bodies(html)[:3] == ["Thread 0", "Reply 0", "Thread 1"]
    assert f"Thread {THREADS_PER_PAGE}" not in bodies(html)
    assert "Page 1 of 3" in html

    last = client.get(url, {"comments_page": 3}).text
    assert bodies(last) == [
        f"Thread {n}" for n in range(THREADS_PER_PAGE * 2, len(top))
    ]

    # Newest first is a plain link: no script needed.
    assert f'href="{url}?comments=newest#comments"' in html
    newest = client.get(url, {"comments": "newest"}).text
    assert bodies(newest)[0] == f"Thread {len(top) - 1}"
    assert f'aria-current="true" href="{url}?comments=newest#comments"' in newest
    assert f'href="{url}?comments=newest&amp;comments_page=2#comments"' in newest

    # Nonsense in the query string shows the nearest page, never an error.
    assert client.get(url, {"comments_page": "x"}).status_code == 200
    assert "Page 3 of 3" in client.get(url, {"comments_page": 99}).text


def test_a_long_thread_shows_its_first_replies_and_links_to_the_rest(client):
    article, top, replies = busy_article(2, replies_to_first=REPLIES_PER_PAGE + 5)
    html = client.get(article.get_absolute_url()).text
    shown = [b for b in bodies(html) if b.startswith("Reply")]
    assert shown == [f"Reply {n}" for n in range(REPLIES_SHOWN)]
    thread_url = reverse("comments:thread", args=[top[0].pk])
    assert f'<a href="{thread_url}">All {len(replies)} replies' in html

    thread = client.get(thread_url)
    assert thread.status_code == 200
    assert [b for b in bodies(thread.text) if b.startswith("Reply")] == [
        f"Reply {n}" for n in range(REPLIES_PER_PAGE)
    ]
    second = client.get(thread_url, {"page": 2}).text
    assert "Reply 54" in second
    # Every reply says whom it answers, with a link that finds the parent.
    assert f'In reply to <a href="{top[0].get_absolute_url()}">' in second


def test_a_comment_address_leads_to_wherever_it_is_shown(client):
    article, top, replies = busy_article(THREADS_PER_PAGE + 2, replies_to_first=8)
    late = top[THREADS_PER_PAGE + 1]
    response = client.get(late.get_absolute_url())
    assert response.status_code == 302
    assert response["Location"] == (
        f"{article.get_absolute_url()}?comments_page=2#comment-{late.pk}"
    )
    early_reply = client.get(replies[0].get_absolute_url())
    assert (
        early_reply["Location"]
        == f"{article.get_absolute_url()}#comment-{replies[0].pk}"
    )
    deep_reply = client.get(replies[-1].get_absolute_url())
    assert deep_reply["Location"] == (
        f"{reverse('comments:thread', args=[top[0].pk])}#comment-{replies[-1].pk}"
    )
    # The page it leads to does show it.
    page = client.get(response["Location"].split("#")[0]).text
    assert f'id="comment-{late.pk}"' in page

    Comment.objects.filter(pk=late.pk).update(status=Comment.Status.REJECTED)
    assert client.get(late.get_absolute_url()).status_code == 404
    assert client.get("/comments/999999999/").status_code == 404


def test_counts_follow_posting_moderation_and_deletion(editor):
    article = ArticleFactory()
    reader = Client()
    user = ReaderUserFactory()
    reader.force_login(user)

    def post(body, **extra):
        data = {"body": body, "submission_id": str(uuid.uuid4()), "website": ""}
        return reader.post(reverse("comments:post", args=[article.slug]), data | extra)

    def counts():
        found = CommentCount.objects.filter(article=article).first()
        return (found.approved, found.threads) if found else (0, 0)

    post("Held for moderation")
    assert counts() == (0, 0)
    admin = Client()
    admin.force_login(editor)
    changelist = reverse("admin:comments_comment_changelist")
    first = Comment.objects.get()
    admin.post(changelist, {"action": "approve", "_selected_action": [first.pk]})
    assert counts() == (1, 1)
    post("Published at once", parent=first.pk)
    assert counts() == (2, 1)
    admin.post(changelist, {"action": "reject", "_selected_action": [first.pk]})
    assert counts() == (1, 0)
    admin.post(
        changelist,
        {"action": "delete_selected", "_selected_action": [first.pk], "post": "yes"},
    )
    assert counts() == (0, 0)  # its reply went with it
    assert not Comment.objects.exists()


def queries_of(callable_):
    with CaptureQueriesContext(connection) as captured:
        callable_()
    return len(captured.captured_queries)


def test_posting_and_moderating_cost_the_same_on_a_busy_article(editor):
    quiet, _, _ = busy_article(1)
    busy, _, _ = busy_article(600, replies_to_first=50)
    author = ReaderUserFactory()
    Comment.objects.create(
        article=quiet, author=author, body="Trusted", status=Comment.Status.APPROVED
    )
    client = Client()
    client.force_login(author)
    admin = Client()
    admin.force_login(editor)
    changelist = reverse("admin:comments_comment_changelist")

    def post(article):
        data = {"body": "Hello", "submission_id": str(uuid.uuid4()), "website": ""}
        response = client.post(reverse("comments:post", args=[article.slug]), data)
        assert response.status_code == 302

    def moderate(article):
        comment = Comment.objects.filter(article=article).last()
        response = admin.post(
            changelist, {"action": "reject", "_selected_action": [comment.pk]}
        )
        assert response.status_code == 302

    def moderation_list(article):
        response = admin.get(changelist, {"article__id__exact": article.pk})
        assert response.status_code == 200

    for action in (post, moderate, moderation_list):
        assert queries_of(lambda a=action: a(quiet)) == queries_of(
            lambda a=action: a(busy)
        ), action.__name__


def test_the_flag_button_carries_the_pages_csrf_token():
    article, top, _ = busy_article(1)
    client = Client(enforce_csrf_checks=True)
    client.force_login(ReaderUserFactory())
    html = client.get(article.get_absolute_url()).text
    form = re.search(
        r'<form class="comment__flag" action="([^"]+)" method="post">'
        r'<input type="hidden" name="csrfmiddlewaretoken" value="([^"]+)">',
        html,
    )
    assert form and form.group(1) == reverse("comments:flag", args=[top[0].pk])
    response = client.post(form.group(1), {"csrfmiddlewaretoken": form.group(2)})
    assert response.status_code == 302
    assert top[0].flags.count() == 1


def test_comment_addresses_stay_in_the_edition_of_the_page(client):
    """The address prefix is reversed once per edition, never once for all: an
    Arabic page read first must not send English readers to /ar/."""
    arabic = ArticleFactory(language="ar", headline="عودة العائلات")
    english = ArticleFactory(language="en", headline="Families return")
    arabic_comment = CommentFactory(article=arabic, body="شكراً")
    english_comment = CommentFactory(article=english, body="Thank you")
    arabic_page = client.get(arabic.get_absolute_url()).text
    english_page = client.get(english.get_absolute_url()).text
    assert f'href="/ar/comments/{arabic_comment.pk}/"' in arabic_page
    assert f'href="/comments/{english_comment.pk}/"' in english_page
    assert "/ar/comments/" not in english_page

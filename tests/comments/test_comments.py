import threading
import uuid
from datetime import timedelta

import pytest
import time_machine
from django.conf import settings
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from comments.models import Comment, CommentFlag
from comments.services import comments_forget_old_addresses
from readers.models import Reader
from tests.factories import (
    ArticleFactory,
    CommentFactory,
    ReaderUserFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def post(client, article, body="A thoughtful comment.", **extra):
    data = {"body": body, "submission_id": str(uuid.uuid4()), "website": ""} | extra
    return client.post(reverse("comments:post", args=[article.slug]), data)


@pytest.fixture
def reader_client():
    client = Client()
    user = ReaderUserFactory()
    client.force_login(user)
    client.user = user
    return client


def test_anonymous_readers_are_asked_to_log_in_or_sign_up(client):
    article = ArticleFactory()
    html = client.get(article.get_absolute_url()).text
    assert "Be the first to comment" in html
    assert "Log in</a> or <a" in html and "sign up</a> to comment" in html
    response = post(client, article)
    assert response.status_code == 302
    assert reverse("account_login") in response["Location"]
    assert not Comment.objects.exists()


def test_unconfirmed_reader_is_told_why_and_can_resend(client):
    user = UserFactory()
    Reader.objects.create(user=user, display_name="New")
    client.force_login(user)
    article = ArticleFactory()
    html = client.get(article.get_absolute_url()).text
    assert "Confirm your email address to comment." in html
    assert reverse("account_email") in html
    post(client, article)
    assert not Comment.objects.exists()


def test_first_comment_is_held_and_later_ones_publish_after_one_approval(
    reader_client, editor
):
    article = ArticleFactory()
    post(reader_client, article, "First comment")
    first = Comment.objects.get()
    assert first.status == Comment.Status.PENDING
    assert "First comment" not in reader_client.get(article.get_absolute_url()).text

    admin = Client()
    admin.force_login(editor)
    admin.post(
        reverse("admin:comments_comment_changelist"),
        {"action": "approve", "_selected_action": [first.pk]},
    )
    first.refresh_from_db()
    assert first.status == Comment.Status.APPROVED
    assert first.moderated_by == editor

    post(reader_client, article, "Second comment")
    assert Comment.objects.get(body="Second comment").status == Comment.Status.APPROVED
    html = reader_client.get(article.get_absolute_url()).text
    assert html.index("First comment") < html.index("Second comment")
    assert "Comments (2)" in html


def test_closed_articles_and_blocked_readers_take_no_comments(reader_client):
    closed = ArticleFactory(comments_open=False)
    assert (
        "Comments on this report are closed."
        in reader_client.get(closed.get_absolute_url()).text
    )
    post(reader_client, closed)
    assert not Comment.objects.exists()

    Reader.objects.filter(user=reader_client.user).update(blocked=True)
    article = ArticleFactory()
    post(reader_client, article)
    assert not Comment.objects.exists()


def test_comment_text_is_escaped_and_links_get_rel(reader_client):
    article = ArticleFactory()
    CommentFactory(
        article=article,
        body='<script>alert(1)</script> <b onclick="x">bold</b>\nsee https://example.org/a',
    )
    html = reader_client.get(article.get_absolute_url()).text
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<b onclick" not in html
    assert (
        '<a href="https://example.org/a" rel="nofollow ugc noopener">'
        "https://example.org/a</a>" in html
    )


@pytest.mark.parametrize(
    ("body", "error"),
    [
        ("", "This field is required."),
        ("x" * (settings.COMMENT_MAX_LENGTH + 1), "Ensure this value has at most"),
        ("https://a.example https://b.example https://c.example", "at most 2 links"),
    ],
)
def test_bad_comments_get_a_form_error_and_store_nothing(reader_client, body, error):
    article = ArticleFactory()
    response = post(reader_client, article, body)
    assert response.status_code == 400
    assert error in response.text
    assert not Comment.objects.exists()


def test_honeypot_and_nul_bytes(reader_client):
    article = ArticleFactory()
    response = post(reader_client, article, "Buy now", website="https://spam.example")
    assert response.status_code == 400
    assert not Comment.objects.exists()
    response = post(reader_client, article, "Hello\x00 there")
    assert response.status_code == 400
    assert "Null characters are not allowed." in response.text
    assert not Comment.objects.exists()


def test_one_level_of_replies(reader_client):
    article = ArticleFactory()
    top = CommentFactory(article=article)
    post(reader_client, article, "A reply", parent=top.pk)
    reply = Comment.objects.get(body="A reply")
    assert reply.parent == top
    reply.status = Comment.Status.APPROVED
    reply.save()
    response = post(reader_client, article, "Reply to a reply", parent=reply.pk)
    assert response.status_code == 400
    assert "can no longer be replied to" in response.text
    html = reader_client.get(article.get_absolute_url()).text
    assert 'class="comment-replies"' in html and "A reply" in html


def test_a_double_submit_stores_one_comment(reader_client):
    article = ArticleFactory()
    submission = str(uuid.uuid4())
    post(reader_client, article, "Once", submission_id=submission)
    post(reader_client, article, "Once", submission_id=submission)
    assert Comment.objects.count() == 1


def test_comment_posting_is_rate_limited_with_a_429(reader_client, settings):
    settings.COMMENT_RATE_LIMITS = [(2, 60, "user")]
    article = ArticleFactory()
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        responses = [post(reader_client, article, f"Comment {n}") for n in range(3)]
        assert [r.status_code for r in responses] == [302, 302, 429]
        assert responses[2]["Retry-After"] == "61"
        assert Comment.objects.count() == 2
        traveller.shift(timedelta(seconds=61))
        assert post(reader_client, article, "Later").status_code == 302


def test_comments_from_one_address_are_limited_across_accounts(settings):
    settings.COMMENT_RATE_LIMITS = [(2, 60, "ip")]
    article = ArticleFactory()
    codes = []
    for _ in range(3):
        client = Client(REMOTE_ADDR="198.51.100.4")
        client.force_login(ReaderUserFactory())
        codes.append(post(client, article).status_code)
    assert codes == [302, 302, 429]
    other = Client(REMOTE_ADDR="198.51.100.5")
    other.force_login(ReaderUserFactory())
    assert post(other, article).status_code == 302


def test_addresses_are_hashed_never_stored_and_forgotten(reader_client):
    article = ArticleFactory()
    reader_client.post(
        reverse("comments:post", args=[article.slug]),
        {"body": "Hi", "submission_id": str(uuid.uuid4())},
        REMOTE_ADDR="203.0.113.7",
    )
    comment = Comment.objects.get()
    assert comment.ip_hash and "203.0.113.7" not in comment.ip_hash
    assert len(comment.ip_hash) == 64
    Comment.objects.update(created_at=timezone.now() - timedelta(days=8))
    assert comments_forget_old_addresses() == 1
    assert Comment.objects.get().ip_hash == ""


def test_readers_flag_comments_for_editors(reader_client, editor):
    comment = CommentFactory()
    response = reader_client.post(reverse("comments:flag", args=[comment.pk]))
    assert response.status_code == 302
    reader_client.post(reverse("comments:flag", args=[comment.pk]))
    assert CommentFlag.objects.get().comment == comment


def test_moderation_queue_lists_pending_first_and_filters(client, editor):
    article = ArticleFactory()
    CommentFactory(article=article, body="Old approved")
    pending = CommentFactory(article=article, body="Needs a look", status="pending")
    client.force_login(editor)
    url = reverse("admin:comments_comment_changelist")
    response = client.get(url)
    assert response.status_code == 200
    assert response.context["cl"].result_list[0] == pending
    for query in [
        "?status__exact=pending",
        f"?article__id__exact={article.pk}",
        f"?author__id__exact={pending.author_id}",
    ]:
        assert client.get(url + query).status_code == 200
    client.post(url, {"action": "mark_spam", "_selected_action": [pending.pk]})
    assert Comment.objects.get(pk=pending.pk).status == "spam"
    client.post(url, {"action": "block_authors", "_selected_action": [pending.pk]})
    assert Reader.objects.get(user=pending.author).blocked


def test_deleting_an_account_keeps_comments_anonymised(reader_client):
    comment = CommentFactory(author=reader_client.user, body="My old comment")
    response = reader_client.post(
        reverse("readers:delete"), {"password": "correct-horse-battery"}
    )
    assert response.status_code == 302
    comment.refresh_from_db()
    assert comment.author is None
    html = Client().get(comment.article.get_absolute_url()).text
    assert "My old comment" in html and "A former reader" in html


def test_deleting_an_account_needs_the_password(reader_client):
    response = reader_client.post(reverse("readers:delete"), {"password": "wrong"})
    assert response.status_code == 200
    assert "That is not your password." in response.text
    assert Reader.objects.exists()


def test_article_page_with_comments_keeps_its_query_budget(
    client, django_assert_num_queries
):
    article = ArticleFactory()
    for _ in range(5):
        top = CommentFactory(article=article)
        CommentFactory(article=article, parent=top)
    # The article page's fifteen, plus one for every reply at once; then the
    # article's version and the versions of the kept parts of pages.
    with django_assert_num_queries(16):
        response = client.get(article.get_absolute_url())
    assert "Comments (10)" in response.text
    with django_assert_num_queries(2):
        assert client.get(article.get_absolute_url()).text == response.text


@pytest.mark.django_db(transaction=True)
def test_fifty_comments_from_ten_threads_are_each_stored_once(settings):
    settings.COMMENT_RATE_LIMITS = [(100, 60, "user")]
    article = ArticleFactory()
    users = [ReaderUserFactory() for _ in range(10)]
    errors = []

    def write(user):
        try:
            client = Client()
            client.force_login(user)
            for n in range(5):
                response = post(client, article, f"{user.username} comment {n}")
                if response.status_code != 302:
                    errors.append(response.status_code)
        finally:
            connection.close()

    threads = [threading.Thread(target=write, args=(user,)) for user in users]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    bodies = list(Comment.objects.values_list("body", flat=True))
    assert len(bodies) == 50
    assert len(set(bodies)) == 50

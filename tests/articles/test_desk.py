"""The desk on the admin home: what needs an editor (or a writer) now, with counts
and links, at a fixed number of queries."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from articles.models import Article
from articles.services import article_save
from comments.models import CommentFlag
from tests.factories import ArticleFactory, CommentFactory, ReaderUserFactory

pytestmark = pytest.mark.django_db

HOME = reverse("admin:index")


def section(html, key):
    return re.search(rf'id="desk-{key}".*?</table>', html, re.S).group(0)


def fill_the_desk(writer, rows):
    now = timezone.now()
    for n in range(rows):
        draft = ArticleFactory(
            status=Article.Status.DRAFT, created_by=writer, headline=f"Draft {n}"
        )
        draft.status = Article.Status.IN_REVIEW
        article_save(article=draft, user=writer, note=f"Note {n}", notify=False)
        ArticleFactory(
            status=Article.Status.SCHEDULED,
            published_at=now + timedelta(hours=n + 1),
            headline=f"Soon {n}",
        )
        ArticleFactory(headline=f"Live {n}")
        comment = CommentFactory(status="pending")
        shown = CommentFactory(article=comment.article)
        CommentFlag.objects.create(comment=shown, reporter=ReaderUserFactory())


def test_the_editor_sees_review_schedule_publication_and_comments(
    client, editor, writer
):
    fill_the_desk(writer, 2)
    client.force_login(editor)
    html = client.get(HOME).text
    review = section(html, "review")
    assert (
        "Waiting for review" in review
        and '<span class="desk__count">2</span>' in review
    )
    assert "submitted by writer-user" in review and "1 note" in review
    scheduled = section(html, "scheduled")
    first = Article.objects.get(headline="Soon 0")
    assert scheduled.index("Soon 0") < scheduled.index("Soon 1")
    assert first.public_state_label() in scheduled
    assert "Live 0" in section(html, "live") and "Soon" not in section(html, "live")
    comments = section(html, "comments")
    assert re.search(r"Waiting for moderation</a></th>\s*<td[^>]*>2<", comments)
    assert re.search(r"Flagged by readers</a></th>\s*<td[^>]*>2<", comments)
    assert "?status__exact=review" in review and "?flagged=yes" in comments


def test_a_writer_sees_their_own_work_and_no_comments(client, editor, writer):
    fill_the_desk(writer, 1)
    ArticleFactory(status=Article.Status.DRAFT, headline="Not mine")
    ArticleFactory(status=Article.Status.DRAFT, headline="My draft", created_by=writer)
    client.force_login(writer)
    html = client.get(HOME).text
    assert "My draft" in section(html, "draft")
    assert "Not mine" not in html
    assert "Draft 0" in section(html, "review")
    assert 'id="desk-comments"' not in html


@pytest.mark.parametrize("rows", [1, 4])
def test_the_desk_costs_the_same_queries_however_full(
    client, editor, writer, django_assert_num_queries, rows
):
    fill_the_desk(writer, rows)
    client.force_login(editor)
    # Session, user and two of permissions; the counts; the three lists; the
    # comments' two counts (pending, flagged); the admin's recent actions.
    with django_assert_num_queries(11):
        client.get(HOME)


def test_flagged_comments_are_listed_for_moderation(client, editor):
    comment = CommentFactory()
    CommentFlag.objects.create(comment=comment, reporter=ReaderUserFactory())
    CommentFactory()
    client.force_login(editor)
    response = client.get(reverse("admin:comments_comment_changelist") + "?flagged=yes")
    assert list(response.context["cl"].result_list) == [comment]

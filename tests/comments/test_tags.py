"""The comment section reaches any page through its template tags; the article
view itself knows nothing of comments."""

import uuid

import pytest
from django.contrib.auth.models import AnonymousUser
from django.template import Context, Template
from django.test import RequestFactory
from django.urls import reverse

from comments.forms import CommentForm
from comments.models import CommentPermission
from tests.factories import (
    ArticleFactory,
    CommentFactory,
    ReaderUserFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def render(template, user, **context):
    request = RequestFactory().get("/somewhere/")
    request.user = user
    return Template("{% load comment_tags %}" + template).render(
        Context({"request": request} | context)
    )


def test_the_section_lists_comments_with_replies_and_offers_the_form():
    article = ArticleFactory()
    top = CommentFactory(article=article, body="Top comment")
    CommentFactory(article=article, parent=top, body="A reply")
    CommentFactory(article=article, body="Waiting", status="pending")
    html = render("{% comment_section article %}", ReaderUserFactory(), article=article)
    assert "Comments (2)" in html
    assert "Top comment" in html and "A reply" in html and "Waiting" not in html
    assert html.count('class="comment-form"') == 2  # a reply form and a new one
    assert f'name="parent" value="{top.pk}"' in html


def test_the_section_tells_each_visitor_why_they_cannot_comment():
    article = ArticleFactory()
    html = render("{% comment_section article %}", AnonymousUser(), article=article)
    assert "Be the first to comment" in html
    assert reverse("account_signup") in html
    assert 'class="comment-form"' not in html

    blocked = ReaderUserFactory()
    blocked.reader.blocked = True
    blocked.reader.save()
    html = render("{% comment_section article %}", blocked, article=article)
    assert "Your account cannot post comments." in html

    closed = ArticleFactory(comments_open=False)
    html = render("{% comment_section article %}", ReaderUserFactory(), article=closed)
    assert "Comments on this report are closed." in html


def test_permission_carries_its_message():
    article = ArticleFactory()
    unconfirmed = UserFactory()
    assert CommentPermission.of(AnonymousUser(), article).needs_account
    assert CommentPermission.of(unconfirmed, article).needs_confirmation
    assert CommentPermission.of(unconfirmed, article).label == (
        "Confirm your email address before you comment."
    )
    assert CommentPermission.of(ReaderUserFactory(), article).allowed


def test_a_bound_form_keeps_the_text_and_shows_what_to_mend():
    article = ArticleFactory()
    submission = str(uuid.uuid4())
    form = CommentForm(
        {
            "body": "see https://a.example https://b.example https://c.example",
            "submission_id": submission,
        },
        article=article,
    )
    assert not form.is_valid()
    html = render(
        "{% comment_form article form=form %}",
        AnonymousUser(),
        article=article,
        form=form,
    )
    assert "https://c.example</textarea>" in html
    assert "at most 2 links" in html and 'aria-invalid="true"' in html
    assert f'value="{submission}"' in html  # the same submission: stored once


def test_an_invalid_comment_comes_back_on_its_own_page_with_the_text(client):
    article = ArticleFactory(headline="Water in Mosul")
    client.force_login(ReaderUserFactory())
    response = client.post(
        reverse("comments:post", args=[article.slug]),
        {"body": "x" * 4000, "submission_id": str(uuid.uuid4())},
    )
    assert response.status_code == 400
    assert "Your comment was not posted" in response.text
    assert f'href="{article.get_absolute_url()}#comments"' in response.text
    assert "x" * 4000 + "</textarea>" in response.text

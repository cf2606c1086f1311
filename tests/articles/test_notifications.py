"""Desk emails, through the background worker and a real SMTP server on loopback:
editors hear of submissions, writers of decisions and notes; anyone can opt out."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from articles.models import Article, StaffNotificationSettings
from articles.services import article_save
from tests.factories import (
    ArticleContributorFactory,
    ArticleFactory,
    ContributorFactory,
)
from tests.mail import free_port, run_worker

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def second_editor(django_user_model):
    user = django_user_model.objects.create_user(
        "second-editor", "second@example.org", "x", is_staff=True
    )
    user.groups.add(Group.objects.get(name="editor"))
    return user


def recipients(inbox):
    return sorted(message["To"] for message in inbox.messages)


def test_a_submission_tells_every_editor_but_one_who_opted_out(
    smtp, editor, second_editor, writer
):
    StaffNotificationSettings.objects.create(
        user=second_editor, email_on_submission=False
    )
    article = ArticleFactory(status=Article.Status.DRAFT, created_by=writer)
    article.status = Article.Status.IN_REVIEW
    change = article_save(article=article, user=writer, note="Ready, I think.")
    assert change.emails_queued == 1
    task = DBTaskResult.objects.get()
    # The task row holds ids only: no address, no text of the note.
    assert "@" not in str(task.args_kwargs) and "Ready" not in str(task.args_kwargs)
    run_worker()
    assert recipients(smtp) == ["editor@example.org"]
    text = smtp.text(smtp.messages[0])
    assert "writer-user submitted" in text
    assert "Ready, I think." in text
    assert f"/admin/articles/article/{article.pk}/change/" in text
    assert reverse("admin:articles_article_notifications") in text


def test_sending_back_publishing_and_notes_tell_the_writer_and_credited_staff(
    smtp, editor, writer, django_user_model
):
    colleague = django_user_model.objects.create_user(
        "colleague", "colleague@example.org", "x", is_staff=True
    )
    article = ArticleFactory(status=Article.Status.IN_REVIEW, created_by=writer)
    ArticleContributorFactory(
        article=article, contributor=ContributorFactory(user=colleague)
    )
    article.status = Article.Status.DRAFT
    article_save(article=article, user=editor, note="The second quote needs a name.")
    article_save(article=article, user=editor, note="And a date.")
    article.status = Article.Status.PUBLISHED
    article_save(article=article, user=editor)
    run_worker()
    subjects = sorted((m["To"], m["Subject"].split("] ")[1]) for m in smtp.messages)
    headline = article.headline
    assert subjects == [
        ("colleague@example.org", f"A note for you: {headline}"),
        ("colleague@example.org", f"Published: {headline}"),
        ("colleague@example.org", f"Sent back to you: {headline}"),
        ("writer@example.org", f"A note for you: {headline}"),
        ("writer@example.org", f"Published: {headline}"),
        ("writer@example.org", f"Sent back to you: {headline}"),
    ]
    assert any("The second quote needs a name." in smtp.text(m) for m in smtp.messages)


def test_no_email_to_whoever_acted_nor_to_an_opted_out_writer(smtp, editor, writer):
    StaffNotificationSettings.objects.create(user=writer, email_on_decision=False)
    mine = ArticleFactory(status=Article.Status.IN_REVIEW, created_by=editor)
    theirs = ArticleFactory(status=Article.Status.IN_REVIEW, created_by=writer)
    for article in (mine, theirs):
        article.status = Article.Status.SCHEDULED
        article.published_at = timezone.now() + timedelta(hours=3)
        assert article_save(article=article, user=editor).emails_queued == 0
    run_worker()
    assert smtp.messages == []


def test_turning_desk_emails_off_in_the_admin(client, writer):
    client.force_login(writer)
    url = reverse("admin:articles_article_notifications")
    assert client.get(url).status_code == 200
    response = client.post(url, {"email_on_submission": "on"})
    assert response.status_code == 302
    settings = StaffNotificationSettings.objects.get(user=writer)
    assert settings.email_on_submission and not settings.email_on_decision


def test_a_mail_server_that_is_down_is_tried_again_later(settings, editor, writer):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", free_port()  # nothing
    settings.EMAIL_TIMEOUT = 2
    article = ArticleFactory(status=Article.Status.DRAFT, created_by=writer)
    article.status = Article.Status.IN_REVIEW
    article_save(article=article, user=writer)
    run_worker()
    retry = DBTaskResult.objects.filter(status="READY").get()
    assert retry.args_kwargs["args"][-1] == 2  # the second attempt
    assert retry.run_after > timezone.now()

"""No lost work: the edit lock, autosave, notes between editor and writer, and
the length of what is being written."""

from datetime import timedelta

import pytest
import time_machine
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import timezone

from articles.models import Article, ArticleAutosave, ArticleLock
from tests.articles.test_admin import article_form
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def second_editor(django_user_model):
    user = django_user_model.objects.create_user(
        "second-editor", "second@example.org", "x", is_staff=True
    )
    user.groups.add(Group.objects.get(name="editor"))
    return user


def change_url(article):
    return reverse("admin:articles_article_change", args=[article.pk])


def test_a_second_editor_sees_who_is_editing_and_can_take_over(
    client, editor, second_editor
):
    article = ArticleFactory(status=Article.Status.DRAFT)
    client.force_login(editor)
    client.get(change_url(article))
    client.force_login(second_editor)
    page = client.get(change_url(article)).text
    assert "<strong>editor-user</strong> has been editing this article since" in page
    # Saving over the first editor's work is refused; nothing typed is lost.
    response = client.post(
        change_url(article), article_form(slug=article.slug, headline="Mine now")
    )
    assert response.status_code == 200
    assert "editor-user has been editing this article since" in response.text
    assert 'value="Mine now"' in response.text
    article.refresh_from_db()
    assert article.headline != "Mine now"
    # Taking over is deliberate, and the first editor's page learns of it.
    take_over = reverse("admin:articles_article_lock_take_over", args=[article.pk])
    assert client.post(take_over).status_code == 302
    assert ArticleLock.objects.get().user == second_editor
    client.force_login(editor)
    lock = client.post(reverse("admin:articles_article_lock", args=[article.pk]))
    assert lock.json()["held"] is False
    assert lock.json()["holder"] == "second-editor"


def test_a_lock_nobody_keeps_alive_lapses(client, editor, second_editor):
    article = ArticleFactory(status=Article.Status.DRAFT)
    client.force_login(editor)
    client.get(change_url(article))
    client.force_login(second_editor)
    with time_machine.travel(timezone.now() + timedelta(minutes=3)):
        page = client.get(change_url(article)).text
        assert "has been editing this article" not in page
        assert ArticleLock.objects.get().user == second_editor


def test_saving_releases_the_lock_unless_editing_goes_on(client, editor):
    article = ArticleFactory(status=Article.Status.DRAFT)
    client.force_login(editor)
    client.get(change_url(article))
    data = article_form(slug=article.slug)
    client.post(change_url(article), data | {"_continue": "1"})
    assert ArticleLock.objects.filter(user=editor).exists()
    client.post(change_url(article), data)
    assert not ArticleLock.objects.exists()


def test_autosave_keeps_unsaved_work_until_saved_or_discarded(client, writer):
    article = ArticleFactory(status=Article.Status.DRAFT, created_by=writer)
    client.force_login(writer)
    autosave = reverse("admin:articles_article_autosave", args=[article.pk])
    response = client.post(
        autosave,
        {"headline": "Half a thought\x00", "body": "<p>Typed, not saved.</p>"},
    )
    assert response.status_code == 200
    kept = ArticleAutosave.objects.get()
    assert kept.data["headline"] == ["Half a thought"]  # NUL dropped
    page = client.get(change_url(article)).text
    assert "were never saved; they were kept for you" in page
    assert "Typed, not saved." in page  # in the data the restore button uses
    discard = reverse("admin:articles_article_autosave_discard", args=[article.pk])
    client.post(discard)
    assert not ArticleAutosave.objects.exists()
    client.post(autosave, {"headline": "Again"})
    client.post(change_url(article), article_form(slug=article.slug))
    assert not ArticleAutosave.objects.exists()


def test_a_new_article_is_autosaved_too_and_others_cannot_write_to_yours(
    client, writer, editor
):
    client.force_login(writer)
    response = client.post(
        reverse("admin:articles_article_autosave_new"), {"headline": "New"}
    )
    assert response.status_code == 200
    assert "kept for you" in client.get(reverse("admin:articles_article_add")).text
    someone_elses = ArticleFactory(status=Article.Status.DRAFT, created_by=editor)
    url = reverse("admin:articles_article_autosave", args=[someone_elses.pk])
    assert client.post(url, {"headline": "x"}).status_code == 403
    assert client.get(url).status_code == 404


def test_an_oversized_autosave_gets_a_clear_answer(client, writer):
    client.force_login(writer)
    response = client.post(
        reverse("admin:articles_article_autosave_new"), {"body": "x" * 2_100_000}
    )
    assert response.status_code == 413
    assert "save the article" in response.json()["error"]


def test_notes_reach_the_writer_and_never_the_public(client, editor, writer):
    article = ArticleFactory(status=Article.Status.IN_REVIEW, created_by=writer)
    client.force_login(editor)
    client.get(change_url(article))
    client.post(
        change_url(article),
        article_form(
            slug=article.slug, status="draft", note="Name the second source, please."
        ),
    )
    note = article.notes.get()
    assert note.author == editor and note.version == article.history.first()
    client.force_login(writer)
    assert "Name the second source, please." in client.get(change_url(article)).text
    history = reverse("admin:articles_article_history", args=[article.pk])
    assert "Name the second source, please." in client.get(history).text
    article.status = Article.Status.PUBLISHED
    article.save()
    client.logout()
    for url in [
        article.get_absolute_url(),
        reverse("articles:feed"),
        reverse("articles:search") + "?q=source",
    ]:
        assert "second source" not in client.get(url).text


def test_the_form_shows_words_and_reading_time(client, editor):
    words = " ".join(["word"] * 450)
    article = ArticleFactory(body=f"<p>{words}</p>")
    assert (article.word_count, article.reading_minutes) == (450, 3)
    client.force_login(editor)
    assert "450 words, about 3 min to read" in client.get(change_url(article)).text


def test_kept_changes_older_than_the_article_come_with_a_warning(client, writer):
    article = ArticleFactory(status=Article.Status.DRAFT, created_by=writer)
    client.force_login(writer)
    client.post(
        reverse("admin:articles_article_autosave", args=[article.pk]),
        {"headline": "Typed yesterday"},
    )
    with time_machine.travel(timezone.now() + timedelta(hours=1)):
        article.headline = "Saved by an editor since"
        article.save()
        page = client.get(change_url(article)).text
    assert "kept for you" in page
    assert "restoring them would undo what they saved" in page


def test_history_is_only_for_articles_one_may_see(client, writer):
    other = ArticleFactory(status=Article.Status.DRAFT)
    client.force_login(writer)
    history = reverse("admin:articles_article_history", args=[other.pk])
    assert client.get(history).status_code == 404
    version = reverse(
        "admin:articles_article_simple_history",
        args=[other.pk, other.history.get().history_id],
    )
    assert client.get(version).status_code == 404

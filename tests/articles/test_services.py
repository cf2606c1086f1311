"""The one article service: every way an article changes refreshes what is derived
from it, and a version in History is whole."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from articles.models import Article, ArticleSlugRedirect
from articles.services import article_restore, article_save
from tests.articles.test_admin import article_form
from tests.factories import (
    ArticleContributorFactory,
    ArticleFactory,
    ContributorFactory,
    CorrectionFactory,
    ImageFactory,
    body_with_picture,
)

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:articles_article_changelist")


def found(word):
    return set(Article.objects.matching(word))


def _admin_save(client, article, words):
    client.post(
        reverse("admin:articles_article_change", args=[article.pk]),
        article_form(
            slug=article.slug,
            status="published",
            published_at=article.published_at,
            body=f"<p>{words}</p>",
        ),
    )


def _restore(client, article, words):
    first = article.history.earliest()
    article.body = f"<p>{words}</p>"
    article_save(article=article)
    client.post(
        reverse(
            "admin:articles_article_simple_history",
            args=[article.pk, first.history_id],
        )
    )


def _bulk_tag(client, article, words):
    client.post(
        CHANGELIST,
        {
            "action": "add_tags",
            "_selected_action": [article.pk],
            "apply": "1",
            "tags": words,
        },
    )


def _shell(client, article, words):
    article.body = f"<p>{words}</p>"
    article_save(article=article)


@pytest.mark.parametrize(
    ("write", "now_found", "now_gone"),
    [
        (_admin_save, "quinces", "apricots"),
        (_restore, "apricots", "quinces"),  # the first version said apricots
        (_bulk_tag, "quinces", None),  # a tag is searchable; the body stays
        (_shell, "quinces", "apricots"),
    ],
    ids=["admin", "restore", "bulk-action", "shell"],
)
def test_every_write_path_refreshes_what_search_finds(
    client, editor, write, now_found, now_gone
):
    article = ArticleFactory(body="<p>Apricots.</p>")
    client.force_login(editor)
    write(client, article, "Quinces")
    assert found(now_found) == {article}
    if now_gone:
        assert found(now_gone) == set()
    assert article.history.count() >= 2


def test_a_version_keeps_tags_bylines_and_corrections_with_the_fields(editor):
    article = ArticleFactory(tags=["Water", "Mosul"])
    ArticleContributorFactory(article=article, role="Reporting")
    CorrectionFactory(article=article, text="A date was wrong.")
    change = article_save(article=article, user=editor, reason="Checked")
    version = change.version
    assert version.history_user == editor
    assert version.history_change_reason == "Checked"
    assert version.related["tags"] == ["Mosul", "Water"]
    assert [c["role"] for c in version.related["credits"]] == ["Reporting"]
    assert [c["text"] for c in version.related["corrections"]] == ["A date was wrong."]


def test_a_bare_save_keeps_no_half_version():
    article = ArticleFactory()
    article.headline = "Changed in the shell without the service"
    article.save()
    assert article.history.count() == 1


def test_restore_says_what_could_not_come_back_and_keeps_later_corrections(editor):
    picture, lead = ImageFactory(), ImageFactory()
    gone = ContributorFactory(name="Moved away")
    article = ArticleFactory(body=body_with_picture(picture), lead_image=lead)
    ArticleContributorFactory(article=article, contributor=gone)
    first = article_save(article=article).version
    article.body, article.lead_image = "<p>Later.</p>", None
    article.article_contributors.all().delete()
    article_save(article=article)
    later = CorrectionFactory(article=article, text="Published since.")
    picture.delete()
    lead.delete()
    gone.delete()
    restored = article_restore(article=article, version=first, user=editor)
    article.refresh_from_db()
    assert article.body == "<p>One.</p>"
    assert article.lead_image is None
    assert not article.contributors.exists()
    assert list(article.corrections.all()) == [later]
    assert len(restored.left_out) == 3
    assert restored.change.version.history_change_reason.startswith(
        "Restored the version of"
    )


def test_restore_keeps_the_address_status_and_publication_time(editor):
    article = ArticleFactory(status=Article.Status.DRAFT, headline="Old words")
    first = article.history.get()
    article.headline = "New words"
    article.status = Article.Status.PUBLISHED
    article.slug = "new-address"
    article_save(article=article)
    article_restore(article=article, version=first, user=editor)
    article.refresh_from_db()
    assert article.headline == "Old words"
    assert (article.status, article.slug) == ("published", "new-address")


def test_an_address_read_while_live_is_kept_even_before_a_rename():
    article = ArticleFactory(slug="first")
    article.status = Article.Status.UNPUBLISHED
    article_save(article=article)
    assert ArticleSlugRedirect.objects.get().old_slug == "first"
    article.slug = "second"
    article_save(article=article)  # not public: nothing new to keep
    assert ArticleSlugRedirect.objects.count() == 1


def test_a_never_public_draft_leaves_no_old_addresses():
    article = ArticleFactory(slug="draft-one", status=Article.Status.DRAFT)
    article.slug = "draft-two"
    article_save(article=article)
    future = ArticleFactory(
        slug="soon",
        status=Article.Status.SCHEDULED,
        published_at=timezone.now() + timedelta(hours=1),
    )
    future.slug = "later"
    article_save(article=future)
    assert not ArticleSlugRedirect.objects.exists()


def test_the_picture_index_follows_the_body():
    first, second = ImageFactory(), ImageFactory()
    article = ArticleFactory(
        body=body_with_picture(first) + body_with_picture(second, before="")
    )
    assert [p.image for p in article.inline_images.all()] == [first, second]
    article.body = body_with_picture(second)
    article_save(article=article)
    assert [p.image for p in article.inline_images.all()] == [second]
    first.delete()  # no longer used: the library lets it go


def test_submitting_stamps_who_and_when(writer):
    article = ArticleFactory(status=Article.Status.DRAFT, created_by=writer)
    article.status = Article.Status.IN_REVIEW
    article_save(article=article, user=writer)
    article.refresh_from_db()
    assert article.submitted_by == writer
    assert article.submitted_at is not None

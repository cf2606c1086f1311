"""The large archive's seed command: reproducible, fast, and never in the site's
own database. The benchmark seeds the full size; here it is a few dozen rows."""

import os

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from articles.models import Article, TaggedArticle
from comments.models import Comment, CommentCount
from contributors.models import Contributor
from demo.archive import ArchiveSize, seed_archive
from tests.factories import ArticleFactory

TINY = ArchiveSize(
    articles=40,
    comments=300,
    tags=30,
    contributors=10,
    readers=20,
    partners=2,
    pictures=1,
    picture_size=(240, 160),
    viral_articles=1,
    viral_comments=150,
    years=1,
)


def this_database_url():
    settings = connection.settings_dict
    host = settings["HOST"].replace("/", "%2F")
    return f"postgres://{settings['USER']}@{host}/{settings['NAME']}"


def snapshot():
    return (
        list(
            Article.objects.order_by("pk").values_list("headline", "status", "language")
        ),
        list(TaggedArticle.objects.order_by("pk").values_list("tag__name", flat=True)),
        list(Comment.objects.order_by("pk").values_list("body", "status", "parent_id")),
    )


@pytest.mark.django_db
def test_a_seed_gives_the_same_archive_every_time(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    seed_archive(size=TINY, seed=5)
    first = snapshot()
    Article.objects.all().delete()
    Comment.objects.all().delete()
    TaggedArticle.objects.all().delete()
    from taggit.models import Tag

    Tag.objects.all().delete()
    seed_archive(size=TINY, seed=5)
    second = snapshot()
    # The same reports, tags and comments (keys differ: they come afresh).
    assert first[0] == second[0] and first[1] == second[1]
    assert [c[:2] for c in first[2]] == [c[:2] for c in second[2]]


@pytest.mark.django_db
def test_the_archive_has_the_spread_of_a_real_one(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    seed_archive(size=TINY, seed=5)
    assert Article.objects.count() == 40
    assert Comment.objects.count() == 300
    assert set(Article.objects.values_list("language", flat=True)) >= {"en"}
    assert Article.objects.published().count() < 40  # drafts and scheduled too
    identities = set(Contributor.objects.values_list("identity", flat=True))
    assert Contributor.Identity.NAMED in identities
    statuses = set(Comment.objects.values_list("status", flat=True))
    assert {"approved", "pending"} <= statuses
    assert Comment.objects.exclude(parent=None).exists()
    busiest = CommentCount.objects.order_by("-approved").first()
    assert (
        busiest.approved
        == Comment.objects.approved().filter(article=busiest.article).count()
    )
    assert busiest.approved > 100  # the viral one
    # Pictures are real, from the pipeline, and shared.
    leads = Article.objects.exclude(lead_image=None)
    assert leads.values("lead_image").distinct().count() == 1
    assert leads.first().lead_image.renditions
    # Search works on the seeded reports.
    assert Article.objects.published().search("water").exists()


def test_the_site_database_is_refused(monkeypatch):
    monkeypatch.delenv("DATABASE_URL", raising=False)
    with pytest.raises(CommandError, match="site's own database"):
        call_command("seed_archive", "--database-url", this_database_url())
    monkeypatch.setenv("DATABASE_URL", "postgres://someone@db.example.org/newsroom")
    with pytest.raises(CommandError, match="give the archive a database"):
        call_command("seed_archive")


@pytest.mark.django_db(transaction=True)
def test_a_database_with_other_articles_is_refused_and_an_empty_one_seeded(
    monkeypatch, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    url = this_database_url()
    monkeypatch.setenv("DATABASE_URL", url)
    ArticleFactory(headline="A report the site wrote")
    sizes = ["--articles", "40", "--comments", "300", "--tags", "30"]
    sizes += ["--contributors", "10", "--readers", "20", "--pictures", "1"]
    with pytest.raises(CommandError, match="seed_archive did not write"):
        call_command("seed_archive", "--database-url", url, *sizes)
    assert Article.objects.filter(headline="A report the site wrote").exists()

    Article.objects.all().delete()
    call_command("seed_archive", "--database-url", url, *sizes)
    assert Article.objects.count() == 40
    # The same sizes again: kept, not seeded twice.
    call_command("seed_archive", "--database-url", url, *sizes)
    assert Article.objects.count() == 40
    with connection.cursor() as cursor:
        name = connection.ops.quote_name(connection.settings_dict["NAME"])
        cursor.execute(f"COMMENT ON DATABASE {name} IS NULL")
    assert os.environ["DATABASE_URL"] == url

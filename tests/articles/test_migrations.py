"""Pictures placed “after paragraph N” before the body editor placed them at the
cursor keep their place, paragraph 0 included."""

from datetime import timedelta

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from articles.models import Article
from tests.factories import ImageFactory

pytestmark = pytest.mark.django_db

BEFORE = [("articles", "0001_initial")]
AFTER = [("articles", "0002_body_pictures")]


def migrate(targets):
    # Rows written in this test's transaction are checked now, so that the
    # tables can change under them.
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


def latest(app_label):
    """The app's newest migration, where the test leaves the database."""
    return MigrationExecutor(connection).loader.graph.leaf_nodes(app_label)


def test_after_paragraph_pictures_move_into_the_body_where_they_stood(client):
    first, second = ImageFactory(), ImageFactory()
    old = migrate(BEFORE)
    try:
        OldArticle = old.get_model("articles", "Article")
        Placement = old.get_model("articles", "ArticleImage")
        article = OldArticle.objects.create(
            headline="Old",
            slug="old",
            status="published",
            published_at=timezone.now() - timedelta(hours=1),
            body="<p>One</p><h2>Two</h2>",
            preview_key="7a3b7fba-2a5e-4bd0-9f11-1f58fb5e4f3c",
        )
        Placement.objects.create(article=article, image_id=first.pk, after_paragraph=0)
        Placement.objects.create(
            article=article,
            image_id=second.pk,
            after_paragraph=1,
            caption="Placed <here>",
        )
        Placement.objects.create(article=article, image_id=first.pk, after_paragraph=99)
        migrate(AFTER)
    finally:
        migrate(latest("articles"))
    article = Article.objects.get(slug="old")
    assert article.body == (
        f'<figure data-image="{first.pk}"></figure><p>One</p>'
        f'<figure data-image="{second.pk}"><figcaption>Placed &lt;here&gt;'
        "</figcaption></figure>"
        f'<h2>Two</h2><figure data-image="{first.pk}"></figure>'
    )
    assert [(p.image_id, p.position) for p in article.inline_images.all()] == [
        (first.pk, 0),
        (second.pk, 1),
    ]
    html = client.get(article.get_absolute_url()).text
    assert html.count("<figure") == 3

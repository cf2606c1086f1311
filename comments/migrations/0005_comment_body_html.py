from django.db import migrations, models

BATCH = 2000


def fill_body_html(apps, schema_editor):
    """Render the comments stored before body_html existed, a batch at a time
    (a row left empty is rendered when it is read: see Comment.html)."""
    from comments.models import comment_html

    Comment = apps.get_model("comments", "Comment")
    last = 0
    while True:
        batch = list(
            Comment.objects.filter(pk__gt=last, body_html="")
            .order_by("pk")
            .only("pk", "body")[:BATCH]
        )
        if not batch:
            return
        for comment in batch:
            comment.body_html = comment_html(comment.body)
        Comment.objects.bulk_update(batch, ["body_html"])
        last = batch[-1].pk


class Migration(migrations.Migration):
    dependencies = [
        ("comments", "0004_comment_guest_name"),
    ]

    operations = [
        migrations.AddField(
            model_name="comment",
            name="body_html",
            field=models.TextField(blank=True, default="", editable=False),
        ),
        migrations.RunPython(fill_body_html, migrations.RunPython.noop, elidable=True),
    ]

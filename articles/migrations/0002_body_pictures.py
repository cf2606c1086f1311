"""Pictures placed "after paragraph N" move into the body, where the editor now
places them at the cursor: <figure data-image="…">, at the same place (0 before
the first block, past the end after the last), with the placement's caption.
ArticleImage becomes the index of the pictures a body shows."""

from html import escape
from html.parser import HTMLParser

from django.db import migrations, models


class _TopLevel(HTMLParser):
    """The top-level blocks of a stored body, as the renderer of the time saw
    them (loose text between blocks stays with the block before it)."""

    VOID = {"br", "hr", "img", "wbr"}

    def __init__(self):
        super().__init__(convert_charrefs=False)
        self.depth = 0
        self.starts = []

    def handle_starttag(self, tag, attrs):
        if self.depth == 0:
            self.starts.append(self._offset())
        if tag not in self.VOID:
            self.depth += 1

    def handle_startendtag(self, tag, attrs):
        if self.depth == 0:
            self.starts.append(self._offset())

    def handle_endtag(self, tag):
        if tag not in self.VOID:
            self.depth = max(self.depth - 1, 0)

    def _offset(self):
        line, column = self.getpos()
        return self.lines[line - 1] + column

    def cut(self, html):
        self.lines = [0]
        for line in html.splitlines(keepends=True):
            self.lines.append(self.lines[-1] + len(line))
        self.feed(html)
        self.close()
        bounds = self.starts + [len(html)]
        head = html[: bounds[0]]
        blocks = [html[a:b] for a, b in zip(bounds, bounds[1:])]
        return head, blocks


def move_pictures_into_bodies(apps, schema_editor):
    Article = apps.get_model("articles", "Article")
    ArticleImage = apps.get_model("articles", "ArticleImage")
    placed = ArticleImage.objects.order_by("article_id", "after_paragraph", "pk")
    by_article = {}
    for placement in placed:
        by_article.setdefault(placement.article_id, []).append(placement)
    for article in Article.objects.filter(pk__in=by_article):
        head, blocks = _TopLevel().cut(article.body)
        after = {}
        for placement in by_article[article.pk]:
            caption = placement.caption.strip()
            figure = f'<figure data-image="{placement.image_id}">'
            if caption:
                figure += f"<figcaption>{escape(caption, quote=False)}</figcaption>"
            after.setdefault(min(placement.after_paragraph, len(blocks)), []).append(
                figure + "</figure>"
            )
        body = "".join(after.get(0, [])) + head
        for number, block in enumerate(blocks, start=1):
            body += block + "".join(after.get(number, []))
        Article.objects.filter(pk=article.pk).update(body=body)
    # One index row per picture and article, in the order of the body.
    for placements in by_article.values():
        seen = set()
        for placement in placements:
            if placement.image_id in seen:
                placement.delete()
                continue
            seen.add(placement.image_id)
            ArticleImage.objects.filter(pk=placement.pk).update(position=len(seen) - 1)


class Migration(migrations.Migration):

    dependencies = [
        ("articles", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name='articleimage',
            name='position',
            field=models.PositiveSmallIntegerField(default=0, verbose_name='position'),
        ),
        migrations.RunPython(move_pictures_into_bodies, migrations.RunPython.noop),
        migrations.RemoveField(
            model_name='articleimage',
            name='after_paragraph',
        ),
        migrations.RemoveField(
            model_name='articleimage',
            name='caption',
        ),
        migrations.AlterModelOptions(
            name='articleimage',
            options={'ordering': ['position', 'pk'], 'verbose_name': 'picture in the body', 'verbose_name_plural': 'pictures in the body'},
        ),
        migrations.AddConstraint(
            model_name='articleimage',
            constraint=models.UniqueConstraint(fields=('article', 'image'), name='unique_article_body_image'),
        ),
    ]

"""“MOSUL” and “Mosul” are one tag: tags that differ only in case are merged into
the oldest, and the database refuses a new one."""

from django.db import migrations


def merge_tags_differing_in_case(apps, schema_editor):
    Tag = apps.get_model("taggit", "Tag")
    TaggedArticle = apps.get_model("articles", "TaggedArticle")
    TaggedItem = apps.get_model("taggit", "TaggedItem")
    keep = {}
    for tag in Tag.objects.order_by("pk"):
        kept = keep.setdefault(tag.name.lower(), tag)
        if kept.pk == tag.pk:
            continue
        for Through, owner in [
            (TaggedArticle, "content_object_id"),
            (TaggedItem, "object_id"),
        ]:
            for item in Through.objects.filter(tag=tag):
                same = {owner: getattr(item, owner), "tag": kept}
                if Through is TaggedItem:
                    same["content_type_id"] = item.content_type_id
                if Through.objects.filter(**same).exists():
                    item.delete()
                else:
                    Through.objects.filter(pk=item.pk).update(tag=kept)
        tag.delete()


class Migration(migrations.Migration):

    dependencies = [
        ("articles", "0003_editors_desk"),
        ("taggit", "0006_rename_taggeditem_content_type_object_id_taggit_tagg_content_8fc721_idx"),
    ]

    operations = [
        migrations.RunPython(merge_tags_differing_in_case, migrations.RunPython.noop),
        migrations.RunSQL(
            "CREATE UNIQUE INDEX taggit_tag_name_any_case ON taggit_tag (lower(name));",
            "DROP INDEX taggit_tag_name_any_case;",
        ),
    ]

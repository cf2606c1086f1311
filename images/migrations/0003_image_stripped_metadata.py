from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("images", "0002_pipeline"),
    ]

    operations = [
        migrations.AddField(
            model_name="image",
            name="stripped_metadata",
            field=models.JSONField(
                blank=True,
                editable=False,
                help_text="The hidden data the pipeline found and removed from the file; empty for pictures stored before the library kept this.",
                null=True,
                verbose_name="removed on upload",
            ),
        ),
    ]

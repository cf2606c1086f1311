import re
import secrets

from django.db import migrations, models

NEUTRAL_SLUG = re.compile(r"^contributor-[0-9a-f]{10}$")


def neutral_slugs_for_protected_contributors(apps, schema_editor):
    """Slugs made from a pseudonymous or withheld contributor's real name before
    the model made neutral ones: replace them (such contributors have no page, so
    no public address changes)."""
    Contributor = apps.get_model("contributors", "Contributor")
    protected = Contributor.objects.exclude(identity="named")
    for contributor in protected.only("pk", "slug"):
        if NEUTRAL_SLUG.match(contributor.slug):
            continue
        slug = f"contributor-{secrets.token_hex(5)}"
        while Contributor.objects.filter(slug=slug).exists():
            slug = f"contributor-{secrets.token_hex(5)}"
        Contributor.objects.filter(pk=contributor.pk).update(slug=slug)


class Migration(migrations.Migration):

    dependencies = [
        ('contributors', '0001_initial'),
    ]

    operations = [
        migrations.AlterField(
            model_name='contributor',
            name='slug',
            field=models.SlugField(blank=True, help_text="The address of a named contributor's page; leave empty to make it from the name. Pseudonymous and withheld contributors always get a random one that says nothing of them.", max_length=200, unique=True, verbose_name='slug'),
        ),
        migrations.RunPython(
            neutral_slugs_for_protected_contributors, migrations.RunPython.noop
        ),
    ]

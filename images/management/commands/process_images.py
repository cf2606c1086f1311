from collections import Counter

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand
from tqdm import tqdm

from images.models import Image
from images.processing import scrub
from images.services import ImageNotStored, image_save


class Command(BaseCommand):
    help = (
        "Scrub every stored image again (metadata removed, new random name) and "
        "remake its renditions; for pictures stored before the pipeline existed."
    )

    def handle(self, *args, **options):
        stripped = Counter()
        failed = []
        images = Image.objects.order_by("pk")
        for image in tqdm(images.iterator(), total=images.count(), unit="image"):
            try:
                with image.file.open("rb") as source:
                    clean = scrub(source.read())
            except (ValidationError, OSError) as exc:
                failed.append((image.pk, exc))
                continue
            earlier = image.stripped_metadata or []
            try:
                # The old file and renditions go once the new ones are stored.
                report = image_save(image=image, picture=clean)
            except ImageNotStored as exc:
                failed.append((image.pk, exc))
                continue
            if earlier:  # the same picture: what its upload lost still holds
                image.stripped_metadata = earlier + [
                    what for what in report.stripped if what not in earlier
                ]
                image.save(update_fields=["stripped_metadata"])
            stripped.update(report.stripped or ["nothing"])
        for what, count in sorted(stripped.items()):
            self.stdout.write(f"{count} image(s): removed {what}")
        for pk, exc in failed:
            self.stderr.write(f"Image {pk} could not be processed: {exc}")
        self.stdout.write(
            self.style.SUCCESS(f"Processed {sum(stripped.values())} image(s).")
        )

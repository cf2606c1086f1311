"""Saving the site identity: new pictures go through the image pipeline (the
logo as any picture, the icon with its square PNG sizes)."""

from django.db import transaction

from images.models import Image
from images.processing import CleanImage
from images.services import image_refresh_renditions, image_save
from masthead.models import SiteIdentity


@transaction.atomic
def site_identity_save(
    *,
    identity: SiteIdentity,
    logo: CleanImage | None = None,
    icon: CleanImage | None = None,
    user=None,
) -> SiteIdentity:
    """Save the identity; a new logo or icon picture (already scrubbed) is
    stored in the image library first. A library picture chosen as the icon
    gets its icon sizes if it has none yet."""
    if logo is not None:
        identity.logo = image_save(
            image=Image(alt_text=identity.name, uploaded_by=user), picture=logo
        ).image
    if icon is not None:
        identity.icon = image_save(
            image=Image(alt_text=identity.name, uploaded_by=user),
            picture=icon,
            icons=True,
        ).image
    elif identity.icon is not None and not identity.icon.sources("icon"):
        image_refresh_renditions(image=identity.icon, icons=True)
    identity.save()
    return identity

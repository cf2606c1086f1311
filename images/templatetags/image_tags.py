from django import template

register = template.Library()

FALLBACK_WIDTH = 640


@register.inclusion_tag("includes/picture.html")
def picture(image, sizes="100vw", kind="full", lazy=True, alt=None, css_class=""):
    """Responsive markup for a library image: WebP with a JPEG fallback, srcset and
    sizes, explicit width and height (no layout shift), lazy below the fold."""
    sources = image.sources(kind)
    jpeg = sources.get("jpg", [])
    webp = sources.get("webp", [])
    if jpeg:
        fitting = [item for item in jpeg if item[1] <= FALLBACK_WIDTH] or jpeg[:1]
        src, width, height = fitting[-1]
    else:  # renditions not made yet: the scrubbed file itself
        src, width, height = image.file.url, image.width, image.height
    return {
        "src": src,
        "width": width,
        "height": height,
        "jpeg_srcset": ", ".join(f"{url} {w}w" for url, w, _ in jpeg),
        "webp_srcset": ", ".join(f"{url} {w}w" for url, w, _ in webp),
        "sizes": sizes,
        "alt": image.alt_text if alt is None else alt,
        "lazy": lazy,
        "css_class": css_class,
    }


@register.simple_tag
def social_image_url(image):
    """The JPEG a social card shows: the widest full rendition up to 1280 px."""
    jpeg = [item for item in image.sources("full").get("jpg", []) if item[1] <= 1280]
    return jpeg[-1][0] if jpeg else image.file.url

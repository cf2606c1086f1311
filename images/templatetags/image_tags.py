from django import template

register = template.Library()

FALLBACK_WIDTH = 720
# Phones above 2x density get at most 2x pictures: on a small screen the eye cannot
# tell 3x from 2x, and a reader on a metered connection pays for every byte.
DENSE_PHONE = "(min-resolution: 2.5dppx) and (max-width: 44rem)"
DENSE_PHONE_MAX_WIDTH = 720


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

    def srcset(items, limit=None):
        return ", ".join(
            f"{url} {w}w" for url, w, _ in items if not limit or w <= limit
        )

    return {
        "src": src,
        "width": width,
        "height": height,
        "jpeg_srcset": srcset(jpeg),
        "webp_srcset": srcset(webp),
        "dense_phone": DENSE_PHONE,
        "dense_webp_srcset": srcset(webp, DENSE_PHONE_MAX_WIDTH),
        "dense_jpeg_srcset": srcset(jpeg, DENSE_PHONE_MAX_WIDTH),
        "sizes": sizes,
        "alt": image.alt_text if alt is None else alt,
        "lazy": lazy,
        "css_class": css_class,
    }

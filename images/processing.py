"""The one pipeline every picture goes through, built on Pillow.

Source safety: an upload is decoded only if it really is JPEG, PNG, WebP or GIF
(by content, not by name), within size, pixel and frame limits; orientation is
applied to the pixels; then a new file is encoded from the pixels alone, carrying
the colour profile and nothing else: no EXIF (GPS, camera serial, owner, times),
no XMP, no IPTC, no maker notes, no embedded thumbnail, no comment or text chunk.
Trailing bytes (HTML after a PNG, say) cannot survive a re-encode. The original
bytes stay in memory and are never written anywhere.
"""

import hashlib
import io
import uuid
import warnings
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, ImageSequence, UnidentifiedImageError

ALLOWED_FORMATS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp", "GIF": "gif"}
# 360 and 720 fit the commonest phones at 1x and 2x exactly.
RENDITION_WIDTHS = (360, 480, 720, 960, 1280, 1920)
CARD_WIDTHS = (320, 640)
CARD_RATIO = 3 / 2
# The site's icons: a favicon, the touch icon iOS asks for, and the two sizes
# Android's home screen uses. Square PNGs, cropped on the focal point.
ICON_SIZES = (32, 180, 192, 512)
JPEG_QUALITY = 82
WEBP_QUALITY = 72


@dataclass
class CleanImage:
    """A scrubbed picture, ready to store."""

    content: bytes
    format: str
    width: int
    height: int
    stripped: list[str] = field(default_factory=list)

    @property
    def extension(self) -> str:
        return ALLOWED_FORMATS[self.format]

    def random_name(self) -> str:
        # The uploaded name can identify a person or a place: it is never kept.
        return f"{uuid.uuid4().hex}.{self.extension}"


def found_metadata(picture: Image.Image) -> list[str]:
    """Names of the metadata a decoded file carried, for reports."""
    found = []
    info = picture.info
    exif = picture.getexif()
    if exif:
        found.append("EXIF")
        if exif.get_ifd(0x8825):
            found.append("GPS position")
        if 0xA431 in exif.get_ifd(0x8769) or 0xC62F in exif:
            found.append("camera serial number")
    for key, label in [
        ("xmp", "XMP"),
        ("XML:com.adobe.xmp", "XMP"),
        ("comment", "comment"),
        ("photoshop", "IPTC"),
        ("iptc", "IPTC"),
    ]:
        if info.get(key) and label not in found:
            found.append(label)
    applist = getattr(picture, "applist", None) or []
    if "IPTC" not in found and any(marker == "APP13" for marker, _ in applist):
        found.append("IPTC")
    text_chunks = [k for k in getattr(picture, "text", {}) if k != "XML:com.adobe.xmp"]
    if text_chunks:
        found.append("text chunks")
    return found


def too_large() -> ValidationError:
    mb = settings.IMAGE_MAX_UPLOAD_BYTES // 1_000_000
    return ValidationError(_("The file is larger than %(mb)d MB.") % {"mb": mb})


def scrub(data: bytes) -> CleanImage:
    """Validate an upload and re-encode it without metadata; raises
    ValidationError with a message an editor can act on."""
    if len(data) > settings.IMAGE_MAX_UPLOAD_BYTES:
        raise too_large()
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            picture = Image.open(io.BytesIO(data), formats=list(ALLOWED_FORMATS))
            fmt = picture.format
            width, height = picture.size
            if width * height > settings.IMAGE_MAX_PIXELS:
                raise ValidationError(
                    _(
                        "The picture is %(w)d by %(h)d pixels; the most we accept is "
                        "%(mp)d megapixels."
                    )
                    % {
                        "w": width,
                        "h": height,
                        "mp": settings.IMAGE_MAX_PIXELS // 1_000_000,
                    }
                )
            frames = getattr(picture, "n_frames", 1)
            if frames > settings.IMAGE_MAX_FRAMES:
                raise ValidationError(
                    _("The animation has %(n)d frames; the most we accept is %(max)d.")
                    % {"n": frames, "max": settings.IMAGE_MAX_FRAMES}
                )
            stripped = found_metadata(picture)
            picture.load()
            content = _encode(picture, fmt, frames)
    except ValidationError:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise ValidationError(
            _(
                "The picture has far too many pixels; the most we accept is "
                "%(mp)d megapixels."
            )
            % {"mp": settings.IMAGE_MAX_PIXELS // 1_000_000}
        ) from None
    except UnidentifiedImageError:
        raise ValidationError(
            _(
                "This is not a JPEG, PNG, WebP or GIF picture. Other formats "
                "(SVG, TIFF, BMP, PDF, PSD, EPS…) are not accepted."
            )
        ) from None
    except (OSError, SyntaxError, ValueError, EOFError):
        raise ValidationError(
            _("The picture is damaged or incomplete; please upload it again.")
        ) from None
    result = Image.open(io.BytesIO(content))
    return CleanImage(content, fmt, result.width, result.height, stripped)


def _pixels_only(picture: Image.Image) -> Image.Image:
    """A copy with the pixels (orientation applied) and no metadata at all."""
    upright = ImageOps.exif_transpose(picture)
    clean = upright.copy()
    clean.info = {
        k: v
        for k, v in upright.info.items()
        if k in {"transparency", "duration", "loop"}
    }
    return clean


def _encode(picture: Image.Image, fmt: str, frames: int) -> bytes:
    icc = picture.info.get("icc_profile")
    out = io.BytesIO()
    options = {"icc_profile": icc} if icc else {}
    if frames > 1:
        sequence = [_pixels_only(frame) for frame in ImageSequence.Iterator(picture)]
        sequence[0].save(
            out,
            fmt,
            save_all=True,
            append_images=sequence[1:],
            duration=picture.info.get("duration", 100),
            loop=picture.info.get("loop", 0),
            **options,
        )
        return out.getvalue()
    clean = _pixels_only(picture)
    if fmt == "JPEG":
        if clean.mode not in {"RGB", "L", "CMYK"}:
            clean = clean.convert("RGB")
        clean.save(out, "JPEG", quality=90, optimize=True, **options)
    elif fmt == "WEBP":
        clean.save(out, "WEBP", quality=90, method=4, **options)
    else:
        clean.save(out, fmt, optimize=True, **options)
    return out.getvalue()


def crop_box(width: int, height: int, ratio: float, focus_x: float, focus_y: float):
    """The largest box of `ratio` inside the picture, centred on the focal point
    as far as the edges allow."""
    if width / height > ratio:
        box_w, box_h = round(height * ratio), height
    else:
        box_w, box_h = width, round(width / ratio)
    left = min(max(round(focus_x * width - box_w / 2), 0), width - box_w)
    top = min(max(round(focus_y * height - box_h / 2), 0), height - box_h)
    return (left, top, left + box_w, top + box_h)


def renditions(data: bytes, *, focus_x=0.5, focus_y=0.5):
    """Yield (kind, width, height, format, bytes) for every rendition of a scrubbed
    picture: full-frame widths for articles and 3:2 crops for cards, each as WebP
    and a JPEG fallback, never wider than the source."""
    picture = Image.open(io.BytesIO(data))
    picture.load()
    icc = picture.info.get("icc_profile")
    base = picture.convert("RGBA" if _has_alpha(picture) else "RGB")
    widths = [w for w in RENDITION_WIDTHS if w <= base.width]
    if base.width < RENDITION_WIDTHS[-1] and base.width not in widths:
        widths.append(base.width)  # the picture's own width, never upscaled
    plans = [("full", base, w) for w in widths]
    card = base.crop(crop_box(base.width, base.height, CARD_RATIO, focus_x, focus_y))
    plans += [("card", card, w) for w in CARD_WIDTHS if w <= card.width] or [
        ("card", card, card.width)
    ]
    for kind, source, width in plans:
        height = max(round(source.height * width / source.width), 1)
        resized = source.resize((width, height), Image.Resampling.LANCZOS)
        for fmt in ("WEBP", "JPEG"):
            out = io.BytesIO()
            image = resized if fmt == "WEBP" else _flatten(resized)
            options = {"icc_profile": icc} if icc else {}
            if fmt == "WEBP":
                # libwebp's slowest method takes over a second per rendition on
                # a picture with transparency (a logo), for a few per cent.
                method = 4 if image.mode == "RGBA" else 6
                image.save(out, "WEBP", quality=WEBP_QUALITY, method=method, **options)
            else:
                image.save(
                    out,
                    "JPEG",
                    quality=JPEG_QUALITY,
                    optimize=True,
                    progressive=True,
                    **options,
                )
            yield kind, width, height, fmt, out.getvalue()


def icon_renditions(data: bytes, *, focus_x=0.5, focus_y=0.5):
    """Yield ("icon", size, size, "PNG", bytes) for every icon size the picture
    is large enough for (never upscaled), cropped square on the focal point."""
    picture = Image.open(io.BytesIO(data))
    picture.load()
    base = picture.convert("RGBA" if _has_alpha(picture) else "RGB")
    square = base.crop(crop_box(base.width, base.height, 1, focus_x, focus_y))
    for size in ICON_SIZES:
        if size > square.width:
            continue
        resized = square.resize((size, size), Image.Resampling.LANCZOS)
        out = io.BytesIO()
        resized.save(out, "PNG", optimize=True)
        yield "icon", size, size, "PNG", out.getvalue()


def _has_alpha(picture: Image.Image) -> bool:
    return picture.mode in {"RGBA", "LA"} or "transparency" in picture.info


def _flatten(picture: Image.Image) -> Image.Image:
    if picture.mode != "RGBA":
        return picture
    background = Image.new("RGB", picture.size, (255, 255, 255))
    background.paste(picture, mask=picture.getchannel("A"))
    return background


def content_hash(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()[:16]

"""The accent colour and WCAG contrast: the one place that knows the paper
colours of static/css/site.css and what an accent must reach on them.

An editor picks one accent. It must reach AA contrast (4.5:1, for links and
button text) on the light paper and tint as it is. No colour reaches 4.5:1 on
both a white and a near-black page, so dark mode uses the same hue made
lighter, just as far as AA needs: `dark_variant`.
"""

import colorsys
import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

# Keep in step with :root in static/css/site.css.
DEFAULT_ACCENT = "#9b1c1c"
LIGHT_BACKGROUNDS = ("#ffffff", "#f5f2ec")  # paper, tint
DARK_BACKGROUNDS = ("#121212", "#1f1d1a")  # paper, tint in dark mode
AA = 4.5
HEX = re.compile(r"^#[0-9a-f]{6}$")


def normalise(value: str) -> str:
    """ "#ABC", "abc123" or " #AbC123 " as "#aabbcc"; other text unchanged."""
    text = value.strip().lower()
    if not text.startswith("#"):
        text = f"#{text}"
    if re.fullmatch(r"#[0-9a-f]{3}", text):
        text = "#" + "".join(ch * 2 for ch in text[1:])
    return text


def rgb(colour: str) -> tuple[int, int, int]:
    return tuple(int(colour[i : i + 2], 16) for i in (1, 3, 5))


def hex_of(red: float, green: float, blue: float) -> str:
    return "#" + "".join(
        f"{round(max(0, min(1, c)) * 255):02x}" for c in (red, green, blue)
    )


def luminance(colour: str) -> float:
    """Relative luminance as WCAG 2 defines it."""

    def linear(channel: int) -> float:
        c = channel / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (linear(c) for c in rgb(colour))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(first: str, second: str) -> float:
    """The WCAG 2 contrast ratio of two colours, from 1 to 21."""
    lighter, darker = sorted((luminance(first), luminance(second)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def worst_contrast(colour: str, backgrounds) -> float:
    return min(contrast(colour, background) for background in backgrounds)


def _with_lightness(colour: str, lightness: float) -> str:
    hue, _, saturation = colorsys.rgb_to_hls(*(c / 255 for c in rgb(colour)))
    return hex_of(*colorsys.hls_to_rgb(hue, lightness, saturation))


def _shift_until(colour: str, backgrounds, step: float) -> str:
    """The same hue and saturation, lighter (step > 0) or darker (step < 0), in
    small steps until AA holds on every background."""
    lightness = colorsys.rgb_to_hls(*(c / 255 for c in rgb(colour)))[1]
    candidate = colour
    while worst_contrast(candidate, backgrounds) < AA and 0 <= lightness <= 1:
        lightness += step
        candidate = _with_lightness(colour, max(0, min(1, lightness)))
    return candidate


def dark_variant(colour: str) -> str:
    """The accent for dark mode: the same hue, lightened until it reaches AA on
    the dark paper and tint (the colour itself when it does already)."""
    return _shift_until(colour, DARK_BACKGROUNDS, 0.01)


def light_suggestion(colour: str) -> str:
    """A darker shade of `colour` that reaches AA on the light paper and tint."""
    return _shift_until(colour, LIGHT_BACKGROUNDS, -0.01)


def validate_accent(value: str) -> None:
    """An accent is "#rrggbb" and reaches AA on the light paper and tint (the
    dark-mode variant is derived, and always does)."""
    if not HEX.match(value or ""):
        raise ValidationError(
            _("Give the colour as # and six hexadecimal digits, such as #9b1c1c."),
            code="format",
        )
    ratio = worst_contrast(value, LIGHT_BACKGROUNDS)
    if ratio < AA:
        raise ValidationError(
            _(
                "%(colour)s is too light: its contrast on the page's background is "
                "%(ratio).1f:1, and links and buttons need at least 4.5:1 to be "
                "readable (WCAG AA). A darker shade of it that passes: %(suggestion)s."
            ),
            code="contrast",
            params={
                "colour": value,
                "ratio": ratio,
                "suggestion": light_suggestion(value),
            },
        )

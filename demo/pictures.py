"""Pictures for the demo content, drawn here and never fetched: scenes of several
kinds (hills, a city, a river, a market, fields, a camp, a damaged street, a
portrait, a city at night), each in its own light and colours, then treated as a
camera would: depth of field, soft edges, grain and a vignette. The grain at two
scales makes them weigh what busy photographs weigh (about 1 bit per pixel as
WebP, 2 as JPEG), so page-weight measurements stay honest. Also the demo site's
logo and icon."""

import io
import math
import random

from PIL import Image, ImageChops, ImageDraw, ImageEnhance, ImageFilter

# Times of day: sky top, sky at the horizon, the light's tint, the sun's colour.
LIGHTS = {
    "dawn": ((92, 110, 160), (240, 190, 150), (255, 222, 190), (255, 236, 200)),
    "noon": ((70, 130, 200), (200, 220, 235), (255, 250, 240), (255, 252, 235)),
    "dusk": ((48, 52, 110), (235, 140, 90), (255, 200, 150), (255, 190, 120)),
    "haze": ((150, 160, 170), (215, 210, 200), (240, 235, 225), (250, 245, 230)),
    "night": ((8, 12, 30), (40, 46, 80), (255, 200, 130), (250, 240, 210)),
}
SANDSTONE = [(196, 170, 128), (181, 150, 110), (214, 190, 150), (160, 132, 96)]
CONCRETE = [(150, 150, 146), (128, 126, 122), (170, 168, 160)]
AWNINGS = [(178, 34, 34), (30, 90, 160), (220, 160, 30), (40, 120, 80), (200, 90, 40)]
PRODUCE = [(210, 60, 40), (240, 170, 40), (110, 160, 50), (230, 120, 30), (150, 40, 90)]


def _mix(a, b, t):
    return tuple(round(x + (y - x) * t) for x, y in zip(a, b, strict=True))


def _sky(draw, width, height, top, horizon, until):
    for y in range(until):
        draw.line([(0, y), (width, y)], fill=_mix(top, horizon, (y / until) ** 0.8))


def _ridge(rng, width, base, amplitude, step):
    points = []
    level = base
    for x in range(0, width + step, step):
        level += rng.uniform(-amplitude, amplitude) * 0.35
        level = min(max(level, base - amplitude), base + amplitude)
        points.append((x, level))
    return points


def _sun(draw, rng, width, height, colour, low=False):
    """A small sun; its glow comes from the sky's blur afterwards."""
    x = rng.randint(width // 6, width - width // 6)
    y = rng.randint(
        int(height * (0.3 if low else 0.08)), int(height * (0.42 if low else 0.3))
    )
    for radius, share in (
        (height // 9, 0.35),
        (height // 16, 0.7),
        (height // 40, 1.0),
    ):
        draw.ellipse(
            [x - radius, y - radius, x + radius, y + radius],
            fill=_mix(
                draw.im.getpixel((x, max(y - height // 8, 0)))[:3], colour, share
            ),
        )
    return x, y


def _clouds(picture, rng, until, colour):
    """Soft clouds across the sky's upper part."""
    width = picture.width
    mask = Image.new("L", (width, until), 0)
    draw = ImageDraw.Draw(mask)
    for _ in range(rng.randint(3, 9)):
        cx, cy = rng.uniform(0, width), rng.uniform(0, until * 0.6)
        for _ in range(rng.randint(4, 9)):
            rx, ry = (
                rng.uniform(width / 30, width / 9),
                rng.uniform(until / 40, until / 14),
            )
            ox, oy = (
                rng.uniform(-width / 12, width / 12),
                rng.uniform(-until / 30, until / 30),
            )
            draw.ellipse(
                [cx + ox - rx, cy + oy - ry, cx + ox + rx, cy + oy + ry],
                fill=rng.randint(60, 150),
            )
    mask = mask.filter(ImageFilter.GaussianBlur(until / 30))
    sky = picture.crop((0, 0, width, until))
    sky = Image.composite(Image.new("RGB", sky.size, colour), sky, mask)
    picture.paste(sky, (0, 0))


def _hills(rng, size, light):
    width, height = size
    top, horizon, _, sun = LIGHTS[light]
    picture = Image.new("RGB", size)
    draw = ImageDraw.Draw(picture)
    _sky(draw, width, height, top, horizon, height)
    _sun(draw, rng, width, height, sun, low=light in {"dawn", "dusk"})
    picture = picture.filter(ImageFilter.GaussianBlur(height / 60))
    _clouds(picture, rng, int(height * 0.6), _mix(horizon, (255, 255, 255), 0.5))
    draw = ImageDraw.Draw(picture)
    for layer in range(4):
        base = height * (0.5 + 0.12 * layer)
        haze = 0.55 - 0.17 * layer
        ground = _mix((70 + 20 * layer, 80, 50), horizon, max(haze, 0))
        points = [
            (0, height),
            *_ridge(rng, width, base, height / 14, width // 24),
            (width, height),
        ]
        draw.polygon(points, fill=ground)
    return picture


def _city(rng, size, light):
    width, height = size
    top, horizon, tint, sun = LIGHTS[light]
    picture = Image.new("RGB", size)
    draw = ImageDraw.Draw(picture)
    _sky(draw, width, height, top, horizon, height)
    if light != "night":
        _sun(draw, rng, width, height, sun, low=True)
    picture = picture.filter(ImageFilter.GaussianBlur(height / 50))
    draw = ImageDraw.Draw(picture)
    for row, scale in ((0, 0.55), (1, 0.8), (2, 1.0)):
        x = -rng.randint(0, 60)
        while x < width:
            w = rng.randint(width // 18, width // 7) * scale
            h = rng.uniform(0.18, 0.42) * height * scale
            ground = height * (0.72 + 0.1 * row)
            stone = rng.choice(SANDSTONE if rng.random() < 0.7 else CONCRETE)
            far = 0.55 - 0.25 * row
            colour = _mix(stone, horizon, max(far, 0))
            if light == "night":
                colour = _mix(colour, (10, 12, 25), 0.8)
            draw.rectangle([x, ground - h, x + w, height], fill=colour)
            if rng.random() < 0.12 and row < 2:  # a dome and a minaret
                draw.ellipse(
                    [
                        x + w * 0.2,
                        ground - h - w * 0.35,
                        x + w * 0.8,
                        ground - h + w * 0.25,
                    ],
                    fill=colour,
                )
                draw.rectangle(
                    [x + w * 0.9, ground - h * 1.6, x + w * 0.97, ground - h],
                    fill=colour,
                )
            lit = (
                (255, 214, 140)
                if light in {"night", "dusk"}
                else _mix(colour, (40, 40, 50), 0.55)
            )
            for wy in range(
                int(ground - h + 12 * scale), int(ground - 8), max(int(22 * scale), 8)
            ):
                for wx in range(
                    int(x + 8 * scale), int(x + w - 8 * scale), max(int(18 * scale), 7)
                ):
                    if rng.random() < (0.35 if light == "night" else 0.6):
                        draw.rectangle(
                            [wx, wy, wx + 7 * scale, wy + 10 * scale], fill=lit
                        )
            x += w + rng.randint(0, 12)
    street = _mix((60, 55, 50), tint, 0.15) if light != "night" else (15, 15, 20)
    draw.rectangle([0, height * 0.92, width, height], fill=street)
    return picture


def _river(rng, size, light):
    width, height = size
    top, horizon, _, sun = LIGHTS[light]
    water_line = int(height * rng.uniform(0.48, 0.58))
    upper = Image.new("RGB", (width, water_line))
    draw = ImageDraw.Draw(upper)
    _sky(draw, width, water_line, top, horizon, water_line)
    _sun(draw, rng, width, water_line * 2, sun, low=True)
    upper = upper.filter(ImageFilter.GaussianBlur(height / 70))
    _clouds(upper, rng, int(water_line * 0.8), _mix(horizon, (255, 255, 255), 0.45))
    draw = ImageDraw.Draw(upper)
    bank = _mix((70, 90, 55), horizon, 0.35)
    draw.polygon(
        [
            (0, water_line),
            *_ridge(rng, width, water_line * 0.86, height / 40, width // 40),
            (width, water_line),
        ],
        fill=bank,
    )
    for _ in range(rng.randint(8, 16)):  # palms on the far bank
        x = rng.randint(0, width)
        trunk = water_line * rng.uniform(0.12, 0.22)
        base = water_line * 0.9
        draw.line(
            [(x, base), (x + rng.randint(-8, 8), base - trunk)],
            fill=_mix(bank, (30, 30, 20), 0.4),
            width=max(width // 400, 2),
        )
        for angle in range(0, 360, 40):
            r = trunk * 0.35
            end = (
                x + r * math.cos(math.radians(angle)),
                base - trunk + r * math.sin(math.radians(angle)) * 0.5,
            )
            draw.line(
                [(x, base - trunk), end],
                fill=_mix(bank, (20, 50, 20), 0.5),
                width=max(width // 300, 2),
            )
    picture = Image.new("RGB", size)
    picture.paste(upper, (0, 0))
    reflection = upper.transpose(Image.Transpose.FLIP_TOP_BOTTOM).resize(
        (width, height - water_line)
    )
    reflection = ImageEnhance.Brightness(
        reflection.filter(ImageFilter.GaussianBlur(6))
    ).enhance(0.75)
    picture.paste(reflection, (0, water_line))
    draw = ImageDraw.Draw(picture)
    for y in range(water_line + 4, height, 7):  # ripples
        for _ in range(width // 90):
            x = rng.randint(0, width)
            shade = (
                _mix(horizon, (255, 255, 255), 0.3)
                if rng.random() < 0.5
                else _mix(horizon, (0, 0, 0), 0.45)
            )
            draw.line([(x, y), (x + rng.randint(20, 90), y)], fill=shade, width=2)
    if rng.random() < 0.7:  # a boat
        bx, by = (
            rng.randint(width // 5, width * 3 // 5),
            int(water_line + (height - water_line) * 0.45),
        )
        draw.polygon(
            [
                (bx, by),
                (bx + width // 6, by),
                (bx + width // 7, by + height // 30),
                (bx + width // 60, by + height // 30),
            ],
            fill=(45, 38, 34),
        )
        draw.ellipse(
            [
                bx + width // 14,
                by - height // 14,
                bx + width // 14 + height // 30,
                by - height // 14 + height // 30,
            ],
            fill=(35, 30, 28),
        )
        draw.rectangle(
            [bx + width // 14, by - height // 24, bx + width // 14 + height // 30, by],
            fill=(60, 50, 70),
        )
    for _ in range(60):  # reeds in the foreground
        x = rng.randint(0, width)
        if width * 0.2 < x < width * 0.8 and rng.random() < 0.8:
            continue
        draw.line(
            [
                (x, height),
                (
                    x + rng.randint(-30, 30),
                    height - rng.randint(height // 8, height // 3),
                ),
            ],
            fill=(40, 55, 30),
            width=3,
        )
    return picture


def _market(rng, size, light):
    width, height = size
    tint = LIGHTS[light][2]
    picture = Image.new("RGB", size, _mix((120, 100, 80), tint, 0.3))
    draw = ImageDraw.Draw(picture)
    wall = _mix(rng.choice(SANDSTONE), tint, 0.2)
    draw.rectangle([0, 0, width, height * 0.55], fill=wall)
    for i in range(0, width, width // 9):  # arches of an old arcade
        draw.ellipse(
            [i + 10, height * 0.08, i + width // 9 - 10, height * 0.4],
            fill=_mix(wall, (50, 40, 30), 0.5),
        )
        draw.rectangle(
            [i + 10, height * 0.24, i + width // 9 - 10, height * 0.55],
            fill=_mix(wall, (50, 40, 30), 0.5),
        )
    background = picture.filter(ImageFilter.GaussianBlur(width / 160))
    picture.paste(background)
    draw = ImageDraw.Draw(picture)
    stall_width = width // rng.randint(3, 5)
    for x in range(-rng.randint(0, stall_width // 2), width, stall_width):
        colour = rng.choice(AWNINGS)
        top = height * rng.uniform(0.3, 0.4)
        for s in range(0, stall_width, stall_width // 6):  # striped awning
            stripe = colour if (s // (stall_width // 6)) % 2 == 0 else (235, 228, 210)
            draw.polygon(
                [
                    (x + s, top),
                    (x + s + stall_width // 6, top),
                    (x + s + stall_width // 6 + 18, top + height * 0.12),
                    (x + s + 18, top + height * 0.12),
                ],
                fill=stripe,
            )
        draw.rectangle(
            [x + 10, top + height * 0.12, x + stall_width - 10, height * 0.62],
            fill=(70, 50, 35),
        )
        for _ in range(90):  # crates of produce
            cx = rng.randint(x + 20, x + stall_width - 20)
            cy = rng.randint(int(height * 0.6), int(height * 0.78))
            r = rng.randint(width // 260, width // 140)
            draw.ellipse([cx - r, cy - r, cx + r, cy + r], fill=rng.choice(PRODUCE))
        draw.rectangle(
            [x + 15, height * 0.78, x + stall_width - 15, height * 0.84],
            fill=(110, 80, 50),
        )
    people = Image.new("RGBA", size, (0, 0, 0, 0))
    pdraw = ImageDraw.Draw(people)
    for _ in range(rng.randint(3, 6)):  # passers-by, out of focus in front
        px = rng.randint(0, width)
        scale = rng.uniform(1.2, 2.0)
        body = _mix(
            rng.choice([*AWNINGS, (40, 40, 45), (90, 80, 70)]), (20, 20, 20), 0.5
        )
        top = height * rng.uniform(0.42, 0.55)
        pdraw.ellipse(
            [px - 32 * scale, top, px + 32 * scale, top + 70 * scale],
            fill=(60, 45, 38, 255),
        )
        pdraw.rounded_rectangle(
            [px - 80 * scale, top + 62 * scale, px + 80 * scale, height * 1.2],
            radius=int(50 * scale),
            fill=(*body, 255),
        )
    people = people.filter(ImageFilter.GaussianBlur(width / 90))
    picture.paste(people, (0, 0), people)
    return picture


def _fields(rng, size, light):
    width, height = size
    top, horizon, _, sun = LIGHTS[light]
    picture = Image.new("RGB", size)
    draw = ImageDraw.Draw(picture)
    horizon_y = int(height * rng.uniform(0.35, 0.45))
    _sky(draw, width, height, top, horizon, horizon_y + 1)
    _sun(draw, rng, width, horizon_y * 2, sun, low=True)
    picture = picture.filter(ImageFilter.GaussianBlur(height / 60))
    _clouds(picture, rng, horizon_y, _mix(horizon, (255, 255, 255), 0.45))
    draw = ImageDraw.Draw(picture)
    dry = rng.random() < 0.6
    near = (196, 160, 90) if dry else (120, 150, 60)
    far = _mix(near, horizon, 0.5)
    for y in range(horizon_y, height):
        t = (y - horizon_y) / (height - horizon_y)
        draw.line([(0, y), (width, y)], fill=_mix(far, near, t))
    vanish = rng.randint(width // 3, width * 2 // 3)
    for x in range(-width, width * 2, width // 28):  # furrows to the vanishing point
        draw.line(
            [(vanish, horizon_y), (x, height)],
            fill=_mix(near, (90, 70, 40), 0.35),
            width=3,
        )
    fx, fy = (
        rng.randint(width // 6, width * 5 // 6),
        int(horizon_y + (height - horizon_y) * 0.35),
    )
    draw.ellipse([fx - 9, fy - 52, fx + 9, fy - 34], fill=(40, 30, 25))
    draw.polygon(
        [
            (fx - 14, fy - 34),
            (fx + 14, fy - 34),
            (fx + 18, fy + 10),
            (fx - 18, fy + 10),
        ],
        fill=(60, 50, 60),
    )
    return picture


def _camp(rng, size, light):
    width, height = size
    top, horizon, _, _ = LIGHTS[light]
    picture = Image.new("RGB", size)
    draw = ImageDraw.Draw(picture)
    horizon_y = int(height * 0.42)
    _sky(draw, width, height, top, horizon, horizon_y + 1)
    picture = picture.filter(ImageFilter.GaussianBlur(height / 60))
    draw = ImageDraw.Draw(picture)
    dust = _mix((190, 170, 140), horizon, 0.3)
    draw.rectangle([0, horizon_y, width, height], fill=dust)
    for row in range(7):  # rows of tents, smaller and hazier with distance
        depth = row / 7
        y = horizon_y + (height - horizon_y) * (1 - depth) ** 2.2
        scale = (1 - depth) ** 2 * 0.9 + 0.06
        w = width / 7 * scale
        x = -rng.uniform(0, w)
        while x < width:
            canvas = _mix((235, 235, 228), horizon, depth * 0.7)
            shade = _mix(canvas, (90, 90, 95), 0.35)
            draw.polygon([(x, y), (x + w / 2, y - w * 0.45), (x + w, y)], fill=canvas)
            draw.polygon(
                [(x + w / 2, y - w * 0.45), (x + w, y), (x + w * 0.8, y)], fill=shade
            )
            draw.rectangle(
                [x + w * 0.42, y - w * 0.18, x + w * 0.58, y],
                fill=_mix(shade, (40, 40, 40), 0.5),
            )
            x += w * rng.uniform(1.15, 1.5)
    return picture


def _street(rng, size, light):
    width, height = size
    picture = Image.new("RGB", size, (150, 145, 138))
    draw = ImageDraw.Draw(picture)
    _sky(draw, width, height, (175, 170, 165), (205, 198, 188), height // 2)
    for side in (0, 1):
        for i in range(5):
            depth = i / 5
            w = width * (0.22 - 0.035 * i)
            x = (
                (width * 0.02 + i * w * 0.65)
                if side == 0
                else (width - width * 0.02 - i * w * 0.65 - w)
            )
            h = height * rng.uniform(0.35, 0.7) * (1 - depth * 0.5)
            colour = _mix(
                rng.choice(SANDSTONE + CONCRETE), (180, 175, 168), depth * 0.6
            )
            points = [(x, height * 0.75), (x, height * 0.75 - h)]
            for step in range(1, 6):  # a broken top edge
                points.append(
                    (x + w * step / 5, height * 0.75 - h * rng.uniform(0.55, 1.0))
                )
            points.append((x + w, height * 0.75))
            draw.polygon(points, fill=colour)
            for _ in range(4):  # holes
                hx, hy = (
                    rng.uniform(x, x + w),
                    rng.uniform(height * 0.75 - h * 0.6, height * 0.72),
                )
                r = rng.uniform(8, 30) * (1 - depth * 0.5)
                draw.ellipse([hx - r, hy - r, hx + r, hy + r], fill=(45, 40, 38))
    for _ in range(900):  # rubble
        x = rng.uniform(0, width)
        y = rng.uniform(height * 0.7, height)
        r = rng.uniform(3, 22) * (y / height)
        shade = rng.choice(SANDSTONE + CONCRETE + [(80, 75, 70)])
        draw.polygon(
            [(x + rng.uniform(-r, r), y + rng.uniform(-r, r)) for _ in range(5)],
            fill=shade,
        )
    smoke = Image.new("L", size, 0)
    sdraw = ImageDraw.Draw(smoke)
    for _ in range(14):
        x, y, r = (
            rng.uniform(0, width),
            rng.uniform(0, height * 0.6),
            rng.uniform(60, 220),
        )
        sdraw.ellipse([x - r, y - r, x + r, y + r], fill=rng.randint(60, 130))
    smoke = smoke.filter(ImageFilter.GaussianBlur(60))
    return Image.composite(Image.new("RGB", size, (200, 196, 190)), picture, smoke)


def _portrait(rng, size, light):
    width, height = size
    base = rng.choice([(40, 60, 70), (70, 55, 45), (50, 50, 65), (60, 70, 50)])
    picture = Image.new("RGB", size, base)
    draw = ImageDraw.Draw(picture)
    for _ in range(40):  # lights behind, out of focus
        x, y, r = (
            rng.uniform(0, width),
            rng.uniform(0, height * 0.7),
            rng.uniform(height / 30, height / 9),
        )
        glow = _mix(
            base,
            rng.choice([(255, 210, 150), (230, 240, 255), (255, 170, 120)]),
            rng.uniform(0.3, 0.8),
        )
        draw.ellipse([x - r, y - r, x + r, y + r], fill=glow)
    picture = picture.filter(ImageFilter.GaussianBlur(height / 40))
    draw = ImageDraw.Draw(picture)
    cx = width * rng.uniform(0.42, 0.58)
    # Backlit: the sitter is a dark shape with a rim of light, a portrait that
    # shows a person without showing who.
    skin = _mix(
        rng.choice([(150, 110, 85), (120, 85, 65), (175, 135, 105)]), (10, 10, 12), 0.7
    )
    cloth = _mix(
        rng.choice([(35, 35, 40), (90, 30, 40), (30, 60, 90), (200, 190, 170)]),
        (10, 10, 12),
        0.6,
    )
    draw.rounded_rectangle(
        [cx - width * 0.3, height * 0.68, cx + width * 0.3, height * 1.2],
        radius=int(width * 0.14),
        fill=cloth,
    )
    draw.rectangle(
        [cx - width * 0.055, height * 0.55, cx + width * 0.055, height * 0.72],
        fill=_mix(skin, (0, 0, 0), 0.2),
    )
    draw.ellipse(
        [cx - width * 0.13, height * 0.22, cx + width * 0.13, height * 0.62], fill=skin
    )
    if rng.random() < 0.5:  # a scarf over the head
        draw.chord(
            [cx - width * 0.16, height * 0.16, cx + width * 0.16, height * 0.6],
            180,
            360,
            fill=cloth,
        )
        draw.rectangle(
            [cx - width * 0.16, height * 0.38, cx - width * 0.12, height * 0.75],
            fill=cloth,
        )
        draw.rectangle(
            [cx + width * 0.12, height * 0.38, cx + width * 0.16, height * 0.75],
            fill=cloth,
        )
    else:
        draw.chord(
            [cx - width * 0.14, height * 0.19, cx + width * 0.14, height * 0.45],
            180,
            360,
            fill=(30, 25, 22),
        )
    rim = Image.new("L", size, 0)
    ImageDraw.Draw(rim).ellipse(
        [cx - width * 0.135, height * 0.215, cx + width * 0.14, height * 0.625],
        outline=120,
        width=max(width // 200, 2),
    )
    rim = rim.filter(ImageFilter.GaussianBlur(width / 300))
    return Image.composite(Image.new("RGB", size, (255, 226, 180)), picture, rim)


SCENES = {
    "hills": _hills,
    "city": _city,
    "river": _river,
    "market": _market,
    "fields": _fields,
    "camp": _camp,
    "street": _street,
    "portrait": _portrait,
}


def _camera(picture, rng, light):
    """What a lens and a sensor add: soft edges, the light's colour, a vignette
    and grain at two scales."""
    width, height = picture.size
    picture = picture.filter(ImageFilter.GaussianBlur(max(width / 1400, 0.6)))
    tint = Image.new("RGB", picture.size, LIGHTS[light][2])
    picture = ImageChops.multiply(picture, tint)
    picture = ImageEnhance.Contrast(picture).enhance(rng.uniform(1.02, 1.12))
    picture = ImageEnhance.Color(picture).enhance(rng.uniform(0.85, 1.1))
    vignette = Image.radial_gradient("L").resize(picture.size)
    vignette = vignette.point(lambda v: max(0, v - 110) * 0.45)
    picture = Image.composite(
        Image.new("RGB", picture.size, (0, 0, 0)), picture, vignette
    )
    # Texture at several scales (surfaces, dust, sensor noise), applied to the
    # light and not as a grey veil, so colours stay and the bytes stay real.
    texture = Image.new("L", picture.size, 128)
    for divisor, weight in ((24, 0.35), (6, 0.3), (2, 0.2), (1, 0.1)):
        noise = Image.effect_noise(
            (max(width // divisor, 1), max(height // divisor, 1)), 40
        )
        noise = noise.resize(picture.size, Image.Resampling.BICUBIC)
        texture = Image.blend(texture, noise, weight)
    texture = texture.point(lambda v: 128 + (v - 128) * 1.3)
    return ImageChops.overlay(picture, Image.merge("RGB", [texture] * 3))


def make_picture(
    seed: int, size=(1600, 1000), fmt="JPEG", scene=None, light=None
) -> bytes:
    """A generated photograph. Without `scene` and `light`, the seed chooses
    them, so consecutive seeds give different kinds of picture."""
    rng = random.Random(seed)
    scene = scene or list(SCENES)[seed % len(SCENES)]
    light = light or rng.choice(["dawn", "noon", "dusk", "haze"])
    picture = _camera(SCENES[scene](rng, size, light), rng, light)
    buffer = io.BytesIO()
    picture.save(buffer, fmt, quality=90)
    return buffer.getvalue()


def _mark(draw, size, colour, background):
    """Two rivers meeting: the demo site's mark."""
    draw.ellipse([0, 0, size - 1, size - 1], fill=background)
    stroke = size // 11
    for offset in (-0.16, 0.16):
        points = []
        for step in range(41):
            t = step / 40
            y = size * (0.18 + 0.64 * t)
            x = size * (
                0.5 + offset * (1 - t) ** 1.3 + 0.06 * math.sin(t * math.pi * 2.2)
            )
            points.append((x, y))
        draw.line(points, fill=colour, width=stroke, joint="curve")


def make_logo(accent=(14, 95, 118), size=512) -> bytes:
    """The demo site's logo: its mark on a transparent background (the name is
    set beside it as text), readable on light and dark pages."""
    picture = Image.new("RGBA", (size * 2, size * 2), (0, 0, 0, 0))
    _mark(ImageDraw.Draw(picture), size * 2, (255, 255, 255, 255), (*accent, 255))
    picture = picture.resize((size, size), Image.Resampling.LANCZOS)
    buffer = io.BytesIO()
    picture.save(buffer, "PNG")
    return buffer.getvalue()


def make_icon(accent=(14, 95, 118), size=512) -> bytes:
    """The demo site's icon: the mark, full bleed on a square."""
    picture = Image.new("RGB", (size * 2, size * 2), accent)
    draw = ImageDraw.Draw(picture)
    _mark(draw, size * 2, (255, 255, 255), accent)
    picture = picture.resize((size, size), Image.Resampling.LANCZOS)
    buffer = io.BytesIO()
    picture.save(buffer, "PNG")
    return buffer.getvalue()

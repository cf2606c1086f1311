"""Real JPEG, PNG, WebP and GIF files carrying the metadata that can expose a
source: GPS position, owner and camera serial (EXIF), XMP, IPTC and comments."""

import io
import struct
import zlib

from PIL import Image, ImageCms, ImageDraw
from PIL.PngImagePlugin import PngInfo

SECRET = "Ahmed Al-Source"  # a name that must never survive
SECRET_PLACE = "Safe house, Nabi Yunus"
XMP = (
    '<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/'
    '02/22-rdf-syntax-ns#"><rdf:Description xmlns:dc="http://purl.org/dc/elements/1.1/"'
    f' dc:creator="{SECRET}"/></rdf:RDF></x:xmpmeta>'
)
LEAKS = [
    SECRET.encode(),
    SECRET_PLACE.encode(),
    b"http://ns.adobe.com/xap",
    b"adobe:ns:meta",
    b"Photoshop 3.0",
    b"SN-0042-CAMERA",
    b"Exif\x00\x00",
]


def picture(size=(400, 300), mode="RGB"):
    image = Image.new(mode, size, "white" if mode != "RGBA" else (255, 255, 255, 128))
    ImageDraw.Draw(image).rectangle([0, 0, size[0] // 2, size[1] // 4], fill="red")
    return image


def exif(orientation=1):
    data = Image.Exif()
    data[0x010F] = "CameraMaker"
    data[0x013B] = SECRET  # Artist
    data[0x010E] = SECRET_PLACE  # ImageDescription
    data[0x0112] = orientation
    data.get_ifd(0x8769)[0xA431] = "SN-0042-CAMERA"  # BodySerialNumber
    gps = data.get_ifd(0x8825)
    gps[1], gps[2] = "N", (36.0, 20.0, 24.0)
    gps[3], gps[4] = "E", (43.0, 7.0, 48.0)
    return data


def srgb_profile() -> bytes:
    return ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()


def iptc_segment() -> bytes:
    """An APP13 "Photoshop 3.0" segment holding IPTC By-line and City."""
    records = b""
    for dataset, value in [(80, SECRET), (90, SECRET_PLACE)]:
        raw = value.encode()
        records += b"\x1c\x02" + bytes([dataset]) + struct.pack(">H", len(raw)) + raw
    resource = b"8BIM" + struct.pack(">H", 0x0404) + b"\x00\x00"
    resource += struct.pack(">I", len(records)) + records
    if len(records) % 2:
        resource += b"\x00"
    payload = b"Photoshop 3.0\x00" + resource
    return b"\xff\xed" + struct.pack(">H", len(payload) + 2) + payload


def jpeg(orientation=1, size=(400, 300)) -> bytes:
    out = io.BytesIO()
    picture(size).save(
        out,
        "JPEG",
        exif=exif(orientation),
        comment=f"Taken by {SECRET}".encode(),
        xmp=XMP.encode(),
        icc_profile=srgb_profile(),
    )
    data = out.getvalue()
    return data[:2] + iptc_segment() + data[2:]  # right after SOI


def png() -> bytes:
    info = PngInfo()
    info.add_text("Author", SECRET)
    info.add_text("Comment", SECRET_PLACE, zip=True)
    info.add_itxt("XML:com.adobe.xmp", XMP)
    out = io.BytesIO()
    picture(mode="RGBA").save(
        out, "PNG", pnginfo=info, exif=exif(), icc_profile=srgb_profile()
    )
    return out.getvalue()


def webp() -> bytes:
    out = io.BytesIO()
    picture().save(
        out, "WEBP", exif=exif(), xmp=XMP.encode(), icc_profile=srgb_profile()
    )
    return out.getvalue()


def gif(frames=3) -> bytes:
    images = []
    for number in range(frames):  # frames must differ, or GIF merges them
        frame = Image.new("P", (40, 30), 0)
        ImageDraw.Draw(frame).point((number % 40, number // 40), fill=1 + number % 200)
        images.append(frame)
    out = io.BytesIO()
    images[0].save(
        out, "GIF", save_all=True, append_images=images[1:], comment=SECRET.encode()
    )
    return out.getvalue()


def png_header_only(width, height) -> bytes:
    """A tiny file that claims to be width x height pixels: a decompression bomb."""

    def chunk(kind, data):
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    idat = zlib.compress(b"\x00" * 1000)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", ihdr)
        + chunk(b"IDAT", idat)
        + chunk(b"IEND", b"")
    )


def other_format(fmt) -> bytes:
    out = io.BytesIO()
    picture().save(out, fmt)
    return out.getvalue()

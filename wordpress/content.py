"""Turning a WordPress post's HTML into a Newsroom body, and its other texts
into what Newsroom keeps. Pure functions, no database: the importer passes in
how a picture becomes a library image.

WordPress stores a classic post's paragraphs as blank lines (its `wpautop`
makes them paragraphs when a page is shown) and its pictures as <img> tags,
with captions in a [caption] shortcode or, in the block editor, a <figure>.
A Newsroom body has paragraphs and library pictures only
(<figure data-image="12">): every <img> is either brought into the library or
left out, so no body ever makes a reader's browser fetch from another host."""

import html
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import unquote, urlsplit, urlunsplit

from django.utils.html import strip_tags

from articles.richtext import Node, figure, parse, serialize

UPLOADS_MARKER = "/wp-content/uploads/"
# Letters only Sorani Kurdish uses among the Arabic-script languages.
SORANI_LETTERS = frozenset("ەێۆڕڵ")
# WordPress's own default category, which says nothing of a post.
UNCATEGORIZED = {"uncategorized", "غير-مصنف", "بێ-پۆل"}

_BLOCK_START = re.compile(
    r"^\s*(?:<(?:p|h[1-6]|ul|ol|li|blockquote|figure|div|table|pre|hr|dl|section|"
    r"aside|address|form|iframe|audio|video|script|style)\b|<!--|\[caption)",
    re.IGNORECASE,
)
_BLANK_LINE = re.compile(r"\n\s*\n")
_SIZE_SUFFIX = re.compile(r"-\d+x\d+(?=\.[A-Za-z0-9]+$)")
_WP_IMAGE_CLASS = re.compile(r"\bwp-image-(\d+)\b")
_CAPTION = re.compile(r"\[(?:wp_)?caption\b[^\]]*\](.*?)\[/(?:wp_)?caption\]", re.S)
_CAPTION_ATTR = re.compile(r'\bcaption="([^"]*)"')
_GALLERY = re.compile(r"\[gallery\b([^\]]*)\]")
_IDS = re.compile(r'\bids="([\d,\s]+)"')
_EMBED = re.compile(r"\[embed\b[^\]]*\](.*?)\[/embed\]", re.S)
# Players the site cannot show without loading other hosts or scripts.
_MEDIA = re.compile(
    r"\[(audio|video|playlist)\b[^\]]*\](?:.*?\[/\1\])?", re.S | re.IGNORECASE
)
_LONE_URL = re.compile(r"^[ \t]*(https?://[^\s<>\"]+)[ \t]*$", re.M)


@dataclass(frozen=True)
class Picture:
    """An <img> of a post: where it points, and what the post says of it."""

    src: str
    alt: str = ""
    caption: str = ""
    attachment_id: str = ""


@dataclass
class Body:
    """A converted body, and what of the original it could not keep."""

    html: str
    pictures: list[int] = field(default_factory=list)
    left_out: list[str] = field(default_factory=list)


def text(value: str) -> str:
    """Plain text of a short piece of HTML (a title, an excerpt), on one line."""
    return " ".join(html.unescape(strip_tags(value or "")).split())


def comment_text(value: str) -> str:
    """A comment's plain text: its paragraphs and line breaks kept, its markup
    and links' addresses dropped (comments on Newsroom are plain text)."""
    value = re.sub(r"<br\s*/?>", "\n", value or "", flags=re.IGNORECASE)
    value = re.sub(r"</p\s*>", "\n\n", value, flags=re.IGNORECASE)
    value = html.unescape(strip_tags(value)).replace("\r\n", "\n")
    lines = [" ".join(line.split()) for line in value.split("\n")]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


def upload_path(src: str) -> str | None:
    """The path of a picture inside the uploads folder ("2019/05/photo.jpg"),
    whatever host served it (the site, a CDN), or None for other pictures."""
    address = urlsplit(html.unescape(src or "").strip())
    path = unquote(address.path)
    if UPLOADS_MARKER not in path:
        return None
    inside = path.split(UPLOADS_MARKER, 1)[1].lstrip("/")
    return inside or None


def upload_candidates(path: str) -> list[str]:
    """The files a picture may be made from, best first: WordPress links
    resized copies ("photo-1024x683.jpg") and keeps the original beside them."""
    original = _SIZE_SUFFIX.sub("", path)
    found = [original] if original != path else []
    stem, dot, extension = original.rpartition(".")
    if dot:
        found.append(f"{stem}-scaled.{extension}")
    return [*found, path]


def autop(content: str) -> str:
    """WordPress's `wpautop`, simply: text between blank lines becomes a
    paragraph and a single line break a <br>, except where the text is markup
    of its own (a block-editor post, a list, a table). Block-editor posts carry
    their paragraphs already and are left as they are."""
    if "<!-- wp:" in content:
        return content
    parts = []
    for chunk in _BLANK_LINE.split(content.replace("\r\n", "\n")):
        if not chunk.strip():
            continue
        if _BLOCK_START.match(chunk):
            parts.append(chunk)
        else:
            parts.append("<p>" + chunk.strip().replace("\n", "<br>\n") + "</p>")
    return "\n\n".join(parts)


def shortcodes(content: str, *, attachment_src: Callable[[str], str | None]) -> str:
    """The shortcodes a body can keep, as HTML: [caption] a captioned picture,
    [gallery] its pictures, [embed] a link. Players ([audio], [video]) go.
    Others are left as they are: text in brackets ("[sic]") is the reporter's."""

    def caption(match):
        inner = match.group(1)
        opening = match.group(0)[: match.start(1) - match.start(0)]
        lower = inner.lower()
        start = lower.find("<img")
        end = inner.find(">", start) + 1 if start != -1 else 0
        if lower[end:].lstrip().startswith("</a>"):  # a picture linked to its file
            end = lower.index("</a>", end) + len("</a>")
        given = _CAPTION_ATTR.search(opening)
        words = given.group(1) if given else inner[end:]
        return f"<figure>{inner[:end]}<figcaption>{words}</figcaption></figure>"

    def gallery(match):
        ids = _IDS.search(match.group(1))
        if not ids:
            return ""
        pictures = []
        for attachment_id in re.split(r"[\s,]+", ids.group(1).strip()):
            src = attachment_src(attachment_id)
            if src:
                pictures.append(
                    f'<figure><img src="{html.escape(src)}" '
                    f'class="wp-image-{attachment_id}"></figure>'
                )
        return "\n\n".join(pictures)

    def embed(match):
        url = html.escape(match.group(1).strip())
        return f'<p><a href="{url}">{url}</a></p>'

    content = _CAPTION.sub(caption, content)
    content = _GALLERY.sub(gallery, content)
    content = _EMBED.sub(embed, content)
    return _MEDIA.sub("", content)


def _lone_links(content: str) -> str:
    """A web address alone on its line is an embed in WordPress (a video, a
    post): here it stays a link, and loads nothing."""

    def link(match):
        url = html.escape(match.group(1))
        return f'<a href="{url}">{url}</a>'

    return _LONE_URL.sub(link, content)


def _first(node: Node, tag: str) -> Node | None:
    for child in node.children:
        if isinstance(child, Node):
            if child.tag == tag:
                return child
            found = _first(child, tag)
            if found is not None:
                return found
    return None


def _only_picture(node: Node) -> Node | None:
    """The <img> a link holds alone (WordPress links a picture to its file)."""
    elements = [c for c in node.children if isinstance(c, Node)]
    loose = "".join(c for c in node.children if isinstance(c, str)).strip()
    if len(elements) == 1 and not loose:
        if elements[0].tag == "img":
            return elements[0]
        return _only_picture(elements[0]) if elements[0].tag != "figure" else None
    return None


def _picture(img: Node, caption: str = "") -> Picture:
    attachment = _WP_IMAGE_CLASS.search(img.attr("class"))
    return Picture(
        src=img.attr("src"),
        alt=" ".join(img.attr("alt").split()),
        caption=caption,
        attachment_id=attachment.group(1) if attachment else "",
    )


class _Converter:
    def __init__(self, store: Callable[[Picture], int | None], site_hosts: set[str]):
        self.store = store
        self.site_hosts = site_hosts
        self.pictures: list[int] = []
        self.left_out: list[str] = []

    def place(self, img: Node, caption: str) -> Node | None:
        picture = _picture(img, caption)
        image_id = self.store(picture)
        if image_id is None:
            self.left_out.append(picture.src or "a picture without an address")
            return None
        self.pictures.append(image_id)
        return figure(image_id, caption)

    def convert(self, node: Node) -> list:
        """The node's children with pictures placed or left out, figures that
        hold no picture unwrapped (a block editor's table, quote or embed keeps
        its words) and links to the old site made relative."""
        kept = []
        for child in node.children:
            if not isinstance(child, Node):
                kept.append(child)
                continue
            img = None
            if child.tag == "img":
                img = child
            elif child.tag == "a":
                img = _only_picture(child)
            if img is not None:
                placed = self.place(img, "")
                if placed is not None:
                    kept.append(placed)
                continue
            if child.tag == "figure":
                img = _first(child, "img")
                caption_node = _first(child, "figcaption")
                caption = " ".join(caption_node.text.split()) if caption_node else ""
                if img is not None:
                    placed = self.place(img, caption)
                    if placed is not None:
                        kept.append(placed)
                    continue
                kept.extend(self.convert(child))
                continue
            if child.tag == "a":
                self.relative_link(child)
            child.children = self.convert(child)
            kept.append(child)
        return kept

    def relative_link(self, node: Node) -> None:
        """A link to another page of the old site goes through its old address,
        which redirects here; an uploaded file keeps its full address."""
        href = node.attr("href")
        address = urlsplit(href)
        host = (address.hostname or "").lower().removeprefix("www.")
        if host in self.site_hosts and UPLOADS_MARKER not in address.path:
            relative = urlunsplit(("", "", address.path or "/", address.query, ""))
            node.attrs = [
                (key, relative if key == "href" else value) for key, value in node.attrs
            ]


def _hoist_pictures(children: list) -> list:
    """Pictures placed inside a paragraph stand after it (a figure cannot sit
    in a paragraph); a paragraph left with nothing goes."""
    out = []
    for child in children:
        if isinstance(child, Node) and child.tag == "p":
            pictures = _pull(child)
            words = "".join(c if isinstance(c, str) else c.text for c in child.children)
            if words.strip():
                out.append(child)
            out.extend(pictures)
        else:
            out.append(child)
    return out


def _pull(node: Node) -> list[Node]:
    found, kept = [], []
    for child in node.children:
        if isinstance(child, Node) and child.tag == "figure":
            found.append(child)
            continue
        if isinstance(child, Node):
            found.extend(_pull(child))
        kept.append(child)
    node.children = kept
    return found


def convert_body(
    content: str,
    *,
    store: Callable[[Picture], int | None],
    attachment_src: Callable[[str], str | None] = lambda _id: None,
    site_hosts: set[str] | None = None,
) -> Body:
    """A post's HTML as a Newsroom body (before the article's own sanitiser,
    which runs when it is saved). `store` turns a picture into a library image
    id, or None to leave it out."""
    content = shortcodes(content or "", attachment_src=attachment_src)
    content = autop(_lone_links(content))
    root = parse(content)
    converter = _Converter(store, site_hosts or set())
    root.children = _hoist_pictures(converter.convert(root))
    return Body(serialize(root), converter.pictures, converter.left_out)


def _arabic_script(char: str) -> bool:
    code = ord(char)
    return (
        0x0600 <= code <= 0x06FF
        or 0x0750 <= code <= 0x077F
        or 0x08A0 <= code <= 0x08FF
        or 0xFB50 <= code <= 0xFDFF
        or 0xFE70 <= code <= 0xFEFF
    )


def detect_language(words: str) -> str | None:
    """ "ar" or "ckb" for a text mostly in Arabic script (Sorani when it has a
    letter only Sorani uses), else None: Latin-script languages are not told
    apart by their letters."""
    letters = [c for c in words if c.isalpha()]
    if not letters:
        return None
    arabic = sum(1 for c in letters if _arabic_script(c))
    if arabic * 2 <= len(letters):
        return None
    return "ckb" if SORANI_LETTERS & set(words) else "ar"


def language_code(value: str, offered: set[str], words: str = "") -> str | None:
    """One of the `offered` languages for a WordPress language code or locale
    ("ar", "en_US", "ckb", "ku"), or None. "ku" is Sorani in Arabic script and
    Kurmanji in Latin."""
    code = (value or "").strip().lower().replace("_", "-").split("-")[0]
    if code == "ku":
        code = "ckb" if detect_language(words) else "kmr"
    return code if code in offered else None


def clean_name(name: str) -> str:
    """A name as given on the old site, without characters that are invisible
    or turn the text around them (see readers.names)."""
    kept = "".join(
        c
        for c in unicodedata.normalize("NFC", name or "")
        if unicodedata.category(c) not in {"Cf", "Cc", "Co", "Cs", "Zl", "Zp"}
    )
    return " ".join(kept.split())

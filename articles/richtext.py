"""The article body: what the editor offers, what the sanitiser keeps, and how the
stored HTML is read back as top-level blocks and library pictures.

What is stored is what is shown: the sanitiser keeps only what the editor can make,
then puts any loose text (from a paste, an import or the shell) into paragraphs, so
every word saved is a word readers see and search finds."""

import re
from dataclasses import dataclass, field
from html import escape
from html.parser import HTMLParser

import nh3
from django.urls import reverse_lazy
from django.utils.html import strip_tags
from django_prose_editor.config import allowlist_from_extensions
from django_prose_editor.fields import ProseEditorField
from django_prose_editor.widgets import AdminProseEditorWidget

# What an editor can make without writing HTML.
BODY_EXTENSIONS = {
    "Bold": True,
    "Italic": True,
    "Strike": True,
    "Subscript": True,
    "Superscript": True,
    "Heading": {"levels": [2, 3]},
    "BulletList": True,
    "OrderedList": True,
    "ListItem": True,
    # Every blockquote in a body is rendered as a pull quote.
    "Blockquote": True,
    "HardBreak": True,
    "HorizontalRule": True,
    "Link": {"enableTarget": False, "protocols": ["http", "https", "mailto"]},
}

# Pictures come from the image library only: the body stores a reference,
# <figure data-image="12"><figcaption>…</figcaption></figure>, never an <img src>,
# so a body can never make a reader's browser fetch a picture from another host.
LIBRARY_IMAGE_MODULE = "articles/admin/library-image.js"
EDITOR_EXTENSIONS = BODY_EXTENSIONS | {
    "LibraryImage": {
        "pickerUrl": reverse_lazy("admin:images_image_picker"),
        "uploadUrl": reverse_lazy("admin:images_image_picker_upload"),
    },
}

READING_WORDS_PER_MINUTE = 200

VOID = {"br", "hr", "img", "wbr"}
BLOCKS = {"p", "h2", "h3", "ul", "ol", "blockquote", "hr", "figure"}
# Containers the editor cannot make: their text is kept, as paragraphs of its own.
_CONTAINERS = (
    "div|section|article|main|header|footer|aside|nav|address|center|pre|table|"
    "thead|tbody|tfoot|tr|td|th|caption|dl|dt|dd|details|summary|form|fieldset"
)
_CONTAINER_TAG = re.compile(rf"</?(?:{_CONTAINERS})\b[^>]*>", re.IGNORECASE)
_TOP_HEADING = re.compile(r"<(/?)h1\b", re.IGNORECASE)
_LOW_HEADING = re.compile(r"<(/?)h[4-6]\b", re.IGNORECASE)
_BLANK_LINE = re.compile(r"\n[ \t\r\f\v]*\n\s*")


def _cleaner() -> nh3.Cleaner:
    allowlist = allowlist_from_extensions(BODY_EXTENSIONS)
    allowlist["tags"] |= {"figure", "figcaption"}
    allowlist["attributes"]["figure"] = {"data-image"}
    return nh3.Cleaner(**allowlist)


_clean = _cleaner().clean


@dataclass
class Node:
    """An element (or the root, tag "") of sanitised body HTML; text is str."""

    tag: str
    attrs: list[tuple[str, str]] = field(default_factory=list)
    children: list = field(default_factory=list)

    def attr(self, name: str) -> str:
        return next((value for key, value in self.attrs if key == name), "")

    @property
    def text(self) -> str:
        return "".join(
            child if isinstance(child, str) else child.text for child in self.children
        )


class _TreeBuilder(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.root = Node("")
        self.stack = [self.root]

    def handle_starttag(self, tag, attrs):
        node = Node(tag, [(k, v or "") for k, v in attrs])
        self.stack[-1].children.append(node)
        if tag not in VOID:
            self.stack.append(node)

    def handle_startendtag(self, tag, attrs):
        self.stack[-1].children.append(Node(tag, [(k, v or "") for k, v in attrs]))

    def handle_endtag(self, tag):
        for depth in range(len(self.stack) - 1, 0, -1):
            if self.stack[depth].tag == tag:
                del self.stack[depth:]
                return

    def handle_data(self, data):
        self.stack[-1].children.append(data)


def parse(html: str) -> Node:
    builder = _TreeBuilder()
    builder.feed(html or "")
    builder.close()
    return builder.root


def serialize(node) -> str:
    if isinstance(node, str):
        return escape(node, quote=False)
    inner = "".join(serialize(child) for child in node.children)
    if not node.tag:
        return inner
    attrs = "".join(f' {key}="{escape(value)}"' for key, value in node.attrs)
    if node.tag in VOID:
        return f"<{node.tag}{attrs}>"
    return f"<{node.tag}{attrs}>{inner}</{node.tag}>"


def picture_id(node) -> int | None:
    """The library image a <figure data-image> names, or None."""
    if isinstance(node, Node) and node.tag == "figure":
        value = node.attr("data-image")
        if value.isdigit():
            return int(value)
    return None


def figure(image_id: int, caption: str = "") -> Node:
    """A body picture in its one stored form."""
    node = Node("figure", [("data-image", str(image_id))])
    if caption.strip():
        node.children.append(Node("figcaption", children=[caption.strip()]))
    return node


def _caption(node: Node) -> str:
    caption = next(
        (c for c in node.children if isinstance(c, Node) and c.tag == "figcaption"),
        None,
    )
    return " ".join(caption.text.split()) if caption else ""


def _pull_figures(node: Node) -> list[Node]:
    """Take the pictures out of a block (a quote, a list): they stand after it."""
    found = []
    kept = []
    for child in node.children:
        if isinstance(child, Node) and child.tag == "figure":
            found.append(child)
        else:
            if isinstance(child, Node):
                found.extend(_pull_figures(child))
            kept.append(child)
    node.children = kept
    return found


def _paragraphs(run: list) -> list[Node]:
    """Loose inline content as paragraphs, split where the text has a blank line."""
    paragraphs, current = [], []
    for item in run:
        if isinstance(item, str):
            pieces = _BLANK_LINE.split(item)
            for number, piece in enumerate(pieces):
                if number:
                    paragraphs.append(current)
                    current = []
                current.append(piece)
        else:
            current.append(item)
    paragraphs.append(current)
    made = []
    for content in paragraphs:
        if not any((c if isinstance(c, str) else c.text).strip() for c in content):
            continue
        if isinstance(content[0], str):
            content[0] = content[0].lstrip()
        if isinstance(content[-1], str):
            content[-1] = content[-1].rstrip()
        made.append(Node("p", children=content))
    return made


def blocks(html: str) -> list[Node]:
    """The top-level blocks of a body: paragraphs, headings, lists, quotes, rules
    and pictures. Loose text becomes paragraphs; nothing stored is left out."""
    made, run = [], []
    for child in parse(html).children:
        if isinstance(child, Node) and child.tag in BLOCKS:
            made.extend(_paragraphs(run))
            run = []
            if child.tag == "figure":
                if picture_id(child) is not None:
                    made.append(figure(picture_id(child), _caption(child)))
                continue
            pulled = _pull_figures(child)
            made.append(child)
            made.extend(
                figure(picture_id(f), _caption(f))
                for f in pulled
                if picture_id(f) is not None
            )
        else:
            run.append(child)
    made.extend(_paragraphs(run))
    return made


def sanitize_body(html: str) -> str:
    """Keep what the editor can make; turn headings it cannot make into ones it
    can, and the text of other containers (tables, divs, pre) into paragraphs."""
    html = _TOP_HEADING.sub(r"<\1h2", html or "")
    html = _LOW_HEADING.sub(r"<\1h3", html)
    html = _CONTAINER_TAG.sub("\n\n", html)
    cleaned = "".join(serialize(block) for block in blocks(_clean(html)))
    # The editor's empty document is one empty paragraph: store nothing.
    return "" if cleaned == "<p></p>" else cleaned


def sanitize_text(html: str) -> str:
    """The body sanitiser for texts without pictures (the trust pages): the
    same allowlist, and no figure kept."""
    return "".join(
        serialize(block)
        for block in blocks(sanitize_body(html))
        if picture_id(block) is None
    )


def split_blocks(html: str) -> list[str]:
    """Top-level blocks (paragraphs, headings, lists, quotes, pictures) as HTML."""
    return [serialize(block) for block in blocks(html)]


def body_pictures(html: str) -> list[tuple[int, str]]:
    """(image id, caption) of every library picture in a body, in order."""
    return [
        (picture_id(block), _caption(block))
        for block in blocks(html)
        if picture_id(block) is not None
    ]


def without_pictures(html: str, image_ids: set[int]) -> str:
    """The body without the pictures of the given library images."""
    return "".join(
        serialize(block)
        for block in blocks(html)
        if picture_id(block) is None or picture_id(block) not in image_ids
    )


def plain_text(html: str) -> str:
    """The words of a body, one block a line, captions included."""
    return "\n".join(
        " ".join(strip_tags(serialize(block)).split()) for block in blocks(html)
    )


def word_count(html: str) -> int:
    return len(plain_text(html).split())


class BodyEditorWidget(AdminProseEditorWidget):
    """The admin's body editor, with the library picture extension loaded from
    this site (a module the prose editor imports; no inline script)."""

    def get_config(self):
        from django.templatetags.static import static

        config = super().get_config()
        return config | {
            "js_modules": [*config.get("js_modules", []), static(LIBRARY_IMAGE_MODULE)]
        }


class SanitizedBodyField(ProseEditorField):
    """A prose-editor field whose HTML is cleaned on every save, not only in forms,
    so demo content, shell edits and imports obey the same allowlist. With
    `pictures=False` (texts such as the trust pages) the editor has no picture
    button and no figure is kept."""

    def __init__(self, *args, pictures=True, **kwargs):
        self.pictures = pictures
        self.sanitize_html = sanitize_body if pictures else sanitize_text
        kwargs.setdefault(
            "extensions", EDITOR_EXTENSIONS if pictures else BODY_EXTENSIONS
        )
        kwargs.setdefault("sanitize", self.sanitize_html)
        super().__init__(*args, **kwargs)

    def pre_save(self, model_instance, add):
        value = self.sanitize_html(getattr(model_instance, self.attname) or "")
        setattr(model_instance, self.attname, value)
        return value

    def formfield(self, **kwargs):
        # The admin asks for its textarea; it gets the editor (with pictures
        # when the field takes them).
        kwargs["widget"] = BodyEditorWidget if self.pictures else AdminProseEditorWidget
        return super().formfield(**kwargs)

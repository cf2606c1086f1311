"""The article body: what the editor offers, what the sanitiser keeps, and how the
stored HTML is cut into top-level blocks so inline images can stand between them."""

from html.parser import HTMLParser

from django_prose_editor.fields import ProseEditorField, create_sanitizer

# What an editor can make without writing HTML. Images are not among them: inline
# pictures come from the image library (ArticleImage), so a body can never make a
# reader's browser fetch a picture from another host.
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

sanitize_body = create_sanitizer(BODY_EXTENSIONS)


class SanitizedBodyField(ProseEditorField):
    """A prose-editor field whose HTML is cleaned on every save, not only in forms,
    so demo content, shell edits and imports obey the same allowlist."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("extensions", BODY_EXTENSIONS)
        kwargs.setdefault("sanitize", True)
        super().__init__(*args, **kwargs)

    def pre_save(self, model_instance, add):
        value = sanitize_body(getattr(model_instance, self.attname) or "")
        setattr(model_instance, self.attname, value)
        return value


class _BlockSplitter(HTMLParser):
    """Records where each top-level element of sanitised HTML starts and ends."""

    VOID = {"br", "hr", "img"}

    def __init__(self):
        super().__init__(convert_charrefs=False)
        self.depth = 0
        self.bounds: list[tuple[int, int]] = []
        self._start = 0

    def _offset(self) -> int:
        line, column = self.getpos()
        return self._line_offsets[line - 1] + column

    def split(self, html: str) -> list[str]:
        self._line_offsets = [0]
        for line in html.splitlines(keepends=True):
            self._line_offsets.append(self._line_offsets[-1] + len(line))
        self.feed(html)
        self.close()
        return [html[start:end] for start, end in self.bounds]

    def handle_starttag(self, tag, attrs):
        if self.depth == 0:
            self._start = self._offset()
        if tag in self.VOID:
            if self.depth == 0:
                self.bounds.append(
                    (self._start, self._offset() + len(self.get_starttag_text()))
                )
            return
        self.depth += 1

    def handle_startendtag(self, tag, attrs):
        if self.depth == 0:
            start = self._offset()
            self.bounds.append((start, start + len(self.get_starttag_text())))

    def handle_endtag(self, tag):
        if tag in self.VOID:
            return
        self.depth -= 1
        if self.depth == 0:
            self.bounds.append((self._start, self._offset() + len(f"</{tag}>")))


def split_blocks(html: str) -> list[str]:
    """Top-level blocks (paragraphs, headings, lists, quotes) of sanitised body HTML."""
    return _BlockSplitter().split(html)

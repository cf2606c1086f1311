"""Reading a WordPress export file (WXR: RSS 2.0 with WordPress's namespaces),
streamed: an export of hundreds of megabytes is read one element at a time, each
item is handed over and then cleared, so memory holds one post at a time.

The parser is defusedxml's: a file that declares a DTD or entities (the billion
laughs, external entities pointing at local files or the network) is refused
before anything is expanded or fetched. WordPress never writes either."""

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from xml.etree.ElementTree import ParseError

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import iterparse

WP_NAMESPACE = "http://wordpress.org/export/"
NAMESPACES = {
    "http://purl.org/rss/1.0/modules/content/": "content",
    "http://purl.org/dc/elements/1.1/": "dc",
    "http://wellformedweb.org/CommentAPI/": "wfw",
}
READ_SIZE = 64 * 1024


class NotWxr(Exception):
    """The file cannot be imported at all; the message says why in one sentence."""


@dataclass(frozen=True)
class Channel:
    """The exported site."""

    title: str = ""
    link: str = ""
    base_site_url: str = ""
    base_blog_url: str = ""
    wxr_version: str = ""

    @property
    def blog_url(self) -> str:
        return self.base_blog_url or self.link or self.base_site_url


@dataclass(frozen=True)
class Author:
    id: str
    login: str
    email: str
    display_name: str
    first_name: str
    last_name: str


@dataclass(frozen=True)
class Term:
    """A category, tag or other term the export lists before its posts."""

    taxonomy: str  # "category", "post_tag", or another taxonomy's name
    slug: str
    name: str
    parent: str = ""  # a category's parent's slug
    description: str = ""
    id: str = ""


@dataclass(frozen=True)
class Comment:
    id: str
    author: str
    email: str
    user_id: str
    date: str
    date_gmt: str
    content: str
    approved: str
    type: str
    parent: str


@dataclass
class Item:
    """A post, page, attachment or any other post type, as exported."""

    post_id: str
    post_type: str
    title: str = ""
    link: str = ""
    guid: str = ""
    creator: str = ""
    content: str = ""
    excerpt: str = ""
    post_date: str = ""
    post_date_gmt: str = ""
    status: str = ""
    post_name: str = ""
    password: str = ""
    comment_status: str = ""
    attachment_url: str = ""
    # (domain, slug, name): categories, tags, languages, co-authors...
    terms: list[tuple[str, str, str]] = field(default_factory=list)
    meta: dict[str, str] = field(default_factory=dict)
    comments: list[Comment] = field(default_factory=list)


def _name(tag: str, cache: dict = {}) -> str:  # noqa: B006 (a cache on purpose)
    """ "{http://wordpress.org/export/1.2/}post_id" as "wp:post_id", whatever the
    WXR version (1.0, 1.1, 1.2 use different namespaces)."""
    if tag in cache:
        return cache[tag]
    name = tag
    if tag.startswith("{"):
        uri, local = tag[1:].split("}", 1)
        if uri.startswith(WP_NAMESPACE):
            prefix = "excerpt" if uri.rstrip("/").endswith("excerpt") else "wp"
        else:
            prefix = NAMESPACES.get(uri, uri)
        name = f"{prefix}:{local}"
    cache[tag] = name
    return name


def _children(element) -> dict[str, str]:
    """The text of each child element by its short name (the first of each)."""
    found = {}
    for child in element:
        found.setdefault(_name(child.tag), (child.text or "").strip())
    return found


def _item(element) -> Item:
    fields = {}
    terms, meta, comments = [], {}, []
    for child in element:
        name = _name(child.tag)
        if name == "category":
            domain = child.get("domain", "category")
            slug, name = child.get("nicename", ""), (child.text or "").strip()
            terms.append((domain, slug, name))
        elif name == "wp:postmeta":
            values = _children(child)
            key, value = values.get("wp:meta_key", ""), values.get("wp:meta_value", "")
            meta.setdefault(key, value)
        elif name == "wp:comment":
            values = _children(child)
            comments.append(
                Comment(
                    id=values.get("wp:comment_id", ""),
                    author=values.get("wp:comment_author", ""),
                    email=values.get("wp:comment_author_email", ""),
                    user_id=values.get("wp:comment_user_id", "0"),
                    date=values.get("wp:comment_date", ""),
                    date_gmt=values.get("wp:comment_date_gmt", ""),
                    # A comment's text keeps its line breaks.
                    content=next(
                        (
                            c.text or ""
                            for c in child
                            if _name(c.tag) == "wp:comment_content"
                        ),
                        "",
                    ),
                    approved=values.get("wp:comment_approved", ""),
                    type=values.get("wp:comment_type", ""),
                    parent=values.get("wp:comment_parent", "0"),
                )
            )
        elif name not in fields:
            # Bodies keep their line breaks: classic posts mark paragraphs so.
            text = child.text or ""
            fields[name] = text if name in {"content:encoded"} else text.strip()
    return Item(
        post_id=fields.get("wp:post_id", ""),
        post_type=fields.get("wp:post_type", ""),
        title=fields.get("title", ""),
        link=fields.get("link", ""),
        guid=fields.get("guid", ""),
        creator=fields.get("dc:creator", ""),
        content=fields.get("content:encoded", ""),
        excerpt=fields.get("excerpt:encoded", ""),
        post_date=fields.get("wp:post_date", ""),
        post_date_gmt=fields.get("wp:post_date_gmt", ""),
        status=fields.get("wp:status", ""),
        post_name=fields.get("wp:post_name", ""),
        password=fields.get("wp:post_password", ""),
        comment_status=fields.get("wp:comment_status", ""),
        attachment_url=fields.get("wp:attachment_url", ""),
        terms=terms,
        meta=meta,
        comments=comments,
    )


def _term(name: str, values: dict[str, str]) -> Term:
    if name == "wp:category":
        return Term(
            "category",
            values.get("wp:category_nicename", ""),
            values.get("wp:cat_name", ""),
            values.get("wp:category_parent", ""),
            values.get("wp:category_description", ""),
            values.get("wp:term_id", ""),
        )
    if name == "wp:tag":
        return Term(
            "post_tag",
            values.get("wp:tag_slug", ""),
            values.get("wp:tag_name", ""),
            "",
            values.get("wp:tag_description", ""),
            values.get("wp:term_id", ""),
        )
    return Term(
        values.get("wp:term_taxonomy", ""),
        values.get("wp:term_slug", ""),
        values.get("wp:term_name", ""),
        values.get("wp:term_parent", ""),
        values.get("wp:term_description", ""),
        values.get("wp:term_id", ""),
    )


class _Counted:
    """A binary file that reports how many bytes were read (for a progress bar)."""

    def __init__(self, file, on_read):
        self.file, self.on_read = file, on_read

    def read(self, size=-1):
        data = self.file.read(READ_SIZE if size is None or size < 0 else size)
        self.on_read(len(data))
        return data


CHANNEL_FIELDS = {
    "title": "title",
    "link": "link",
    "wp:base_site_url": "base_site_url",
    "wp:base_blog_url": "base_blog_url",
    "wp:wxr_version": "wxr_version",
}
TERMS = {"wp:category", "wp:tag", "wp:term"}


def read(
    path: Path, on_read: Callable[[int], None] | None = None
) -> Iterator[Channel | Author | Term | Item]:
    """The export's channel (first), authors, terms and items, in file order.
    Raises NotWxr when the file is not a WordPress export, is not well-formed
    (a cut-short download), or declares a DTD or entities."""
    channel = {}
    channel_sent = False
    depth = 0
    parent = None
    try:
        with open(path, "rb") as file:
            source = _Counted(file, on_read) if on_read else file
            events = iterparse(source, events=("start", "end"), forbid_dtd=True)
            for event, element in events:
                if event == "start":
                    depth += 1
                    if depth == 1 and element.tag != "rss":
                        raise NotWxr("it is not an RSS file")
                    if depth == 2:
                        parent = element
                    continue
                depth -= 1
                if depth != 2:
                    continue
                name = _name(element.tag)
                if name in CHANNEL_FIELDS:
                    channel[CHANNEL_FIELDS[name]] = (element.text or "").strip()
                    continue
                if name not in TERMS | {"wp:author", "item"}:
                    parent.clear()
                    continue
                if not channel_sent:
                    if not channel.get("wxr_version"):
                        raise NotWxr("it has no WordPress export version (WXR)")
                    channel_sent = True
                    yield Channel(**channel)
                if name == "item":
                    yield _item(element)
                elif name == "wp:author":
                    values = _children(element)
                    yield Author(
                        id=values.get("wp:author_id", ""),
                        login=values.get("wp:author_login", ""),
                        email=values.get("wp:author_email", ""),
                        display_name=values.get("wp:author_display_name", ""),
                        first_name=values.get("wp:author_first_name", ""),
                        last_name=values.get("wp:author_last_name", ""),
                    )
                else:
                    yield _term(name, _children(element))
                # What was read is let go: the channel keeps no past items.
                parent.clear()
    except ParseError as error:
        line, column = getattr(error, "position", (0, 0))
        if depth == 0 and line <= 1:
            raise NotWxr("it is not XML") from error
        raise NotWxr(
            f"it is not well-formed XML at line {line}, column {column} (a file "
            "cut short?)"
        ) from error
    except DefusedXmlException as error:
        raise NotWxr(
            "it declares a DTD or XML entities, which WordPress exports never do "
            f"(refused for safety: {type(error).__name__})"
        ) from error
    if not channel_sent:
        if not channel.get("wxr_version"):
            raise NotWxr("it has no WordPress export version (WXR)")
        yield Channel(**channel)

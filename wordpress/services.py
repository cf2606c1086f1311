"""Bringing a WordPress site into Newsroom (`manage.py import_wordpress`).

wordpress_import reads the export twice, streamed: first the authors, categories,
tags and attachments (small, kept in memory) and the number of posts, which also
proves the whole file well-formed before anything is written; then the posts,
one at a time. Each post is saved as articles.services.article_save saves one:
its row, then its bylines and tags (written in one query each), then
article_changed, the one service that refreshes what is derived from an article
(search vector, body pictures, History). Posts go in batches of BATCH_SIZE
committed together, each post in a savepoint of its own: a post that cannot be
saved is reported and the others are kept, and nothing of it remains (rows,
picture files, lines of the report). What many posts write alike (import
records, old addresses, comments) is written once per batch; a batch the
database refuses is imported again post by post. Running it again updates what
changed on WordPress and creates nothing twice (see wordpress.models); a dry run
does everything in a transaction it rolls back, and stores no picture file.

What is decided here, and why:
- Statuses: published, scheduled ("future"), drafts and posts pending review
  keep their state; private, password-protected and trashed posts were not
  public and are skipped, as are WordPress's empty automatic drafts.
- Authors become named contributors under the name WordPress showed readers;
  only an authors file (--authors) makes one pseudonymous or withheld: the
  importer never guesses a safety byline, and never lowers a protection an
  editor set. Email addresses are never kept.
- A post's section is its primary category (Yoast's or Rank Math's choice,
  else the first), up to its top-level ancestor: Newsroom has a few sections,
  WordPress often has many categories. Its other categories and subcategories
  become tags beside its WordPress tags. New sections stay out of the
  navigation until an editor puts them there.
- Pictures come from the local uploads folder only, through the image pipeline
  (scrubbed, renamed); each file becomes one library picture whatever the number
  of posts showing it.
- Approved comments are kept under the name their writer gave, without email,
  web address or IP address. A name that passes for the editors, names a
  protected author, or is an address, is shown as "A former reader".
- Every old address answers with a permanent redirect: a post's permalink and
  its "?p=" form, a category's and a tag's page and their feeds.
- A post edited here since it was imported is not overwritten (--overwrite
  does it)."""

import csv
import hashlib
import json
import re
import uuid
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field, fields
from datetime import UTC, datetime
from pathlib import Path
from typing import TextIO
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_unicode_slug
from django.db import (
    DatabaseError,
    InterfaceError,
    OperationalError,
    models,
    transaction,
)
from django.db.models import Max
from django.urls import Resolver404, resolve
from django.utils import timezone
from django.utils.text import Truncator, slugify
from taggit.models import Tag
from tqdm import tqdm

from articles.models import Article, ArticleContributor, Section, TaggedArticle
from articles.richtext import sanitize_body
from articles.services import article_changed
from comments.models import Comment
from comments.services import comment_counts_rebuild
from contributors.models import Contributor
from images.models import Image
from images.processing import scrub
from images.services import ImageNotStored, image_files_remove_after_commit, image_save
from readers.names import label_keys, name_key, staff_name_keys
from wordpress import wxr
from wordpress.content import (
    UNCATEGORIZED,
    Picture,
    clean_name,
    comment_text,
    convert_body,
    detect_language,
    language_code,
    text,
    upload_candidates,
    upload_path,
)
from wordpress.models import (
    PATH_MAX_LENGTH,
    ImportedAuthor,
    ImportedImage,
    ImportedPost,
    OldAddress,
    normalized_path,
    site_key,
)

BATCH_SIZE = 100
SAMPLE_SIZE = 50
# Post types that are the WordPress site's machinery, not its journalism.
STRUCTURE_TYPES = {
    "revision",
    "nav_menu_item",
    "custom_css",
    "customize_changeset",
    "oembed_cache",
    "user_request",
    "wp_block",
    "wp_template",
    "wp_template_part",
    "wp_global_styles",
    "wp_navigation",
    "wp_font_family",
    "wp_font_face",
}
PRIMARY_CATEGORY_KEYS = ["_yoast_wpseo_primary_category", "rank_math_primary_category"]
WPML_LANGUAGE_KEYS = ["_wpml_import_language_code", "_wpml_language"]
EMPTY_DATE = "0000-00-00 00:00:00"
PROTECTION = {
    Contributor.Identity.NAMED: 0,
    Contributor.Identity.PSEUDONYM: 1,
    Contributor.Identity.WITHHELD: 2,
}
IMPORT_REASON = "Imported from WordPress"


class Skip(models.TextChoices):
    """Why a post was not imported, as the report says it."""

    PRIVATE = "private", "private on WordPress (only its editors could read it)"
    PASSWORD = "password", "protected by a password on WordPress"
    TRASH = "trash", "in WordPress's trash"
    AUTO_DRAFT = "auto-draft", "an empty automatic draft"
    PAGE = "page", "a page, not a post (write the trust pages in the admin)"
    STRUCTURE = "structure", "the WordPress site's machinery (menus, styles, blocks)"
    UNKNOWN_TYPE = "unknown-type", "a post type Newsroom does not know"
    MALFORMED = "malformed", "malformed"
    EDITED_HERE = (
        "edited-here",
        "changed on WordPress, but edited here since it was imported: the edits "
        "here were kept (--overwrite replaces them)",
    )
    NOT_SAVED = "not-saved", "could not be saved"


class CommentSkip(models.TextChoices):
    """Why a comment was not kept."""

    PENDING = "pending", "waiting for moderation on WordPress"
    SPAM = "spam", "spam"
    TRASH = "trash", "in WordPress's trash"
    LINK = "link", "a pingback or trackback (a link from another site)"
    EMPTY = "empty", "empty"


class PictureProblem(models.TextChoices):
    """Why a picture of a post was left out."""

    NO_UPLOADS = "no-uploads", "no uploads folder was given (--uploads)"
    MISSING = "missing", "not in the uploads folder"
    ELSEWHERE = "elsewhere", "from another site: never fetched"
    REFUSED = "refused", "refused by the image pipeline"
    NOT_EXPORTED = (
        "not-exported",
        "its attachment is not in the export (export “All content”)",
    )


class ImportAborted(Exception):
    """The import cannot go on (the media storage refused a file); what was
    committed before stays, and a second run goes on from there."""


@dataclass(frozen=True)
class AuthorChoice:
    """What the authors file says of one WordPress author."""

    identity: str = Contributor.Identity.NAMED
    pseudonym: str = ""
    name: str = ""
    contributor: str = ""  # the slug of an existing contributor to credit


@dataclass
class ImportReport:
    """What an import did, and what it left out and why."""

    site: str = ""
    dry_run: bool = False
    articles: Counter = field(default_factory=Counter)  # created, updated, unchanged
    statuses: Counter = field(default_factory=Counter)
    languages: Counter = field(default_factory=Counter)
    contributors_created: int = 0
    sections_created: list[str] = field(default_factory=list)
    tags_created: int = 0
    pictures_stored: int = 0
    pictures_without_alt: int = 0
    metadata_removed: Counter = field(default_factory=Counter)
    comments: Counter = field(default_factory=Counter)  # kept, updated, removed
    comments_skipped: Counter = field(default_factory=Counter)
    old_addresses: int = 0
    skipped: list[tuple[str, Skip, str]] = field(default_factory=list)
    # (post, why, file, more detail)
    pictures_left_out: list[tuple[str, PictureProblem, str, str]] = field(
        default_factory=list
    )
    warnings: list[str] = field(default_factory=list)

    def mark(self) -> dict:
        """Where the report stands, for rewind(): the lengths of its lists and
        copies of its counters (a mark is cheap, whatever the report's size)."""
        return {
            item.name: len(value)
            if isinstance(value, list)
            else value.copy()
            if isinstance(value, Counter)
            else value
            for item in fields(self)
            for value in [getattr(self, item.name)]
        }

    def rewind(self, mark: dict) -> None:
        """Forget what was reported since the mark (of a post rolled back)."""
        for name, kept in mark.items():
            value = getattr(self, name)
            if isinstance(value, list):
                del value[kept:]
            else:
                setattr(self, name, kept)


@dataclass
class _Scan:
    """What the first reading keeps: everything but the posts' contents."""

    channel: wxr.Channel
    authors: dict[str, wxr.Author] = field(default_factory=dict)
    categories: dict[str, wxr.Term] = field(default_factory=dict)
    category_ids: dict[str, str] = field(default_factory=dict)
    attachments: dict[str, wxr.Item] = field(default_factory=dict)
    attachment_files: dict[str, wxr.Item] = field(default_factory=dict)
    items: int = 0
    # Some posts' (id, GUID), to recognise a site imported before at another
    # address.
    sample: list[tuple[int, str]] = field(default_factory=list)


def read_author_choices(path: Path) -> dict[str, AuthorChoice]:
    """The authors file: CSV with a header line and the columns login, identity
    (named, pseudonym or withheld), and optionally pseudonym, name (the real
    name, kept for the newsroom only) and contributor (the slug of an existing
    contributor to credit instead of creating one). Raises ValueError saying
    which line is wrong."""
    identities = set(Contributor.Identity.values)
    choices = {}
    with open(path, newline="", encoding="utf-8-sig") as file:
        rows = csv.DictReader(file)
        if not rows.fieldnames or not {"login", "identity"} <= set(rows.fieldnames):
            raise ValueError("its first line must name the columns: login,identity")
        for number, row in enumerate(rows, start=2):
            login = (row.get("login") or "").strip()
            identity = (row.get("identity") or "").strip().lower() or "named"
            pseudonym = (row.get("pseudonym") or "").strip()
            if not login:
                raise ValueError(f"line {number} has no login")
            if identity not in identities:
                raise ValueError(
                    f"line {number}: the identity must be one of "
                    f"{', '.join(sorted(identities))}, not “{identity}”"
                )
            if identity == Contributor.Identity.PSEUDONYM and not pseudonym:
                raise ValueError(f"line {number}: a pseudonym is needed")
            choices[login] = AuthorChoice(
                identity=identity,
                pseudonym=pseudonym,
                name=(row.get("name") or "").strip(),
                contributor=(row.get("contributor") or "").strip(),
            )
    return choices


def _date(value: str, *, gmt: bool) -> datetime | None:
    """A WordPress date ("2019-05-12 10:00:00"), in UTC when `gmt`, else in the
    site's time zone; None when empty. Raises ValueError for anything else."""
    value = (value or "").strip()
    if not value or value == EMPTY_DATE:
        return None
    moment = datetime.strptime(value, "%Y-%m-%d %H:%M:%S")
    if gmt:
        return moment.replace(tzinfo=UTC)
    return timezone.make_aware(moment)


def _digest(*parts) -> str:
    data = json.dumps(parts, ensure_ascii=False, sort_keys=True, default=str)
    return hashlib.sha256(data.encode()).hexdigest()


class _Importer:
    """One run of the import; see wordpress_import."""

    def __init__(
        self,
        *,
        source: Path,
        uploads: Path | None,
        language: str | None,
        authors: dict[str, AuthorChoice],
        overwrite: bool,
        dry_run: bool,
        progress: TextIO | None,
    ):
        self.source = source
        self.uploads = uploads.resolve() if uploads else None
        self.language = language
        self.author_choices = authors
        self.overwrite = overwrite
        self.dry_run = dry_run
        self.progress = progress
        self.report = ImportReport(dry_run=dry_run)
        self.offered = set(Article.Language.values)
        self.default_language = settings.LANGUAGE_CODE.split("-")[0]
        if self.default_language not in self.offered:
            self.default_language = Article.Language.ENGLISH
        self.written: list[str] = []

    # The two readings

    def scan(self) -> _Scan:
        scan = None
        with self._bar("Reading", self.source.stat().st_size, "B") as bar:
            for found in wxr.read(self.source, on_read=bar.update):
                if isinstance(found, wxr.Channel):
                    scan = _Scan(channel=found)
                elif isinstance(found, wxr.Author):
                    scan.authors[found.login] = found
                elif isinstance(found, wxr.Term):
                    if found.taxonomy == "category" and found.slug:
                        scan.categories[found.slug] = found
                        if found.id:
                            scan.category_ids[found.id] = found.slug
                elif found.post_type == "attachment":
                    found.content, found.comments = "", []  # its metadata is enough
                    scan.attachments[found.post_id] = found
                    path = found.meta.get("_wp_attached_file") or upload_path(
                        found.attachment_url
                    )
                    if path:
                        scan.attachment_files[path] = found
                else:
                    scan.items += 1
                    if (
                        found.post_type == "post"
                        and found.post_id.isdigit()
                        and found.guid
                        and len(scan.sample) < SAMPLE_SIZE
                    ):
                        scan.sample.append((int(found.post_id), found.guid[:500]))
        return scan

    def run(self) -> ImportReport:
        scan = self.scan()
        channel = scan.channel
        self.scan_result = scan
        self.site = site_key(channel.blog_url)
        if not self.site:
            raise wxr.NotWxr("it does not say which site it comes from")
        self.report.site = channel.blog_url
        self.base_path = normalized_path(urlsplit(channel.blog_url).path)
        self.site_hosts = {
            (urlsplit(url).hostname or "").lower().removeprefix("www.")
            for url in [channel.blog_url, channel.base_site_url, channel.link]
            if url
        } - {""}
        if self.dry_run:
            with transaction.atomic():
                self._prepare(scan)
                self._import_items(scan)
                transaction.set_rollback(True)
        else:
            self._prepare(scan)
            self._import_items(scan)
        return self.report

    def _prepare(self, scan: _Scan) -> None:
        self._follow_a_move(scan)
        self.seen: set[int] = set()
        self.term_addresses: dict[str, tuple[str, object]] = {}
        self._load()
        self.tags_before = Tag.objects.count()
        self.reserved_names = label_keys() | staff_name_keys()
        self.protected = self._protected_names(scan)
        for login in set(self.author_choices) - set(scan.authors):
            self.report.warnings.append(
                f"The authors file names “{login}”, who is not an author in the export."
            )

    def _load(self) -> None:
        """What the run knows of rows already written (import records, pictures,
        authors), read from the database: at the start, and again after a post
        or a batch was rolled back, so that nothing refers to a row that is
        gone."""
        known = ImportedPost.objects.filter(site=self.site)
        self.posts = {row.post_id: row for row in known}
        # When each imported article was last changed here (edited since?).
        self.modified = dict(
            Article.objects.filter(
                pk__in=[row.article_id for row in self.posts.values()]
            ).values_list("pk", "modified_at")
        )
        images = dict(
            ImportedImage.objects.filter(site=self.site).values_list("path", "image_pk")
        )
        existing = set(
            Image.objects.filter(pk__in=images.values()).values_list("pk", flat=True)
        )
        self.images = {path: pk for path, pk in images.items() if pk in existing}
        self.contributors = {
            row.login: row.contributor
            for row in ImportedAuthor.objects.filter(site=self.site).select_related(
                "contributor"
            )
        }
        self.sections: dict[str, Section | None] = {}
        self.tag_cache: dict[str, Tag] = {}
        sections = [
            value.pk
            for kind, value in self.term_addresses.values()
            if kind == "section"
        ]
        kept = set(Section.objects.filter(pk__in=sections).values_list("pk", flat=True))
        self.term_addresses = {
            path: (kind, value)
            for path, (kind, value) in self.term_addresses.items()
            if kind != "section" or value.pk in kept
        }

    def _follow_a_move(self, scan: _Scan) -> None:
        """A site imported before from another address (http to https, a new
        domain) is recognised by its posts' GUIDs, which WordPress never
        changes: what was imported from it is now this address's, so that
        nothing is imported twice."""
        if not scan.sample or ImportedPost.objects.filter(site=self.site).exists():
            return
        guids = dict(scan.sample)
        seen = Counter(
            site
            for site, post_id, guid in ImportedPost.objects.filter(
                guid__in=guids.values()
            ).values_list("site", "post_id", "guid")
            if guids.get(post_id) == guid
        )
        if not seen:
            return
        before, matches = seen.most_common(1)[0]
        if matches * 2 < len(scan.sample):
            return
        for model in [ImportedPost, ImportedAuthor, ImportedImage]:
            model.objects.filter(site=before).update(site=self.site)
        self.report.warnings.append(
            f"This site was imported before from {before}: what came from there "
            f"is updated, not imported again."
        )

    def _protected_names(self, scan: _Scan) -> dict[tuple[str, str], str]:
        """What would identify a pseudonymous or withheld author in a comment
        they wrote (their WordPress user id, email address, names and login),
        and the name to show instead: the pseudonym, or nothing."""
        found = {}
        for login, author in scan.authors.items():
            choice = self.author_choices.get(login)
            contributor = self.contributors.get(login)
            identity = choice.identity if choice else Contributor.Identity.NAMED
            pseudonym = choice.pseudonym if choice else ""
            if contributor is not None and (
                PROTECTION[contributor.identity] >= PROTECTION[identity]
            ):
                identity, pseudonym = contributor.identity, contributor.pseudonym
            if identity == Contributor.Identity.NAMED:
                continue
            shown = pseudonym if identity == Contributor.Identity.PSEUDONYM else ""
            if author.id:
                found["id", author.id] = shown
            if author.email:
                found["email", author.email.lower()] = shown
            names = [
                login,
                author.display_name,
                f"{author.first_name} {author.last_name}",
                f"{author.last_name} {author.first_name}",
                choice.name if choice else "",
                contributor.name if contributor else "",
            ]
            for name in names:
                if key := name_key(name):
                    found["name", key] = shown
        return found

    def _import_items(self, scan: _Scan) -> None:
        batch = []
        with self._bar("Importing", scan.items, "post") as bar:
            for found in wxr.read(self.source):
                if not isinstance(found, wxr.Item) or found.post_type == "attachment":
                    continue
                batch.append(found)
                if len(batch) >= BATCH_SIZE:
                    self._batch(batch)
                    bar.update(len(batch))
                    batch = []
            if batch:
                self._batch(batch)
                bar.update(len(batch))
        self._term_addresses()
        self.report.tags_created = max(Tag.objects.count() - self.tags_before, 0)

    def _batch(self, items: list[wxr.Item]) -> None:
        """Import a batch of posts in one transaction, each post in a savepoint;
        what many posts write alike (import records, old addresses, comments)
        is written once for the batch. A batch the database refuses as a whole
        is imported again one post at a time, so that only the post at fault
        is left out."""
        mark, seen = self.report.mark(), set(self.seen)
        try:
            self._write_batch(items)
        except (OperationalError, InterfaceError) as error:
            message = str(error).strip().splitlines()[0]
            raise ImportAborted(
                f"The database stopped answering ({message})."
            ) from error
        except DatabaseError as error:
            self.report.rewind(mark)
            self.seen = seen
            self._load()
            if len(items) == 1:
                self._skip(_label(items[0]), Skip.NOT_SAVED, str(error).splitlines()[0])
                return
            for item in items:
                self._batch([item])

    def _write_batch(self, items: list[wxr.Item]) -> None:
        self.written = []
        self.records: list[ImportedPost] = []
        self.addresses: list[OldAddress] = []
        self.comment_plans: list[tuple[Article, dict, list]] = []
        try:
            with transaction.atomic():
                for item in items:
                    self._item(item)
                ImportedPost.objects.bulk_create(
                    self.records,
                    update_conflicts=True,
                    unique_fields=["site", "post_id"],
                    update_fields=[
                        "guid",
                        "article",
                        "post_digest",
                        "comments_digest",
                        "comment_ids",
                        "imported_at",
                    ],
                )
                self._save_addresses(self.addresses)
                touched = self._write_comments()
                if touched:
                    comment_counts_rebuild(articles=sorted(touched))
        except BaseException:
            # Pictures stored for a batch that did not commit have no row left.
            image_files_remove_after_commit(names=self.written)
            raise

    # One post

    def _item(self, item: wxr.Item) -> None:
        label = _label(item)
        if item.post_type in STRUCTURE_TYPES:
            self._skip(label, Skip.STRUCTURE, item.post_type)
            return
        if item.post_type == "page":
            self._skip(label, Skip.PAGE)
            return
        if item.post_type != "post":
            self._skip(label, Skip.UNKNOWN_TYPE, item.post_type or "no type given")
            return
        if not item.post_id.isdigit() or len(item.post_id) > 18:
            self._skip(label, Skip.MALFORMED, "its post id is not a number")
            return
        if int(item.post_id) in self.seen:
            self._skip(label, Skip.MALFORMED, "its post id appears twice in the export")
            return
        self.seen.add(int(item.post_id))
        if item.password:
            self._skip(label, Skip.PASSWORD)
            return
        status = {
            "private": Skip.PRIVATE,
            "trash": Skip.TRASH,
            "auto-draft": Skip.AUTO_DRAFT,
        }.get(item.status)
        if status is not None:
            self._skip(label, status)
            return
        # A post is written whole or not at all: what it planned for the batch,
        # reported, or learnt (rows its savepoint took back) goes with it.
        mark = self.report.mark()
        planned = [
            len(self.records),
            len(self.addresses),
            len(self.comment_plans),
            len(self.written),
        ]
        try:
            with transaction.atomic():
                self._post(item, label)
        except (OperationalError, InterfaceError):
            raise  # the database itself, not this post: the batch stops
        except (ValidationError, ValueError, DatabaseError) as error:
            self.report.rewind(mark)
            records, addresses, plans, written = planned
            del self.records[records:], self.addresses[addresses:]
            del self.comment_plans[plans:]
            image_files_remove_after_commit(names=self.written[written:])
            del self.written[written:]
            self._load()
            if isinstance(error, DatabaseError):
                self._skip(label, Skip.NOT_SAVED, str(error).splitlines()[0])
            else:
                self._skip(label, Skip.MALFORMED, _message(error))

    def _post(self, item: wxr.Item, label: str) -> None:
        post_id = int(item.post_id)
        record = self.posts.get(post_id)
        headline = text(item.title)[:300]
        if not headline:
            headline = Truncator(text(item.content)).words(12)[:300]
        if not headline:
            raise ValueError("it has neither a title nor any text")
        status, published_at = self._status(item)
        language = self._language(item, headline)
        logins = self._logins(item)
        options = [self.language, bool(self.uploads)] + [
            self.author_choices.get(login) for login in logins
        ]
        digest = _digest(
            headline,
            item.content,
            item.excerpt,
            item.status,
            published_at,
            item.post_name,
            item.comment_status,
            item.terms,
            logins,
            language,
            {key: item.meta.get(key) for key in self._meta_keys},
            options,
        )
        comments = self._comment_rows(item)
        comments_digest = _digest(
            [
                (c.id, c.author, c.content, c.date_gmt, c.parent, c.approved)
                for c in comments
            ]
        )
        unchanged = record is not None and record.post_digest == digest
        edited_here = (
            record is not None
            and not unchanged
            and not self.overwrite
            and self.modified[record.article_id] > record.imported_at
        )
        if edited_here:
            self._skip(label, Skip.EDITED_HERE)
        if unchanged or edited_here:
            if record.comments_digest != comments_digest:
                record.comment_ids = self._comments(
                    Article(pk=record.article_id), item, record.comment_ids
                )
                record.comments_digest = comments_digest
                self.records.append(record)
            self.report.articles["unchanged"] += unchanged
            return
        created = record is None
        article = Article() if created else Article.objects.get(pk=record.article_id)
        problems = len(self.report.pictures_left_out)
        section, tag_names = self._section_and_tags(item)
        body = convert_body(
            item.content,
            store=lambda picture: self._picture(picture, label),
            attachment_src=self._attachment_src,
            site_hosts=self.site_hosts,
        )
        values = {
            "headline": headline,
            "slug": self._slug(item, headline, article),
            "standfirst": self._standfirst(item),
            "language": language,
            "section_id": section.pk if section else None,
            "status": status,
            "published_at": published_at,
            "body": sanitize_body(body.html),
            "comments_open": item.comment_status != "closed",
            "lead_image_id": self._lead_image(item, label),
        }
        contributors = [c.pk for c in self._credits(logins)]
        tags = [tag.pk for tag in self._tags(tag_names)]
        if created or self._differs(article, values, tags, contributors):
            for name, value in values.items():
                setattr(article, name, value)
            article.save()
            self._set_related(article, contributors, tags, created=created)
            # What article_save does after saving, once the bylines and tags
            # written above are in place: search vector, body pictures, History.
            article_changed(article=article, reason=IMPORT_REASON, notify=False)
            self.report.articles["created" if created else "updated"] += 1
            self.report.statuses[status] += 1
            self.report.languages[language] += 1
        else:
            self.report.articles["unchanged"] += 1
        comment_ids = self._comments(
            article, item, record.comment_ids if record else []
        )
        self._article_addresses(item, article)
        retry = any(
            problem in {PictureProblem.MISSING, PictureProblem.NO_UPLOADS}
            for _label, problem, *_what in self.report.pictures_left_out[problems:]
        )
        record = record or ImportedPost(site=self.site, post_id=post_id)
        record.article = article
        record.guid = item.guid[:500]
        # A post whose pictures were missing is read again next time.
        record.post_digest = "" if retry else digest
        record.comments_digest = comments_digest
        record.comment_ids = comment_ids
        record.imported_at = timezone.now()
        self.records.append(record)
        self.posts[post_id] = record

    _meta_keys = [
        "_thumbnail_id",
        "_yoast_wpseo_metadesc",
        *PRIMARY_CATEGORY_KEYS,
        *WPML_LANGUAGE_KEYS,
    ]

    def _differs(self, article, values, tags, contributors) -> bool:
        if any(getattr(article, name) != value for name, value in values.items()):
            return True
        current = TaggedArticle.objects.filter(content_object=article)
        if set(current.values_list("tag_id", flat=True)) != set(tags):
            return True
        credited = (
            ArticleContributor.objects.filter(article=article)
            .order_by("position", "pk")
            .values_list("contributor_id", flat=True)
        )
        return list(credited) != contributors

    def _set_related(self, article, contributors, tags, *, created: bool) -> None:
        """The bylines and tags, in one write each (taggit's set() costs a
        query or three per tag)."""
        if not created:
            ArticleContributor.objects.filter(article=article).delete()
            TaggedArticle.objects.filter(content_object=article).delete()
        ArticleContributor.objects.bulk_create(
            ArticleContributor(article=article, contributor_id=pk, position=position)
            for position, pk in enumerate(contributors)
        )
        TaggedArticle.objects.bulk_create(
            TaggedArticle(content_object=article, tag_id=pk) for pk in tags
        )

    def _tags(self, names: list[str]) -> list[Tag]:
        """Tags by name, whatever their case (as taggit finds them here), made
        when missing; each looked up once a run."""
        found = []
        for name in names:
            key = name.lower()
            if key not in self.tag_cache:
                tag = Tag.objects.filter(name__iexact=name).first()
                self.tag_cache[key] = tag or Tag.objects.create(name=name)
            found.append(self.tag_cache[key])
        return list(dict.fromkeys(found))

    def _status(self, item: wxr.Item) -> tuple[str, datetime | None]:
        try:
            when = _date(item.post_date_gmt, gmt=True) or _date(
                item.post_date, gmt=False
            )
        except ValueError:
            raise ValueError(
                f"its date “{item.post_date_gmt or item.post_date}” is not a date"
            ) from None
        if item.status in {"publish", "future"}:
            if when is None:
                raise ValueError("it is published but has no date")
            if item.status == "future" or when > timezone.now():
                return Article.Status.SCHEDULED, when
            return Article.Status.PUBLISHED, when
        if item.status == "pending":
            return Article.Status.IN_REVIEW, None
        if item.status != "draft":
            self.report.warnings.append(
                f"Post {item.post_id} has the status “{item.status}”, which "
                "Newsroom does not have: imported as a draft."
            )
        return Article.Status.DRAFT, None

    def _language(self, item: wxr.Item, headline: str) -> str:
        words = f"{headline} {text(item.content)[:2000]}"
        given = [slug for domain, slug, _name in item.terms if domain == "language"]
        given += [item.meta[key] for key in WPML_LANGUAGE_KEYS if item.meta.get(key)]
        for value in given:
            if code := language_code(value, self.offered, words):
                return code
        if given:
            self.report.warnings.append(
                f"Post {item.post_id} is in “{given[0]}”, a language the site does "
                "not offer: its language was chosen as for posts that say none."
            )
        if self.language:
            return self.language
        return detect_language(words) or self.default_language

    def _standfirst(self, item: wxr.Item) -> str:
        words = text(item.excerpt) or text(item.meta.get("_yoast_wpseo_metadesc", ""))
        return Truncator(words).chars(600)

    def _slug(self, item: wxr.Item, headline: str, article: Article) -> str:
        slug = unquote(item.post_name or "").strip().lower()
        try:
            validate_unicode_slug(slug)
        except ValidationError:
            slug = slugify(headline, allow_unicode=True)
        base = slug[:190].strip("-") or f"post-{item.post_id}"
        slug, number = base, 1
        while (
            Article.objects.filter(slug=slug).exclude(pk=article.pk).exists()
            if article.pk
            else Article.objects.filter(slug=slug).exists()
        ):
            number += 1
            slug = f"{base}-{number}"
        return slug

    # Sections and tags

    def _category_chain(self, slug: str) -> list[wxr.Term]:
        """The category and its ancestors, the top-level one last."""
        chain, seen = [], set()
        term = self.scan_result.categories.get(slug)
        while term is not None and term.slug not in seen:
            chain.append(term)
            seen.add(term.slug)
            term = self.scan_result.categories.get(term.parent)
        return chain

    def _section_and_tags(self, item: wxr.Item) -> tuple[Section | None, list[str]]:
        categories = [
            (slug, name)
            for domain, slug, name in item.terms
            if domain == "category" and unquote(slug) not in UNCATEGORIZED
        ]
        tags = [name for domain, _slug, name in item.terms if domain == "post_tag"]
        primary = None
        for key in PRIMARY_CATEGORY_KEYS:
            chosen = self.scan_result.category_ids.get(item.meta.get(key, ""))
            if chosen and any(slug == chosen for slug, _name in categories):
                primary = chosen
                break
        if primary is None and categories:
            primary = categories[0][0]
        section = None
        top = None
        if primary is not None:
            chain = self._category_chain(primary) or [
                wxr.Term("category", primary, dict(categories)[primary])
            ]
            top = chain[-1]
            section = self._section(top)
        for slug, name in categories:
            if top is None or slug != top.slug:
                tags.append(name)
                self._category_address(slug, ("tag", name[:100]))
        for domain, slug, name in item.terms:
            if domain == "post_tag":
                self._term_address(f"/tag/{slug}", ("tag", name[:100]))
        tags = [" ".join(tag.split())[:100] for tag in tags]
        return section, list(dict.fromkeys(tag for tag in tags if tag))

    def _section(self, term: wxr.Term) -> Section | None:
        if term.slug in self.sections:
            return self.sections[term.slug]
        name = text(term.name)[:100] or unquote(term.slug)[:100]
        slug = unquote(term.slug).lower()[:100]
        try:
            validate_unicode_slug(slug)
        except ValidationError:
            slug = slugify(name, allow_unicode=True)[:100] or f"section-{term.slug}"
        section = (
            Section.objects.filter(slug=slug).first()
            or Section.objects.filter(name__iexact=name).first()
        )
        if section is None:
            last = Section.objects.aggregate(last=Max("position"))["last"]
            section = Section.objects.create(
                name=name,
                slug=slug,
                description=Truncator(text(term.description)).chars(300),
                position=(last or 0) + 1,
                in_navigation=False,
            )
            self.report.sections_created.append(name)
        self.sections[term.slug] = section
        self._category_address(term.slug, ("section", section))
        return section

    def _category_address(self, slug: str, target) -> None:
        path = "/".join(term.slug for term in reversed(self._category_chain(slug)))
        self._term_address(f"/category/{path or slug}", target)

    def _term_address(self, path: str, target) -> None:
        prefix = "" if self.base_path == "/" else self.base_path
        self.term_addresses[normalized_path(prefix + path)] = target

    def _term_addresses(self) -> None:
        names = {value for kind, value in self.term_addresses.values() if kind == "tag"}
        tags = {tag.name.lower(): tag for tag in Tag.objects.filter(name__in=names)}
        for name in names:
            if name.lower() not in tags:
                found = Tag.objects.filter(name__iexact=name).first()
                if found is not None:
                    tags[name.lower()] = found
        rows = []
        for path, (kind, value) in self.term_addresses.items():
            if kind == "section":
                rows.append(OldAddress(path=path, section=value))
            elif value.lower() in tags:
                rows.append(OldAddress(path=path, tag=tags[value.lower()]))
        self._save_addresses(rows)

    # Authors

    def _logins(self, item: wxr.Item) -> list[str]:
        """Who wrote the post: Co-Authors Plus's list when the export has it,
        else the post's author."""
        coauthors = [
            slug.removeprefix("cap-")
            for domain, slug, _name in item.terms
            if domain == "author" and slug
        ]
        logins = coauthors or ([item.creator] if item.creator else [])
        return list(dict.fromkeys(logins))

    def _credits(self, logins: Iterable[str]) -> list[Contributor]:
        return list(
            dict.fromkeys(self._contributor(login) for login in logins if login)
        )

    def _contributor(self, login: str) -> Contributor:
        choice = self.author_choices.get(login)
        contributor = self.contributors.get(login)
        if contributor is not None:
            wanted = choice.identity if choice else Contributor.Identity.NAMED
            if PROTECTION[wanted] > PROTECTION[contributor.identity]:
                # The authors file may raise a protection, never lower one.
                contributor.identity = wanted
                if wanted == Contributor.Identity.PSEUDONYM:
                    contributor.pseudonym = choice.pseudonym
                contributor.save()
            return contributor
        if choice and choice.contributor:
            contributor = Contributor.objects.filter(slug=choice.contributor).first()
            if contributor is None:
                self.report.warnings.append(
                    f"The authors file credits “{login}” to the contributor "
                    f"“{choice.contributor}”, who does not exist: a new one was made."
                )
        if contributor is None:
            author = self.scan_result.authors.get(login) or wxr.Author(
                "", login, "", login, "", ""
            )
            shown = clean_name(author.display_name) or clean_name(login)
            full = clean_name(f"{author.first_name} {author.last_name}")
            identity = choice.identity if choice else Contributor.Identity.NAMED
            named = identity == Contributor.Identity.NAMED
            contributor = Contributor(
                name=(shown if named else (choice.name or full or shown))[:200],
                identity=identity,
                pseudonym=(choice.pseudonym or shown)[:200]
                if identity == Contributor.Identity.PSEUDONYM
                else "",
            )
            contributor.save()
            self.report.contributors_created += 1
        ImportedAuthor.objects.update_or_create(
            site=self.site, login=login[:200], defaults={"contributor": contributor}
        )
        self.contributors[login] = contributor
        return contributor

    # Pictures

    def _attachment_src(self, attachment_id: str) -> str | None:
        attachment = self.scan_result.attachments.get(attachment_id)
        return attachment.attachment_url if attachment else None

    def _lead_image(self, item: wxr.Item, label: str) -> int | None:
        attachment_id = item.meta.get("_thumbnail_id", "")
        if not attachment_id:
            return None
        attachment = self.scan_result.attachments.get(attachment_id)
        if attachment is None:
            self._left_out(
                label, PictureProblem.NOT_EXPORTED, f"attachment {attachment_id}"
            )
            return None
        return self._picture(
            Picture(src=attachment.attachment_url, attachment_id=attachment_id), label
        )

    def _picture(self, picture: Picture, label: str) -> int | None:
        attachment = self.scan_result.attachments.get(picture.attachment_id)
        path = None
        if attachment is not None:
            path = attachment.meta.get("_wp_attached_file") or upload_path(
                attachment.attachment_url
            )
        path = path or upload_path(picture.src)
        if path is None:
            where = urlsplit(picture.src).hostname or picture.src[:60]
            self._left_out(label, PictureProblem.ELSEWHERE, where)
            return None
        if attachment is None:
            attachment = self.scan_result.attachment_files.get(path)
        candidates = upload_candidates(path)
        for candidate in candidates:
            if candidate in self.images:
                return self.images[candidate]
        if self.uploads is None:
            self._left_out(label, PictureProblem.NO_UPLOADS, path)
            return None
        found = None
        for candidate in candidates:
            if "\x00" in candidate:
                continue
            file = (self.uploads / candidate).resolve()
            # Nothing outside the uploads folder is ever read ("../", links).
            if file.is_relative_to(self.uploads) and file.is_file():
                found = candidate, file
                break
        if found is None:
            self._left_out(label, PictureProblem.MISSING, path)
            return None
        key, file = found
        if file.stat().st_size > settings.IMAGE_MAX_UPLOAD_BYTES:
            self._left_out(label, PictureProblem.REFUSED, key, "too large")
            return None
        try:
            clean = scrub(file.read_bytes())
        except ValidationError as error:
            self._left_out(label, PictureProblem.REFUSED, key, _message(error))
            return None
        alt = picture.alt
        if not alt and attachment is not None:
            alt = attachment.meta.get("_wp_attachment_image_alt", "")
        caption = text(attachment.excerpt) if attachment else ""
        image = Image(alt_text=text(alt)[:300], caption=caption[:500])
        if self.dry_run:
            # Checked and counted, but no file is written for a dry run.
            image.width, image.height = clean.width, clean.height
            image.stripped_metadata = list(clean.stripped)
            image.save()
        else:
            try:
                saved = image_save(image=image, picture=clean)
            except ImageNotStored as error:
                raise ImportAborted(str(error)) from error
            self.written += [image.file.name, *(r["name"] for r in image.renditions)]
            image = saved.image
        ImportedImage.objects.update_or_create(
            site=self.site, path=key, defaults={"image_pk": image.pk}
        )
        self.images[key] = image.pk
        self.report.pictures_stored += 1
        self.report.pictures_without_alt += not image.alt_text
        self.report.metadata_removed.update(clean.stripped)
        return image.pk

    def _left_out(
        self, label: str, problem: PictureProblem, what: str, detail: str = ""
    ) -> None:
        self.report.pictures_left_out.append((label, problem, what, detail))

    # Comments

    def _comment_rows(self, item: wxr.Item) -> list[wxr.Comment]:
        return sorted(item.comments, key=lambda c: (len(c.id), c.id))

    def _comments(
        self, article: Article, item: wxr.Item, imported: list[str]
    ) -> list[str]:
        """Plan the post's comments: its approved ones are kept (one level of
        replies, as here) and updated when they changed; those WordPress no
        longer approves, and those `imported` before that are no longer in the
        export (deleted there), are removed. Keyed on the article and the
        comment's WordPress id; written with the batch (_write_comments).
        Returns the WordPress ids of the comments kept."""
        kept, gone = {}, []
        for comment in self._comment_rows(item):
            key = _comment_key(article, comment.id)
            reason = self._comment_skip(comment)
            if reason is None and not comment_text(comment.content):
                reason = CommentSkip.EMPTY
            if reason is None:
                kept[comment.id] = (key, comment)
            else:
                self.report.comments_skipped[reason] += 1
                gone.append(key)
        kept_keys = {key for key, _comment in kept.values()}
        gone += [_comment_key(article, wp_id) for wp_id in imported]
        gone = [key for key in dict.fromkeys(gone) if key not in kept_keys]
        if kept or gone:
            self.comment_plans.append((article, kept, gone))
        return list(kept)

    def _write_comments(self) -> set[int]:
        """Write the batch's planned comments in a few queries; returns the
        articles whose comments changed."""
        plans = self.comment_plans
        gone = [key for _article, _kept, keys in plans for key in keys]
        if gone:
            _total, removed = Comment.objects.filter(submission_id__in=gone).delete()
            self.report.comments["removed"] += removed.get("comments.Comment", 0)
        keys = [key for _a, kept, _g in plans for key, _c in kept.values()]
        existing = {
            c.submission_id: c for c in Comment.objects.filter(submission_id__in=keys)
        }
        new = [
            Comment(
                article=article,
                submission_id=key,
                status=Comment.Status.APPROVED,
                body=comment_text(comment.content),
                guest_name=self._commenter(comment),
            )
            for article, kept, _g in plans
            for key, comment in kept.values()
            if key not in existing
        ]
        Comment.objects.bulk_create(new, batch_size=1000)
        self.report.comments["kept"] += len(new)
        rows = existing | {row.submission_id: row for row in new}
        changed = []
        for article, kept, _gone in plans:
            threads = _threads({wp_id: c.parent for wp_id, (_k, c) in kept.items()})
            for wp_id, (key, comment) in kept.items():
                row = rows[key]
                thread = threads[wp_id]
                values = {
                    "body": comment_text(comment.content),
                    "guest_name": self._commenter(comment),
                    "created_at": _comment_date(comment)
                    or article.published_at
                    or timezone.now(),
                    "parent_id": rows[kept[thread][0]].pk if thread else None,
                }
                if any(getattr(row, name) != value for name, value in values.items()):
                    for name, value in values.items():
                        setattr(row, name, value)
                    changed.append(row)
                    self.report.comments["updated"] += key in existing
        # New rows too: their time was stamped "now" when they were made.
        Comment.objects.bulk_update(
            changed, ["body", "guest_name", "created_at", "parent_id"], batch_size=1000
        )
        return {article.pk for article, _kept, _gone in plans}

    def _comment_skip(self, comment: wxr.Comment) -> CommentSkip | None:
        if comment.type not in {"", "comment"}:
            return CommentSkip.LINK
        return {
            "1": None,
            "spam": CommentSkip.SPAM,
            "trash": CommentSkip.TRASH,
            "post-trashed": CommentSkip.TRASH,
        }.get(comment.approved, CommentSkip.PENDING)

    def _commenter(self, comment: wxr.Comment) -> str:
        """The name a kept comment shows (empty: "A former reader")."""
        keys = [("name", name_key(comment.author))]
        if comment.user_id and comment.user_id != "0":
            keys.insert(0, ("id", comment.user_id))
        if comment.email:
            keys.insert(0, ("email", comment.email.lower()))
        for key in keys:
            if key in self.protected:
                return self.protected[key]
        name = clean_name(comment.author)[:60].strip()
        if "@" in name or re.search(r"https?:|www\.|\.\w{2,}/", name, re.IGNORECASE):
            return ""  # an address, never shown
        key = name_key(name)
        if not key or key in self.reserved_names:
            return ""
        return name

    # Old addresses

    def _article_addresses(self, item: wxr.Item, article: Article) -> None:
        paths = [f"{self.base_path}?p={item.post_id}"]
        link = urlsplit(item.link or "")
        if link.path and not link.query:
            path = normalized_path(link.path)
            if path != self.base_path:
                paths.append(path)
                self._check_served(path)
        self.addresses += [OldAddress(path=p, article=article) for p in paths]

    def _check_served(self, path: str) -> None:
        try:
            resolve(path.rstrip("/") + "/")
        except Resolver404:
            return
        self.report.warnings.append(
            f"The old address {path}/ is also a page of this site, which it keeps "
            "showing: that old link does not lead to its post."
        )

    def _save_addresses(self, rows: list[OldAddress]) -> None:
        # One row per address (the last one wins), as one upsert needs.
        rows = list({row.path: row for row in rows}.values())
        rows = [row for row in rows if len(row.path) <= PATH_MAX_LENGTH]
        if not rows:
            return
        OldAddress.objects.bulk_create(
            rows,
            update_conflicts=True,
            unique_fields=["path"],
            update_fields=["article", "section", "tag"],
        )
        self.report.old_addresses += len(rows)

    # Reporting

    def _skip(self, label: str, reason: Skip, detail: str = "") -> None:
        self.report.skipped.append((label, reason, detail))

    def _bar(self, what: str, total: int, unit: str):
        return tqdm(
            desc=what,
            total=total,
            unit=unit,
            unit_scale=unit == "B",
            file=self.progress,
            disable=self.progress is None,
            leave=False,
        )


def _threads(parents: dict[str, str]) -> dict[str, str | None]:
    """For each comment (by WordPress id, with its parent's), the top-level
    comment whose thread it joins (replies to replies join their thread), or
    None for a top-level comment (also one whose parent is not kept)."""
    found = {}
    for wp_id in parents:
        seen, parent = {wp_id}, parents[wp_id]
        while parent in parents and parents[parent] in parents:
            if parent in seen:  # a loop: made a thread of its own
                parent = None
                break
            seen.add(parent)
            parent = parents[parent]
        found[wp_id] = parent if parent in parents else None
    return found


def _comment_key(article: Article, wp_id: str) -> uuid.UUID:
    """The submission id of an imported comment: the same on every run."""
    return uuid.uuid5(uuid.NAMESPACE_URL, f"wordpress:{article.pk}:{wp_id}")


def _label(item: wxr.Item) -> str:
    """How the report names a post: its type, id and title."""
    label = f"{item.post_type or 'item'} {item.post_id or '?'}"
    if item.title:
        label += f" “{Truncator(text(item.title)).chars(60)}”"
    return label


def _comment_date(comment: wxr.Comment) -> datetime | None:
    try:
        return _date(comment.date_gmt, gmt=True) or _date(comment.date, gmt=False)
    except ValueError:
        return None


def _message(error: Exception) -> str:
    if isinstance(error, ValidationError):
        return " ".join(str(m) for m in error.messages)
    return str(error)


def wordpress_import(
    *,
    source: Path,
    uploads: Path | None = None,
    language: str | None = None,
    authors: dict[str, AuthorChoice] | None = None,
    overwrite: bool = False,
    dry_run: bool = False,
    progress: TextIO | None = None,
) -> ImportReport:
    """Import a WordPress export file (see the module's docstring). `uploads` is
    the exported uploads folder (wp-content/uploads); `language` the language of
    posts that say none (else Arabic script is recognised, and the rest is in the
    site's language); `authors` the authors file's choices; `progress` where the
    progress bars go. Raises wxr.NotWxr for a file that cannot be imported at
    all (nothing is written then) and ImportAborted when the media storage
    refuses a picture."""
    importer = _Importer(
        source=source,
        uploads=uploads,
        language=language,
        authors=authors or {},
        overwrite=overwrite,
        dry_run=dry_run,
        progress=progress,
    )
    return importer.run()

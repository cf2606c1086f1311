"""A large archive for measuring: ten years of reports, tags, contributors,
partners, readers and their comments, written with PostgreSQL's COPY.

Everything comes from one `random.Random(seed)`, so a seed always gives the same
archive (dates count back from the hour the archive is seeded). The spread is
uneven on purpose, as a real newsroom's is: a few popular tags sit on a third of
the archive, a few viral reports carry thousands of comments, most carry a few.
Pictures are real: a handful made by the demo's generator go through the image
pipeline once and are shared by every article.

`manage.py seed_archive` drives this in a database of its own; the query-count
tests build a small archive with the same code.
"""

import io
import math
import random
import uuid
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.contrib.auth import get_user_model
from django.db import connection, models, transaction
from django.utils import timezone
from django.utils.text import slugify
from taggit.models import Tag

from articles.models import (
    TOP_STORIES,
    Article,
    ArticleContributor,
    ArticleImage,
    CallToAction,
    Correction,
    FrontPage,
    Page,
    PartnerOutlet,
    Section,
    TaggedArticle,
    TopStory,
)
from comments.models import Comment, comment_html
from comments.services import comment_counts_rebuild
from contributors.models import Contributor
from demo.content import make_picture, trust_pages_create
from images.models import Image
from images.services import image_create
from readers.models import Reader


def words(text: str) -> list[str]:
    return text.split()


# Raise when the seeding code changes what it writes: an archive seeded by an
# older version is then seeded again rather than reused.
SEED_VERSION = 4
POPULAR_TAGS = ["Iraq", "Syria", "Displacement", "Reconstruction", "Security"]
# A word in about 30% of the reports (bodies and tags), and one in a handful:
# the benchmark searches for both.
COMMON_WORD = "water"
RARE_WORD = "saffron"

ENGLISH = words(
    "the families returned to a city where the market road was rebuilt by "
    "neighbours who carried stone and sand through streets that had no "
    "power for months while officials promised schools clinics bridges and "
    "jobs that arrived slowly if at all farmers counted the cost of a dry "
    "season and teachers opened classrooms in tents as aid agencies cut "
    "budgets across the region reporters spoke with shopkeepers drivers "
    "nurses students and elders about rent fuel prices checkpoints curfews "
    "elections militias courts prisons missing relatives land papers "
    "harvests wells pumps generators border crossings camps tents winter "
    "flooding heat dust storms roads hospitals bakeries mosques churches "
    "universities libraries football weddings funerals protests strikes "
    "negotiations ceasefires councils"
)
ARABIC = words(
    "عادت العائلات إلى المدينة حيث أعاد الجيران بناء السوق وحملوا الحجارة "
    "والرمل عبر شوارع بلا كهرباء منذ أشهر بينما وعد المسؤولون بالمدارس "
    "والعيادات والجسور والوظائف وحسب المزارعون كلفة الموسم الجاف وفتح "
    "المعلمون الصفوف في الخيام وتحدث المراسلون مع أصحاب المحال والسائقين "
    "والممرضات والطلاب عن الإيجار والوقود والحواجز والانتخابات والمحاكم"
)
SORANI = words(
    "خێزانەکان گەڕانەوە بۆ شار کە دراوسێکان بازاڕیان دووبارە بنیات نا و "
    "بەرد و لمیان هەڵگرت لە شەقامەکاندا بێ کارەبا بۆ چەند مانگێک بەرپرسان "
    "بەڵێنی قوتابخانە و نەخۆشخانە و پرد و کاریان دا جووتیاران تێچووی وەرزی "
    "وشکیان ژمارد و مامۆستایان پۆلیان لە خێوەتدا کردەوە"
)
KURMANJI = words(
    "malbat vegeriyan bajêr ku cîranan sûk ji nû ve ava kir û kevir û xwelî "
    "bi kolanên bê elektrîk re hilgirtin berpirsan soza dibistan nexweşxane "
    "pir û kar dan cotkaran lêçûna demsala hişk hejmartin û mamosteyan pol "
    "di kon de vekirin rojnamevanan bi dikandar ajokar û xwendekaran re "
    "axivîn"
)
FRENCH = words(
    "les familles sont revenues dans une ville où les voisins ont "
    "reconstruit le marché en portant pierres et sable dans des rues sans "
    "électricité pendant que les responsables promettaient écoles cliniques "
    "ponts et emplois les agriculteurs ont compté le coût de la saison "
    "sèche et les enseignants ont ouvert des classes sous des tentes"
)
VOCABULARY = {
    Article.Language.ENGLISH: ENGLISH,
    Article.Language.ARABIC: ARABIC,
    Article.Language.SORANI: SORANI,
    Article.Language.KURMANJI: KURMANJI,
    Article.Language.FRENCH: FRENCH,
}
LANGUAGE_WEIGHTS = {
    Article.Language.ENGLISH: 85,
    Article.Language.ARABIC: 7,
    Article.Language.SORANI: 4,
    Article.Language.KURMANJI: 2,
    Article.Language.FRENCH: 2,
}
PLACES = [
    ("Mosul", "Nineveh", "Iraq"),
    ("Tal Afar", "Nineveh", "Iraq"),
    ("Sinjar", "Nineveh", "Iraq"),
    ("Erbil", "Kurdistan Region", "Iraq"),
    ("Sulaymaniyah", "Kurdistan Region", "Iraq"),
    ("Kirkuk", "Kirkuk", "Iraq"),
    ("Baghdad", "Baghdad", "Iraq"),
    ("Basra", "Basra", "Iraq"),
    ("Fallujah", "Anbar", "Iraq"),
    ("Raqqa", "Raqqa", "Syria"),
    ("Deir ez-Zor", "Deir ez-Zor", "Syria"),
    ("Qamishli", "Hasakah", "Syria"),
    ("Kobani", "Aleppo", "Syria"),
    ("Aleppo", "Aleppo", "Syria"),
    ("Idlib", "Idlib", "Syria"),
    ("Homs", "Homs", "Syria"),
]
THEMES = words(
    "housing water electricity schools health elections courts prisons "
    "farming fuel rent borders camps returns landmines detention missing "
    "aid budgets militias police media women youth minorities heritage "
    "archaeology rivers dams drought floods heat dust roads bridges markets "
    "bakeries jobs wages unions protests curfews checkpoints ceasefires "
    "councils mosques churches universities libraries football weddings "
    "funerals refugees orphans pensions land documents"
)
FIRST_NAMES = words(
    "Layla Omar Zainab Ahmed Hana Yusuf Rania Karim Noor Sami Dilan Shirin "
    "Baran Rojin Aram Sara Jamal Hevi Dara Mariam Hassan Leila Nadia Rashid "
    "Farah Ali Amira Bilal Diyar Helin"
)
LAST_NAMES = words(
    "Haddad Saleh Karimi Barzani Hussein Abbas Rahman Taha Jaff Mahmoud "
    "Aziz Khalil Nasser Qadir Salim Hamid Darwish Yousef Othman Mustafa "
    "Ibrahim Murad Kaya Amin"
)


SEEDED_MODELS = [
    PartnerOutlet,
    Tag,
    Contributor,
    Reader,
    Article,
    TaggedArticle,
    ArticleContributor,
    ArticleImage,
    Correction,
    Comment,
]


@dataclass(frozen=True)
class ArchiveSize:
    """How much to seed; the defaults are the large archive of the benchmark."""

    articles: int = 100_000
    comments: int = 1_000_000
    tags: int = 10_000
    contributors: int = 2_000
    readers: int = 20_000
    partners: int = 20
    pictures: int = 12
    picture_size: tuple[int, int] = (1600, 1000)
    viral_articles: int = 5
    viral_comments: int = 5_000
    years: int = 10

    @property
    def marker(self) -> str:
        """Says what was seeded; a change of the seeding code changes it too."""
        return (
            f"version={SEED_VERSION} articles={self.articles} comments={self.comments}"
            f" tags={self.tags} contributors={self.contributors}"
            f" readers={self.readers} pictures={self.pictures}"
        )


@dataclass
class ArchiveReport:
    """What seed_archive wrote: row counts by table, and sample pages to measure."""

    rows: dict[str, int] = field(default_factory=dict)
    viral_slugs: list[str] = field(default_factory=list)


def copy_text(value) -> str:
    """One value in PostgreSQL's COPY text format."""
    if value is None:
        return r"\N"
    if isinstance(value, bool):
        return "t" if value else "f"
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    text = str(value)
    if "\\" in text or "\t" in text or "\n" in text or "\r" in text:
        text = (
            text.replace("\\", "\\\\")
            .replace("\t", "\\t")
            .replace("\n", "\\n")
            .replace("\r", "\\r")
        )
    return text


class RowWriter:
    """Writes rows of one model with COPY, in batches. Columns the seed does not
    set take the model's own default, so a field added later needs no change
    here unless it must be unique."""

    BATCH = 20_000

    def __init__(self, model: type[models.Model], columns: list[str], advance):
        self.model = model
        self.fields = list(model._meta.concrete_fields)
        names = set(columns)
        unknown = names - {f.attname for f in self.fields}
        if unknown:
            raise ValueError(f"{model.__name__} has no {sorted(unknown)}")
        prototype = model()
        self.positions = [
            columns.index(f.attname) if f.attname in names else None
            for f in self.fields
        ]
        self.defaults = [
            None if f.attname in names else getattr(prototype, f.attname)
            for f in self.fields
        ]
        self.advance = advance
        self.count = 0

    def write(self, rows: Iterable[tuple]) -> int:
        table = connection.ops.quote_name(self.model._meta.db_table)
        columns = ", ".join(connection.ops.quote_name(f.column) for f in self.fields)
        sql = f"COPY {table} ({columns}) FROM STDIN"
        batch = []
        with connection.cursor() as cursor:
            raw = cursor.cursor  # psycopg2's own cursor, for copy_expert
            for row in rows:
                batch.append(
                    "\t".join(
                        copy_text(row[p] if p is not None else d)
                        for p, d in zip(self.positions, self.defaults, strict=True)
                    )
                )
                if len(batch) >= self.BATCH:
                    self._flush(raw, sql, batch)
                    batch = []
            if batch:
                self._flush(raw, sql, batch)
        return self.count

    def _flush(self, raw, sql, batch):
        raw.copy_expert(sql, io.StringIO("\n".join(batch) + "\n"))
        self.count += len(batch)
        self.advance(len(batch))


def reserve_ids(model: type[models.Model], count: int) -> int:
    """Reserve `count` consecutive primary keys from the table's sequence and
    return the first, so rows written with COPY never collide with later ones."""
    if count == 0:
        return 0
    table = model._meta.db_table
    column = model._meta.pk.column
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT setval(pg_get_serial_sequence(%s, %s), "
            "nextval(pg_get_serial_sequence(%s, %s)) + %s - 1)",
            [table, column, table, column, count],
        )
        last = cursor.fetchone()[0]
    return last - count + 1


class Text:
    """Sentences, headlines and names from small word lists, seeded."""

    def __init__(self, rng: random.Random):
        self.rng = rng

    def sentence(self, language, words=12) -> str:
        vocabulary = VOCABULARY[language]
        chosen = self.rng.choices(vocabulary, k=words)
        text = " ".join(chosen)
        return text[0].upper() + text[1:] + "."

    def paragraph(self, language, sentences=3) -> str:
        return " ".join(self.sentence(language) for _ in range(sentences))

    def headline(self, language, place) -> str:
        words = " ".join(self.rng.choices(VOCABULARY[language], k=7))
        if language == Article.Language.ENGLISH:
            return f"In {place[0]}, {words}"
        return words[0].upper() + words[1:]

    def name(self) -> str:
        return f"{self.rng.choice(FIRST_NAMES)} {self.rng.choice(LAST_NAMES)}"


def _spread_times(rng, count, start, end) -> list[datetime]:
    """`count` times between start and end, evenly spread with jitter, oldest
    first, so primary keys follow publication order as they do in a newsroom."""
    span = (end - start).total_seconds()
    step = span / max(count, 1)
    return [
        start + timedelta(seconds=step * n + rng.random() * step * 0.9)
        for n in range(count)
    ]


def seed_archive(
    *,
    size: ArchiveSize,
    seed: int = 9,
    progress: Callable[[int, str], None] = lambda rows, stage: None,
    rows_written: Callable[[], None] = lambda: None,
) -> ArchiveReport:
    """Write an archive of `size` into the current database, in one transaction.
    Meant for an empty database of its own (see the seed_archive command) or a
    test's; existing rows are left alone and new keys come from the sequences.

    `rows_written` runs once every row is in and before what is derived from
    them (search vectors, comment counts): the command builds its dropped
    indexes there, which those statements need to stay linear in the size."""
    rng = random.Random(seed)
    text = Text(rng)
    now = timezone.now().replace(minute=0, second=0, microsecond=0)
    report = ArchiveReport()

    def writer(model, columns, stage):
        return RowWriter(model, columns, lambda n: progress(n, stage))

    with transaction.atomic():
        pictures = _pictures(rng, size)
        progress(0, "pictures")
        partners = _partners(size, writer)
        sections = _sections()
        tag_ids = _tags(size, writer)
        contributors = _contributors(rng, text, size, pictures, writer)
        readers = _readers(rng, text, size, now, writer)
        articles = _articles(rng, text, size, now, pictures, partners, sections, writer)
        _article_links(rng, size, articles, tag_ids, contributors, writer)
        _corrections(rng, text, articles, now, writer)
        report.viral_slugs = _comments(rng, text, size, articles, readers, now, writer)
        _front_page(articles)
        if not Page.objects.exists():
            trust_pages_create()
        CallToAction.objects.create(
            heading="Support independent reporting",
            text="Our reporters work where few others can. Readers keep them there.",
            link_label="Become a supporter",
            link_url="https://newsroom.example.org/support/",
        )
        # Check the deferred foreign keys of every copied row now, once (indexes
        # cannot be built over pending checks).
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")
        rows_written()
        # The planner's statistics of the new rows, for the statements below
        # and again for the pages read afterwards.
        _analyze()
        progress(0, "search vectors")
        seeded = Article.objects.filter(pk__range=(articles[0].pk, articles[-1].pk))
        seeded.update_search_vectors()
        progress(0, "comment counts")
        comment_counts_rebuild(articles=seeded)
        _analyze()
    for model in [Article, Comment, TaggedArticle, Contributor, Tag]:
        report.rows[model._meta.db_table] = model.objects.count()
    return report


def _analyze():
    with connection.cursor() as cursor:
        for model in SEEDED_MODELS:
            cursor.execute(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")


def _pictures(rng, size) -> list[Image]:
    """A few real pictures through the one image pipeline, shared by everyone."""
    pictures = []
    for n in range(size.pictures):
        pictures.append(
            image_create(
                data=make_picture(rng.randrange(1_000_000), size=size.picture_size),
                alt_text=f"Archive picture {n + 1}: hills over a river at dusk",
                caption=f"Generated landscape {n + 1}.",
                credit="Newsroom archive",
                content_warning="Graphic destruction" if n == 1 else "",
            )
        )
    return pictures


SECTIONS = ["Iraq", "Syria", "Kurdistan", "Analysis", "Photo essays", "Economy"]
# Most reports are news from a country; fewer are analysis or photo essays.
SECTION_WEIGHTS = [40, 20, 15, 10, 5, 10]


def _sections() -> list[int]:
    return [
        Section.objects.get_or_create(
            slug=f"archive-{slugify(name)}",
            defaults={"name": name, "position": position},
        )[0].pk
        for position, name in enumerate(SECTIONS)
    ]


def _front_page(articles) -> None:
    """Editors' picks among the newest reports: a lead and the top stories."""
    live = [article for article in articles if article.live][-(TOP_STORIES + 1) :]
    if not live:
        return
    front, _ = FrontPage.objects.update_or_create(
        pk=1, defaults={"lead_id": live[-1].pk}
    )
    front.top_stories.all().delete()
    for position, article in enumerate(live[:-1]):
        TopStory.objects.create(
            front_page=front, article_id=article.pk, position=position
        )


def _partners(size, writer) -> list[int]:
    first = reserve_ids(PartnerOutlet, size.partners)
    ids = list(range(first, first + size.partners))
    columns = ["id", "name", "slug", "site_url", "licence"]
    writer(PartnerOutlet, columns, "partners").write(
        (
            pk,
            f"Partner Outlet {n + 1}",
            f"archive-partner-{pk}",
            f"https://partner-{n + 1}.example.org/",
            "CC BY-ND 4.0" if n % 2 else "Republished with permission",
        )
        for n, pk in enumerate(ids)
    )
    return ids


def _tags(size, writer) -> list[int]:
    names = list(POPULAR_TAGS)
    cities = [place[0] for place in PLACES]
    combos = (f"{city} {theme}" for theme in THEMES for city in cities)
    taken = {name.lower() for name in names}
    for name in combos:
        if len(names) >= size.tags:
            break
        if name.lower() not in taken:
            names.append(name)
    number = 0
    while len(names) < size.tags:
        number += 1
        names.append(f"Topic {number}")
    names = names[: size.tags]
    # Names must not clash with tags already there (taggit is case-insensitive).
    existing = {n.lower() for n in Tag.objects.values_list("name", flat=True)}
    slugs = set(Tag.objects.values_list("slug", flat=True))
    first = reserve_ids(Tag, len(names))
    rows = []
    for n, name in enumerate(names):
        pk = first + n
        if name.lower() in existing:
            name = f"{name} ({pk})"
        slug = slugify(name)
        if slug in slugs:
            slug = f"{slug}-{pk}"
        slugs.add(slug)
        rows.append((pk, name, slug))
    writer(Tag, ["id", "name", "slug"], "tags").write(rows)
    return [row[0] for row in rows]


@dataclass(frozen=True)
class SeededContributor:
    pk: int
    named: bool


def _contributors(rng, text, size, pictures, writer) -> list[SeededContributor]:
    first = reserve_ids(Contributor, size.contributors)
    rows, seeded = [], []
    for n in range(size.contributors):
        pk = first + n
        roll = rng.random()
        identity = (
            Contributor.Identity.WITHHELD
            if roll < 0.04
            else Contributor.Identity.PSEUDONYM
            if roll < 0.09
            else Contributor.Identity.NAMED
        )
        named = identity == Contributor.Identity.NAMED
        name = text.name()
        rows.append(
            (
                pk,
                name,
                # Protected identities get a slug that says nothing about them.
                f"{slugify(name)}-{pk}" if named else f"contributor-{pk}",
                identity,
                text.name() if identity == Contributor.Identity.PSEUDONYM else "",
                "Reporter",
                text.sentence(Article.Language.ENGLISH, 20),
                rng.choice(pictures).pk if named and rng.random() < 0.1 else None,
                f"https://example.org/{slugify(name)}" if named else "",
            )
        )
        seeded.append(SeededContributor(pk, named))
    writer(
        Contributor,
        [
            "id",
            "name",
            "slug",
            "identity",
            "pseudonym",
            "role",
            "bio",
            "photo_id",
            "website",
        ],
        "contributors",
    ).write(rows)
    return seeded


def _readers(rng, text, size, now, writer) -> list[int]:
    from allauth.account.models import EmailAddress

    User = get_user_model()
    first = reserve_ids(User, size.readers)
    ids = list(range(first, first + size.readers))
    joined = now - timedelta(days=365 * size.years)
    writer(
        User,
        ["id", "password", "username", "email", "is_active", "date_joined"],
        "readers",
    ).write(
        # "!" is an unusable password: seeded readers cannot log in.
        (pk, "!", f"archive-reader-{pk}", f"reader{pk}@example.org", True, joined)
        for pk in ids
    )
    first_reader = reserve_ids(Reader, size.readers)
    writer(Reader, ["id", "user_id", "display_name", "joined_at"], "readers").write(
        (first_reader + n, pk, f"{text.name()} {pk}", joined)
        for n, pk in enumerate(ids)
    )
    first_address = reserve_ids(EmailAddress, size.readers)
    writer(
        EmailAddress, ["id", "user_id", "email", "verified", "primary"], "readers"
    ).write(
        (first_address + n, pk, f"reader{pk}@example.org", True, True)
        for n, pk in enumerate(ids)
    )
    return ids


@dataclass(frozen=True)
class SeededArticle:
    pk: int
    slug: str
    published_at: datetime | None
    live: bool
    language: str
    picture: int | None = None  # a library picture placed in the body


def _articles(rng, text, size, now, pictures, partners, sections, writer):
    first = reserve_ids(Article, size.articles)
    times = _spread_times(
        rng, size.articles, now - timedelta(days=365 * size.years), now
    )
    plain = [p for p in pictures if not p.content_warning]
    flagged = [p for p in pictures if p.content_warning] or plain
    languages = list(LANGUAGE_WEIGHTS)
    weights = list(LANGUAGE_WEIGHTS.values())
    statuses = [
        (Article.Status.PUBLISHED, 0.975),
        (Article.Status.SCHEDULED, 0.005),  # went live at its time
        (Article.Status.DRAFT, 0.008),
        (Article.Status.IN_REVIEW, 0.004),
        (Article.Status.UNPUBLISHED, 0.004),
    ]
    seeded, rows = [], []
    columns = [
        "id",
        "headline",
        "slug",
        "standfirst",
        "language",
        "status",
        "published_at",
        "updated_at",
        "dateline_city",
        "dateline_region",
        "dateline_country",
        "location_precision",
        "lead_image_id",
        "body",
        "content_warning",
        "partner_id",
        "section_id",
        "original_url",
        "comments_open",
        "preview_key",
        "created_at",
        "modified_at",
    ]
    for n in range(size.articles):
        pk = first + n
        language = rng.choices(languages, weights)[0]
        place = rng.choice(PLACES)
        headline = text.headline(language, place)
        roll, status = rng.random(), Article.Status.PUBLISHED
        for choice, share in statuses:
            if roll < share:
                status = choice
                break
            roll -= share
        published_at = times[n]
        if status in {Article.Status.DRAFT, Article.Status.IN_REVIEW}:
            published_at = None
        if n >= size.articles - 3:  # a few scheduled for the coming days
            status = Article.Status.SCHEDULED
            published_at = now + timedelta(days=n % 3 + 1)
        paragraphs = [text.paragraph(language) for _ in range(rng.randint(4, 7))]
        if language == Article.Language.ENGLISH and rng.random() < 0.24:
            paragraphs[rng.randrange(len(paragraphs))] += (
                f" The {COMMON_WORD} ran low that summer."
            )
        if rng.random() < 0.0001 or n == size.articles // 2:
            paragraphs[0] += f" A field of {RARE_WORD} bloomed again."
        body = "".join(f"<p>{p}</p>" for p in paragraphs[:2])
        # A tenth of the reports carry a picture in the body, as editors place
        # them: a reference to the library picture (see articles/richtext.py).
        picture = rng.choice(plain).pk if rng.random() < 0.1 else None
        if picture:
            body += f'<figure data-image="{picture}"></figure>'
        body += f"<blockquote><p>{text.sentence(language, 9)}</p></blockquote>"
        body += "".join(f"<p>{p}</p>" for p in paragraphs[2:])
        warning = "Graphic descriptions" if rng.random() < 0.02 else ""
        lead = None
        if rng.random() < 0.7:
            lead = rng.choice(flagged if warning else plain).pk
        partner = rng.choice(partners) if partners and rng.random() < 0.25 else None
        slug = f"{slugify(headline, allow_unicode=True)[:80].strip('-')}-{pk}"
        created = (published_at or times[n]) - timedelta(hours=2)
        updated = None
        if published_at and rng.random() < 0.05:
            updated = published_at + timedelta(hours=5)
        precision = Article.LocationPrecision.CITY
        if rng.random() < 0.1:
            precision = rng.choice(list(Article.LocationPrecision))
        rows.append(
            (
                pk,
                headline,
                slug,
                text.sentence(language, 20),
                language,
                status,
                published_at,
                updated,
                *place,
                precision,
                lead,
                body,
                warning,
                partner,
                rng.choices(sections, SECTION_WEIGHTS)[0],
                f"https://partner.example.org/reports/{pk}" if partner else "",
                rng.random() > 0.02,
                uuid.UUID(int=rng.getrandbits(128), version=4),
                created,
                created,
            )
        )
        live = (
            status in {Article.Status.PUBLISHED, Article.Status.SCHEDULED}
            and published_at is not None
            and published_at <= now
        )
        seeded.append(SeededArticle(pk, slug, published_at, live, language, picture))
    writer(Article, columns, "articles").write(rows)
    return seeded


def _article_links(rng, size, articles, tag_ids, contributors, writer):
    popular = tag_ids[: len(POPULAR_TAGS)]
    others = tag_ids[len(POPULAR_TAGS) :]
    # A long tail: a few hundred tags carry most links, thousands carry a few.
    tail_weights = [1 / (rank + 10) for rank in range(len(others))]
    cumulative = []
    total = 0.0
    for weight in tail_weights:
        total += weight
        cumulative.append(total)
    tagged = []
    for article in articles:
        chosen = {tag for tag in popular if rng.random() < 0.33}
        if others:
            count = rng.randint(1, 4)
            chosen.update(rng.choices(others, cum_weights=cumulative, k=count))
        tagged.append((article.pk, sorted(chosen)))
    links = sum(len(tags) for _, tags in tagged)
    first = reserve_ids(TaggedArticle, links)
    writer(TaggedArticle, ["id", "content_object_id", "tag_id"], "tags").write(
        (first + n, article_pk, tag)
        for n, (article_pk, tag) in enumerate(
            (article_pk, tag) for article_pk, tags in tagged for tag in tags
        )
    )

    # A few prolific contributors, many occasional ones.
    weights = [1 / math.sqrt(rank + 1) for rank in range(len(contributors))]
    credits = []
    for article in articles:
        people = []
        count = rng.choice([1, 1, 1, 2, 2, 3])
        for person in rng.choices(contributors, weights, k=count):
            if person not in people:
                people.append(person)
        for position, person in enumerate(people):
            role = "Photographs" if position else "Reporting"
            credits.append((article.pk, person.pk, role, position))
    first = reserve_ids(ArticleContributor, len(credits))
    writer(
        ArticleContributor,
        ["id", "article_id", "contributor_id", "role", "position"],
        "bylines",
    ).write((first + n, *credit) for n, credit in enumerate(credits))

    # The index of pictures in bodies, as article_changed keeps it.
    inline = [(a.pk, a.picture, 0) for a in articles if a.picture]
    first = reserve_ids(ArticleImage, len(inline))
    writer(ArticleImage, ["id", "article_id", "image_id", "position"], "images").write(
        (first + n, *row) for n, row in enumerate(inline)
    )


def _corrections(rng, text, articles, now, writer):
    rows = []
    kinds = list(Correction.Kind)
    for article in articles:
        if article.live and rng.random() < 0.02:
            when = min(article.published_at + timedelta(days=rng.randint(0, 30)), now)
            sentence = text.sentence(article.language, 18)
            rows.append((article.pk, rng.choice(kinds), sentence, when))
    first = reserve_ids(Correction, len(rows))
    writer(
        Correction, ["id", "article_id", "kind", "text", "published_at"], "corrections"
    ).write((first + n, *row) for n, row in enumerate(rows))


def _comments(rng, text, size, articles, readers, now, writer) -> list[str]:
    """Comments where they fall in a newsroom: a few viral reports carry
    thousands, recent reports many, old ones few."""
    live = [a for a in articles if a.live]
    if not live or not readers or not size.comments:
        return []
    recent = [a for a in live if a.published_at >= now - timedelta(days=60)] or live
    viral = rng.sample(recent, min(size.viral_articles, len(recent)))
    viral_total = min(size.viral_comments * len(viral), size.comments)
    counts = {a.pk: viral_total // max(len(viral), 1) for a in viral}
    rest = size.comments - sum(counts.values())
    # Newer reports draw more comments; most draw a few.
    weights = [1 / math.sqrt(len(live) - n + 200) for n in range(len(live))]
    for article in rng.choices(live, weights, k=rest):
        counts[article.pk] = counts.get(article.pk, 0) + 1

    by_pk = {a.pk: a for a in live}
    first = reserve_ids(Comment, size.comments)
    statuses = [Comment.Status.APPROVED] * 92 + [Comment.Status.PENDING] * 4
    statuses += [Comment.Status.REJECTED] * 2 + [Comment.Status.SPAM] * 2
    sentences = [text.sentence(Article.Language.ENGLISH, 14) for _ in range(500)]
    columns = [
        "id",
        "article_id",
        "author_id",
        "parent_id",
        "body",
        "body_html",
        "status",
        "created_at",
        "moderated_at",
        "submission_id",
    ]

    def rows() -> Iterator[tuple]:
        pk = first
        for article_pk in sorted(counts):
            article = by_pk[article_pk]
            count = counts[article_pk]
            window = max((now - article.published_at).total_seconds(), 60)
            window = min(window, 7 * 24 * 3600)
            offsets = sorted(rng.random() * window for _ in range(count))
            threads = []
            for offset in offsets:
                status = rng.choice(statuses)
                parent = None
                if threads and rng.random() < 0.3:
                    parent = rng.choice(threads)
                created = article.published_at + timedelta(seconds=offset)
                author = rng.choice(readers) if rng.random() > 0.01 else None
                body = " ".join(rng.choices(sentences, k=rng.randint(1, 3)))
                moderated = None
                if status != Comment.Status.PENDING:
                    moderated = created + timedelta(minutes=20)
                yield (
                    pk,
                    article_pk,
                    author,
                    parent,
                    body,
                    comment_html(body),
                    status,
                    created,
                    moderated,
                    uuid.UUID(int=rng.getrandbits(128), version=4),
                )
                if parent is None and status == Comment.Status.APPROVED:
                    threads.append(pk)
                pk += 1

    writer(Comment, columns, "comments").write(rows())
    return [a.slug for a in viral]

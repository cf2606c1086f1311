"""Demo content written for Newsroom: enough that every public page has something
to show and every part of the article page appears at least once."""

import io
import random
from datetime import timedelta

from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction
from django.utils import timezone
from PIL import Image as PILImage
from PIL import ImageDraw

from articles.models import (
    Article,
    ArticleContributor,
    CallToAction,
    Correction,
    PartnerOutlet,
)
from articles.richtext import split_blocks
from articles.services import article_changed, article_save
from comments.models import Comment
from comments.services import comment_counts_rebuild
from contributors.models import Contributor
from images.services import image_create
from newsletters.models import Issue, IssueItem, Newsletter, Subscriber, Subscription
from readers.models import Reader

DEMO_EDITOR = ("editor", "newsroom-demo")
DEMO_EDITOR_EMAIL = "editor@example.org"


def make_picture(seed: int, size=(1600, 1000), fmt="JPEG") -> bytes:
    """A generated landscape: sky, hills and a low sun; no photograph is fetched."""
    rng = random.Random(seed)
    width, height = size
    picture = PILImage.new("RGB", size)
    draw = ImageDraw.Draw(picture)
    top = (rng.randint(40, 120), rng.randint(80, 150), rng.randint(150, 220))
    bottom = (rng.randint(200, 250), rng.randint(160, 210), rng.randint(100, 160))
    for y in range(height):
        t = y / height
        draw.line(
            [(0, y), (width, y)],
            fill=tuple(int(a + (b - a) * t) for a, b in zip(top, bottom, strict=True)),
        )
    x, y, r = (
        rng.randint(width // 8, width - width // 8),
        rng.randint(height // 10, height // 2),
        height // 12,
    )
    draw.ellipse([x - r, y - r, x + r, y + r], fill=(250, 220, 150))
    for layer in range(3):
        base = height * (0.55 + 0.12 * layer)
        shade = 90 - 25 * layer
        points = [(0, height)]
        step = max(width // 16, 1)
        for x in range(0, width + step, step):
            points.append((x, base + rng.randint(-height // 16, height // 16)))
        points.append((width, height))
        draw.polygon(points, fill=(shade, shade - 10, shade - 25))
    # Texture at two scales, so the pictures weigh what busy photographs do (about
    # 1 bit per pixel as WebP, 2 as JPEG) at every width, not what flat drawings do.
    for divisor, weight in ((8, 0.25), (2, 0.1)):
        grain = PILImage.effect_noise((width // divisor, height // divisor), 64)
        grain = grain.convert("RGB").resize(size, PILImage.Resampling.BICUBIC)
        picture = PILImage.blend(picture, grain, weight)
    buffer = io.BytesIO()
    picture.save(buffer, fmt, quality=90)
    return buffer.getvalue()


def make_image(seed, *, alt, caption, credit, warning="", size=(1600, 1000)):
    return image_create(
        data=make_picture(seed, size=size),
        alt_text=alt,
        caption=caption,
        credit=credit,
        content_warning=warning,
    )


def demo_editor():
    """Make or keep the demo editor account, its email address confirmed (staff
    log in through allauth, which asks for one); returns (user, created)."""
    username, password = DEMO_EDITOR
    user, created = get_user_model().objects.get_or_create(
        username=username,
        defaults={"is_staff": True, "email": DEMO_EDITOR_EMAIL},
    )
    if created:
        user.set_password(password)
        user.save()
    user.groups.add(Group.objects.get(name="editor"))
    if user.email:
        EmailAddress.objects.update_or_create(
            user=user,
            email=user.email,
            defaults={"verified": True, "primary": True},
        )
    return user, created


def demo_comments(article, now):
    """A short conversation under a report: readers (who cannot log in: their
    passwords are unusable) with approved comments and a reply."""
    names = ["Hana from Erbil", "Yusuf", "A teacher in Mosul"]
    readers = []
    for number, name in enumerate(names, start=1):
        user = get_user_model().objects.create_user(
            f"demo-reader-{number}", f"reader{number}@example.org"
        )
        Reader.objects.create(user=user, display_name=name)
        readers.append(user)
    conversation = [
        (
            readers[0],
            None,
            "My grandparents' house is two streets from Faruq Street. Thank you "
            "for showing what the families have done.",
            20,
        ),
        (
            readers[2],
            0,
            "We rebuilt our school's wall the same way, with the old stone.",
            18,
        ),
        (readers[1], None, "How much does the council pay towards the stone?", 9),
    ]
    made = []
    for author, parent, body, hours_ago in conversation:
        comment = Comment.objects.create(
            article=article,
            author=author,
            parent=made[parent] if parent is not None else None,
            body=body,
            status=Comment.Status.APPROVED,
        )
        # Comments come after the report, in the order they were written.
        Comment.objects.filter(pk=comment.pk).update(
            created_at=now - timedelta(hours=hours_ago)
        )
        made.append(comment)
    comment_counts_rebuild(articles=[article.pk])


def paragraphs(*texts):
    return "".join(f"<p>{text}</p>" for text in texts)


@transaction.atomic
def load_demo_content(picture_size=(1600, 1000)):
    """Create the demo newsroom. Runs only on an empty database. Tests ask for
    smaller pictures, which take a fraction of the time to make."""
    now = timezone.now()
    editor, _ = demo_editor()

    partner = PartnerOutlet.objects.create(
        name="Tigris Dispatch",
        slug="tigris-dispatch",
        site_url="https://tigris-dispatch.example.org/",
        licence="CC BY-ND 4.0",
        description="An independent outlet of reporters along the Tigris.",
    )

    portrait = make_image(
        7,
        size=picture_size,
        alt="A reporter's portrait, drawn as a landscape",
        caption="",
        credit="",
    )
    layla = Contributor.objects.create(
        name="Layla Haddad",
        slug="layla-haddad",
        role="Correspondent, Nineveh",
        bio="Layla has covered reconstruction and displacement in northern Iraq "
        "since 2017.",
        photo=portrait,
        website="https://tigris-dispatch.example.org/staff/layla",
    )
    omar = Contributor.objects.create(
        name="Omar Saleh",
        slug="omar-saleh",
        role="Photographer",
        bio="Omar photographs daily life in the cities of the Tigris valley.",
    )
    withheld = Contributor.objects.create(
        name="Internal record 14",
        slug="contributor-14",
        identity=Contributor.Identity.WITHHELD,
        role="Reporter in Mosul",
        bio="Known to the editors; kept off the site for safety.",
    )
    pen_name = Contributor.objects.create(
        name="Internal record 22",
        slug="contributor-22",
        identity=Contributor.Identity.PSEUDONYM,
        pseudonym="Nour al-Furat",
        role="Columnist",
        bio="Writes about water, farming and the river economy.",
    )

    lead = make_image(
        1,
        size=picture_size,
        alt="Evening light over the rebuilt quarter of the old city",
        caption="The old city at dusk, three years after the rebuilding began.",
        credit="Omar Saleh",
    )
    inline = make_image(
        2,
        size=picture_size,
        alt="Hills above the river in the afternoon",
        caption="Families who returned farm the slopes above the river.",
        credit="Omar Saleh",
    )
    street = make_image(
        4,
        size=picture_size,
        alt="A rebuilt wall of yellow stone beside a concrete one",
        caption="Old stone and new block side by side on Faruq Street.",
        credit="Omar Saleh",
    )
    flagged = make_image(
        3,
        size=picture_size,
        alt="A damaged street after the strike",
        caption="The street the morning after the strike.",
        credit="Tigris Dispatch",
        warning="Graphic destruction",
    )

    reports = [
        {
            "headline": "In Mosul's old city, rebuilding one courtyard at a time",
            "slug": "mosul-old-city-rebuilding",
            "standfirst": "Families who came back to the old city are restoring houses "
            "stone by stone, with little help and less money.",
            "city": "Mosul",
            "region": "Nineveh",
            "country": "Iraq",
            "precision": Article.LocationPrecision.CITY,
            "lead": lead,
            "partner": partner,
            "original_url": "https://tigris-dispatch.example.org/2026/mosul-courtyards",
            "tags": ["Mosul", "Reconstruction", "Displacement"],
            "credits": [(withheld, "Reporting"), (omar, "Photographs")],
            "body": paragraphs(
                "The courtyard of the house on Faruq Street was full of rubble for "
                "five years. Now a lemon tree grows in the middle of it again.",
                "Its owner, a retired teacher, came back in the spring with his two "
                "sons. They carried out the broken stone in buckets and sorted what "
                "could be used again.",
            )
            + "<blockquote><p>We did not wait for anyone. If we waited, there would "
            "be nothing left to come back to.</p></blockquote>"
            + paragraphs(
                "Across the old city, the pattern repeats: families rebuild what they "
                "can afford, one room and one wall at a time.",
                "Aid agencies say funding for housing has fallen by half since last "
                'year. <a href="https://tigris-dispatch.example.org/">Tigris '
                "Dispatch</a> has followed twelve families since their return.",
            )
            + "<h2>The cost of a wall</h2>"
            + paragraphs(
                "A new wall of the old yellow stone costs more than a month's wages. "
                "Many families now mix it with concrete block.",
            ),
            "inline": [(inline, 2), (street, 4)],
            "corrections": [
                (
                    Correction.Kind.CORRECTION,
                    "An earlier version gave the street's name as Nabi Street. It is "
                    "Faruq Street.",
                )
            ],
            "age": timedelta(days=1),
        },
        {
            "headline": "The morning after the strike on the market road",
            "slug": "market-road-strike",
            "standfirst": "Residents describe the night a drone strike hit a row of "
            "shops, and the work of clearing it.",
            "city": "Tal Afar",
            "region": "Nineveh",
            "country": "Iraq",
            "precision": Article.LocationPrecision.REGION,
            "lead": flagged,
            "warning": "Graphic descriptions of injuries",
            "tags": ["Mosul", "Security", "Civilians"],
            "credits": [(layla, "Reporting"), (withheld, "Additional reporting")],
            "body": paragraphs(
                "The shopkeepers had closed for the night an hour before the strike.",
                "By morning, neighbours had formed lines to pass debris out of the "
                "street by hand.",
            )
            + "<blockquote><p>Everyone knew somebody who worked on that road.</p>"
            "</blockquote>"
            + paragraphs("Local officials have promised an investigation."),
            "inline": [],
            "corrections": [
                (
                    Correction.Kind.UPDATE,
                    "This report was updated with the officials' statement.",
                )
            ],
            "age": timedelta(days=2),
        },
        {
            "headline": "Farmers on the Nineveh plains count the cost of a dry year",
            "slug": "nineveh-plains-dry-year",
            "standfirst": "The rains came late and the river ran low.",
            "city": "Bartella",
            "region": "Nineveh",
            "country": "Iraq",
            "precision": Article.LocationPrecision.COUNTRY,
            "lead": inline,
            "tags": ["Water", "Reconstruction", "Farming"],
            "credits": [(pen_name, ""), (layla, "Reporting")],
            "body": paragraphs(
                "Wheat fields that once reached the horizon are patches this year.",
                "Farmers say pumping water from the river now costs more than the "
                "harvest earns.",
            ),
            "inline": [],
            "corrections": [],
            "age": timedelta(days=4),
        },
        {
            "headline": "Displaced again: families leave the camps for a city that "
            "is not ready",
            "slug": "camps-closing-families-return",
            "standfirst": "As the last camps close, families return to neighbourhoods "
            "without water or schools.",
            "city": "Mosul",
            "region": "Nineveh",
            "country": "Iraq",
            "precision": Article.LocationPrecision.CITY,
            "lead": None,
            "tags": ["Displacement", "Mosul", "Civilians"],
            "credits": [(layla, "Reporting")],
            "body": paragraphs(
                "The camp's last tents came down in October.",
                "Most families had nowhere to go but the houses they fled.",
            ),
            "inline": [],
            "corrections": [
                (
                    Correction.Kind.CLARIFICATION,
                    "The camp closed in October, not September as first reported.",
                )
            ],
            "age": timedelta(days=7),
        },
        {
            "headline": "في الموصل القديمة، إعادة بناء البيوت حجراً حجراً",
            "slug": "الموصل-القديمة-إعادة-البناء",
            "standfirst": "عائلات عادت إلى المدينة القديمة تعيد ترميم بيوتها بأيديها.",
            "language": Article.Language.ARABIC,
            "city": "الموصل",
            "region": "نينوى",
            "country": "العراق",
            "precision": Article.LocationPrecision.CITY,
            "lead": lead,
            "tags": ["Mosul", "Reconstruction"],
            "credits": [(withheld, "")],
            "body": paragraphs(
                "امتلأ فناء البيت بالركام خمس سنوات. "
                "اليوم تنمو فيه شجرة ليمون من جديد.",
                "عاد صاحبه، وهو معلم متقاعد، في الربيع مع ولديه.",
            )
            + "<blockquote><p>لم ننتظر أحداً. لو انتظرنا لما بقي شيء نعود إليه.</p>"
            "</blockquote>",
            "inline": [(inline, 1)],
            "corrections": [],
            "age": timedelta(days=3),
        },
    ]

    for report in reports:
        body = report["body"]
        # Each inline picture goes after the paragraph (or quote, heading) given.
        for image, after in reversed(report["inline"]):
            blocks = split_blocks(body)
            blocks.insert(after, f'<figure data-image="{image.pk}"></figure>')
            body = "".join(blocks)
        article = Article(
            headline=report["headline"],
            slug=report["slug"],
            standfirst=report["standfirst"],
            language=report.get("language", Article.Language.ENGLISH),
            status=Article.Status.PUBLISHED,
            published_at=now - report["age"],
            dateline_city=report["city"],
            dateline_region=report["region"],
            dateline_country=report["country"],
            location_precision=report["precision"],
            lead_image=report["lead"],
            body=body,
            content_warning=report.get("warning", ""),
            partner=report.get("partner"),
            original_url=report.get("original_url", ""),
            created_by=editor,
        )
        article.save()
        article.tags.set(report["tags"])
        for position, (contributor, role) in enumerate(report["credits"]):
            ArticleContributor.objects.create(
                article=article, contributor=contributor, role=role, position=position
            )
        for kind, text in report["corrections"]:
            Correction.objects.create(
                article=article,
                kind=kind,
                text=text,
                published_at=now - timedelta(hours=6),
            )
        article_changed(article=article, user=editor, notify=False)

    demo_comments(Article.objects.get(slug="mosul-old-city-rebuilding"), now)

    article_save(
        article=Article(
            headline="Draft: what the new budget means for the old city",
            slug="draft-budget-old-city",
            standfirst="Not published yet: editors can preview it.",
            body=paragraphs(
                "A draft that only staff and holders of a preview link can see."
            ),
            created_by=editor,
        ),
        user=editor,
        notify=False,
    )
    load_demo_newsletter(editor=editor, now=now)
    CallToAction.objects.create(
        heading="Support independent reporting from Mosul",
        text="Our reporters work where few others can. Readers keep them there.",
        link_label="Become a supporter",
        link_url="https://newsroom.example.org/support/",
    )


def load_demo_newsletter(*, editor, now):
    """A daily digest with one issue sent yesterday (its report included) and two
    subscribers at example.org addresses."""
    newsletter = Newsletter.objects.create(
        name="The Tigris Brief",
        slug="tigris-brief",
        description="The day's reports from Mosul and the Nineveh plains, every "
        "morning at seven. It arrives even where the site is blocked.",
        digest=Newsletter.Digest.DRAFT,
    )
    for email in ["first.reader@example.org", "second.reader@example.org"]:
        Subscription.objects.create(
            subscriber=Subscriber.objects.create(email=email), newsletter=newsletter
        )
    issue = Issue.objects.create(
        newsletter=newsletter,
        subject="Rebuilding the old city, and a dry year on the plains",
        introduction="Good morning. Families in Mosul's old city are rebuilding "
        "their houses one courtyard at a time, and farmers on the Nineveh plains "
        "count the cost of late rains.\n\nThank you for reading, and for passing "
        "this on to anyone who cannot reach our site.",
        status=Issue.Status.SENT,
        number=1,
        started_at=now - timedelta(hours=20),
        sent_at=now - timedelta(hours=20) + timedelta(seconds=4),
        created_by=editor,
        sent_by=editor,
        recipient_count=2,
        sent_count=2,
    )
    for position, slug in enumerate(
        ["mosul-old-city-rebuilding", "nineveh-plains-dry-year"]
    ):
        IssueItem.objects.create(
            issue=issue, article=Article.objects.get(slug=slug), position=position
        )

"""Demo content written for Newsroom: enough that every public page has something
to show and every part of the site appears at least once: the site's identity
with a generated logo and icon, sections, a front page with a lead story and top
stories, reports in English, Arabic and Sorani Kurdish, a safety byline, a
pseudonym, corrections, a flagged picture, the trust pages and the tips page.
Every name of a person, outlet, address and number here is made up."""

from datetime import timedelta

from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction
from django.utils import timezone

from articles.models import (
    Article,
    ArticleContributor,
    CallToAction,
    Correction,
    FrontPage,
    Page,
    PartnerOutlet,
    Section,
    TopStory,
)
from articles.richtext import split_blocks
from articles.services import article_changed, article_save
from comments.models import Comment, comment_html
from comments.services import comment_counts_rebuild
from contributors.models import Contributor
from demo.pictures import make_icon, make_logo, make_picture
from images.processing import scrub
from images.services import image_create
from masthead.models import SiteIdentity
from masthead.services import site_identity_save
from newsletters.models import Issue, IssueItem, Newsletter, Subscriber, Subscription
from readers.models import Reader

__all__ = ["DEMO_EDITOR", "demo_editor", "load_demo_content", "make_picture"]

DEMO_EDITOR = ("editor", "newsroom-demo")
DEMO_EDITOR_EMAIL = "editor@example.org"
DEMO_ACCENT = (14, 95, 118)
# Pictures smaller than the syndicated report's lead: fewer renditions to make
# (loading the demo is part of the test suite), the same look.
SMALL = (960, 600)


def make_demo_image(
    seed, *, alt, caption, credit, warning="", scene=None, light=None, size=SMALL
):
    return image_create(
        data=make_picture(seed, size=size, scene=scene, light=light),
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
            body_html=comment_html(body),
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


def section_block(heading, *texts):
    return f"<h2>{heading}</h2>" + paragraphs(*texts)


def identity_create(editor):
    return site_identity_save(
        identity=SiteIdentity(
            name="Two Rivers",
            description="Independent reporting from Iraq and Syria, in English, "
            "Arabic and Kurdish.",
            accent_colour="#{:02x}{:02x}{:02x}".format(*DEMO_ACCENT),
        ),
        logo=scrub(make_logo(DEMO_ACCENT)),
        icon=scrub(make_icon(DEMO_ACCENT)),
        user=editor,
    )


def sections_create():
    names = [
        ("Iraq", "iraq", "Reports from Mosul, Nineveh, Baghdad and the south."),
        ("Syria", "syria", "Reports from the Euphrates valley and the north-east."),
        ("Kurdistan", "kurdistan", "Reports from Erbil, Duhok and Sulaymaniyah."),
        ("Analysis", "analysis", "What the news means, argued and sourced."),
        ("Photo essays", "photo-essays", "Stories told mostly in pictures."),
    ]
    return {
        slug: Section.objects.create(
            name=name, slug=slug, description=description, position=position
        )
        for position, (name, slug, description) in enumerate(names)
    }


# A public key block's shape with made-up contents: replace it in the admin.
DEMO_PGP_KEY = """-----BEGIN PGP PUBLIC KEY BLOCK-----
Comment: Demo content only: not a real key. Replace it in the admin.

mDMEZdemoBYJKwYBBAHaRw8BAQdAdemoT3dvUml2ZXJzRGVtb0tleU5vdFJlYWwx
tC1Ud28gUml2ZXJzIHRpcHMgKGRlbW8pIDx0aXBzQGV4YW1wbGUub3JnPoiTBBMW
CgA7FiEEdemoZmFrZWZpbmdlcnByaW50MDAwMDAwMDAwBQJl2VEBAhsDBQsJCAcC
AiICBhUKCQgLAgQWAgMBAh4HAheAAAoJEDemoT3dvUml2ZXJzAAAAAAAAAAAAAAAA
uDgEZdemoBIKKwYBBAGXVQEFAQEHQGRlbW8gZW5jcnlwdGlvbiBzdWJrZXkgb25s
eSBmb3IgdGhlIGRlbW8gc2l0ZQMBCAeIeAQYFgoAIBYhBGRlbW8gZmFrZSBmaW5n
=DEMO
-----END PGP PUBLIC KEY BLOCK-----"""

TRUST_PAGES = [
    (
        Page.Kind.ABOUT,
        "About Two Rivers",
        "Who we are, where we report from, and how we work.",
        section_block(
            "Who we are",
            "Two Rivers is an independent newsroom of reporters, photographers, "
            "editors and translators from Iraq and Syria. We report on the lives of "
            "people in the places we come from: reconstruction and displacement, "
            "water and farming, security and the courts.",
            "We publish in English, Arabic and Kurdish, and we republish reports by "
            "partner outlets of the region under their licences, always naming "
            "them and linking to the original.",
        )
        + section_block(
            "Who is responsible",
            "An editor-in-chief leads the newsroom and answers for everything we "
            "publish, with a managing editor and a standards editor. Our reporters "
            "sign their work unless signing it would put them in danger; our "
            '<a href="/standards/">editorial standards</a> explain when we '
            "withhold a name.",
        )
        + section_block(
            "What we are not",
            "We are not a party, a government body or an aid agency, and we take no "
            "instructions from our funders. Our "
            '<a href="/funding/">funding and ownership</a> page lists who pays for '
            "our work.",
        ),
    ),
    (
        Page.Kind.STANDARDS,
        "Editorial standards and ethics",
        "How we verify, whom we name, how we protect sources, and what we refuse.",
        section_block(
            "Accuracy and verification",
            "Every report is read by an editor before it is published. Facts that "
            "did not come from a reporter's own eyes are confirmed by two "
            "independent sources, or attributed to the one source we have, by "
            "name or description.",
            "Pictures and videos from others are checked for where and when they "
            "were taken before we use them.",
        )
        + section_block(
            "Unnamed sources",
            "We name our sources unless naming them would expose them to harm. "
            "When we do not, an editor knows who the source is, and we tell "
            "readers why the source is not named and how they know what they say.",
        )
        + section_block(
            "Withheld bylines",
            "Some of our reporters work where being known as a journalist is "
            "dangerous. Their reports carry a pseudonym or the words “Name withheld "
            "for safety”. The editors know who they are; the site keeps their names, "
            "photographs and links off every page, feed and search result.",
        )
        + section_block(
            "Images and content warnings",
            "We show the violence of war only when it is the news, never for "
            "effect. Pictures that may distress are blurred behind a warning until "
            "a reader chooses to see them, and never used as thumbnails.",
        )
        + section_block(
            "Independence",
            "Reporters and editors declare any interest in what they cover. We "
            "accept no gifts, paid trips or payment for coverage.",
        ),
    ),
    (
        Page.Kind.CORRECTIONS,
        "Corrections policy",
        "How we correct our mistakes, and how to tell us about one.",
        paragraphs(
            "When we get a fact wrong we correct it as soon as we know, on the "
            "report itself, with a note that says what was wrong and when we "
            "changed it. We never change a published report silently.",
            "A <strong>correction</strong> fixes an error of fact; a "
            "<strong>clarification</strong> makes something clearer that could be "
            "misread; an <strong>update</strong> adds news that came after "
            "publication. Every one of them is also listed on our "
            '<a href="/corrections/">corrections page</a> and in its feed.',
            "To tell us about a mistake, write to corrections@example.org with the "
            "report's address and what is wrong. An editor replies within two "
            "working days.",
        ),
    ),
    (
        Page.Kind.FUNDING,
        "Funding and ownership",
        "Who owns Two Rivers and who pays for it.",
        paragraphs(
            "Two Rivers is owned by the Two Rivers Media Association, a non-profit "
            "association of its own journalists. No shareholder, party or "
            "government owns any part of it.",
            "Last year, readers' donations paid for 41 per cent of our work, grants "
            "from two foundations that support independent media for 47 per cent, "
            "and fees from partners who republish our reports for 12 per cent. We "
            "publish our accounts every year.",
            "No funder sees a report before it is published or has any say in what "
            "we cover.",
        ),
    ),
    (
        Page.Kind.CONTACT,
        "Contact us",
        "How to reach the editors, report a mistake or send us a story.",
        paragraphs(
            "Write to the editors at newsroom@example.org. To report a mistake in "
            "one of our reports, write to corrections@example.org.",
            "If what you want to tell us could put you or anyone else at risk, do "
            'not use email: our <a href="/tips/">tips page</a> explains how to '
            "reach us safely.",
        ),
    ),
    (
        Page.Kind.TIPS,
        "Send us a tip safely",
        "How to reach our reporters without being seen.",
        paragraphs(
            "If you have information about something we should report, we want to "
            "hear from you, and we will protect you. We never reveal a source.",
            "Choose the safest way you can use. SecureDrop, through Tor Browser, "
            "is the safest: we cannot see who you are or where you write from. "
            "Signal is safer than an ordinary phone call or message. Email, even "
            "encrypted, shows who wrote to us and when.",
            "Do not write to us from a work computer, a work phone or a work "
            "network, and do not keep copies of what you send.",
        ),
    ),
]


def trust_pages_create():
    for kind, title, summary, body in TRUST_PAGES:
        page = Page(kind=kind, title=title, summary=summary, body=body)
        if kind == Page.Kind.TIPS:
            page.securedrop_address = (
                "tworiversdemotipsonlynotarealaddress2345abcdefghijklmnop.onion"
            )
            page.signal_number = "+44 7700 900 123"
            page.pgp_fingerprint = "DE30 0000 7A0B 1CEF 5000 0000 0000 0000 0000 DE30"
            page.pgp_key = DEMO_PGP_KEY
        page.full_clean()
        page.save()


@transaction.atomic
def load_demo_content(picture_size=None):
    """Create the demo newsroom. Runs only on an empty database. Tests may ask
    for every picture at one small size, which takes a fraction of the time."""

    def make_image(seed, **kwargs):
        if picture_size:
            kwargs["size"] = picture_size
        return make_demo_image(seed, **kwargs)

    now = timezone.now()
    editor, _ = demo_editor()
    identity_create(editor)
    sections = sections_create()
    trust_pages_create()

    partner = PartnerOutlet.objects.create(
        name="Tigris Dispatch",
        slug="tigris-dispatch",
        site_url="https://tigris-dispatch.example.org/",
        licence="CC BY-ND 4.0",
        description="An independent outlet of reporters along the Tigris.",
    )

    portrait = make_image(
        7,
        alt="A reporter, seen from behind against evening lights",
        caption="",
        credit="",
        scene="portrait",
        light="dusk",
        size=(720, 720),
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
    rana = Contributor.objects.create(
        name="Rana Khalil",
        slug="rana-khalil",
        role="Reporter, Raqqa",
        bio="Rana reports on the Euphrates valley: its towns, its farms and its river.",
    )
    shilan = Contributor.objects.create(
        name="Shilan Aziz",
        slug="shilan-aziz",
        role="Reporter, Duhok",
        bio="Shilan reports in Kurdish and English from the camps and towns of "
        "the Kurdistan Region.",
    )

    lead = make_image(
        1,
        alt="Evening light over the rebuilt quarter of the old city",
        caption="The old city at dusk, three years after the rebuilding began.",
        credit="Omar Saleh",
        scene="city",
        light="dusk",
        size=(1600, 1000),
    )
    inline = make_image(
        2,
        alt="Hills above the river in the afternoon",
        caption="Families who returned farm the slopes above the river.",
        credit="Omar Saleh",
        scene="hills",
        light="noon",
    )
    street = make_image(
        4,
        alt="Rebuilt walls of yellow stone beside concrete ones",
        caption="Old stone and new block side by side on Faruq Street.",
        credit="Omar Saleh",
        scene="city",
        light="noon",
    )
    flagged = make_image(
        3,
        alt="A damaged street after the strike",
        caption="The street the morning after the strike.",
        credit="Tigris Dispatch",
        warning="Graphic destruction",
        scene="street",
        light="haze",
    )
    fields = make_image(
        5,
        alt="A farmer walking through a thin wheat field at dawn",
        caption="Wheat near Bartella, a month before the harvest.",
        credit="Layla Haddad",
        scene="fields",
        light="dawn",
    )
    camp = make_image(
        6,
        alt="Rows of white tents on dusty ground",
        caption="The last rows of tents before the camp closed.",
        credit="Omar Saleh",
        scene="camp",
        light="noon",
    )
    river = make_image(
        8,
        alt="A small ferry crossing a wide river at sunset, palms on the far bank",
        caption="The ferry leaves the western bank at sunset.",
        credit="Rana Khalil",
        scene="river",
        light="dusk",
    )
    market = make_image(
        9,
        alt="Market stalls with striped awnings and crates of fruit",
        caption="The covered market reopened under a patched roof in March.",
        credit="Rana Khalil",
        scene="market",
        light="noon",
    )

    iraq, syria, kurdistan = sections["iraq"], sections["syria"], sections["kurdistan"]
    analysis, photos = sections["analysis"], sections["photo-essays"]
    reports = [
        {
            "headline": "In Mosul's old city, rebuilding one courtyard at a time",
            "slug": "mosul-old-city-rebuilding",
            "section": iraq,
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
                "The teacher's neighbours chose the block. Their courtyard is grey, "
                "but it has a roof over it, and their children sleep at home.",
            ),
            "inline": [(inline, 2), (street, 4)],
            "corrections": [
                (
                    Correction.Kind.CORRECTION,
                    "An earlier version gave the street's name as Nabi Street. It is "
                    "Faruq Street.",
                )
            ],
            "age": timedelta(hours=20),
        },
        {
            "headline": "The morning after the strike on the market road",
            "slug": "market-road-strike",
            "section": iraq,
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
            "section": iraq,
            "standfirst": "The rains came late and the river ran low.",
            "city": "Bartella",
            "region": "Nineveh",
            "country": "Iraq",
            "precision": Article.LocationPrecision.COUNTRY,
            "lead": fields,
            "tags": ["Water", "Reconstruction", "Farming"],
            "credits": [(pen_name, ""), (layla, "Reporting")],
            "body": paragraphs(
                "Wheat fields that once reached the horizon are patches this year.",
                "Farmers say pumping water from the river now costs more than the "
                "harvest earns.",
            ),
            "age": timedelta(days=4),
        },
        {
            "headline": "Displaced again: families leave the camps for a city that "
            "is not ready",
            "slug": "camps-closing-families-return",
            "section": iraq,
            "standfirst": "As the last camps close, families return to neighbourhoods "
            "without water or schools.",
            "city": "Mosul",
            "region": "Nineveh",
            "country": "Iraq",
            "precision": Article.LocationPrecision.CITY,
            "lead": camp,
            "tags": ["Displacement", "Mosul", "Civilians"],
            "credits": [(layla, "Reporting")],
            "body": paragraphs(
                "The camp's last tents came down in October.",
                "Most families had nowhere to go but the houses they fled.",
            ),
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
            "version_of": "mosul-old-city-rebuilding",
            "section": iraq,
            "standfirst": "عائلات عادت إلى المدينة القديمة تعيد ترميم بيوتها بأيديها.",
            "language": Article.Language.ARABIC,
            "city": "الموصل",
            "region": "نينوى",
            "country": "العراق",
            "precision": Article.LocationPrecision.CITY,
            "lead": street,
            "tags": ["Mosul", "Reconstruction"],
            "credits": [(withheld, "")],
            "body": paragraphs(
                "امتلأ فناء البيت بالركام خمس سنوات. "
                "اليوم تنمو فيه شجرة ليمون من جديد.",
                "عاد صاحبه، وهو معلم متقاعد، في الربيع مع ولديه. حملا الحجارة "
                "المكسورة في دلاء، وفرزا ما يصلح منها للبناء من جديد.",
            )
            + "<blockquote><p>لم ننتظر أحداً. لو انتظرنا لما بقي شيء نعود إليه.</p>"
            "</blockquote>"
            + paragraphs(
                "في أنحاء المدينة القديمة يتكرر المشهد نفسه: تعيد العائلات بناء ما "
                "تقدر عليه، غرفة بعد غرفة وجداراً بعد جدار."
            ),
            "inline": [(inline, 1)],
            "age": timedelta(days=1, hours=3),
        },
        {
            "headline": "لە شاری کۆنی مووسڵ، خانووەکان بەرد بە بەرد ئاوەدان دەکرێنەوە",
            "slug": "مووسڵ-شاری-کۆن-ئاوەدانکردنەوە",
            "version_of": "mosul-old-city-rebuilding",
            "section": iraq,
            "standfirst": "ئەو خێزانانەی گەڕاونەتەوە بۆ شاری کۆن، بە دەستی خۆیان "
            "خانووەکانیان نۆژەن دەکەنەوە.",
            "language": Article.Language.SORANI,
            "city": "مووسڵ",
            "region": "نەینەوا",
            "country": "عێراق",
            "precision": Article.LocationPrecision.CITY,
            "lead": street,
            "tags": ["Mosul", "Reconstruction"],
            "credits": [(withheld, "")],
            "body": paragraphs(
                "حەوشەی ماڵەکە پێنج ساڵ پڕ بوو لە داروپەردوو. ئەمڕۆ دارێکی لیمۆی "
                "تێدا دەڕوێتەوە.",
                "خاوەنەکەی، مامۆستایەکی خانەنشین، بەهاری ڕابردوو لەگەڵ دوو "
                "کوڕەکەی گەڕایەوە. بەردە شکاوەکانیان بە سەتڵ دەرهێنا و ئەوەی بۆ "
                "بیناکردن دەشێت جیایان کردەوە.",
            )
            + "<blockquote><p>چاوەڕێی کەسمان نەکرد. ئەگەر چاوەڕێمان بکردایە، هیچ "
            "نەدەمایەوە تا بۆی بگەڕێینەوە.</p></blockquote>"
            + paragraphs(
                "لە سەرانسەری شاری کۆندا هەمان دیمەن دووبارە دەبێتەوە: خێزانەکان "
                "ئەوەی لە توانایاندایە بنیاتی دەنێنەوە، ژوور لە دوای ژوور و "
                "دیوار لە دوای دیوار."
            ),
            "age": timedelta(days=1, hours=1),
        },
        {
            "headline": "في الرقة، مياه الفرات لا تصل إلى البيوت",
            "slug": "الرقة-مياه-الفرات",
            "section": syria,
            "standfirst": "محطات الضخ المتضررة تترك أحياء كاملة تنتظر صهاريج الماء.",
            "language": Article.Language.ARABIC,
            "city": "الرقة",
            "country": "سوريا",
            "precision": Article.LocationPrecision.CITY,
            "lead": river,
            "tags": ["Water", "Syria"],
            "credits": [(withheld, "")],
            "body": paragraphs(
                "على بعد مئات الأمتار من النهر، تقف النساء في طوابير أمام صهريج "
                "يأتي مرتين في الأسبوع.",
                "تعمل محطة الضخ الرئيسية بنصف طاقتها منذ الشتاء الماضي، "
                "ويقول عمالها إن قطع الغيار لا تصل.",
            )
            + "<blockquote><p>نرى الفرات من النافذة، ونشتري الماء بالبرميل.</p>"
            "</blockquote>"
            + paragraphs(
                "يدفع السكان ما يصل إلى خمسة آلاف ليرة للبرميل الواحد، في مدينة "
                "يعيش معظم أهلها على أقل من ذلك في اليوم."
            ),
            "age": timedelta(days=2, hours=5),
        },
        {
            "headline": "لە دهۆک، خێزانە ئاوارەکان چاوەڕێی گەڕانەوەن",
            "slug": "دهۆک-خێزانە-ئاوارەکان",
            "section": kurdistan,
            "standfirst": "دوای ساڵانێک لە کەمپەکاندا، زۆربەی خێزانەکان هێشتا نازانن "
            "کەی دەگەڕێنەوە بۆ ماڵەکانیان.",
            "language": Article.Language.SORANI,
            "city": "دهۆک",
            "region": "هەرێمی کوردستان",
            "country": "عێراق",
            "precision": Article.LocationPrecision.CITY,
            "lead": camp,
            "tags": ["Displacement", "Duhok"],
            "credits": [(shilan, "")],
            "body": paragraphs(
                "کەمپەکە لە نزیک دهۆک چەندین هەزار کەسی تێدا دەژی.",
                "ژنێکی تەمەن پەنجا ساڵ دەڵێت ماڵەکەیان وێران بووە، بەڵام هێشتا "
                "هیوایان هەیە.",
            )
            + "<blockquote><p>ماڵەکەمان وێران بووە، بەڵام هێشتا هیوامان هەیە."
            "</p></blockquote>",
            "age": timedelta(days=1, hours=8),
        },
        {
            "headline": "On the Euphrates, the ferry is the only bridge left",
            "slug": "euphrates-ferry",
            "section": syria,
            "standfirst": "With the bridge down, a ferryman and his sons carry a town "
            "across the river, twenty people at a time.",
            "city": "Raqqa",
            "region": "Raqqa Governorate",
            "country": "Syria",
            "precision": Article.LocationPrecision.REGION,
            "lead": river,
            "tags": ["Euphrates", "Water", "Reconstruction"],
            "credits": [(rana, "Reporting and photographs")],
            "body": paragraphs(
                "The first crossing leaves at six, before the heat. By seven the "
                "queue on the bank reaches the road.",
                "The ferryman charges what a loaf of bread costs, and nothing for "
                "children or the sick.",
            )
            + "<blockquote><p>The river does not care who rules the town. It only "
            "asks that you respect it.</p></blockquote>"
            + paragraphs(
                "Engineers say the bridge could be repaired within a year if the "
                "money came. It has not come."
            ),
            "age": timedelta(hours=30),
        },
        {
            "headline": "In Raqqa, the covered market reopens under a patched roof",
            "slug": "raqqa-market-reopens",
            "section": syria,
            "standfirst": "Traders pooled their savings to repair the roof of the old "
            "market. Customers came back the same week.",
            "city": "Raqqa",
            "region": "Raqqa Governorate",
            "country": "Syria",
            "precision": Article.LocationPrecision.CITY,
            "lead": market,
            "tags": ["Reconstruction", "Economy"],
            "credits": [(rana, "Reporting")],
            "body": paragraphs(
                "Forty stalls have reopened; sixty more wait for their owners.",
                "The roof leaks in two places, and the traders have put buckets "
                "under both.",
            ),
            "age": timedelta(days=3),
        },
        {
            "headline": "What the new water agreement does, and does not, promise",
            "slug": "water-agreement-analysis",
            "section": analysis,
            "standfirst": "The deal sets a minimum flow for the summer months. It says "
            "nothing about who checks it.",
            "country": "Iraq",
            "precision": Article.LocationPrecision.COUNTRY,
            "lead": river,
            "tags": ["Water", "Euphrates", "Farming"],
            "credits": [(pen_name, "")],
            "body": section_block(
                "The numbers",
                "The agreement promises a minimum flow for the four driest months. "
                "Farmers' unions say it is less than last year's average.",
            )
            + section_block(
                "The gaps",
                "No body is named to measure the flow, and no penalty is set for "
                "falling short of it.",
            ),
            "age": timedelta(days=2, hours=5),
        },
        {
            "headline": "Why reconstruction money stops at the city limits",
            "slug": "reconstruction-money-city-limits",
            "section": analysis,
            "standfirst": "Villages around Mosul received a tenth of what the city "
            "did. The rules explain why.",
            "country": "Iraq",
            "precision": Article.LocationPrecision.COUNTRY,
            "lead": None,
            "tags": ["Reconstruction", "Mosul"],
            "credits": [(layla, "Analysis")],
            "body": paragraphs(
                "Most funds are tied to projects in towns of more than fifty "
                "thousand people.",
                "Villages apply one by one, and few have anyone who knows how.",
            ),
            "age": timedelta(days=5),
        },
        {
            "headline": "The road to Sinjar, at first light",
            "slug": "road-to-sinjar-photo-essay",
            "section": photos,
            "standfirst": "A photographer's journey along a road that families are "
            "taking home, one checkpoint at a time.",
            "region": "Nineveh",
            "country": "Iraq",
            "precision": Article.LocationPrecision.REGION,
            "lead": inline,
            "tags": ["Displacement", "Sinjar"],
            "credits": [(omar, "Photographs")],
            "body": paragraphs("We left before dawn, as the families do.")
            + paragraphs("By noon the road was full of trucks loaded with furniture."),
            "inline": [(fields, 1), (market, 2)],
            "age": timedelta(days=6),
        },
    ]

    articles = {}
    for report in reports:
        body = report["body"]
        # Each inline picture goes after the paragraph (or quote, heading) given.
        for image, after in reversed(report.get("inline", [])):
            blocks = split_blocks(body)
            blocks.insert(after, f'<figure data-image="{image.pk}"></figure>')
            body = "".join(blocks)
        article = Article(
            headline=report["headline"],
            slug=report["slug"],
            section=report["section"],
            standfirst=report["standfirst"],
            language=report.get("language", Article.Language.ENGLISH),
            # The Arabic and Sorani versions of the Mosul report link to it.
            translation_of=articles.get(report.get("version_of")),
            status=Article.Status.PUBLISHED,
            published_at=now - report["age"],
            dateline_city=report.get("city", ""),
            dateline_region=report.get("region", ""),
            dateline_country=report.get("country", ""),
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
        for kind, text in report.get("corrections", []):
            Correction.objects.create(
                article=article,
                kind=kind,
                text=text,
                published_at=now - timedelta(hours=6),
            )
        article_changed(article=article, user=editor, notify=False)
        articles[article.slug] = article

    front_page = FrontPage.objects.create(
        lead=articles["mosul-old-city-rebuilding"], updated_by=editor
    )
    for position, slug in enumerate(
        [
            "euphrates-ferry",
            "الموصل-القديمة-إعادة-البناء",
            "market-road-strike",
            "water-agreement-analysis",
        ]
    ):
        TopStory.objects.create(
            front_page=front_page, article=articles[slug], position=position
        )

    demo_comments(Article.objects.get(slug="mosul-old-city-rebuilding"), now)

    article_save(
        article=Article(
            headline="Draft: what the new budget means for the old city",
            slug="draft-budget-old-city",
            section=iraq,
            standfirst="Not published yet: editors can preview it.",
            body=paragraphs(
                "A draft that only staff and holders of a preview link can see."
            ),
            created_by=editor,
        ),
        user=editor,
        notify=False,
    )
    CallToAction.objects.create(
        heading="Support independent reporting from Mosul",
        text="Our reporters work where few others can. Readers keep them there.",
        link_label="Become a supporter",
        link_url="https://newsroom.example.org/support/",
    )
    load_demo_newsletter(editor=editor, now=now)


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

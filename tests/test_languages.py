"""The interface in Arabic and Sorani Kurdish: editions at /ar/ and /ckb/, chosen
with plain links and no cookie; an article's page in its own language, right to
left for Arabic and Kurdish; linked translations with hreflang alternates; each
edition's home, tag pages and feeds; search that finds Arabic words whatever
their article or letter forms."""

import re
from datetime import UTC, datetime
from html.parser import HTMLParser

import pytest

from articles.models import Article
from articles.services import article_save
from tests.factories import ArticleFactory, CommentFactory, ReaderUserFactory

pytestmark = pytest.mark.django_db

WHEN = datetime(2026, 11, 21, 9, 30, tzinfo=UTC)
RIGHT_TO_LEFT = {"ar", "ckb"}


class _Elements(HTMLParser):
    """Every element's tag and attributes, with the lang and dir it inherits."""

    def __init__(self):
        super().__init__()
        self.stack = []
        self.found = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        parent = self.stack[-1] if self.stack else {"lang": None, "dir": None}
        here = {
            "tag": tag,
            "attrs": attrs,
            "lang": attrs.get("lang", parent["lang"]),
            "dir": attrs.get("dir", parent["dir"]),
        }
        self.found.append(here)
        if tag not in {"meta", "link", "input", "br", "img", "source", "hr"}:
            self.stack.append(here)

    def handle_endtag(self, tag):
        while self.stack:
            if self.stack.pop()["tag"] == tag:
                break


def elements(html):
    parser = _Elements()
    parser.feed(html)
    return parser.found


def _arabic_article(**kwargs):
    return ArticleFactory(
        language="ar",
        headline="عودة العائلات إلى البيوت في الموصل القديمة",
        standfirst="بعد سنوات من النزوح، تعود العائلات إلى أحيائها.",
        body="<p>عادت عشرات العائلات إلى البيوت المهدمة.</p>",
        published_at=WHEN,
        dateline_city="الموصل",
        dateline_region="نينوى",
        dateline_country="العراق",
        **kwargs,
    )


def test_an_arabic_report_is_read_right_to_left_in_an_arabic_page(client):
    article = _arabic_article(tags=["الموصل"])
    english = ArticleFactory(headline="Mosul's old city", tags=["الموصل"])
    CommentFactory(article=article, body="شكراً على هذا التقرير")
    response = client.get(article.get_absolute_url())
    assert article.get_absolute_url().startswith("/ar/articles/")
    assert response.status_code == 200
    assert response["Content-Language"] == "ar"
    html = response.text
    assert re.search(r'<html lang="ar" dir="rtl">', html)
    # The interface around it, in Arabic: navigation, dates, comments.
    for words in (
        "انتقل إلى المحتوى",  # Skip to content
        "تسجيل الدخول",  # Log in
        "البحث في التقارير",  # Search reports
        "الأرشيف",  # Archive
        "التعليقات",  # Comments
        "تقارير ذات صلة",  # Related posts
        "21 نوفمبر 2026",
    ):
        assert words in html, words
    for english_words in ("Skip to content", "Log in", "Comments", "Related posts"):
        assert f">{english_words}<" not in html
    # Every element is laid out in its own language's direction; only the
    # English report in the related list and the language links are English.
    english_elements = []
    for element in elements(html):
        if element["lang"] in RIGHT_TO_LEFT:
            assert element["dir"] in {"rtl", "auto"}, element
        elif element["lang"] == "en":
            english_elements.append(element)
            assert element["dir"] in {"ltr", "auto"}, element
    assert {e["attrs"].get("href") for e in english_elements if e["tag"] == "a"} == {
        english.get_absolute_url(),
        "/",  # the English edition's link
    }


def test_an_arabic_report_moves_to_the_arabic_edition(client):
    article = _arabic_article()
    response = client.get(f"/articles/{article.slug}/?ref=feed")
    assert response.status_code == 301
    assert response["Location"] == f"{article.get_absolute_url()}?ref=feed"
    english = ArticleFactory()
    assert client.get(f"/ar/articles/{english.slug}/").status_code == 301


def test_a_logged_in_reader_gets_the_comment_form_in_the_reports_language(client):
    article = _arabic_article()
    reader = ReaderUserFactory()
    client.force_login(reader)
    html = client.get(article.get_absolute_url()).text
    form = html.split('<form class="comment-form"', 1)[1].split("</form>", 1)[0]
    assert "انشر التعليق" in form  # Post comment
    assert "تعليقك" in form  # Your comment
    assert f'action="/ar/articles/{article.slug}/comments/' in form or (
        'action="/ar/' in form
    )
    # Bad input gets its error in Arabic, and loses nothing.
    action = re.search(r'action="([^"]+)"', form).group(1)
    response = client.post(action, {"body": "   "})
    assert response.status_code == 400
    assert '<html lang="ar" dir="rtl">' in response.text
    assert "لم يُنشر تعليقك" in response.text  # Your comment was not posted


def test_a_kurdish_report_is_read_in_kurdish(client):
    article = ArticleFactory(
        language="ckb", headline="گەڕانەوەی ئاوارەکان بۆ شنگال", published_at=WHEN
    )
    html = client.get(article.get_absolute_url()).text
    assert article.get_absolute_url().startswith("/ckb/articles/")
    assert '<html lang="ckb" dir="rtl">' in html
    assert "بازدان بۆ ناوەڕۆک" in html  # Skip to content
    assert "21 تشرینی دووەم 2026" in html


def test_readers_choose_the_language_with_plain_links_and_no_cookie(client):
    response = client.get("/")
    nav = response.text.split('<nav class="language-nav"', 1)[1].split("</nav>", 1)[0]
    links = re.findall(r'<a href="([^"]+)" lang="([^"]+)" hreflang="\2"', nav)
    assert links == [("/", "en"), ("/ar/", "ar"), ("/ckb/", "ckb")]
    assert 'aria-current="true">English</a>' in nav
    # No script: the only one is data for search engines.
    assert not re.search(r'<script(?! type="application/ld\+json")', response.text)
    assert not response.cookies
    arabic = client.get("/ar/")
    assert '<html lang="ar" dir="rtl">' in arabic.text
    assert "انتقل إلى المحتوى" in arabic.text
    assert not arabic.cookies
    # The same page in the other language, with its query.
    archive = client.get("/ar/archive/").text
    nav = archive.split('<nav class="language-nav"', 1)[1].split("</nav>", 1)[0]
    assert '<a href="/archive/" lang="en"' in nav
    assert '<a href="/ckb/archive/" lang="ckb"' in nav
    # Links on an Arabic page stay in the Arabic edition.
    assert 'href="/ar/search/"' in archive and 'href="/ar/latest/"' in archive


def _linked_versions():
    english = ArticleFactory(
        headline="Families return to Mosul's old city", language="en", slug="return"
    )
    arabic = _arabic_article(slug="عودة", translation_of=english)
    kurdish = ArticleFactory(
        language="ckb",
        headline="گەڕانەوەی خێزانەکان بۆ شاری کۆنی موسڵ",
        slug="گەڕانەوە",
        translation_of=english,
    )
    return english, arabic, kurdish


def test_linked_translations_say_also_in_and_carry_hreflang(client):
    english, arabic, kurdish = _linked_versions()
    html = client.get(english.get_absolute_url()).text
    also_in = html.split('<p class="also-in"', 1)[1].split("</p>", 1)[0]
    text = re.sub(r"<[^>]+>", "", also_in.split(">", 1)[1])
    assert text == "Also in: العربية · کوردی"
    assert f'href="{arabic.get_absolute_url()}" lang="ar" hreflang="ar" dir="rtl"' in (
        also_in
    )
    alternates = re.findall(
        r'<link rel="alternate" hreflang="([^"]+)" href="([^"]+)"', html
    )
    assert alternates == [
        ("en", "http://testserver/articles/return/"),
        ("ar", f"http://testserver{arabic.get_absolute_url()}"),
        ("ckb", f"http://testserver{kurdish.get_absolute_url()}"),
    ]
    # The Arabic version says it in Arabic, and links to the other two.
    html = client.get(arabic.get_absolute_url()).text
    also_in = html.split('<p class="also-in"', 1)[1].split("</p>", 1)[0]
    assert "متوفر أيضًا بـ:" in also_in
    assert 'lang="en"' in also_in and 'lang="ckb"' in also_in
    # The header's language links lead to the versions, not to the home pages.
    nav = html.split('<nav class="language-nav"', 1)[1].split("</nav>", 1)[0]
    assert f'<a href="{english.get_absolute_url()}" lang="en"' in nav
    assert f'<a href="{kurdish.get_absolute_url()}" lang="ckb"' in nav


def test_an_unlinked_report_has_no_alternates(client):
    html = client.get(ArticleFactory().get_absolute_url()).text
    assert '<link rel="alternate" hreflang' not in html
    assert 'class="also-in"' not in html


def test_the_sitemap_lists_each_version_with_its_alternates(client):
    english, arabic, kurdish = _linked_versions()
    alone = ArticleFactory(slug="alone")
    xml = client.get("/sitemap-articles.xml").text
    entries = re.findall(r"<url>(.*?)</url>", xml, re.S)
    by_location = {re.search(r"<loc>(.*?)</loc>", e).group(1): e for e in entries}
    assert len(by_location) == 4
    for version in (english, arabic, kurdish):
        location = f"http://testserver{version.get_absolute_url()}"
        entry = by_location[location]
        alternates = re.findall(
            r'<xhtml:link rel="alternate" hreflang="([^"]+)" href="([^"]+)"/>', entry
        )
        assert sorted(alternates) == sorted(
            [
                ("en", "http://testserver/articles/return/"),
                ("ar", f"http://testserver{arabic.get_absolute_url()}"),
                ("ckb", f"http://testserver{kurdish.get_absolute_url()}"),
            ]
        ), entry
    alone_entry = next(e for loc, e in by_location.items() if "/alone/" in loc)
    assert "xhtml:link" not in alone_entry
    assert alone.slug in alone_entry


def test_a_version_links_to_the_original_once_per_language():
    english, arabic, _kurdish = _linked_versions()
    second = ArticleFactory.build(language="ar", translation_of=english, slug="x")
    with pytest.raises(Exception) as raised:
        second.full_clean()
    assert "already has a version in that language" in str(raised.value)
    # Linking to a version links to its original.
    french = ArticleFactory.build(language="fr", translation_of=arabic, slug="y")
    french.clean_translation_of()
    assert french.translation_of == english


def test_each_edition_lists_its_own_reports(client):
    english = ArticleFactory(headline="Report in English", tags=["Mosul"])
    arabic = _arabic_article(tags=["Mosul"])
    kurdish = ArticleFactory(language="ckb", headline="ڕاپۆرتی کوردی", tags=["Mosul"])
    home = client.get("/ar/").text
    assert arabic.headline in home
    assert english.headline not in home and kurdish.headline not in home
    # The English edition is the whole newsroom.
    home = client.get("/").text
    assert english.headline in home and arabic.headline in home
    tag = client.get("/ckb/tags/mosul/").text
    assert kurdish.headline in tag and arabic.headline not in tag
    assert '<html lang="ckb" dir="rtl">' in tag
    feed = client.get("/ar/feeds/latest/")
    assert feed.status_code == 200
    assert "<language>ar</language>" in feed.text
    assert arabic.headline in feed.text and english.headline not in feed.text
    tag_feed = client.get("/ar/feeds/tags/mosul/").text
    assert arabic.headline in tag_feed and kurdish.headline not in tag_feed


@pytest.mark.parametrize(
    ("words", "query"),
    [
        ("عادت العائلات إلى البيوت المهدمة", "بيوت"),  # the article "ال"
        ("عادت العائلات والبيوت المهدمة", "البيوت"),  # "وال" joined to it
        ("افتتاح المدرسة الجديدة", "مدرسه"),  # teh marbuta typed as heh
        ("زيارة إلى أربيل", "اربيل"),  # alef with hamza
        ("مستشفى الموصل", "مستشفي"),  # alef maksura typed as yeh
        ("ئاوارەکانی کوردستان", "كوردستان"),  # Kurdish kaf typed as Arabic kaf
        ("گوندەکانی دهۆک", "دهوک"),  # Sorani's o typed as waw
    ],
)
def test_search_finds_arabic_and_kurdish_words_whatever_their_forms(
    client, words, query
):
    found = ArticleFactory(language="ar", body=f"<p>{words}</p>", headline="تقرير")
    ArticleFactory(language="ar", body="<p>نص آخر لا علاقة له</p>", headline="آخر")
    assert list(Article.objects.published().search(query)) == [found]
    html = client.get("/ar/search/", {"q": query}).text
    assert found.get_absolute_url() in html


def test_search_vectors_follow_edits():
    article = ArticleFactory(language="ar", body="<p>نص</p>", headline="تقرير")
    assert not Article.objects.published().search("البيوت").exists()
    article.body = "<p>عادت العائلات إلى البيوت</p>"
    article_save(article=article, user=None)
    assert list(Article.objects.published().search("بيوت")) == [article]


def test_the_admin_writes_arabic_and_kurdish_right_to_left(admin_client):
    article = _arabic_article()
    html = admin_client.get(f"/admin/articles/article/{article.pk}/change/").text
    assert "articles/admin/text-direction.js" in html


# The worker sends what a committed transaction queued.
@pytest.mark.django_db(transaction=True)
def test_a_reply_email_is_in_the_language_of_the_conversation(smtp):
    from comments.services import comment_notify_parent_author
    from readers.models import Reader
    from tests.mail import run_worker

    article = _arabic_article()
    asker = ReaderUserFactory(email="asker@example.org")
    Reader.objects.filter(user=asker).update(notify_replies=True)
    question = CommentFactory(article=article, author=asker, body="أين هذا؟")
    reply = CommentFactory(
        article=article, author=ReaderUserFactory(), parent=question, body="هنا."
    )
    # Read afresh, as the service that posts it does.
    comment_notify_parent_author(comment=type(reply).objects.get(pk=reply.pk))
    run_worker()
    [message] = smtp.messages
    assert "ردّ" in str(message["Subject"])  # "replied to your comment"
    html = smtp.html(message)
    assert '<html lang="ar" dir="rtl">' in html
    assert "اقرأ النقاش" in html  # Read the conversation
    assert "/ar/" in smtp.text(message)


def test_the_demo_has_arabic_and_kurdish_reports_linked_to_an_english_one(client):
    from demo.content import load_demo_content

    load_demo_content(picture_size=(320, 200))
    english = Article.objects.get(slug="mosul-old-city-rebuilding")
    versions = {version.language for version in english.versions()}
    assert versions == {"ar", "ckb"}
    assert Article.objects.filter(language="ar").count() >= 2
    assert Article.objects.filter(language="ckb").count() >= 2
    html = client.get(english.get_absolute_url()).text
    assert "العربية" in html.split('<p class="also-in"', 1)[1].split("</p>")[0]


def test_editors_link_versions_in_the_admin(client, editor):
    from tests.articles.test_admin import ADD_URL, article_form, change_url

    english = ArticleFactory(slug="return", headline="Families return")
    client.force_login(editor)
    response = client.post(
        ADD_URL,
        article_form(
            headline="عودة العائلات",
            slug="عودة",
            language="ar",
            translation_of=str(english.pk),
        ),
    )
    assert response.status_code == 302
    arabic = Article.objects.get(slug="عودة")
    assert arabic.translation_of == english
    # The original's form lists its versions, each opening its own form.
    html = client.get(change_url(english)).text
    assert f'<a href="{change_url(arabic)}" lang="ar" dir="auto">عودة العائلات</a>' in (
        html
    )
    # A second Arabic version of the same report is a form error; nothing saved.
    response = client.post(
        ADD_URL,
        article_form(
            headline="نسخة ثانية",
            slug="ثانية",
            language="ar",
            translation_of=str(arabic.pk),  # a version: links to its original
        ),
    )
    assert response.status_code == 200
    assert "This report already has a version in that language." in response.text
    assert not Article.objects.filter(slug="ثانية").exists()


def _directions_agree(html):
    """Every element in Arabic or Kurdish is laid out right to left, every
    element in English left to right (or by its own text, dir="auto")."""
    for element in elements(html):
        if element["lang"] in RIGHT_TO_LEFT:
            assert element["dir"] in {"rtl", "auto"}, element
        elif element["lang"] == "en":
            assert element["dir"] in {"ltr", "auto"}, element


def test_every_page_of_every_edition_gives_each_element_its_direction(client):
    from tests.factories import SectionFactory

    section = SectionFactory(slug="iraq", name="Iraq")
    _arabic_article(section=section, tags=["Mosul"], content_warning="صور قاسية")
    ArticleFactory(language="ckb", section=section, tags=["Mosul"])
    ArticleFactory(section=section, tags=["Mosul"], headline="Water in Mosul")
    for prefix in ("", "/ar", "/ckb"):
        for path in ("/", "/latest/", "/tags/mosul/", "/sections/iraq/", "/archive/"):
            response = client.get(f"{prefix}{path}", {"q": "Mosul"})
            assert response.status_code == 200, (prefix, path)
            _directions_agree(response.text)
        _directions_agree(client.get(f"{prefix}/search/", {"q": "Mosul"}).text)


def test_form_errors_are_in_the_readers_language(client):
    response = client.post(
        "/ar/accounts/signup/", {"email": "x", "password1": "a", "password2": "b"}
    )
    assert response.status_code == 200
    html = response.text
    assert "أدخِل عنوان بريد إلكتروني صحيح." in html  # Django's own
    assert "كلمة المرور هذه قصيرة جدًّا. يجب أن تتكون من 8 أحرف على الأقل." in html
    assert "This password is too short" not in html
    login = client.get("/ckb/accounts/login/").text
    assert "ئیمەیڵ یان ناوی بەکارهێنەر" in login  # allauth's "Login" label


def test_a_missing_page_says_so_in_its_editions_language(client):
    response = client.get("/ar/no-such-page/")
    assert response.status_code == 404
    assert '<html lang="ar" dir="rtl">' in response.text
    assert "لم نعثر على هذه الصفحة" in response.text  # We could not find that page
    response = client.get("/ckb/articles/no-such-report/")
    assert response.status_code == 404
    assert "ئەو پەڕەیەمان نەدۆزییەوە" in response.text

"""Running the import again, a dry run, edits made here, a site that moved, and
the authors file that protects a byline."""

from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse

from articles.models import Article, ArticleSlugRedirect, Section
from articles.services import article_save
from comments.models import Comment, CommentCount
from contributors.models import Contributor
from images.models import Image
from tests.wordpress.conftest import EXPORT_DAY, FIXTURE, run_import
from wordpress.models import ImportedAuthor, ImportedImage, ImportedPost, OldAddress

pytestmark = pytest.mark.django_db

LATER = EXPORT_DAY + timedelta(hours=2)


def article(post_id) -> Article:
    return Article.objects.get(pk=ImportedPost.objects.get(post_id=post_id).article_id)


def everything():
    """How many rows of each kind the import writes, and which versions."""
    from taggit.models import Tag

    models = [
        Article,
        Article.history.model,
        Section,
        Tag,
        Contributor,
        Image,
        Comment,
        ImportedPost,
        ImportedAuthor,
        ImportedImage,
        OldAddress,
    ]
    return {model.__name__: model.objects.count() for model in models}


def files_under(root):
    return sorted(p.relative_to(root) for p in root.rglob("*") if p.is_file())


def edit(export, old, new, count=1):
    text = export.read_text()
    assert text.count(old) == count, old
    export.write_text(text.replace(old, new))


def test_language_option_sets_posts_that_say_none(uploads):
    run_import(FIXTURE, uploads=uploads, language="fr")
    assert article(10).language == "fr"
    assert article(11).language == "fr"
    assert article(12).language == "ckb"  # what Polylang says still wins


def test_a_second_run_creates_nothing_and_changes_nothing(uploads, _media_root):
    run_import(FIXTURE, uploads=uploads)
    before, files = everything(), files_under(_media_root)
    output = run_import(FIXTURE, uploads=uploads, when=LATER)
    assert everything() == before
    assert files_under(_media_root) == files
    assert "articles: 0 created, 0 updated, 6 unchanged" in output
    assert "contributors: 0 created" in output
    assert "pictures: 0 stored" in output
    assert "comments: 0 kept, 0 updated, 0 removed" in output


def test_what_changed_on_wordpress_is_updated(uploads, export):
    run_import(export, uploads=uploads)
    edit(export, "Checkpoint on the Mosul road closes at dusk", "Checkpoint reopens")
    # Comment 502 became spam: it goes, and the reply under it joins its thread.
    edit(
        export,
        "<![CDATA[1]]></wp:comment_approved>\n\t\t\t<wp:comment_type><![CDATA["
        "comment]]></wp:comment_type>\n\t\t\t<wp:comment_parent>501",
        "<![CDATA[spam]]></wp:comment_approved>\n\t\t\t<wp:comment_type><![CDATA["
        "comment]]></wp:comment_type>\n\t\t\t<wp:comment_parent>501",
    )
    edit(export, "شكراً على التقرير.", "شكراً جزيلاً على التقرير.")
    output = run_import(export, uploads=uploads, when=LATER)
    assert "articles: 0 created, 1 updated, 5 unchanged" in output
    # The Arabic comment, and the reply that joined another thread.
    assert "comments: 0 kept, 2 updated, 1 removed" in output
    report = article(10)
    assert report.headline.startswith("Checkpoint reopens")
    assert report.history.count() == 2
    assert article(11).history.count() == 1  # only its comment changed
    assert Comment.objects.get(article=article(11)).body == "شكراً جزيلاً على التقرير."
    assert not Comment.objects.filter(guest_name="Dara").exists()
    reply = Comment.objects.get(body__startswith="A reply to a reply")
    assert reply.parent is None
    assert CommentCount.objects.get(article=report).approved == 5
    assert Article.objects.count() == 6


def test_a_comment_deleted_on_wordpress_goes_and_readers_comments_stay(
    uploads, export, django_user_model
):
    run_import(export, uploads=uploads)
    report = article(10)
    reader = django_user_model.objects.create_user("reader", "r@example.org", "pw")
    here = Comment.objects.create(
        article=report, author=reader, body="Written here", status="approved"
    )
    text = export.read_text()
    start = text.index("<wp:comment>\n\t\t\t<wp:comment_id>503")
    end = text.index("</wp:comment>", start) + len("</wp:comment>")
    export.write_text(text[:start] + text[end:])
    output = run_import(export, uploads=uploads, when=LATER)
    assert "comments: 0 kept, 0 updated, 1 removed" in output
    assert not Comment.objects.filter(body__startswith="A reply to a reply").exists()
    assert Comment.objects.filter(pk=here.pk).exists()
    assert Comment.objects.filter(article=report).count() == 6
    # Nothing else changes on a third run.
    output = run_import(export, uploads=uploads, when=LATER + timedelta(hours=1))
    assert "comments: 0 kept, 0 updated, 0 removed" in output
    assert Comment.objects.filter(article=report).count() == 6


def test_a_changed_slug_keeps_both_addresses(uploads, export, client):
    run_import(export, uploads=uploads)
    edit(export, "<![CDATA[checkpoint-road]]>", "<![CDATA[checkpoint-reopens]]>")
    edit(
        export,
        "2024/03/15/checkpoint-road/</link>",
        "2024/03/15/checkpoint-reopens/</link>",
    )
    run_import(export, uploads=uploads, when=LATER)
    report = article(10)
    assert report.slug == "checkpoint-reopens"
    assert ArticleSlugRedirect.objects.filter(old_slug="checkpoint-road").exists()
    with time_machine.travel(LATER, tick=False):
        for old in [
            "/2024/03/15/checkpoint-road/",
            "/2024/03/15/checkpoint-reopens/",
            "/articles/checkpoint-road/",
        ]:
            response = client.get(old)
            assert (response.status_code, response["Location"]) == (
                301,
                report.get_absolute_url(),
            )


def test_an_article_edited_here_is_kept_unless_asked(uploads, export):
    run_import(export, uploads=uploads)
    with time_machine.travel(EXPORT_DAY + timedelta(hours=1), tick=False):
        report = article(10)
        report.headline = "Corrected here by an editor"
        article_save(article=report)
    edit(export, "Checkpoint on the Mosul road closes at dusk", "Checkpoint reopens")
    output = run_import(export, uploads=uploads, when=LATER)
    assert "edited here since it was imported: the edits here were kept" in output
    assert article(10).headline == "Corrected here by an editor"
    output = run_import(export, uploads=uploads, when=LATER, overwrite=True)
    assert "articles: 0 created, 1 updated, 5 unchanged" in output
    assert article(10).headline.startswith("Checkpoint reopens")


def test_missing_pictures_are_brought_in_once_the_files_are_there(uploads, export):
    run_import(export)  # no uploads folder given
    assert not Image.objects.exists()
    assert article(10).lead_image is None
    output = run_import(export, uploads=uploads, when=LATER)
    assert "pictures: 3 stored" in output
    assert article(10).lead_image.alt_text == "A line of cars at a checkpoint"
    assert Article.objects.count() == 6


def test_a_dry_run_reports_everything_and_writes_nothing(uploads, _media_root):
    before, files = everything(), files_under(_media_root)
    output = run_import(FIXTURE, uploads=uploads, dry_run=True)
    assert everything() == before
    assert files_under(_media_root) == files
    assert "Would import from https://oldnews.example.org:" in output
    assert "articles: 6 created" in output
    assert "pictures: 3 stored" in output
    assert "comments: 7 kept" in output
    assert output.rstrip().endswith("Dry run: nothing was written.")
    # ...and the real run after it does it all.
    assert "articles: 6 created" in run_import(FIXTURE, uploads=uploads)


def test_a_site_at_a_new_address_is_recognised_by_its_guids(uploads, export):
    run_import(export, uploads=uploads)
    before = everything()
    text = export.read_text()
    moved = text.replace("<link>https://oldnews.example.org</link>", "<link>x</link>")
    for tag in ["base_site_url", "base_blog_url"]:
        moved = moved.replace(
            f"<wp:{tag}>https://oldnews.example.org</wp:{tag}>",
            f"<wp:{tag}>https://news.example.net</wp:{tag}>",
        )
    export.write_text(moved)
    output = run_import(export, uploads=uploads, when=LATER)
    assert "This site was imported before from oldnews.example.org" in output
    assert "articles: 0 created, 0 updated, 6 unchanged" in output
    assert everything() == before
    assert set(ImportedPost.objects.values_list("site", flat=True)) == {
        "news.example.net"
    }


def authors_file(tmp_path, text):
    path = tmp_path / "authors.csv"
    path.write_text(text)
    return path


def test_the_authors_file_protects_bylines_everywhere(uploads, tmp_path, client):
    authors = authors_file(
        tmp_path,
        "login,identity,pseudonym\nsource7,withheld,\nkarwan,pseudonym,K. Mountain\n",
    )
    run_import(FIXTURE, uploads=uploads, authors=authors)
    lina = Contributor.objects.get(name="Lina Haddad")
    assert lina.identity == Contributor.Identity.WITHHELD
    assert "lina" not in lina.slug and "source7" not in lina.slug
    karwan = Contributor.objects.get(pseudonym="K. Mountain")
    assert karwan.identity == Contributor.Identity.PSEUDONYM
    # The real name stays for the newsroom; only the pseudonym is shown.
    assert karwan.name == "Karwan Aziz"
    # Her comment, signed "L." from her own address, shows no name at all.
    assert Comment.objects.get(body__startswith="I was at").guest_name == ""
    with time_machine.travel(EXPORT_DAY, tick=False):
        pages = [
            client.get(article(11).get_absolute_url()),
            client.get(article(10).get_absolute_url()),
            client.get(reverse("articles:feed")),
        ]
    html = "".join(page.content.decode() for page in pages)
    assert "K. Mountain" in html
    for secret in ["Karwan Aziz", "Lina Haddad", "source7", ">L.<"]:
        assert secret not in html


def test_a_later_run_never_lowers_a_protection(uploads, tmp_path):
    run_import(FIXTURE, uploads=uploads)  # everyone named
    authors = authors_file(tmp_path, "login,identity\nsource7,withheld\n")
    run_import(FIXTURE, uploads=uploads, authors=authors, when=LATER)
    lina = Contributor.objects.get(name="Lina Haddad")
    assert lina.identity == Contributor.Identity.WITHHELD
    run_import(FIXTURE, uploads=uploads, when=LATER + timedelta(hours=1))
    lina.refresh_from_db()
    assert lina.identity == Contributor.Identity.WITHHELD


def test_the_authors_file_may_credit_an_existing_contributor(uploads, tmp_path):
    existing = Contributor.objects.create(name="Hana Salih", slug="hana")
    authors = authors_file(tmp_path, "login,identity,contributor\nhana,named,hana\n")
    output = run_import(FIXTURE, uploads=uploads, authors=authors)
    assert Contributor.objects.filter(name="Hana Salih").count() == 1
    assert list(article(10).contributors.all()) == [existing]
    assert "contributors: 2 created" in output

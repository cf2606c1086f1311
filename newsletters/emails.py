"""Newsletter emails: an issue for one address, and the confirmation of a
subscription.

An issue's email is HTML with a plain-text part, light and simple: no tables,
styles written on the elements (mail programs drop style sheets), no remote
resources unless the editor chose linked pictures, no tracking pixel and no
rewritten links. It reads right to left for Arabic and Sorani Kurdish editions.
Its content is gathered once per batch (IssueContent) and only the two personal
links change from one address to the next."""

import mimetypes
from dataclasses import dataclass, replace
from email.mime.image import MIMEImage
from urllib.parse import urlsplit

from django.conf import settings
from django.core.files.storage import default_storage
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from articles.models import RTL_LANGUAGES
from newsletters.links import PersonalLinks, absolute, confirm_link_create
from newsletters.models import Issue, Newsletter
from readers.tasks import enqueue_email

EMAIL_PICTURE_WIDTH = 640  # the widest card crop an email carries


@dataclass(frozen=True)
class EmailPicture:
    """An article's picture in an email: attached (`data`, shown through its
    content id) or linked (`url`)."""

    content_id: str
    url: str
    width: int
    height: int
    data: bytes | None = None

    @property
    def src(self) -> str:
        return f"cid:{self.content_id}" if self.data is not None else self.url


@dataclass(frozen=True)
class EmailItem:
    headline: str
    standfirst: str
    url: str
    language: str
    direction: str
    picture: EmailPicture | None


@dataclass(frozen=True)
class IssueContent:
    """Everything an issue's email shows, gathered once for many addresses."""

    issue: Issue
    newsletter: Newsletter
    items: tuple[EmailItem, ...]
    web_url: str
    archive_url: str
    left_out: tuple[str, ...] = ()  # headlines of chosen articles not public now

    @property
    def language(self) -> str:
        return self.newsletter.language

    @property
    def direction(self) -> str:
        return self.newsletter.text_direction


def _picture_rendition(image):
    """The widest JPEG card crop up to EMAIL_PICTURE_WIDTH, or None."""
    cards = [
        item
        for item in image.renditions
        if item["kind"] == "card"
        and item["format"] == "jpg"
        and item["width"] <= EMAIL_PICTURE_WIDTH
    ]
    return max(cards, key=lambda item: item["width"], default=None)


def _media_address(name: str) -> str:
    url = default_storage.url(name)
    return url if urlsplit(url).scheme else absolute(url)


def _email_picture(article, pictures: str, *, preview: bool) -> EmailPicture | None:
    # card_image leaves out flagged pictures and those of articles with a
    # content warning, as thumbnails do.
    image = article.card_image
    if pictures == Issue.Pictures.NONE or image is None:
        return None
    rendition = _picture_rendition(image)
    if rendition is None:
        return None
    picture = EmailPicture(
        content_id=f"picture-{image.pk}-{rendition['width']}@newsroom",
        url=_media_address(rendition["name"]),
        width=rendition["width"],
        height=rendition["height"],
    )
    if pictures == Issue.Pictures.ATTACHED and not preview:
        try:
            with default_storage.open(rendition["name"]) as file:
                data = file.read()
        except OSError:
            return None  # a picture lost from storage leaves its article whole
        picture = replace(picture, data=data)
    return picture


def issue_content(*, issue: Issue, preview: bool = False) -> IssueContent:
    """The issue's articles as the email shows them: only those the public may
    read now (an article taken down since it was chosen is left out). With
    `preview`, attached pictures are shown from the site instead."""
    items, left_out = [], []
    chosen = issue.items.select_related("article__lead_image").order_by(
        "position", "pk"
    )
    for item in chosen:
        article = item.article
        if not article.is_live:
            left_out.append(article.headline)
            continue
        items.append(
            EmailItem(
                headline=article.headline,
                standfirst=article.standfirst,
                url=absolute(article.get_absolute_url()),
                language=article.language,
                direction="rtl" if article.language in RTL_LANGUAGES else "ltr",
                picture=_email_picture(article, issue.pictures, preview=preview),
            )
        )
    newsletter = issue.newsletter
    web_path = (
        issue.get_absolute_url()
        if issue.number
        else reverse("newsletters:archive", args=[newsletter.slug])
    )
    return IssueContent(
        issue=issue,
        newsletter=newsletter,
        items=tuple(items),
        web_url=absolute(web_path),
        archive_url=absolute(newsletter.get_absolute_url()),
        left_out=tuple(left_out),
    )


def list_headers(content: IssueContent, links: PersonalLinks) -> dict:
    """RFC 2369/2919 list headers and RFC 8058 one-click unsubscribe."""
    host = urlsplit(settings.SITE_URL).hostname
    return {
        "List-Unsubscribe": f"<{links.unsubscribe}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        "List-Id": f"{content.newsletter.name} <{content.newsletter.slug}.{host}>",
        "List-Archive": f"<{content.archive_url}>",
    }


def render_issue(content: IssueContent, links: PersonalLinks, *, test=False):
    """(subject, text, html) of the issue for one address, in the newsletter's
    language."""
    issue = content.issue
    with translation.override(content.language):
        context = {
            "content": content,
            "issue": issue,
            "newsletter": content.newsletter,
            "paragraphs": issue.introduction_paragraphs(),
            "links": links,
            "test": test,
            "SITE_NAME": settings.SITE_NAME,
            "SITE_URL": settings.SITE_URL,
        }
        subject = issue.subject
        if test:
            subject = _("[Test] %(subject)s") % {"subject": subject}
        text = render_to_string("newsletters/email/issue.txt", context)
        html = render_to_string("newsletters/email/issue.html", context)
    return subject, text, html


def issue_message(
    content: IssueContent, *, to: str, links: PersonalLinks, test=False
) -> EmailMultiAlternatives:
    """The email of an issue to one address, attached pictures included."""
    subject, text, html = render_issue(content, links, test=test)
    message = EmailMultiAlternatives(
        subject=subject, body=text, to=[to], headers=list_headers(content, links)
    )
    message.attach_alternative(html, "text/html")
    attached = [
        item.picture
        for item in content.items
        if item.picture is not None and item.picture.data is not None
    ]
    if attached:
        # The pictures and the HTML that shows them belong together.
        message.mixed_subtype = "related"
        for picture in attached:
            subtype = (mimetypes.guess_type(picture.url)[0] or "image/jpeg").split("/")[
                1
            ]
            part = MIMEImage(picture.data, _subtype=subtype)
            part.add_header("Content-ID", f"<{picture.content_id}>")
            part.add_header("Content-Disposition", "inline")
            message.attach(part)
    return message


def subscription_confirmation_send(*, email: str, newsletters) -> None:
    """Queue the email that asks the owner of `email` to confirm; nothing is
    stored about the address until they do (the link carries the request)."""
    newsletters = list(newsletters)
    context = {
        "newsletters": newsletters,
        "confirm_url": confirm_link_create(
            email=email, newsletter_ids=[n.pk for n in newsletters]
        ),
        "expire_days": settings.ACCOUNT_EMAIL_CONFIRMATION_EXPIRE_DAYS,
        "SITE_NAME": settings.SITE_NAME,
        "SITE_URL": settings.SITE_URL,
    }
    subject = _("[%(site)s] Confirm your subscription") % {"site": settings.SITE_NAME}
    message = EmailMultiAlternatives(
        subject=subject,
        body=render_to_string("newsletters/email/confirm.txt", context),
        to=[email],
    )
    message.attach_alternative(
        render_to_string("newsletters/email/confirm.html", context), "text/html"
    )
    enqueue_email(message)

"""What the site tells machines: JSON-LD for articles, the newsroom and
breadcrumbs, social cards and share links. Protected contributors appear here
only by their public byline, never as a Person.

Addresses name `origin`, the host the page is read on (newsroom/hosts.py): the
main site, its onion service or a mirror. Only the canonical address names
SITE_URL, the main site, wherever it is read."""

from urllib.parse import urlencode, urlsplit

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext as _

from articles.models import Page

# Where each trust page is named in a NewsMediaOrganization (schema.org, as the
# Trust Project's indicators use it).
TRUST_PROPERTIES = {
    Page.Kind.ABOUT: ["masthead"],
    Page.Kind.STANDARDS: [
        "publishingPrinciples",
        "ethicsPolicy",
        "verificationFactCheckingPolicy",
        "unnamedSourcesPolicy",
        "noBylinesPolicy",
    ],
    Page.Kind.CORRECTIONS: ["correctionsPolicy"],
    Page.Kind.FUNDING: ["ownershipFundingInfo"],
    Page.Kind.CONTACT: ["actionableFeedbackPolicy"],
}


def absolute(path: str, origin: str = "") -> str:
    """An address on this site at `origin` (SITE_URL unless given); one on
    another host (media in object storage) stays as it is."""
    return path if urlsplit(path).scheme else f"{origin or settings.SITE_URL}{path}"


def canonical_url(article) -> str:
    """A syndicated report's canonical address is the partner's original."""
    return article.original_url or absolute(article.get_absolute_url())


def organisation(identity, pages, origin: str = "") -> dict:
    """The newsroom as a NewsMediaOrganization: its name, logo and the trust
    pages readers may see (`pages`, from Page.objects.public())."""
    data = {
        "@type": "NewsMediaOrganization",
        "name": identity.name,
        "url": absolute("/", origin),
    }
    if identity.description:
        data["description"] = str(identity.description)
    logo = identity.logo
    if logo is not None:
        data["logo"] = {
            "@type": "ImageObject",
            "url": absolute(logo.social_url(), origin),
        }
    elif icon := identity.icon_url(512):
        data["logo"] = {"@type": "ImageObject", "url": absolute(icon, origin)}
    for page in pages:
        for name in TRUST_PROPERTIES.get(page.kind, []):
            data[name] = absolute(page.get_absolute_url(), origin)
    return data


def breadcrumbs(trail: list[tuple[str, str]], origin: str = "") -> dict:
    """A BreadcrumbList of (name, path) pairs, the home page first."""
    return {
        "@context": "https://schema.org",
        "@type": "BreadcrumbList",
        "itemListElement": [
            {
                "@type": "ListItem",
                "position": n,
                "name": name,
                "item": absolute(path, origin),
            }
            for n, (name, path) in enumerate(trail, start=1)
        ],
    }


def article_trail(article, identity) -> list[tuple[str, str]]:
    """Home, the article's section (when it has one), the article."""
    trail = [(identity.name, reverse("articles:home"))]
    if article.section:
        trail.append((article.section.name, article.section.get_absolute_url()))
    trail.append((article.headline, article.get_absolute_url()))
    return trail


def structured_data(article, identity, pages, origin: str = "") -> dict:
    """The NewsArticle, its publisher named with the newsroom's trust pages."""
    credits = article.article_contributors.all()
    people = [
        {
            "@type": "Person",
            "name": c.contributor.name,
            "url": absolute(c.contributor.get_absolute_url(), origin),
        }
        for c in credits
        if c.contributor.has_public_profile
    ]
    publisher = organisation(identity, pages, origin)
    url = absolute(article.get_absolute_url(), origin)
    data = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": article.headline,
        "description": article.standfirst,
        "inLanguage": article.language,
        "url": url,
        "mainEntityOfPage": article.original_url or url,
        "datePublished": article.published_at.isoformat()
        if article.published_at
        else None,
        "author": people or [publisher],
        "publisher": publisher,
        "articleSection": article.section.name if article.section else None,
        "keywords": [tag.name for tag in article.tag_list],
    }
    if principles := publisher.get("publishingPrinciples"):
        data["publishingPrinciples"] = principles
    if updated := article.latest_update():
        data["dateModified"] = updated.isoformat()
    if article.card_image:
        data["image"] = [absolute(article.card_image.social_url(), origin)]
    if article.dateline:
        data["locationCreated"] = {"@type": "Place", "name": article.dateline}
    if article.partner:
        data["sourceOrganization"] = {
            "@type": "NewsMediaOrganization",
            "name": article.partner.name,
            "url": article.partner.site_url,
        }
        if article.original_url:
            data["isBasedOn"] = article.original_url
        if article.partner.licence:
            data["license"] = article.partner.licence
    corrections = article.corrections.all()
    if corrections:
        data["correction"] = [
            {
                "@type": "CorrectionComment",
                "text": f"{c.get_kind_display()}: {c.text}",
                "datePublished": c.published_at.isoformat(),
            }
            for c in corrections
        ]
    return {key: value for key, value in data.items() if value not in (None, "", [])}


def share_links(article, origin: str = "") -> list[tuple[str, str]]:
    """Plain links: no widget, no script, no request until a reader clicks one.
    They share the address the reader is reading (a mirror's, where the main
    site is blocked)."""
    url = absolute(article.get_absolute_url(), origin)
    text = article.headline
    return [
        (_("Email"), "mailto:?" + urlencode({"subject": text, "body": url})),
        ("WhatsApp", "https://wa.me/?" + urlencode({"text": f"{text} {url}"})),
        ("Telegram", "https://t.me/share/url?" + urlencode({"url": url, "text": text})),
        (
            "Facebook",
            "https://www.facebook.com/sharer/sharer.php?" + urlencode({"u": url}),
        ),
        ("X", "https://x.com/intent/post?" + urlencode({"url": url, "text": text})),
    ]

"""What an article tells machines: JSON-LD, social cards and share links.
Protected contributors appear here only by their public byline, never as a Person."""

from urllib.parse import urlencode, urlsplit

from django.conf import settings


def absolute(path: str) -> str:
    """An address on this site; one on another host (media in object storage)
    stays as it is."""
    return path if urlsplit(path).scheme else f"{settings.SITE_URL}{path}"


def canonical_url(article) -> str:
    """A syndicated report's canonical address is the partner's original."""
    return article.original_url or absolute(article.get_absolute_url())


def structured_data(article) -> dict:
    credits = article.article_contributors.all()
    people = [
        {
            "@type": "Person",
            "name": c.contributor.name,
            "url": absolute(c.contributor.get_absolute_url()),
        }
        for c in credits
        if c.contributor.has_public_profile
    ]
    organisation = {
        "@type": "NewsMediaOrganization",
        "name": settings.SITE_NAME,
        "url": settings.SITE_URL,
    }
    data = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": article.headline,
        "description": article.standfirst,
        "inLanguage": article.language,
        "url": absolute(article.get_absolute_url()),
        "mainEntityOfPage": canonical_url(article),
        "datePublished": article.published_at.isoformat()
        if article.published_at
        else None,
        "author": people or [organisation],
        "publisher": organisation,
        "keywords": [tag.name for tag in article.tag_list],
    }
    if updated := article.latest_update():
        data["dateModified"] = updated.isoformat()
    if article.card_image:
        data["image"] = [absolute(article.card_image.social_url())]
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


def share_links(article) -> list[tuple[str, str]]:
    """Plain links: no widget, no script, no request until a reader clicks one."""
    url = absolute(article.get_absolute_url())
    text = article.headline
    return [
        ("Email", "mailto:?" + urlencode({"subject": text, "body": url})),
        ("WhatsApp", "https://wa.me/?" + urlencode({"text": f"{text} {url}"})),
        ("Telegram", "https://t.me/share/url?" + urlencode({"url": url, "text": text})),
        (
            "Facebook",
            "https://www.facebook.com/sharer/sharer.php?" + urlencode({"u": url}),
        ),
        ("X", "https://x.com/intent/post?" + urlencode({"url": url, "text": text})),
    ]

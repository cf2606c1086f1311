from django.conf import settings
from django.utils.functional import SimpleLazyObject

from articles.models import SiteChrome


def site(request):
    """The site's identity, sections and trust pages for every template (the
    header, footer, structured data and emails), read only when a template
    uses them, and then from the fragment cache (SiteChrome.current): a page
    in the steady state makes no query for them."""
    chrome = SimpleLazyObject(SiteChrome.current)
    return {
        "site": SimpleLazyObject(lambda: chrome.identity),
        "SITE_NAME": SimpleLazyObject(lambda: chrome.identity.name),
        "SITE_URL": settings.SITE_URL,
        "navigation": SimpleLazyObject(lambda: chrome.navigation),
        "trust_pages": SimpleLazyObject(lambda: chrome.trust_pages),
    }

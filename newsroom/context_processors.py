from django.conf import settings
from django.utils.functional import SimpleLazyObject

from articles.models import Page, Section
from masthead.models import SiteIdentity


def site(request):
    """The site's identity, sections and trust pages for every template (the
    header, footer, structured data and emails), each read once per request and
    only when a template uses it: a page with the site's chrome costs three
    queries, a JSON answer none."""
    identity = SimpleLazyObject(SiteIdentity.current)
    return {
        "site": identity,
        "SITE_NAME": SimpleLazyObject(lambda: identity.name),
        "SITE_URL": settings.SITE_URL,
        "navigation": SimpleLazyObject(lambda: list(Section.objects.in_navigation())),
        "trust_pages": SimpleLazyObject(
            lambda: list(Page.objects.public().only("kind", "title"))
        ),
    }

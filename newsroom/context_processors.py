from django.conf import settings


def site(request):
    """Site name and absolute address for templates, meta tags and emails."""
    return {"SITE_NAME": settings.SITE_NAME, "SITE_URL": settings.SITE_URL}

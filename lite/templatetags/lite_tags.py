"""Links between the full site and the lite edition."""

from django import template
from django.urls import reverse

from lite.views import lite_url

register = template.Library()

# Full pages with a lite version of their own; every other page links to the
# lite front page.
LITE_VERSIONS = {
    "articles:detail": "lite:article",
    "articles:tag": "lite:tag",
    "articles:search": "lite:search",
}
FULL_VERSIONS = {lite: full for full, lite in LITE_VERSIONS.items()} | {
    "lite:home": "articles:home"
}


def _switched(request, versions: dict, fallback: str) -> str:
    match = getattr(request, "resolver_match", None)
    name = versions.get(match.view_name) if match else None
    if name is None:
        return reverse(fallback)
    url = reverse(name, kwargs=match.kwargs)
    query = request.META.get("QUERY_STRING", "") if name.endswith("search") else ""
    return f"{url}?{query}" if query else url


@register.simple_tag(takes_context=True)
def lite_version_url(context):
    """The lite version of the page being read (its search too), else the lite
    front page."""
    return _switched(context.get("request"), LITE_VERSIONS, "lite:home")


@register.simple_tag(takes_context=True)
def full_version_url(context):
    """The full version of the lite page being read."""
    return _switched(context.get("request"), FULL_VERSIONS, "articles:home")


@register.filter
def lite_article_url(article):
    """The lite page of a report, in its language's edition."""
    return lite_url(article)


@register.inclusion_tag("lite/picture.html")
def picture_link(image, caption=""):
    """A picture as a link that loads it, with its weight, instead of the
    picture itself; a flagged one says its warning first."""
    return {"image": image, "file": image.phone_file(), "caption": caption}

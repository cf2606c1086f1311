"""The header's language links: plain links to the page being read in each
language of the interface (see newsroom/languages.py)."""

from django import template
from django.urls import Resolver404, resolve, reverse
from django.urls.base import translate_url
from django.utils import translation

from newsroom.languages import direction, interface_languages, language_name

register = template.Library()


@register.inclusion_tag("includes/language_links.html", takes_context=True)
def language_links(context):
    """For each language: the same page in it, or for an article (full or
    lite), its version in that language or else that edition's front page."""
    request = context.get("request")
    current = translation.get_language()
    links = []
    for code in interface_languages():
        links.append(
            {
                "code": code,
                "name": language_name(code),
                "direction": direction(code),
                "current": code == current,
                "url": _url_in(code, request, context),
            }
        )
    return {"links": links, "LANGUAGE_CODE": current}


def _url_in(code, request, context) -> str:
    if request is None:
        return _home(code, "articles")
    match = getattr(request, "resolver_match", None)
    if match is None:  # an error page
        try:
            match = resolve(request.path_info)
        except Resolver404:
            return _home(code, "articles")
    article, versions = context.get("article"), context.get("versions")
    if article is None or versions is None or "slug" not in match.kwargs:
        return translate_url(request.get_full_path(), code)
    if code == article.interface_language:
        # The report itself (without a page of comments, say): the article
        # page keeps these links (its "article-languages" part).
        return request.path
    for version in versions:
        if version.language == code:
            with translation.override(code):
                return reverse(match.view_name, kwargs={"slug": version.slug})
    return _home(code, match.namespace or "articles")


def _home(code, namespace) -> str:
    with translation.override(code):
        return reverse(f"{namespace}:home")

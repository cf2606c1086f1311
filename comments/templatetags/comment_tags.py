import uuid

from django import template
from django.template.defaultfilters import linebreaksbr
from django.utils.html import urlize
from django.utils.safestring import mark_safe

register = template.Library()


@register.simple_tag
def new_submission_id():
    """A fresh id for each comment form: a double submit of one form stores one
    comment, while two forms on one page stay two comments."""
    return str(uuid.uuid4())


@register.filter(is_safe=True)
def comment_text(text):
    """A reader's plain text: escaped, line breaks kept, links made clickable
    with rel="nofollow ugc noopener"; no HTML from readers reaches the page."""
    html = urlize(text, nofollow=True, autoescape=True)
    html = html.replace('rel="nofollow"', 'rel="nofollow ugc noopener"')
    return mark_safe(linebreaksbr(html, autoescape=False))

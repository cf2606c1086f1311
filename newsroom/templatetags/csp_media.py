from django import template
from js_asset import Media

register = template.Library()


@register.filter
def with_csp_nonce(media, request):
    """A form's media with this response's CSP nonce on its tags: the rich-text
    editor's import map is an inline script, and the admin's policy runs inline
    scripts only with the nonce."""
    return Media.from_media(media, nonce=request.csp_nonce)

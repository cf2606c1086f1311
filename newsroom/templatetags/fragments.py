"""{% fragment %}: a part of a page rendered once per process and version (see
newsroom/fragments.py), as Django's {% cache %} tag does it but keyed by the
versions of what it shows and by the active language, never by a time."""

from hashlib import md5

from django import template

from newsroom.fragments import VERSIONS, kept
from newsroom.hosts import site_origin

register = template.Library()


class FragmentNode(template.Node):
    def __init__(self, nodelist, name, depends, vary_on):
        self.nodelist = nodelist
        self.name = name
        self.depends = depends
        self.vary_on = vary_on

    def render(self, context):
        hasher = md5(usedforsecurity=False)
        # Absolute addresses in a part name the host it is read on (the onion
        # service, a mirror): each host keeps its own.
        hasher.update(f"{site_origin(context.get('request'))}:".encode())
        for value in self.vary_on:
            hasher.update(f"{value.resolve(context)}:".encode())
        return kept(
            f"{self.name}:{hasher.hexdigest()}",
            self.depends,
            lambda: self.nodelist.render(context),
        )


@register.tag("fragment")
def do_fragment(parser, token):
    """Keep what is inside for as long as nothing it shows changes:

        {% fragment "article" article.pk article.modified_at depends="site" %}
            ...
        {% endfragment %}

    The key is the name, the active language, the versions named in `depends`
    ("site", "articles", "readers", "comments", comma-separated) and the
    values after the name: each must change when anything else inside changes.
    Nothing personal may be inside (a form, a CSRF token, who is logged in)."""
    nodelist = parser.parse(("endfragment",))
    parser.delete_first_token()
    bits = token.split_contents()
    if len(bits) < 2 or bits[1][0] not in "\"'":
        raise template.TemplateSyntaxError(
            f"{bits[0]} needs a quoted name, e.g. {{% {bits[0]} 'footer' %}}"
        )
    name, depends, vary_on = bits[1][1:-1], [], []
    for bit in bits[2:]:
        if bit.startswith("depends="):
            depends = bit.removeprefix("depends=").strip("\"'").split(",")
            unknown = set(depends) - set(VERSIONS)
            if unknown:
                raise template.TemplateSyntaxError(
                    f"{bits[0]}: no version named {', '.join(sorted(unknown))}"
                )
        else:
            vary_on.append(parser.compile_filter(bit))
    return FragmentNode(nodelist, name, depends, vary_on)

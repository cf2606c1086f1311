"""The comment section reaches the article page through these tags (as
django-contrib-comments does), so articles know nothing of comments."""

import uuid

import nh3
from django import template
from django.db import models
from django.template.defaultfilters import linebreaksbr
from django.utils.html import urlize
from django.utils.safestring import mark_safe

from comments.forms import CommentForm
from comments.models import Comment, CommentPermission

register = template.Library()


@register.inclusion_tag("comments/section.html", takes_context=True)
def comment_section(context, article):
    """An article's approved comments with their replies, and the form or the
    reason the visitor cannot comment."""
    request = context["request"]
    comments = list(Comment.objects.for_article_page(article))
    return {
        "article": article,
        "comments": comments,
        "comment_count": len(comments)
        + sum(len(comment.approved_replies) for comment in comments),
        "permission": CommentPermission.of(request.user, article),
        "is_preview": context.get("is_preview", False),
        "request": request,
        "user": request.user,
    }


@register.inclusion_tag("admin/comments/desk.html")
def comment_desk():
    """The editors' desk's count of comments waiting for moderation and of
    flagged comments still shown, in one query."""
    counts = Comment.objects.aggregate(
        pending=models.Count("pk", filter=models.Q(status=Comment.Status.PENDING)),
        flagged=models.Count(
            "pk", filter=models.Q(pk__in=Comment.objects.flagged().values("pk"))
        ),
    )
    return counts


@register.inclusion_tag("comments/form.html")
def comment_form(article, form=None, parent=None):
    """A comment form: empty, or bound with the errors to mend. Each empty form
    gets a fresh submission id, so a double submit of one form stores one
    comment while two forms on one page stay two comments."""
    if form is None:
        form = CommentForm(article=article)
    submission_id = form["submission_id"].value() if form.is_bound else uuid.uuid4()
    return {
        "article": article,
        "form": form,
        "parent": parent,
        "form_id": parent.pk if parent else "new",
        "submission_id": submission_id,
    }


@register.filter(is_safe=True)
def comment_text(text):
    """A reader's plain text: escaped, line breaks kept, links made clickable
    with rel="nofollow ugc noopener"; no HTML from readers reaches the page."""
    html = nh3.clean(
        urlize(text, autoescape=True),
        tags={"a"},
        attributes={"a": {"href"}},
        url_schemes={"http", "https", "mailto"},
        link_rel="nofollow ugc noopener",
    )
    return mark_safe(linebreaksbr(html, autoescape=False))

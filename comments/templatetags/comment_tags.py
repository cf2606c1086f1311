"""The comment section reaches the article page through these tags (as
django-contrib-comments does), so articles know nothing of comments."""

import re
import uuid
from functools import partial
from urllib.parse import urlencode

from django import template
from django.core.paginator import Paginator
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from articles.models import list_separator
from articles.templatetags.article_tags import month_name
from comments.forms import CommentForm
from comments.models import (
    THREADS_PER_PAGE,
    Comment,
    CommentCount,
    CommentOrder,
    CommentPermission,
    comment_html,
)
from newsroom.fragments import COMMENTS, READERS, kept

register = template.Library()


@register.simple_tag(takes_context=True)
def comment_section(context, article):
    """A page of an article's approved comments (threads with their first
    replies) in the order the reader chose, the number of them all, and the form
    or the reason the visitor cannot comment. The query string carries the
    reader's choice (?comments=newest&comments_page=2), so it needs no script.

    What a visitor who is not logged in sees holds nothing personal (no form,
    no token): it is kept between requests (newsroom/fragments.py) under the
    article's version, its address, the order and page asked for, and the
    versions of comments and readers' names, which the comment services and
    the readers' changes bump."""
    request = context["request"]
    order = CommentOrder.chosen(request.GET.get("comments"))
    asked = request.GET.get("comments_page", "")
    is_preview = context.get("is_preview", False)
    render = partial(_comment_section, request, article, order, asked, is_preview)
    # Only pages that exist are kept: any other value is a page rendered anew.
    if is_preview or request.user.is_authenticated or not KEPT_PAGE.match(asked):
        return mark_safe(render())
    key = f"comments:{article.pk}:{article.modified_at}:{request.path}:{order}:{asked}"
    return mark_safe(kept(key, (COMMENTS, READERS), render))


KEPT_PAGE = re.compile(r"^(?:[1-9][0-9]{0,3})?$")


def _comment_section(request, article, order, asked, is_preview):
    counts = CommentCount.objects.filter(article=article).first() or CommentCount()
    # The count is kept with the article, so the paginator never counts rows.
    pages = Paginator(range(counts.threads), THREADS_PER_PAGE)
    page = pages.get_page(asked)
    threads = []
    if counts.threads:
        threads = list(
            Comment.objects.thread_page(
                article,
                order=order,
                offset=page.start_index() - 1,
                limit=THREADS_PER_PAGE,
            )
        )
    context = {
        "article": article,
        "comments": threads,
        "comment_count": counts.approved,
        "page": page,
        "order": order,
        "orders": list(CommentOrder),
        "permission": CommentPermission.of(request.user, article),
        "is_preview": is_preview,
        "request": request,
        "user": request.user,
    }
    if request.user.is_authenticated:
        # The forms carry the CSRF token, which only the request's context has.
        return render_to_string("comments/section.html", context, request=request)
    return render_to_string("comments/section.html", context)


@register.inclusion_tag("admin/comments/desk.html")
def comment_desk():
    """The editors' desk's counts of comments waiting for moderation and of
    flagged comments still shown: two index lookups, however many comments."""
    return {
        "pending": Comment.objects.filter(status=Comment.Status.PENDING).count(),
        "flagged": Comment.objects.flagged().count(),
    }


@register.simple_tag
def comments_url(order, page=1):
    """The query string of a page of comments, and the jump to them."""
    query = {}
    if order != CommentOrder.OLDEST:
        query["comments"] = order.value
    if page != 1:
        query["comments_page"] = page
    return f"?{urlencode(query)}#comments" if query else "#comments"


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
    """A reader's plain text as HTML (comments.models.comment_html)."""
    return mark_safe(comment_html(text))


@register.filter
def comment_time(value):
    """ "24 November 2026, 06:17" in the active language and the site's time
    zone (the Arabic comma in Arabic script): what the date filter's "j F Y,
    H:i" gives, at a tenth of its cost (a page shows dozens of these)."""
    local = timezone.localtime(value)
    language = get_language()
    separator = list_separator(language).strip()
    month = month_name(language, local.month)
    return f"{local.day} {month} {local.year}{separator} {local:%H:%M}"


@register.simple_tag(takes_context=True)
def comment_item(context, comment, parent=None):
    """One comment: its author, time and permanent link, what it answers, its
    text, and the flag button for readers who are logged in. Built here rather
    than in an included template because a page shows dozens of comments, and
    the template engine spent about 80 µs on each where this spends about 15.
    Every value from a reader is escaped (comment_html escaped the body)."""
    answers = ""
    if parent is not None:
        link = (
            f'<a href="{parent.get_absolute_url()}">'
            f"<bdi>{escape(parent.author_name)}</bdi></a>"
        )
        answers = " · " + _("In reply to %(name)s") % {"name": link}
    flag = ""
    if context["user"].is_authenticated:
        action = reverse("comments:flag", args=[comment.pk])
        flag = (
            f'<form class="comment__flag" action="{action}" method="post">'
            '<input type="hidden" name="csrfmiddlewaretoken"'
            f' value="{escape(context.get("csrf_token", ""))}">'
            '<button type="submit" class="link-button">'
            f"{escape(_('Report to the editors'))}</button></form>"
        )
    # A comment is laid out in its own writing's direction, whatever the page's.
    return mark_safe(
        f'<article class="comment" id="comment-{comment.pk}"><p class="meta">'
        f'<bdi class="comment__author">{escape(comment.author_name)}</bdi> · '
        f'<a class="comment__link" href="{comment.get_absolute_url()}">'
        f'<time datetime="{comment.created_at.isoformat()}">'
        f"{escape(comment_time(comment.created_at))}</time></a>{answers}</p>"
        f'<div class="comment__body" dir="auto">{comment.html}</div>'
        f"{flag}</article>"
    )

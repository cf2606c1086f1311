from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from articles.models import Article
from comments.forms import CommentForm, FlagForm
from comments.models import (
    REPLIES_PER_PAGE,
    REPLIES_SHOWN,
    THREADS_PER_PAGE,
    Comment,
    CommentPermission,
)
from comments.services import (
    comment_create,
    comment_flag,
    comment_rate_limit_wait,
)


@login_required
@require_POST
def post_comment(request, slug):
    article = get_object_or_404(Article.objects.published(), slug=slug)
    permission = CommentPermission.of(request.user, article)
    if not permission.allowed:
        messages.error(request, permission.label)
        return redirect(f"{article.get_absolute_url()}#comments")

    form = CommentForm(request.POST, article=article)
    if not form.is_valid():
        # The reader's text comes back with what to mend, on a page of its own:
        # the article page stays the same for everyone (and cacheable).
        return render(
            request,
            "comments/form_page.html",
            {"article": article, "form": form},
            status=400,
        )
    ip = request.META.get("REMOTE_ADDR", "")
    if wait := comment_rate_limit_wait(author=request.user, ip=ip):
        response = render(request, "429.html", {"retry_after": wait}, status=429)
        response["Retry-After"] = str(wait)
        return response

    comment = comment_create(
        article=article,
        author=request.user,
        body=form.cleaned_data["body"],
        parent=form.cleaned_data["parent"],
        submission_id=form.cleaned_data["submission_id"],
        ip=ip,
    )
    if comment.status == Comment.Status.APPROVED:
        messages.success(request, _("Your comment is published."))
        return redirect(comment.get_absolute_url())
    messages.success(
        request, _("Thank you. Your comment will appear once an editor approves it.")
    )
    return redirect(f"{article.get_absolute_url()}#comments")


@login_required
@require_POST
def flag_comment(request, pk):
    comment = get_object_or_404(
        Comment.objects.approved().select_related("article"), pk=pk
    )
    form = FlagForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(form.errors.get("reason", [])))
        return redirect(comment.get_absolute_url())
    comment_flag(
        comment=comment, reporter=request.user, reason=form.cleaned_data["reason"]
    )
    messages.success(request, _("Thank you. The editors will look at this comment."))
    return redirect(comment.get_absolute_url())


def _public_comments():
    """Approved comments on articles the public may see."""
    return Comment.objects.approved().filter(article__in=Article.objects.published())


def _thread_location(comment) -> str:
    """Where a top-level comment is shown: its page of the article's comments,
    oldest first (the order a link is shared in)."""
    before = Comment.objects.threads(comment.article_id).before(comment).count()
    page = before // THREADS_PER_PAGE + 1
    query = f"?{urlencode({'comments_page': page})}" if page > 1 else ""
    return f"{comment.article.get_absolute_url()}{query}#comment-{comment.pk}"


def comment_permalink(request, pk):
    """A comment's lasting address: a redirect to wherever it is shown now, on a
    page of the article's comments or, deep in a long thread, of the thread's."""
    comment = get_object_or_404(
        _public_comments().select_related("article", "parent__article"), pk=pk
    )
    if comment.parent is None:
        return redirect(_thread_location(comment))
    parent = comment.parent
    if parent.status != Comment.Status.APPROVED:
        raise Http404("This comment is not shown.")
    before = Comment.objects.replies_to(parent).before(comment).count()
    if before < REPLIES_SHOWN:
        return redirect(_thread_location(parent).split("#")[0] + f"#comment-{pk}")
    page = before // REPLIES_PER_PAGE + 1
    query = f"?{urlencode({'page': page})}" if page > 1 else ""
    return redirect(f"{parent.get_thread_url()}{query}#comment-{pk}")


def comment_thread(request, pk):
    """A top-level comment with all its approved replies, a page at a time."""
    threads = _public_comments().filter(parent=None)
    parent = get_object_or_404(
        threads.select_related("article", "author__reader"), pk=pk
    )
    replies = Comment.objects.replies_to(parent).select_related("author__reader")
    page = Paginator(replies, REPLIES_PER_PAGE).get_page(request.GET.get("page"))
    permission = CommentPermission.of(request.user, parent.article)
    return render(
        request,
        "comments/thread.html",
        {
            "article": parent.article,
            "parent": parent,
            "page": page,
            "replies": page.object_list,
            "permission": permission,
        },
    )

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from articles.models import Article
from comments.forms import CommentForm, FlagForm
from comments.models import Comment, CommentPermission
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

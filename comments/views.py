from allauth.core.ratelimit import consume, respond_429
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from articles.models import Article
from articles.views import ArticleDetailView
from comments.forms import CommentForm
from comments.models import Comment
from comments.services import comment_create, comment_flag, comment_permission


@login_required
@require_POST
def post_comment(request, slug):
    article = get_object_or_404(Article.objects.published(), slug=slug)
    back = f"{article.get_absolute_url()}#comments"
    permission = comment_permission(request.user)
    if not article.comments_open:
        messages.error(request, _("Comments on this report are closed."))
        return redirect(back)
    if permission == "unconfirmed":
        messages.error(request, _("Confirm your email address before you comment."))
        return redirect(back)
    if permission != "ok":
        messages.error(request, _("Your account cannot post comments."))
        return redirect(back)

    form = CommentForm(request.POST, article=article)
    if not form.is_valid():
        view = ArticleDetailView()
        view.setup(request, slug=slug)
        view.extra_context = {"comment_form": form}
        response = view.get(request, slug=slug)
        response.status_code = 400
        return response
    if not consume(request, action="comment", user=request.user):
        return respond_429(request)

    comment = comment_create(
        article=article,
        author=request.user,
        body=form.cleaned_data["body"],
        parent=form.cleaned_data["parent"],
        submission_id=form.cleaned_data["submission_id"],
        ip=request.META.get("REMOTE_ADDR", ""),
    )
    if comment.status == Comment.Status.APPROVED:
        messages.success(request, _("Your comment is published."))
        return redirect(comment.get_absolute_url())
    messages.success(
        request, _("Thank you. Your comment will appear once an editor approves it.")
    )
    return redirect(back)


@login_required
@require_POST
def flag_comment(request, pk):
    comment = get_object_or_404(
        Comment.objects.approved().select_related("article"), pk=pk
    )
    comment_flag(
        comment=comment, reporter=request.user, reason=request.POST.get("reason", "")
    )
    messages.success(request, _("Thank you. The editors will look at this comment."))
    return redirect(comment.get_absolute_url())

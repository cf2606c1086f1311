from comments.forms import CommentForm
from comments.models import Comment
from comments.services import comment_permission


def comment_section(request, article, form=None):
    """Template context for an article's comments section."""
    comments = list(Comment.objects.for_article_page(article))
    permission = comment_permission(request.user)
    if form is None and permission == "ok" and article.comments_open:
        form = CommentForm(article=article)
    return {
        "comments": comments,
        "comment_count": len(comments) + sum(len(c.approved_replies) for c in comments),
        "comment_permission": permission,
        "comment_form": form,
    }

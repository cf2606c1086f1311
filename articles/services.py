"""Writes that span more than one row, and the signed preview links."""

import uuid

from django.conf import settings
from django.core import signing
from django.db import transaction

from articles.models import Article, ArticleSlugRedirect

PREVIEW_SALT = "articles.preview"


def article_record_slug_change(*, article: Article, old_slug: str) -> None:
    """Keep an article's previous address answering with a 301 to the new one."""
    if not old_slug or old_slug == article.slug:
        return
    with transaction.atomic():
        # Renaming back to an old slug must not leave a redirect pointing at itself.
        ArticleSlugRedirect.objects.filter(old_slug=article.slug).delete()
        ArticleSlugRedirect.objects.update_or_create(
            old_slug=old_slug, defaults={"article": article}
        )


def article_refresh_search(*, article: Article) -> None:
    """Recompute the article's search vector once its tags are saved."""
    Article.objects.filter(pk=article.pk).update_search_vectors()


def preview_token_create(*, article: Article) -> str:
    """A signed, expiring token for an outside reviewer without an account."""
    return signing.dumps(
        {"article": article.pk, "key": str(article.preview_key)}, salt=PREVIEW_SALT
    )


def preview_token_resolve(*, token: str) -> Article:
    """The article a preview token names; raises signing.BadSignature (tampered,
    expired, or revoked) or Article.DoesNotExist."""
    max_age = settings.PREVIEW_LINK_MAX_AGE_DAYS * 24 * 60 * 60
    data = signing.loads(token, salt=PREVIEW_SALT, max_age=max_age)
    if not isinstance(data, dict):
        raise signing.BadSignature("Unexpected preview token payload.")
    article = Article.objects.for_article_page().get(pk=data.get("article"))
    if str(article.preview_key) != data.get("key"):
        raise signing.BadSignature("This preview link was revoked.")
    return article


def article_revoke_previews(*, article: Article) -> None:
    """Make every preview link shared so far stop working."""
    article.preview_key = uuid.uuid4()
    article.save(update_fields=["preview_key"])

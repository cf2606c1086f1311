"""Posting and moderating on the busiest article and on a quiet one, through the
comment services, in a transaction that is rolled back: nothing stays behind.

    DATABASE_URL=... python -m bench.writes

Prints the median time and the queries of each write on each article."""

import os
import statistics
import sys
import time
import uuid

import django


def timed(action, repeat=20):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    times, queries = [], 0
    for _ in range(repeat):
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            action()
            times.append((time.perf_counter() - started) * 1000)
        queries = len(captured.captured_queries)
    return statistics.median(times), queries


def main():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")
    django.setup()
    from django.contrib.auth import get_user_model
    from django.db import transaction

    from comments.models import Comment, CommentCount
    from comments.services import comment_create, comments_moderate

    busy = CommentCount.objects.order_by("-approved").select_related("article").first()
    quiet = CommentCount.objects.filter(approved__lte=3).select_related("article")
    quiet = quiet.order_by("-article__published_at").first()
    approved = Comment.objects.filter(status="approved").exclude(author=None)
    author = approved.first().author
    print(f"{'':28} {'busy':>14} {'quiet':>14}   (ms, queries)")
    with transaction.atomic():
        editor = get_user_model().objects.create(username=f"bench-{uuid.uuid4()}")
        rows = {}
        for name, counts in (("busy", busy), ("quiet", quiet)):
            article = counts.article

            def post(article=article):
                comment_create(
                    article=article,
                    author=author,
                    body="A reader's comment.",
                    submission_id=uuid.uuid4(),
                )

            def moderate(article=article):
                latest = Comment.objects.filter(article=article).order_by("-pk")[:1]
                status = Comment.objects.get(pk=latest[0].pk).status
                flipped = "rejected" if status == "approved" else "approved"
                comments_moderate(
                    comments=Comment.objects.filter(pk=latest[0].pk),
                    status=flipped,
                    moderator=editor,
                )

            rows[name] = (timed(post), timed(moderate), counts.approved)
        transaction.set_rollback(True)
    for index, label in enumerate(["post a comment", "approve or reject one"]):
        busy_ms, busy_q = rows["busy"][index]
        quiet_ms, quiet_q = rows["quiet"][index]
        print(
            f"  {label:26} {busy_ms:8.2f} ({busy_q:>2})  {quiet_ms:8.2f} ({quiet_q:>2})"
        )
    print(
        f"  (busy: {rows['busy'][2]:,} approved comments; quiet: {rows['quiet'][2]:,})"
    )


if __name__ == "__main__":
    sys.exit(main())

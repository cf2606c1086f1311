"""What a lite page costs a reader on a metered connection: every demo report's
lite page, compressed as the site sends it, against the full page."""

import gzip
import re
from pathlib import Path

import pytest
from django.contrib.staticfiles import finders
from django.urls import reverse
from faker import Faker

from articles.models import Article
from demo.content import load_demo_content
from lite.views import lite_url
from tests.factories import (
    ArticleContributorFactory,
    ArticleFactory,
    ImageFactory,
    body_with_picture,
)

pytestmark = pytest.mark.django_db

BUDGET = 20_000  # bytes, compressed, for a typical report


def compressed(client, url) -> tuple[int, bytes]:
    response = client.get(url, HTTP_ACCEPT_ENCODING="gzip")
    assert response.status_code == 200, url
    assert response["Content-Encoding"] == "gzip", url
    return len(response.content), client.get(url).content


def test_every_demo_report_fits_the_lite_budget_with_no_script(client, capsys):
    load_demo_content(picture_size=(320, 200))
    rows = []
    for article in Article.objects.published().order_by("-published_at"):
        lite_bytes, html = compressed(client, lite_url(article))
        full_bytes, _full = compressed(client, article.get_absolute_url())
        assert b"<script" not in html
        assert b'<meta name="robots" content="noindex">' in html
        assert re.search(rb'<link rel="canonical" href="https?://[^"]+">', html)
        assert b"@font-face" not in html and b"<img" not in html
        rows.append((lite_bytes, full_bytes, len(html), article))
    rows.sort(key=lambda row: row[2], reverse=True)
    richest = rows[0]
    with capsys.disabled():
        print("\nLite pages of the demo reports (gzip bytes; full page beside):")
        for lite_bytes, full_bytes, raw, article in rows:
            print(
                f"  {lite_bytes:6} ({raw:6} raw)  full {full_bytes:6}  {article.slug}"
            )
    # The richest report (the most text and pictures) fits with room to spare.
    assert richest[0] < BUDGET, richest
    assert max(row[0] for row in rows) < BUDGET
    # With its one stylesheet (fetched once, then cached), still under budget.
    stylesheet = len(gzip.compress(Path(finders.find("css/lite.css")).read_bytes()))
    with capsys.disabled():
        print(f"  lite.css: {stylesheet} gzip bytes")
    assert richest[0] + stylesheet < BUDGET
    for url in [reverse("lite:home"), reverse("lite:tag", args=["mosul"])]:
        size, html = compressed(client, url)
        assert size < BUDGET, url
        assert b"<script" not in html


def test_a_long_report_with_many_pictures_stays_under_budget(client, capsys):
    """A 2,500-word report with eight pictures and five contributors: the
    kind of long read a slow connection struggles with most."""
    fake = Faker()
    fake.seed_instance(11)
    paragraphs = "".join(
        f"<p>{fake.paragraph(nb_sentences=6, variable_nb_sentences=False)}</p>"
        for _ in range(70)
    )
    pictures = "".join(
        body_with_picture(ImageFactory(), caption=f"Picture {n}", before="")
        for n in range(8)
    )
    article = ArticleFactory(
        body=paragraphs[: len(paragraphs) // 2]
        + pictures
        + paragraphs[len(paragraphs) // 2 :],
        lead_image=ImageFactory(),
        tags=["Mosul", "Water", "Reconstruction"],
    )
    for position in range(5):
        ArticleContributorFactory(article=article, position=position)
    size, html = compressed(client, lite_url(article))
    with capsys.disabled():
        print(
            f"\nA 2,500-word report with 9 pictures: {size} gzip bytes, {len(html)} raw"
        )
    assert len(html.split()) > 2_500  # long indeed
    assert size < BUDGET
    assert html.count(b"Load the picture") == 9

"""Pages are gzipped at PAGE_COMPRESSION_LEVEL (newsroom/middleware.py), as
Django's GZipMiddleware would, headers and BREACH guard included."""

import gzip

import pytest

from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db


def test_a_page_is_gzipped_for_readers_who_take_it_and_reads_the_same(client):
    url = ArticleFactory(headline="Water returns").get_absolute_url()
    plain = client.get(url)
    packed = client.get(url, headers={"accept-encoding": "gzip, br"})
    assert "Content-Encoding" not in plain
    assert packed["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in packed["Vary"] and "Accept-Encoding" in plain["Vary"]
    assert gzip.decompress(packed.content) == plain.content
    assert int(packed["Content-Length"]) == len(packed.content) < len(plain.content)
    assert packed["ETag"] == "W/" + plain["ETag"]
    # A file name of random length in the header, as Django makes it (BREACH).
    lengths = {
        len(client.get(url, headers={"accept-encoding": "gzip"}).content)
        for _ in range(8)
    }
    assert len(lengths) > 1

"""Cache keys that name no one: rate limits are kept per address and per email,
and a key is stored in the cache table as it is."""

from django.utils.crypto import salted_hmac


def private_key(key: str, key_prefix: str, version: int) -> str:
    """The cache's KEY_FUNCTION: an HMAC of the key under SECRET_KEY, so the cache
    table holds no address, email or account name, and no plain hash of one that
    a dictionary could reverse."""
    digest = salted_hmac(
        "newsroom.cache", f"{key_prefix}:{version}:{key}", algorithm="sha256"
    )
    return f"{key_prefix}:{version}:{digest.hexdigest()}"

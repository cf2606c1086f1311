"""Media on S3-compatible object storage, through django-storages."""

from urllib.parse import urlsplit


def s3_media(
    *,
    bucket: str,
    endpoint_url: str = "",
    region: str = "us-east-1",
    access_key: str = "",
    secret_key: str = "",
    media_url: str = "",
) -> tuple[dict, str]:
    """The default storage and MEDIA_URL for media in `bucket`.

    Pages link to `media_url` (the bucket's own address unless another is given,
    e.g. a CDN's): plain, unsigned, long-lived addresses that a cached page can
    keep, so the bucket must let anyone read its objects. An empty key falls
    back to boto3's own sources (environment, instance role)."""
    endpoint_url = endpoint_url.rstrip("/")
    if not media_url.startswith(("https://", "http://")):
        media_url = (
            f"{endpoint_url}/{bucket}/"
            if endpoint_url
            else f"https://{bucket}.s3.{region}.amazonaws.com/"
        )
    address = urlsplit(media_url)
    options = {
        "bucket_name": bucket,
        "region_name": region,
        "access_key": access_key or None,
        "secret_key": secret_key or None,
        "custom_domain": f"{address.netloc}{address.path}".rstrip("/"),
        "url_protocol": f"{address.scheme}:",
        "querystring_auth": False,
        # Names are random or carry a content hash: a stored file never changes.
        "object_parameters": {"CacheControl": "public, max-age=31536000, immutable"},
    }
    if endpoint_url:
        # MinIO, Garage and the like: the bucket in the path, not the host name.
        options |= {"endpoint_url": endpoint_url, "addressing_style": "path"}
    return {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": options}, media_url

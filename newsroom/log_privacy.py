"""What the logs leave out: client addresses, and the credentials some paths carry
(confirmation, password reset, unsubscribe, newsletter and shared preview links).
Used by Django's logging (settings.LOGGING) and gunicorn's (gunicorn.conf.py)."""

import logging
import re

TOKEN_PATHS = re.compile(
    r"(/accounts/(?:confirm-email|password/reset/key|unsubscribe)/"
    r"|/newsletters/(?:confirm|manage|unsubscribe)/"
    r"|/preview/shared/)[^/\s]+"
)
CLIENT_ADDRESS = re.compile(r"\bip=\S+?(?=:|\s|$)")


def redact(text: str) -> str:
    """`text` without client addresses ("ip=...") or path tokens."""
    return CLIENT_ADDRESS.sub("ip=-", TOKEN_PATHS.sub(r"\1[token]", text))


class RedactFilter(logging.Filter):
    """A logging filter that redacts each record's message."""

    def filter(self, record):
        message = record.getMessage()
        cleaned = redact(message)
        if cleaned != message:
            record.msg, record.args = cleaned, ()
        return True

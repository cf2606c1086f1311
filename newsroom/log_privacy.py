"""What the logs leave out: client addresses, the credentials some paths carry
(confirmation, password reset, unsubscribe, newsletter and shared preview links),
and any trace of a visit to a source page (the tips page). Used by Django's
logging (settings.LOGGING), gunicorn's (gunicorn.conf.py) and the source-page
middleware (newsroom/middleware.py); deploy/nginx.conf says the same in its own
words."""

import logging
import re

# Anywhere in a path, so also under a language's prefix (/ar/accounts/...).
TOKEN_PATHS = re.compile(
    r"(/accounts/(?:confirm-email|password/reset/key|unsubscribe)/"
    r"|/newsletters/(?:confirm|manage|unsubscribe)/"
    r"|/preview/shared/)[^/\s]+"
)
CLIENT_ADDRESS = re.compile(r"\bip=\S+?(?=:|\s|$)")
# Where sources learn how to reach the newsroom: nobody may learn who, or even
# when, someone read it. Access logs write no line for these paths; any other
# log message names them as HIDDEN_PAGE.
# In every language's edition too (/ar/tips/, /ckb/tips/).
SOURCE_PATH = re.compile(r"^/+(?:[a-z]{2,3}/+)?tips(?:/|$)")
SOURCE_PATH_IN_TEXT = re.compile(
    r"(?<![^\s\"'(])/+(?:[a-z]{2,3}/+)?tips(?=[/?\s\"')]|$)[^\s\"')]*"
)
HIDDEN_PAGE = "[a source page]"


def is_source_path(path: str) -> bool:
    """Whether a request's path is a source page's (or under one)."""
    return bool(SOURCE_PATH.match(path or ""))


def redact(text: str) -> str:
    """`text` without client addresses ("ip=..."), path tokens, or the paths of
    source pages."""
    text = SOURCE_PATH_IN_TEXT.sub(HIDDEN_PAGE, text)
    return CLIENT_ADDRESS.sub("ip=-", TOKEN_PATHS.sub(r"\1[token]", text))


class RedactFilter(logging.Filter):
    """A logging filter that redacts each record's message, and drops the
    development server's access line for a source page altogether."""

    def filter(self, record):
        message = record.getMessage()
        if record.name == "django.server" and SOURCE_PATH_IN_TEXT.search(message):
            return False
        cleaned = redact(message)
        if cleaned != message:
            record.msg, record.args = cleaned, ()
        return True

"""Handing one newsletter email to the mail server, and knowing what became of it.

What matters for “never twice to one address” is telling apart an email the
server certainly did not take (it said no with a code, or the connection failed
before the message itself started to travel: safe to try again) from one it may
have taken (the connection broke after the message started: sending it again
could deliver it twice). Django's SMTP backend is used with a connection class
that notes the moment the message starts (the DATA command); other backends
(files in development, memory) either work or fail before anything leaves."""

import contextlib
import logging
import smtplib

from django.conf import settings
from django.core.mail import get_connection
from django.core.mail.backends.smtp import EmailBackend as SMTPBackend
from django.db import models
from django.utils.translation import gettext_lazy as _

logger = logging.getLogger(__name__)

SMTP_BACKEND = "django.core.mail.backends.smtp.EmailBackend"


class Outcome(models.TextChoices):
    """What became of one email handed to the mail server."""

    SENT = "sent", _("Taken by the mail server")
    REFUSED = "refused", _("Refused for good by the mail server")
    DEFERRED = "deferred", _("Not taken this time: tried again later")
    NOT_CONNECTED = (
        "not-connected",
        _("The connection failed before the email started: tried again later"),
    )
    UNCERTAIN = (
        "uncertain",
        _(
            "The connection broke while the email travelled: it may have arrived, "
            "so it is not sent again"
        ),
    )


class _NotesDataStart:
    """Mixed into smtplib's classes: `message_started` turns true when the
    message itself starts to travel, after which a broken connection leaves it
    uncertain whether the server took it."""

    message_started = False

    def data(self, msg):
        self.message_started = True
        return super().data(msg)


class _SMTP(_NotesDataStart, smtplib.SMTP):
    pass


class _SMTPSSL(_NotesDataStart, smtplib.SMTP_SSL):
    pass


class NewsletterSMTPBackend(SMTPBackend):
    """Django's SMTP backend (same settings), on connections that note when a
    message's DATA starts."""

    @property
    def connection_class(self):
        return _SMTPSSL if self.use_ssl else _SMTP


def mail_connection():
    """A connection for one batch: Django's configured backend, with the SMTP
    one swapped for its data-noting twin."""
    if settings.EMAIL_BACKEND == SMTP_BACKEND:
        return NewsletterSMTPBackend(fail_silently=False)
    return get_connection(fail_silently=False)


def deliver(connection, message) -> Outcome:
    """Send `message` over an open `connection` and say what became of it."""
    smtp = getattr(connection, "connection", None)
    if isinstance(smtp, _NotesDataStart):
        smtp.message_started = False
    try:
        connection.send_messages([message])
    except smtplib.SMTPRecipientsRefused as exc:
        codes = [code for code, _reply in exc.recipients.values()]
        return (
            Outcome.REFUSED
            if all(code >= 500 for code in codes)
            else (Outcome.DEFERRED)
        )
    except smtplib.SMTPResponseException as exc:
        # The server answered with a code: it did not take the message.
        return Outcome.REFUSED if exc.smtp_code >= 500 else Outcome.DEFERRED
    except (OSError, smtplib.SMTPException) as exc:
        if isinstance(smtp, _NotesDataStart) and smtp.message_started:
            logger.warning("Connection broke during a message (%s)", type(exc).__name__)
            return Outcome.UNCERTAIN
        logger.warning("No connection to the mail server (%s)", type(exc).__name__)
        return Outcome.NOT_CONNECTED
    return Outcome.SENT


def close_quietly(connection) -> None:
    with contextlib.suppress(OSError, smtplib.SMTPException):
        connection.close()

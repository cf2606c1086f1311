"""A real SMTP server on loopback (aiosmtpd) and the background worker, for tests
where email is the point."""

import email
import re
import socket
import threading
from email import policy

from aiosmtpd.controller import Controller
from django.core.management import call_command


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Inbox:
    def __init__(self):
        self.messages = []
        self.arrived = threading.Condition()

    async def handle_DATA(self, server, session, envelope):
        with self.arrived:
            self.messages.append(
                email.message_from_bytes(envelope.content, policy=policy.default)
            )
            self.arrived.notify_all()
        return "250 Message accepted"

    def wait_for(self, count: int, timeout: float) -> bool:
        """Wait until `count` messages arrived (from another process, say)."""
        with self.arrived:
            return self.arrived.wait_for(
                lambda: len(self.messages) >= count, timeout=timeout
            )

    def text(self, message) -> str:
        return message.get_body(preferencelist=("plain",)).get_content()

    def html(self, message) -> str:
        return message.get_body(preferencelist=("html",)).get_content()

    def link(self, message, pattern=r"https?://\S+/accounts/confirm-email/\S+/") -> str:
        return re.search(pattern, self.text(message)).group(0)


class SMTPServer:
    def __init__(self, port: int):
        self.inbox = Inbox()
        self.controller = Controller(self.inbox, hostname="127.0.0.1", port=port)

    def start(self):
        self.controller.start()

    def stop(self):
        self.controller.stop()


def run_worker():
    """Run every task that is due, as the worker service does, then return."""
    call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)

"""A real SMTP server for tests (aiosmtpd on 127.0.0.1, a free port), registered as a pytest
plugin in tests/conftest.py. Messages are parsed as they arrive, so tests read decoded
subjects and bodies exactly as a mail client would.

Fixtures:
- `smtp_server`: the running server (`.port`, `.messages`, `.wait_for(n)`, `.refuse_next(n)`).
- `smtp_settings`: points Django's SMTP backend at it.
- `closed_smtp_port`: a port nobody listens on, so connecting is refused.
"""

import asyncio
import email
import socket
import threading
import time
from email.message import EmailMessage
from email.policy import default as default_policy

import pytest
from aiosmtpd.controller import Controller

HOST = "127.0.0.1"


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


class Mailbox:
    """aiosmtpd handler that keeps every accepted message; can refuse the next ones with
    a temporary error, as a busy relay does."""

    def __init__(self) -> None:
        self.messages: list[EmailMessage] = []
        self.envelopes: list[tuple[str, list[str]]] = []
        self.refusals = 0
        self.refused = 0
        # While `gate` is set, DATA waits until it opens (a slow relay); `in_data` tells a
        # test that a client is inside the SMTP exchange.
        self.gate: threading.Event | None = None
        self.in_data = threading.Event()
        self._arrived = threading.Condition()

    async def handle_DATA(self, server, session, envelope) -> str:
        self.in_data.set()
        if self.gate is not None:
            await asyncio.get_running_loop().run_in_executor(None, self.gate.wait, 30)
        if self.refusals:
            self.refusals -= 1
            self.refused += 1
            return "451 4.3.0 Mail server temporarily rejected message"
        message = email.message_from_bytes(envelope.original_content, policy=default_policy)
        with self._arrived:
            self.messages.append(message)
            self.envelopes.append((envelope.mail_from, list(envelope.rcpt_tos)))
            self._arrived.notify_all()
        return "250 Message accepted for delivery"

    def wait_for(self, count: int, timeout: float) -> list[EmailMessage]:
        """Block until `count` messages arrived or `timeout` seconds passed."""
        deadline = time.monotonic() + timeout
        with self._arrived:
            while len(self.messages) < count:
                left = deadline - time.monotonic()
                if left <= 0:
                    break
                self._arrived.wait(left)
            return list(self.messages)


class SMTPServer:
    def __init__(self) -> None:
        self.host = HOST
        self.port = free_port()
        self.mailbox = Mailbox()
        self._controller = Controller(self.mailbox, hostname=self.host, port=self.port)

    @property
    def messages(self) -> list[EmailMessage]:
        return list(self.mailbox.messages)

    def wait_for(self, count: int, timeout: float = 10) -> list[EmailMessage]:
        return self.mailbox.wait_for(count, timeout)

    def refuse_next(self, count: int) -> None:
        self.mailbox.refusals = count

    def hold_data(self) -> threading.Event:
        """Keep clients waiting in DATA until the returned event is set."""
        self.mailbox.gate = threading.Event()
        return self.mailbox.gate

    def start(self) -> None:
        self._controller.start()

    def stop(self) -> None:
        self._controller.stop()


@pytest.fixture
def smtp_server():
    server = SMTPServer()
    server.start()
    yield server
    server.stop()


@pytest.fixture
def smtp_settings(settings, smtp_server):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = smtp_server.host
    settings.EMAIL_PORT = smtp_server.port
    settings.EMAIL_HOST_USER = ""
    settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_USE_SSL = False
    settings.EMAIL_TIMEOUT = 10
    return smtp_server


@pytest.fixture
def closed_smtp_port(settings) -> int:
    """Point Django's SMTP backend at a port with no listener: connecting is refused."""
    port = free_port()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = HOST
    settings.EMAIL_PORT = port
    settings.EMAIL_TIMEOUT = 5
    return port

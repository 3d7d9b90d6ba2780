"""A real SMTP server on loopback (aiosmtpd) that keeps every message it accepts."""

import email
import email.policy
import logging
import re
import socket
import threading
from contextlib import contextmanager

import pytest
from aiosmtpd.controller import Controller
from django.test import override_settings


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Sink:
    """An aiosmtpd handler: accepts everything, except addresses told to refuse with a given reply."""

    def __init__(self):
        self.envelopes = []
        self.refuse = {}  # address -> "451 …" or "550 …"
        self._lock = threading.Lock()

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        reply = self.refuse.get(address.lower())
        if reply:
            return reply
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        with self._lock:
            self.envelopes.append(envelope)
        return "250 Message accepted for delivery"

    def messages(self, to=None):
        """Parsed messages, optionally only those for one address."""
        with self._lock:
            envelopes = list(self.envelopes)
        found = []
        for envelope in envelopes:
            if to is None or to.lower() in [r.lower() for r in envelope.rcpt_tos]:
                found.append(email.message_from_bytes(envelope.content, policy=email.policy.default))
        return found

    def clear(self):
        with self._lock:
            self.envelopes.clear()


@contextmanager
def smtp_server():
    """A real SMTP server on a free loopback port: ``(sink, port)``, stopped on leaving."""
    logging.getLogger("mail.log").setLevel(logging.WARNING)  # aiosmtpd logs every SMTP command at INFO
    sink = Sink()
    port = free_port()
    controller = Controller(sink, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield sink, port
    finally:
        controller.stop()


@pytest.fixture
def smtp_sink():
    with smtp_server() as (sink, port):
        with override_settings(
            EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
            EMAIL_HOST="127.0.0.1",
            EMAIL_PORT=port,
            EMAIL_HOST_USER="",
            EMAIL_HOST_PASSWORD="",
            EMAIL_USE_TLS=False,
            EMAIL_USE_SSL=False,
            EMAIL_TIMEOUT=10,
        ):
            yield sink


def parts(message):
    """(plain text, html) of a multipart/alternative message."""
    text = message.get_body(preferencelist=("plain",))
    html = message.get_body(preferencelist=("html",))
    return (text.get_content() if text else ""), (html.get_content() if html else "")


def link_in(message, kind):
    """The site path of the first /newsletter/<kind>/<token>/ link in the plain-text part."""
    text, _ = parts(message)
    match = re.search(rf"https?://[^/\s]+(/newsletter/{kind}/[^/\s]+/)", text)
    assert match, f"no {kind} link in:\n{text}"
    return match.group(1)


@pytest.fixture
def subscribe(client):
    """Post the newsletter box as a browser on this site does."""

    def post(email_address="reader@example.org", lists=("daily",), name="", **extra):
        data = {"email": email_address, "name": name, "lists": list(lists), "website": ""}
        data.update(extra.pop("data", {}))
        extra.setdefault("HTTP_ORIGIN", "http://testserver")
        return client.post("/newsletter/", data, **extra)

    return post


@pytest.fixture
def make_subscriber(db):
    from khabar.newsletter.models import Subscriber

    def make(email_address="active@example.org", status="active", **fields):
        fields.setdefault("daily", True)
        return Subscriber.objects.create(email=email_address, status=status, **fields)

    return make


@pytest.fixture(autouse=True)
def fresh_rate_limits():
    """Rate-limit counters live in the cache, which outlives a test."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()

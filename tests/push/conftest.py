"""A push service on 127.0.0.1 that records what khabar sends it, and browsers' subscription keys.

The service plays the part of Mozilla's or Google's: it takes the POST khabar's worker makes to a
subscription's endpoint. A test browser holds the private key a real browser would, so the test can
check the VAPID signature and decrypt the payload exactly as the reader's device does.
"""

import base64
import json
import os
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import http_ece
import pytest
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature


def b64url(raw):
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode("ascii")


def b64url_decode(text):
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


@dataclass
class Delivery:
    path: str
    headers: dict
    body: bytes


@dataclass
class PushService:
    port: int = 0
    received: list = field(default_factory=list)
    answers: dict = field(default_factory=dict)  # path -> HTTP status; 201 for the rest
    delay: float = 0.0  # seconds before each answer, as a distant push service takes

    def endpoint(self, name):
        return f"http://127.0.0.1:{self.port}/push/{name}"

    def to(self, name):
        """The deliveries made to the subscription called ``name``."""
        return [delivery for delivery in self.received if delivery.path == f"/push/{name}"]


@pytest.fixture
def push_service():
    service = PushService()
    lock = threading.Lock()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            time.sleep(service.delay)
            with lock:
                service.received.append(Delivery(self.path, {k.lower(): v for k, v in self.headers.items()}, body))
            self.send_response(service.answers.get(self.path, 201))
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    service.port = server.server_address[1]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield service
    server.shutdown()
    server.server_close()


class TestBrowser:
    """A subscriber's device: its own P-256 key pair and auth secret, as PushManager.subscribe() makes them."""

    __test__ = False

    def __init__(self, name):
        self.name = name
        self.private_key = ec.generate_private_key(ec.SECP256R1())
        self.auth = os.urandom(16)

    @property
    def p256dh(self):
        return b64url(self.private_key.public_key().public_bytes(
            serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint))

    def subscription_json(self, endpoint):
        keys = {"p256dh": self.p256dh, "auth": b64url(self.auth)}
        return {"endpoint": endpoint, "expirationTime": None, "keys": keys}

    def decrypt(self, body):
        """The payload as the browser reads it (RFC 8291, aes128gcm)."""
        plain = http_ece.decrypt(body, private_key=self.private_key, auth_secret=self.auth, version="aes128gcm")
        return json.loads(plain)


@pytest.fixture
def make_browser():
    return TestBrowser


@pytest.fixture
def subscribe_browser(push_service):
    """``subscribe_browser(name)``: a browser subscribed straight in the database to the local push service.

    The subscribe view accepts https endpoints on public host names only; this local service is
    plain http on 127.0.0.1, so its rows are written here (the view has its own tests).
    """
    from khabar.push.models import Subscription

    def subscribe(name):
        browser = TestBrowser(name)
        data = browser.subscription_json(push_service.endpoint(name))
        Subscription.objects.create(endpoint=data["endpoint"], p256dh=data["keys"]["p256dh"], auth=data["keys"]["auth"])
        return browser

    return subscribe


def verify_vapid(authorization, public_key):
    """The JWT claims, after checking the ES256 signature against ``public_key`` (base64url point)."""
    scheme, _, params = authorization.partition(" ")
    assert scheme == "vapid"
    parts = dict(param.strip().split("=", 1) for param in params.split(","))
    assert parts["k"] == public_key
    header, claims, signature = parts["t"].split(".")
    assert json.loads(b64url_decode(header)) == {"typ": "JWT", "alg": "ES256"}
    raw = b64url_decode(signature)
    key = ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), b64url_decode(public_key))
    der = encode_dss_signature(int.from_bytes(raw[:32], "big"), int.from_bytes(raw[32:], "big"))
    key.verify(der, f"{header}.{claims}".encode("ascii"), ec.ECDSA(hashes.SHA256()))  # raises when forged
    return json.loads(b64url_decode(claims))

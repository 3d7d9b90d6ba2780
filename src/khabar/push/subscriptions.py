"""Reading a browser's PushSubscription JSON: only a well-formed one is stored, and nothing else with it.

The endpoint is a URL our worker will POST to, so it is held to what real push services use
(https, a host name, the default port) and a server on the site's own network cannot be named.
"""

import base64
import binascii
import ipaddress
from dataclasses import dataclass
from urllib.parse import urlsplit

from cryptography.hazmat.primitives.asymmetric import ec
from django.db import IntegrityError, transaction

from khabar.push.models import MAX_ENDPOINT_LENGTH, Subscription

BAD_ENDPOINT = "عنوان خدمة التنبيهات غير صالح. أعد المحاولة من زر التنبيهات في الموقع."
BAD_KEYS = "مفاتيح الاشتراك غير صالحة. أعد المحاولة من زر التنبيهات في الموقع."
BAD_SHAPE = "بيانات الاشتراك غير مكتملة. أعد المحاولة من زر التنبيهات في الموقع."
# Names that reach the site's own machines or network, never a public push service.
PRIVATE_SUFFIXES = (".localhost", ".local", ".internal", ".lan", ".home.arpa")


class InvalidSubscription(ValueError):
    """The JSON is not a usable push subscription; ``str()`` is the Arabic message for the reader."""


@dataclass(frozen=True)
class PushSubscriptionData:
    endpoint: str
    p256dh: str
    auth: str


def _decode(value):
    if not isinstance(value, str) or len(value) > 200:
        raise InvalidSubscription(BAD_KEYS)
    try:
        return base64.urlsafe_b64decode(value + "=" * (-len(value) % 4))
    except (binascii.Error, ValueError) as error:
        raise InvalidSubscription(BAD_KEYS) from error


def clean_endpoint(endpoint):
    """The endpoint if it is an https URL on a public host name at the default port; else InvalidSubscription."""
    if not isinstance(endpoint, str) or not endpoint or len(endpoint) > MAX_ENDPOINT_LENGTH:
        raise InvalidSubscription(BAD_ENDPOINT)
    if not endpoint.isascii() or any(ch.isspace() or ord(ch) < 32 for ch in endpoint):
        raise InvalidSubscription(BAD_ENDPOINT)
    try:
        parts = urlsplit(endpoint)
        port = parts.port
    except ValueError as error:
        raise InvalidSubscription(BAD_ENDPOINT) from error
    host = (parts.hostname or "").rstrip(".")
    if parts.scheme != "https" or not host or "@" in parts.netloc or port not in (None, 443):
        raise InvalidSubscription(BAD_ENDPOINT)
    try:
        ipaddress.ip_address(host)
    except ValueError:
        pass
    else:
        raise InvalidSubscription(BAD_ENDPOINT)  # push services are named; an address is someone's machine
    if "." not in host or host == "localhost" or host.endswith(PRIVATE_SUFFIXES):
        raise InvalidSubscription(BAD_ENDPOINT)
    return endpoint


def parse(data):
    """A PushSubscriptionData from the browser's ``subscription.toJSON()``; InvalidSubscription otherwise."""
    if not isinstance(data, dict) or not isinstance(data.get("keys"), dict):
        raise InvalidSubscription(BAD_SHAPE)
    endpoint = clean_endpoint(data.get("endpoint"))
    p256dh, auth = data["keys"].get("p256dh"), data["keys"].get("auth")
    point = _decode(p256dh)
    if len(point) != 65 or point[0] != 4 or len(_decode(auth)) != 16:
        raise InvalidSubscription(BAD_KEYS)
    try:
        ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), point)  # on the curve, or no one can read it
    except ValueError as error:
        raise InvalidSubscription(BAD_KEYS) from error
    return PushSubscriptionData(endpoint=endpoint, p256dh=p256dh.rstrip("="), auth=auth.rstrip("="))


def save(subscription):
    """Store (or refresh the keys of) one subscription; returns the row."""
    defaults = {"p256dh": subscription.p256dh, "auth": subscription.auth}
    try:
        with transaction.atomic():
            row, _ = Subscription.objects.update_or_create(endpoint=subscription.endpoint, defaults=defaults)
    except IntegrityError:  # the same browser's request raced this one and created the row first
        row, _ = Subscription.objects.update_or_create(endpoint=subscription.endpoint, defaults=defaults)
    return row


def remove(endpoint):
    """Forget the subscription at ``endpoint``; how many rows went (0 when it was unknown)."""
    if not isinstance(endpoint, str) or len(endpoint) > MAX_ENDPOINT_LENGTH:
        return 0
    deleted, _ = Subscription.objects.filter(endpoint=endpoint).delete()
    return deleted

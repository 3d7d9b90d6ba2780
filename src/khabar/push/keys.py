"""The site's VAPID identity: the key that signs every push, and the contact push services see."""

import base64
from email.utils import parseaddr

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import IntegrityError, transaction
from py_vapid import Vapid

from khabar.push.models import VapidKey

STORED_KEY_ID = 1


def b64url(raw):
    """Unpadded base64url, the encoding of every key in the Push API."""
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode("ascii")


def new_private_key():
    """A fresh P-256 private key as base64url of its 32 raw bytes."""
    key = ec.generate_private_key(ec.SECP256R1())
    return b64url(key.private_numbers().private_value.to_bytes(32, "big"))


def _stored_private_key():
    found = VapidKey.objects.filter(pk=STORED_KEY_ID).values_list("private_key", flat=True).first()
    if found:
        return found
    try:
        with transaction.atomic():
            VapidKey.objects.create(pk=STORED_KEY_ID, private_key=new_private_key())
    except IntegrityError:
        pass  # another process made it first: everyone uses that one
    return VapidKey.objects.values_list("private_key", flat=True).get(pk=STORED_KEY_ID)


def signer():
    """A py_vapid signer for the site's key: KHABAR_VAPID_PRIVATE_KEY, else the one kept in the database."""
    configured = settings.KHABAR_VAPID_PRIVATE_KEY.strip()
    if not configured:
        return Vapid.from_raw(_stored_private_key().encode("ascii"))
    try:
        if "-----BEGIN" in configured:
            return Vapid.from_pem(configured.encode("ascii"))
        return Vapid.from_string(configured)
    except Exception as error:  # noqa: BLE001 - py_vapid raises whatever its decoders raise
        raise ImproperlyConfigured(
            "KHABAR_VAPID_PRIVATE_KEY is neither a base64url P-256 private key nor a PEM one"
        ) from error


def application_server_key(vapid=None):
    """The public key browsers subscribe with (base64url of the uncompressed point)."""
    public = (vapid or signer()).public_key.public_bytes(
        serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
    )
    return b64url(public)


def subject():
    """Who push services contact about our pushes: KHABAR_VAPID_SUBJECT or mailto: the sender address."""
    if settings.KHABAR_VAPID_SUBJECT:
        return settings.KHABAR_VAPID_SUBJECT
    return "mailto:" + (parseaddr(settings.DEFAULT_FROM_EMAIL)[1] or "news@localhost")

"""Signed links: confirm a sign-up, leave in one click, change lists.

Each purpose signs with its own salt, so a token made for one can never be used
for another. Tokens name the subscriber by id and a fingerprint of the address,
so a link stays bound to its mailbox even if an id is reused after a deletion.
Rotating ``KHABAR_SECRET_KEY`` invalidates every link in mail already sent; keep
the old key in ``SECRET_KEY_FALLBACKS`` for a while.
"""

import hashlib
from datetime import timedelta

from django.conf import settings
from django.core import signing

from khabar.newsletter.models import LISTS, Subscriber

CONFIRM_SALT = "khabar.newsletter.confirm"
UNSUBSCRIBE_SALT = "khabar.newsletter.unsubscribe"
PREFERENCES_SALT = "khabar.newsletter.preferences"


class BadLink(Exception):
    """A link that was altered, expired, or points at a subscriber who is gone."""

    def __init__(self, expired=False):
        super().__init__("expired" if expired else "invalid")
        self.expired = expired


def _fingerprint(email):
    return hashlib.sha256(email.encode()).hexdigest()[:12]


def confirmation_token(subscriber, lists, name=""):
    """A link for one sign-up request: which lists and name to apply once the owner confirms."""
    payload = {"s": subscriber.pk, "f": _fingerprint(subscriber.email), "l": list(lists), "n": name}
    return signing.dumps(payload, salt=CONFIRM_SALT, compress=True)


def read_confirmation(token):
    """(subscriber, lists, name) from a confirmation token; BadLink when tampered or expired."""
    max_age = timedelta(hours=settings.KHABAR_NEWSLETTER_CONFIRM_HOURS)
    try:
        payload = signing.loads(token, salt=CONFIRM_SALT, max_age=max_age)
    except signing.SignatureExpired:
        raise BadLink(expired=True) from None
    except (signing.BadSignature, ValueError):
        raise BadLink() from None
    if not isinstance(payload, dict):  # signed by us, but not a shape this code makes (an older format)
        raise BadLink()
    subscriber = _subscriber(payload.get("s"), payload.get("f"))
    lists = payload.get("l")
    lists = [name for name in lists if isinstance(name, str) and name in LISTS] if isinstance(lists, list) else []
    return subscriber, lists, str(payload.get("n", ""))


def _signer(salt):
    return signing.Signer(salt=salt)


def unsubscribe_token(subscriber):
    """Never expires: it sits in the List-Unsubscribe header of mail kept for years."""
    return _signer(UNSUBSCRIBE_SALT).sign(f"{subscriber.pk}.{_fingerprint(subscriber.email)}")


def preferences_token(subscriber):
    return _signer(PREFERENCES_SALT).sign(f"{subscriber.pk}.{_fingerprint(subscriber.email)}")


def read_unsubscribe(token):
    return _read_subscriber_token(token, UNSUBSCRIBE_SALT)


def read_preferences(token):
    return _read_subscriber_token(token, PREFERENCES_SALT)


def _read_subscriber_token(token, salt):
    try:
        value = _signer(salt).unsign(token)
        pk, fingerprint = value.split(".", 1)
    except (signing.BadSignature, ValueError):
        raise BadLink() from None
    return _subscriber(pk, fingerprint)


def _subscriber(pk, fingerprint):
    try:
        subscriber = Subscriber.objects.get(pk=int(pk))
    except (Subscriber.DoesNotExist, TypeError, ValueError, OverflowError):
        raise BadLink() from None
    if _fingerprint(subscriber.email) != fingerprint:
        raise BadLink()
    return subscriber

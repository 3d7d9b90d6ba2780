"""Rate limits kept in Django's default cache, which every web process and worker share.

Two shapes, both atomic in every cache backend Django ships and in Redis:

* ``one_per``: a gate, one attempt per N seconds (``cache.add`` succeeds for one
  of two racing requests only);
* ``at_most``: a counter, at most N attempts per window (``add`` then ``incr``).

An identity is whatever names the reader (an IP address, an e-mail address); it
is hashed with ``keyed_hash`` before it goes into a key, so the cache never
holds a raw address. Empty identities are skipped.

Both fail closed: when the cache cannot count (Redis stopped, a diskcache
timeout that makes ``incr`` return None), the attempt is refused with
``UNAVAILABLE`` and HTTP 503, never let through uncounted.
"""

import logging
from dataclasses import dataclass

from django.core.cache import cache

from khabar.identity.address import keyed_hash

logger = logging.getLogger(__name__)

PREFIX = "khabar:limit"
KEY_PURPOSE = "khabar.identity.limits"
UNAVAILABLE = "تعذّر علينا قبول طلبك في هذه اللحظة لعطل مؤقت. حاول مرة أخرى بعد قليل."
UNAVAILABLE_SECONDS = 30


@dataclass(frozen=True)
class Refusal:
    """A request turned away: what to tell the reader, the seconds for the Retry-After header, the status."""

    message: str
    retry_after: int
    status: int = 429


class CacheDown(Exception):
    """The shared cache did not count the attempt."""


def _unavailable(error):
    logger.warning("rate limit: the shared cache did not answer (%r); the request is refused", error)
    return Refusal(UNAVAILABLE, UNAVAILABLE_SECONDS, 503)


def limit_key(scope, kind, identity):
    """The cache key for one identity under one limit: the identity appears only as a keyed hash."""
    return f"{PREFIX}:{scope}:{kind}:{keyed_hash(identity, KEY_PURPOSE)}"


def one_per(scope, identities, seconds, message):
    """Let each identity through once per ``seconds``; a Refusal when one of them came sooner.

    ``seconds`` of 0 or less turns the gate off.
    """
    if seconds <= 0:
        return None
    for identity in filter(None, identities):
        try:
            opened = cache.add(limit_key(scope, "gate", identity), 1, timeout=seconds)
        except Exception as error:  # noqa: BLE001 - any cache failure (Redis down, disk) refuses
            return _unavailable(error)
        if not opened:  # taken already (or a diskcache timeout, which reports False: closed either way)
            return Refusal(message, seconds)
    return None


def at_most(scope, identities, most, window_seconds, message):
    """Count one attempt for each identity; a Refusal when one has made more than ``most`` in the window.

    The window starts at an identity's first attempt. ``most`` of 0 or less turns the limit off.
    """
    if most <= 0:
        return None
    for identity in filter(None, identities):
        try:
            count = _count(limit_key(scope, "count", identity), window_seconds)
        except Exception as error:  # noqa: BLE001 - any cache failure (Redis down, disk) refuses
            return _unavailable(error)
        if count > most:
            return Refusal(message, window_seconds)
    return None


def _count(key, window_seconds):
    cache.add(key, 0, window_seconds)
    try:
        count = cache.incr(key)
    except ValueError:  # the key expired between add and incr
        cache.set(key, 1, window_seconds)
        return 1
    if count is None:  # diskcache's answer to a timeout: nothing was counted
        raise CacheDown("incr returned None")
    return count

"""Where cached pages are kept: the shared ``pages`` cache, and a per-process copy of the hottest.

The shared cache is the truth every process sees (files in the embedded mode,
Redis at scale). The local copy only saves the trip to it: the caller checks a
copy's generations against the shared ones before serving it, so the copy can
never outlive a purge.
"""

import hashlib
import logging
import threading
from collections import OrderedDict
from dataclasses import dataclass

from django.core.cache import caches

logger = logging.getLogger(__name__)

KEY_PREFIX = "khabar:page:"
LOCK_PREFIX = "khabar:page-lock:"


class Unavailable(Exception):
    """The shared cache did not answer a look-up (Redis stopped): the caller renders instead."""


@dataclass(frozen=True, slots=True)
class Entry:
    status: str  # "200 OK"
    headers: tuple  # ((name, value), …) as the WSGI server receives them
    body: bytes
    etag: str
    generations: tuple
    expires_at: float  # time.time() after which the entry is stale whatever the generations say

    def is_fresh(self, generations, now):
        return self.generations == generations and now < self.expires_at


class LocalCopies:
    """A byte-bounded least-recently-used map of entries, private to this process."""

    def __init__(self, max_bytes):
        self.max_bytes = max_bytes
        self._items = OrderedDict()
        self._bytes = 0
        self._lock = threading.Lock()

    def get(self, key):
        with self._lock:
            entry = self._items.get(key)
            if entry is not None:
                self._items.move_to_end(key)
            return entry

    def put(self, key, entry):
        size = len(entry.body)
        if size > self.max_bytes:
            return
        with self._lock:
            old = self._items.pop(key, None)
            if old is not None:
                self._bytes -= len(old.body)
            self._items[key] = entry
            self._bytes += size
            while self._bytes > self.max_bytes:
                _, dropped = self._items.popitem(last=False)
                self._bytes -= len(dropped.body)


def _hashed(key):
    # Request keys may be long or hold any character; cache backends want short, safe keys.
    return hashlib.blake2b(key.encode("utf-8", "surrogatepass"), digest_size=16).hexdigest()


class PageStore:
    def __init__(self, alias, local_bytes):
        self.alias = alias
        self.local = LocalCopies(local_bytes)

    @property
    def shared(self):
        return caches[self.alias]

    @staticmethod
    def guarded(call, *args, **kwargs):
        """``call(*args, **kwargs)``, any failure of the cache behind it raised as ``Unavailable``."""
        try:
            return call(*args, **kwargs)
        except Exception as error:  # noqa: BLE001 - each backend fails its own way (redis, sqlite, OSError)
            raise Unavailable(repr(error)) from error

    def get(self, key, generations, now):
        """The entry for ``key``: a fresh local copy, else whatever the shared cache holds (maybe stale)."""
        entry = self.local.get(key)
        if entry is not None and entry.is_fresh(generations, now):
            return entry
        entry = self.get_shared(key)
        if entry is not None and entry.is_fresh(generations, now):
            self.local.put(key, entry)
        return entry

    def get_shared(self, key):
        return self.guarded(self.shared.get, KEY_PREFIX + _hashed(key))

    def put(self, key, entry, timeout):
        """Store a rendered page; a cache that fails now only costs the next reader a render."""
        try:
            self.shared.set(KEY_PREFIX + _hashed(key), entry, timeout=timeout)
        except Exception as error:  # noqa: BLE001
            logger.warning("page cache: could not store a page (%r)", error)
            return
        self.local.put(key, entry)

    def claim(self, key, seconds):
        """True for the one request that may render ``key`` now; the others wait or serve stale."""
        return self.guarded(self.shared.add, LOCK_PREFIX + _hashed(key), 1, timeout=seconds)

    def release(self, key):
        try:
            self.shared.delete(LOCK_PREFIX + _hashed(key))
        except Exception as error:  # noqa: BLE001 - the lock expires by itself (render_lock_seconds)
            logger.warning("page cache: could not release a render lock (%r)", error)

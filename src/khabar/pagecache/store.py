"""Where cached pages are kept: the shared ``pages`` cache, and a per-process copy of the hottest.

The shared cache is the truth every process sees (files in the embedded mode,
Redis at scale). The local copy only saves the trip to it: the caller checks a
copy's generations against the shared ones before serving it, so the copy can
never outlive a purge.
"""

import hashlib
import threading
from collections import OrderedDict
from dataclasses import dataclass

from django.core.cache import caches

KEY_PREFIX = "khabar:page:"
LOCK_PREFIX = "khabar:page-lock:"


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

    def get(self, key, generations, now):
        """The entry for ``key``: a fresh local copy, else whatever the shared cache holds (maybe stale)."""
        entry = self.local.get(key)
        if entry is not None and entry.is_fresh(generations, now):
            return entry
        entry = self.shared.get(KEY_PREFIX + _hashed(key))
        if entry is not None and entry.is_fresh(generations, now):
            self.local.put(key, entry)
        return entry

    def get_shared(self, key):
        return self.shared.get(KEY_PREFIX + _hashed(key))

    def put(self, key, entry, timeout):
        self.shared.set(KEY_PREFIX + _hashed(key), entry, timeout=timeout)
        self.local.put(key, entry)

    def claim(self, key, seconds):
        """True for the one request that may render ``key`` now; the others wait or serve stale."""
        return self.shared.add(LOCK_PREFIX + _hashed(key), 1, timeout=seconds)

    def release(self, key):
        self.shared.delete(LOCK_PREFIX + _hashed(key))

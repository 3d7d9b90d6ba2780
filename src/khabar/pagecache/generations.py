"""Generation counters: how a purge in one process reaches every other process at once.

A cached entry records the generations current when its render began. It is
fresh only while both still hold: the site-wide one (any publish changes what
lists, the ticker and related articles show) and the one of its path's slot
(a comment approved on one article). Paths share 4,096 slots by hash, so a
purge of one path may purge a few others too, never too few.

Two stores, one behaviour:

* ``FileGenerations`` (the embedded mode): a small memory-mapped file in the data
  folder that every process on the machine maps. Reading is a memory load.
* ``CacheGenerations`` (several machines): the counters are keys in the shared
  Redis cache, read in one round trip.

A bump writes a value never used before (at least the old one plus one, and the
clock in nanoseconds), so two processes bumping at once both invalidate.
"""

import mmap
import os
import struct
import time
import zlib
from pathlib import Path

SLOTS = 4096
_WORD = struct.Struct("<Q")


def slot_of(path):
    """The counter slot of a URL path; stable across processes (unlike ``hash``)."""
    return zlib.crc32(path.encode("utf-8", "surrogatepass")) % SLOTS


def _next_value(old):
    return max(old + 1, time.time_ns())


class FileGenerations:
    """Counters in a memory-mapped file shared by the processes of one machine."""

    def __init__(self, path):
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        size = (SLOTS + 1) * _WORD.size
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            if os.fstat(fd).st_size < size:
                os.ftruncate(fd, size)  # new bytes read as zero; no other process has written there yet
            self._map = mmap.mmap(fd, size)
        finally:
            os.close(fd)

    def current(self, path):
        return (_WORD.unpack_from(self._map, 0)[0], _WORD.unpack_from(self._map, (1 + slot_of(path)) * _WORD.size)[0])

    def site_wide(self):
        return _WORD.unpack_from(self._map, 0)[0]

    def _bump(self, offset):
        _WORD.pack_into(self._map, offset, _next_value(_WORD.unpack_from(self._map, offset)[0]))

    def bump_all(self):
        self._bump(0)

    def bump(self, path):
        self._bump((1 + slot_of(path)) * _WORD.size)


class CacheGenerations:
    """Counters kept in a cache every machine shares (Redis), never expiring."""

    PREFIX = "khabar:pagecache:gen:"

    def __init__(self, cache):
        self.cache = cache

    def _keys(self, path):
        return self.PREFIX + "all", f"{self.PREFIX}{slot_of(path)}"

    def current(self, path):
        keys = self._keys(path)
        found = self.cache.get_many(keys)
        missing = [key for key in keys if key not in found]
        for key in missing:
            # A counter the cache lost must come back with a value never seen, or entries
            # stored before the loss could turn fresh again.
            self.cache.add(key, time.time_ns(), timeout=None)
        if missing:
            found = self.cache.get_many(keys)
        return tuple(found.get(key, 0) for key in keys)

    def site_wide(self):
        return self.current("/")[0]

    def _bump(self, key):
        self.cache.set(key, _next_value(self.cache.get(key) or 0), timeout=None)

    def bump_all(self):
        self._bump(self.PREFIX + "all")

    def bump(self, path):
        self._bump(self._keys(path)[1])

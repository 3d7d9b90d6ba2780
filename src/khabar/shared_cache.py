"""The shared cache's backends: diskcache (the embedded mode) and Redis (at scale), each made to fail well.

DiskCache: diskcache's Django backend, with its connections kept open.

Django closes every cache at the end of each request. Redis keeps a pool; diskcache
would close its SQLite connections and reopen them on the next request, which cost
more than rendering a cached page. Its connections are per thread and safe to keep.

Writes give up after DATABASE_TIMEOUT on a locked store instead of retrying for
ever (diskcache's default), so a request never hangs on the cache: ``set`` and
``delete`` then do nothing (a cache may forget), ``add`` answers False and
``incr`` None, which the rate limits treat as a refusal (``khabar.identity.limits``
fails closed).

RedisCache: see its docstring; what a stopped Redis does to each operation.
"""

import logging
import time

from diskcache import DjangoCache
from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache as DjangoRedisCache

logger = logging.getLogger(__name__)
_warned_at = 0.0  # Redis being down is logged once every WARN_EVERY seconds per process, not per request
WARN_EVERY = 10


class DiskCache(DjangoCache):
    def close(self, **kwargs):
        """Keep the per-thread SQLite connections for the next request (see the module docstring)."""

    # Writes wait at most DATABASE_TIMEOUT (see the module docstring), instead of diskcache's retry=True.
    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None, read=False, tag=None, retry=False):
        return super().add(key, value, timeout, version, read, tag, retry)

    def incr(self, key, delta=1, version=None, default=None, retry=False):
        return super().incr(key, delta, version, default, retry)

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None, read=False, tag=None, retry=False):
        return super().set(key, value, timeout, version, read, tag, retry)

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None, retry=False):
        return super().touch(key, timeout, version, retry)

    def delete(self, key, version=None, retry=False):
        return super().delete(key, version, retry)


class RedisCache(DjangoRedisCache):
    """Django's Redis cache, for when Redis stops: reads miss and writes are dropped, so pages are still
    served (by rendering; Wagtail's own cached look-ups are recomputed). ``add``, ``incr`` and ``decr``,
    the atomic operations that rate limits and render locks count on, still raise: those fail closed
    (``khabar.identity.limits``) or render without the lock (``khabar.pagecache``).
    """

    def _down(self, error, operation):
        global _warned_at
        if time.monotonic() - _warned_at >= WARN_EVERY:
            _warned_at = time.monotonic()
            logger.warning("shared cache: Redis did not answer %s (%s); going on without it", operation, error)

    def get(self, key, default=None, version=None):
        try:
            return super().get(key, default, version)
        except _unreachable() as error:
            self._down(error, "a read")
            return default

    def get_many(self, keys, version=None):
        try:
            return super().get_many(keys, version)
        except _unreachable() as error:
            self._down(error, "a read")
            return {}

    def has_key(self, key, version=None):
        try:
            return super().has_key(key, version)
        except _unreachable() as error:
            self._down(error, "a read")
            return False

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        try:
            return super().set(key, value, timeout, version)
        except _unreachable() as error:
            self._down(error, "a write")

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        try:
            return super().set_many(data, timeout, version)
        except _unreachable() as error:
            self._down(error, "a write")
            return list(data)

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        try:
            return super().touch(key, timeout, version)
        except _unreachable() as error:
            self._down(error, "a write")
            return False

    def delete(self, key, version=None):
        try:
            return super().delete(key, version)
        except _unreachable() as error:
            self._down(error, "a delete")
            return False

    def delete_many(self, keys, version=None):
        try:
            return super().delete_many(keys, version)
        except _unreachable() as error:
            self._down(error, "a delete")


def _unreachable():
    """The exceptions that mean "Redis is not there" (stopped, unreachable, too slow), not a misuse."""
    import redis  # installed whenever KHABAR_REDIS_URL is set (settings.py checks)

    return (redis.exceptions.ConnectionError, redis.exceptions.TimeoutError)

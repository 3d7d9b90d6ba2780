"""Views counted in the shared cache, one counter per article and minute, until the aggregation drains them.

A hit costs a few atomic cache operations and no database write, so a story shared
on WhatsApp cannot queue thousands of SQLite writes. The shared cache (diskcache in
the embedded mode, Redis at scale) is seen alike by every web process and the worker.

The cache cannot list its keys, so each minute keeps an index beside its counters:
the first view of an article in a minute takes the next number of that minute's
index and writes the article's id under it. The aggregation reads a minute only
once it is over (``closed_minutes``), when no hit writes to it any more.
"""

import logging
import time

from django.core.cache import cache

logger = logging.getLogger(__name__)

PREFIX = "khabar:mostread"
MINUTE = 60
# Counters outlive the aggregation's look-back, so a worker stopped for up to two hours loses nothing.
KEEP_SECONDS = 3 * 3600
LOOKBACK_MINUTES = 120


def minute_of(moment):
    """The number of the minute an epoch time falls in (minutes since 1970)."""
    return int(moment // MINUTE)


def closed_minutes(now=None):
    """The minutes the aggregation may read: over for at least a whole minute, within the look-back."""
    last = minute_of(now if now is not None else time.time()) - 2
    return range(last - LOOKBACK_MINUTES + 1, last + 1)


def _views_key(minute, page_id):
    return f"{PREFIX}:views:{minute}:{page_id}"


def _index_key(minute):
    return f"{PREFIX}:index:{minute}"


def _increment(key):
    """Add one to ``key``, creating it at 1; the new value. Raises when the cache cannot count."""
    try:
        value = cache.incr(key)
    except ValueError:  # no such key yet (diskcache and Redis say so alike)
        if cache.add(key, 1, timeout=KEEP_SECONDS):
            return 1
        value = cache.incr(key)  # another request created it in between
    if value is None:  # diskcache's answer to a locked store: nothing was counted
        raise TimeoutError("the shared cache did not count")
    return value


def record_view(page_id, now=None):
    """Count one view of the article ``page_id`` in the current minute; False when the cache could not."""
    minute = minute_of(now if now is not None else time.time())
    try:
        if _increment(_views_key(minute, page_id)) == 1:  # the minute's first view of it: index the article
            position = _increment(_index_key(minute))
            cache.set(f"{_index_key(minute)}:{position}", page_id, timeout=KEEP_SECONDS)
    except Exception as error:  # noqa: BLE001 - Redis down, a locked store: a view lost, never a failed page
        logger.debug("most read: a view was not counted (%r)", error)
        return False
    return True


def read_minutes(minutes):
    """``({minute: {page_id: views}}, keys)`` for the given minutes, as the counters hold them now.

    ``keys`` are every key read, for ``forget`` once the views are safe in the database.
    """
    minutes = list(minutes)
    sizes = cache.get_many([_index_key(minute) for minute in minutes])
    slots = {
        f"{_index_key(minute)}:{position}": minute
        for minute in minutes
        for position in range(1, (sizes.get(_index_key(minute)) or 0) + 1)
    }
    pages = {key: (slots[key], page_id) for key, page_id in cache.get_many(list(slots)).items()}
    views_keys = {_views_key(minute, page_id): (minute, page_id) for minute, page_id in pages.values()}
    found = {minute: {} for minute in minutes}
    for key, views in cache.get_many(list(views_keys)).items():
        minute, page_id = views_keys[key]
        if views:
            found[minute][page_id] = int(views)
    return found, [*sizes, *slots, *views_keys]


def forget(keys):
    """Delete counters already moved to the database (they would expire after KEEP_SECONDS anyway)."""
    try:
        cache.delete_many(keys)
    except Exception as error:  # noqa: BLE001 - they expire
        logger.debug("most read: counters not deleted (%r)", error)

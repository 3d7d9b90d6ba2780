"""Pieces of pages that many pages share (menu, ticker, related articles), kept until the next site-wide purge.

A page-cache miss still renders these; keeping them makes the render after a
publish cheap. They live in the shared cache with the site-wide generation they
were built under, and as a copy in this process; either is used only while that
generation is still current, so a purge drops them with the pages.
"""

import logging
import threading
import time
from urllib.parse import unquote

from khabar.pagecache import api
from khabar.pagecache.store import PageStore, Unavailable

logger = logging.getLogger(__name__)

PREFIX = "khabar:fragment:"
_local = {}
_local_lock = threading.Lock()
MAX_LOCAL = 2048


def cached(name, build, path=None, keep=None):
    """The value of ``build()`` under ``name`` until the next site-wide purge (or purge of ``path``).

    ``build`` returns ``(value, ends)``: an epoch time after which the value must be rebuilt even
    without a purge (a breaking item's end), or None. Returns ``(value, ends)`` as built, so the
    caller can pass a real deadline on to the page (``expire_at``). With ``KHABAR_FRAGMENT_CACHE``
    off, every call builds; with the shared cache down (Redis stopped), too: pages are still served.
    ``keep(value)``, when given, says whether a built value is kept at all (not an unknown address's
    "nothing here": junk URLs must not fill the cache).
    """
    if not api.config().fragments:
        return build()
    try:
        return _cached(name, build, path, keep)
    except Unavailable as error:  # raised before build() ran
        logger.debug("fragment %s built without the shared cache (%s)", name, error)
        return build()


def _cached(name, build, path, keep=None):
    # A fragment of one page (its comments) also goes when that page alone is purged.
    generations = api.generations()
    generation = _shared(generations.current, unquote(path)) if path else _shared(generations.site_wide)
    now = time.time()
    found = _local.get(name)
    if not _usable(found, generation, now):
        found = _shared(api.store().shared.get, PREFIX + name)
        if not _usable(found, generation, now):
            value, ends = build()
            if keep is not None and not keep(value):
                return value, ends
            # Like whole pages, a fragment lives at most KHABAR_PAGE_CACHE_SECONDS (it may show
            # relative times). That cap is not a deadline of the content: it is not returned.
            fresh_until = min(ends or float("inf"), now + api.config().seconds)
            found = (generation, value, fresh_until, ends)
            try:
                api.store().shared.set(PREFIX + name, found, timeout=api.config().seconds)
            except Exception as error:  # noqa: BLE001 - built already: serve it, the next render stores it
                logger.debug("fragment %s not stored (%r)", name, error)
        with _local_lock:
            if len(_local) >= MAX_LOCAL:
                _local.clear()  # crude, but copies are cheap to fetch again from the shared cache
            _local[name] = found
    return found[1], found[3]


_shared = PageStore.guarded


def _usable(found, generation, now):
    return found is not None and len(found) == 4 and found[0] == generation and now < found[2]

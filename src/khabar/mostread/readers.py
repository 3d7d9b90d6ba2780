"""Which beacons are a person reading: not a robot, not a page loaded ahead of time, not the same reader again.

Nothing here is stored: a reader is recognised for ``REPEAT_SECONDS`` by a key in the
shared cache made of a keyed hash (``khabar.identity.address.keyed_hash``) of their
address, browser and the article, which expires on its own. The address itself is
never kept, logged or written to the database.
"""

import functools
import zlib

from crawleruseragents import is_crawler
from django.core.cache import cache

from khabar.identity.address import client_ip, keyed_hash

REPEAT_SECONDS = 30 * 60
# Readers behind one address (a household, an office) are told apart by their browser, in at most this
# many groups: a script that changes its User-Agent on every call counts this many times, no more.
BROWSER_GROUPS = 5
SEEN_PURPOSE = "khabar.mostread.seen"
# Sent by browsers that fetch a page before anyone asked for it (prefetch, prerender, link previews).
_AHEAD_HEADERS = ("HTTP_SEC_PURPOSE", "HTTP_PURPOSE", "HTTP_X_PURPOSE", "HTTP_X_MOZ")
_AHEAD_WORDS = ("prefetch", "prerender", "preview")


@functools.lru_cache(maxsize=4096)
def is_robot(user_agent):
    """True for crawlers, link previewers, scripts and headless browsers (the crawler-user-agents list), or no User-Agent."""
    return not user_agent.strip() or is_crawler(user_agent)


def is_loaded_ahead(request):
    """True when the browser says the request is a prefetch or prerender, not a reader opening the page."""
    return any(
        word in request.META.get(header, "").lower() for header in _AHEAD_HEADERS for word in _AHEAD_WORDS
    )


def is_automated(request):
    """Not a person reading now: a robot's User-Agent, or a page fetched ahead of time."""
    return is_robot(request.META.get("HTTP_USER_AGENT", "")[:512]) or is_loaded_ahead(request)


def first_view(request, page_id):
    """True the first time in ``REPEAT_SECONDS`` that this reader reads this article; False after, or when the cache fails.

    A reader is an address and one of ``BROWSER_GROUPS`` groups of browsers (by their
    User-Agent); one atomic ``cache.add`` decides, so a beacon costs one cache write here.
    """
    browsers = zlib.crc32(request.META.get("HTTP_USER_AGENT", "")[:512].encode()) % BROWSER_GROUPS
    reader = keyed_hash(f"{client_ip(request)}\n{browsers}\n{page_id}", SEEN_PURPOSE)
    try:
        return bool(cache.add(f"khabar:mostread:seen:{reader}", 1, timeout=REPEAT_SECONDS))
    except Exception:  # noqa: BLE001 - Redis down: the view goes uncounted, the reader notices nothing
        return False  # (a diskcache timeout answers False already: not counting is the safe side)

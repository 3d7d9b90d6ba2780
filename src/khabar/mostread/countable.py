"""Whether a page id names an article readers may see (live, public): only those are counted.

A beacon arrives with every article view, so the answer is kept in this process for
``REMEMBER_SECONDS``: during a spike on one story the database is asked once a
minute per process, not once per reader. An article unpublished meanwhile may
gather views for that minute; the ranking shows only articles still published.
"""

import threading
import time

from khabar.news.models import ArticlePage

REMEMBER_SECONDS = 60
MOST_REMEMBERED = 4096
_answers = {}  # page id -> (countable, until)
_lock = threading.Lock()


def parse_page_id(raw):
    """The page id a beacon sent, or None: never an error, never an out-of-range number."""
    raw = raw.strip() if isinstance(raw, str) else ""
    if raw.isascii() and raw.isdigit() and len(raw) <= 18:
        return int(raw)
    return None


def is_countable(page_id, now=None):
    """True when ``page_id`` is a published article outside any private section."""
    now = now if now is not None else time.monotonic()
    remembered = _answers.get(page_id)
    if remembered is not None and now < remembered[1]:
        return remembered[0]
    answer = ArticlePage.objects.published().filter(pk=page_id).exists()
    with _lock:
        if len(_answers) >= MOST_REMEMBERED:
            _answers.clear()  # made-up ids cannot grow it without bound; real ones come back in a query
        _answers[page_id] = (answer, now + REMEMBER_SECONDS)
    return answer


def forget_all():
    """Drop what this process remembers (tests, and after a site's database was replaced)."""
    with _lock:
        _answers.clear()

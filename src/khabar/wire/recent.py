"""The sketches of the last 48 hours' wire items and articles, kept in this process.

Reading two days of signatures from the database for every incoming item would cost more
than everything else together, so each process keeps them in a ``SketchIndex`` and, on each
call, asks the database one small question per kind: which wire items come at or after the
newest one it knows (by primary key), which page log entries come at or after the newest one it
knows (every publish, unpublish or deletion writes one). New items are filed as they come; a
vanished or reused id, or a log entry that may change what is published, makes it read its
window again, and so does the clock every few minutes (rows another process committed out of id
order). The index only proposes candidates: the caller re-reads the chosen ones.
"""

from __future__ import annotations

import heapq
import threading
import time

from django.core.cache import cache
from django.db import DEFAULT_DB_ALIAS, connections
from wagtail.models import Page, PageLogEntry

from khabar.news.models import ArticlePage

from .models import WireItem
from .sketch import Sketch, SketchIndex

ARTICLE_CACHE_SECONDS = 48 * 3600
FULL_READ_SECONDS = 300  # how often each process reads its whole window again, whatever the checks say
_LOG_STEP = 50  # this many new log entries or more since the last call: read the articles again, do not sort them


class _Prepared:
    """A one-parameter ORM query compiled to SQL once per database, then run as a raw query.

    The two questions asked on every call are tiny: building them through the ORM each time
    cost several times what the database spends answering. Rows come back as (deferred) model
    instances, with the ORM's conversions (aware datetimes, bytes) applied.
    """

    def __init__(self, make_queryset, fields):
        self._make, self._fields, self._sql = make_queryset, fields, {}

    def rows(self, value, using=DEFAULT_DB_ALIAS):
        key = (using, connections[using].vendor)
        if key not in self._sql:
            queryset = self._make(value).only(*self._fields)
            self._sql[key] = (queryset.model, queryset.query.sql_with_params()[0])
        model, sql = self._sql[key]
        return [tuple(getattr(row, name) for name in self._fields) for row in model.objects.raw(sql, [value])]


# Every wire item at or after an id, by primary key: constant cost however full the window is (with the
# time too, SQLite may walk the whole window's time index).
_ITEMS_FROM = _Prepared(lambda pk: WireItem.objects.filter(pk__gte=pk).order_by("pk"), ("pk", "received_at", "signature"))
_LOG_FROM = _Prepared(
    lambda pk: PageLogEntry.objects.filter(pk__gte=pk).order_by("pk")[: _LOG_STEP + 1],
    ("pk", "timestamp", "action", "page_id"),
)


class RecentItems:
    """Wire items received since a cutoff: those with a signature in the index, the others pending."""

    def __init__(self):
        self.lock = threading.RLock()
        self.reset()

    def reset(self):
        self.index = SketchIndex()
        self._received: dict[int, object] = {}  # every known item of the window, signed or pending
        self._pending: set[int] = set()  # known items with no signature yet (the ingest signs them next)
        self._by_age: list[tuple[object, int]] = []
        self._newest = (0, None)  # (id, received_at) of the newest row seen, in the window or not
        self._read_at = float("-inf")

    def _know(self, pk: int, received_at) -> None:
        if pk not in self._received:
            heapq.heappush(self._by_age, (received_at, pk))
        self._received[pk] = received_at
        if pk >= self._newest[0]:
            self._newest = (pk, received_at)

    def add(self, pk: int, received_at, sketch: Sketch) -> None:
        """File an item whose signature was just saved, so no call needs to read it back."""
        self._know(pk, received_at)
        self._pending.discard(pk)
        self.index.add(pk, sketch)

    def forget(self, pk: int) -> None:
        """Drop an item the database no longer has in the window (deleted, or its transaction rolled back)."""
        self._received.pop(pk, None)
        self._pending.discard(pk)
        self.index.discard(pk)

    def _file(self, rows) -> None:
        for pk, received_at, signature in rows:
            if signature:
                self.add(pk, received_at, Sketch.parse(signature))
            else:
                self._know(pk, received_at)
                self._pending.add(pk)
                self.index.discard(pk)

    def _prune(self, cutoff) -> None:
        while self._by_age and self._by_age[0][0] < cutoff:
            received_at, pk = heapq.heappop(self._by_age)
            if self._received.get(pk) == received_at:
                del self._received[pk]
                self._pending.discard(pk)
                self.index.discard(pk)

    def sync(self, cutoff) -> None:
        """Bring the index up to the database's items received since ``cutoff``."""
        self._prune(cutoff)
        waiting = set(self._pending)  # known unsigned before this call: another process may have signed them
        window = WireItem.objects.filter(received_at__gte=cutoff).order_by()
        columns = ("pk", "received_at", "signature")
        stale = time.monotonic() - self._read_at > FULL_READ_SECONDS
        if not stale:
            # One small query: the newest row known, then every row after it.
            newest_id, newest_at = self._newest
            rows = _ITEMS_FROM.rows(newest_id)
            if newest_id and (not rows or rows[0][:2] != (newest_id, newest_at)):
                stale = True  # it vanished, or a rolled-back id was reused: read everything again
            else:
                self._file(row for row in rows if row[0] > newest_id and row[1] >= cutoff)
                if rows:
                    self._newest = rows[-1][:2]
        if stale:
            # Also the periodic full read that catches rows another process committed out of id order.
            newest = WireItem.objects.order_by("-pk").values_list("pk", "received_at").first() or (0, None)
            self.reset()
            self._file(window.values_list(*columns).iterator(chunk_size=500))
            self._newest = max(self._newest, newest, key=lambda row: row[0])
            self._read_at = time.monotonic()
            return
        if waiting & self._pending:
            self._file(window.filter(pk__in=waiting & self._pending).exclude(signature=b"").values_list(*columns))


class RecentArticles:
    """Articles published since a cutoff, their signatures shared by every process through the cache."""

    def __init__(self, signature_of):
        self.lock = threading.RLock()
        self._signature_of = signature_of  # (title, body text) -> signature bytes
        self.index = SketchIndex()
        self._keys: dict[int, str] = {}
        self._read = False
        self._state = None  # (id, timestamp) of the newest page log entry when last read; None: an empty log
        self._oldest = None

    @staticmethod
    def cache_key(pk, revision_id, published_at) -> str:
        """Page id + revision (+ publication time, so a reused id in a fresh database never hits)."""
        return f"wire-dedup:article:{pk}:{revision_id}:{published_at.isoformat() if published_at else ''}"

    def sync(self, cutoff) -> None:
        """Bring the index up to the articles published since ``cutoff``.

        Every publish, unpublish, move or deletion writes a page log entry: while the entries
        written since the last call only saved drafts, nothing needs reading.
        """
        changed, newest = self._log_since(self._state) if self._read else (True, self._newest_entry())
        if not changed and (self._oldest is None or self._oldest >= cutoff):
            self._state = newest
            return
        rows = ArticlePage.objects.published().filter(first_published_at__gte=cutoff).values_list(
            "pk", "live_revision_id", "last_published_at", "first_published_at"
        )
        keys = {pk: self.cache_key(pk, revision, at) for pk, revision, at, _ in rows}
        for pk in [pk for pk in self._keys if keys.get(pk) != self._keys[pk]]:
            self.index.discard(pk)
            del self._keys[pk]
        wanted = {pk: key for pk, key in keys.items() if pk not in self._keys}
        cached = cache.get_many(list(wanted.values())) if wanted else {}
        missing = [pk for pk, key in wanted.items() if key not in cached]
        computed = {}
        for page in ArticlePage.objects.filter(pk__in=missing):
            computed[wanted[page.pk]] = self._signature_of(page.title, page.plain_text())
        if computed:
            cache.set_many(computed, ARTICLE_CACHE_SECONDS)
        cached.update(computed)
        for pk, key in wanted.items():
            if key in cached:
                self.index.add(pk, Sketch.parse(cached[key]))
                self._keys[pk] = key
        self._oldest = min((first for *_, first in rows), default=None)  # read again when it leaves the window
        self._state = newest
        self._read = True

    @staticmethod
    def _newest_entry():
        return PageLogEntry.objects.order_by("-pk").values_list("pk", "timestamp").first()

    def _log_since(self, state):
        """(whether published articles may have changed since ``state``, the newest log entry now)."""
        rows = _LOG_FROM.rows(state[0] if state else 0)
        if state is not None:
            if not rows or rows[0][:2] != tuple(state):
                return True, self._newest_entry()  # the entry seen last is gone: a fresh log
            rows = rows[1:]
        if len(rows) >= _LOG_STEP:
            return True, self._newest_entry()  # too much happened to go through it
        # Entries that leave every published article as it was: a draft saved (the live row and revision
        # stay), a page created unpublished. The ingest writes both for each draft it makes.
        created = {page_id for _, _, action, page_id in rows if action == "wagtail.create"}
        changed = any(action not in ("wagtail.edit", "wagtail.create") for _, _, action, _ in rows) or bool(
            created and Page.objects.filter(pk__in=created, live=True).exists()
        )
        return changed, rows[-1][:2] if rows else state

"""The sketches of the last 48 hours' wire items and articles, kept in this process.

Reading two days of signatures from the database for every incoming item would cost more
than everything else together, so each process keeps them in a ``SketchIndex`` and, on each
call, asks the database one constant-cost question per kind: which is the newest wire item
(by primary key), which is the newest page log entry (every publish, unpublish or deletion
writes one). New items are read by id; a vanished or reused id, or a new log entry, makes it
read its window again, and so does the clock every few minutes (rows another process committed
out of id order). The index only proposes candidates: the caller re-reads the chosen ones.
"""

from __future__ import annotations

import heapq
import threading
import time

from django.core.cache import cache
from wagtail.models import PageLogEntry

from khabar.news.models import ArticlePage

from .models import WireItem
from .sketch import Sketch, SketchIndex

ARTICLE_CACHE_SECONDS = 48 * 3600
FULL_READ_SECONDS = 300  # how often each process reads its whole window again, whatever the checks say


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
        self._max_id = 0
        self._read_at = float("-inf")

    def _know(self, pk: int, received_at) -> None:
        if pk not in self._received:
            heapq.heappush(self._by_age, (received_at, pk))
        self._received[pk] = received_at
        self._max_id = max(self._max_id, pk)

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
        pruned = False
        while self._by_age and self._by_age[0][0] < cutoff:
            received_at, pk = heapq.heappop(self._by_age)
            if self._received.get(pk) == received_at:
                del self._received[pk]
                self._pending.discard(pk)
                self.index.discard(pk)
                pruned = True
        if pruned:
            self._max_id = max(self._received, default=0)

    def sync(self, cutoff) -> None:
        """Bring the index up to the database's items received since ``cutoff``."""
        self._prune(cutoff)
        waiting = set(self._pending)  # known unsigned before this call: another process may have signed them
        window = WireItem.objects.filter(received_at__gte=cutoff).order_by()
        columns = ("pk", "received_at", "signature")
        # The newest row, found through the primary key: constant cost however full the window is.
        newest = WireItem.objects.order_by("-pk").values_list("pk", "received_at").first() or (0, None)
        stale = time.monotonic() - self._read_at > FULL_READ_SECONDS
        if stale or newest[0] < self._max_id or (newest[0] == self._max_id and newest[1] != self._received.get(newest[0])):
            # Rows vanished (or a transaction rolled back and ids were reused), or it is time for the
            # periodic full read that also catches rows another process committed out of id order.
            self.reset()
            self._file(window.values_list(*columns).iterator(chunk_size=500))
            self._read_at = time.monotonic()
            return
        if newest[0] > self._max_id:
            # By primary key alone: with the time too, SQLite may walk the whole window's time index.
            fresh = WireItem.objects.filter(pk__gt=self._max_id).order_by().values_list(*columns)
            self._file(row for row in fresh if row[1] >= cutoff)
        if waiting & self._pending:
            self._file(window.filter(pk__in=waiting & self._pending).exclude(signature=b"").values_list(*columns))


class RecentArticles:
    """Articles published since a cutoff, their signatures shared by every process through the cache."""

    def __init__(self, signature_of):
        self.lock = threading.RLock()
        self._signature_of = signature_of  # (title, body text) -> signature bytes
        self.index = SketchIndex()
        self._keys: dict[int, str] = {}
        self._state = None
        self._oldest = None

    @staticmethod
    def cache_key(pk, revision_id, published_at) -> str:
        """Page id + revision (+ publication time, so a reused id in a fresh database never hits)."""
        return f"wire-dedup:article:{pk}:{revision_id}:{published_at.isoformat() if published_at else ''}"

    def sync(self, cutoff) -> None:
        """Bring the index up to the articles published since ``cutoff``.

        Every publish, unpublish, move or deletion writes a page log entry: while the newest entry
        is the one seen last time, nothing needs reading.
        """
        newest = PageLogEntry.objects.order_by("-pk").values_list("pk", "timestamp").first()
        if newest == self._state and (self._oldest is None or self._oldest >= cutoff):
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

"""The contract every search engine adapter keeps, and what they share.

A backend stores ``IndexDocument`` rows analysed by ``khabar.arabic.analyze``
and answers ``ParsedQuery`` objects. Each vendor subclass only says what its
engine does better: how the weighted index is built and how a query is
expressed (``SQLiteSearchBackend``: FTS5 with bm25; ``PostgresSearchBackend``:
tsvector with setweight A/B/C). Ranking is the same idea on both: title above
lead above body, the exact (folded) form above a stem-only match, and recency
to break ties.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Iterable, Sequence

from django.db import connection as default_connection
from django.db import transaction

from khabar.arabic.analyze import DEFAULT_ANALYZER, Analyzer
from khabar.arabic.stem import PREFIXES, strip_proclitics
from khabar.search.query import ParsedQuery

DOCUMENT_TABLE = "khabar_search_document"
TEXT_COLUMNS = ("title_terms", "title_stems", "lead_terms", "lead_stems", "body_terms", "body_stems")
COLUMNS = ("page_id", "section_id", "published_at", "title", "url", *TEXT_COLUMNS)
SUGGESTION_MIN_CHARS = 2  # one letter would match half the index
PARTIAL_PROCLITICS = "وفبلك"  # letters that may be a clitic on a word still being typed
PROCLITIC_GROUPS = frozenset(prefix for prefix, _ in PREFIXES)
# How the words of a query combine. "and_or": every word must match, and when
# no article has them all, the best articles with most of them are shown.
# bench/search_quality.py measured the choices; see the README's Search section.
MATCH_MODES = ("and", "or", "and_or")
DEFAULT_MATCH_MODE = "and_or"


@dataclass(frozen=True)
class IndexDocument:
    """An article's text as the index takes it, before analysis."""

    page_id: int
    section_id: int | None
    published_at: datetime
    title: str
    lead: str = ""
    body: str = ""
    url: str = ""


@dataclass(frozen=True)
class Hit:
    page_id: int
    score: float


@dataclass
class SearchResult:
    """One page of hits, best first, and how many there are in all."""

    hits: list[Hit]
    total: int
    relaxed: bool = False  # True when not every word matched (the "and_or" fallback)


@dataclass(frozen=True)
class Suggestion:
    page_id: int
    title: str
    url: str


class SearchBackend:
    """Index and query articles on one database connection."""

    vendor = ""
    # When more articles than this match (a common word alone), only the newest this many are ranked:
    # scoring every match costs more than a reader waits, and such a reader wants recent coverage.
    rank_window = 5000
    # When every word matched, a match is about the query and the newest 500 serve its reader (bm25 over
    # 5,000 cost ~10 ms at 100,000 articles); when only some words match, older articles with more of them
    # must still be found. bench/search_quality.py at 60,000 articles: MRR@10 0.958 at 300, 500 or 5,000.
    all_words_rank_window = 500

    def __init__(self, connection=None, analyzer: Analyzer = DEFAULT_ANALYZER, match_mode: str = DEFAULT_MATCH_MODE):
        if match_mode not in MATCH_MODES:
            raise ValueError(f"match_mode must be one of {MATCH_MODES}, not {match_mode!r}")
        self.connection = connection or default_connection
        self.analyzer = analyzer
        self.match_mode = match_mode

    # --- schema: called by the migration ---------------------------------------
    @classmethod
    def create_engine_objects(cls, cursor) -> None:
        """Create the vendor's index structures beside the document table."""

    @classmethod
    def drop_engine_objects(cls, cursor) -> None:
        """Remove what ``create_engine_objects`` made."""

    # --- writing ----------------------------------------------------------------
    def analyse(self, document: IndexDocument) -> dict:
        """The row of the document table for ``document``."""
        title = self.analyzer.index_terms(document.title)
        lead = self.analyzer.index_terms(document.lead)
        body = self.analyzer.index_terms(document.body)
        return {
            "page_id": document.page_id,
            "section_id": document.section_id,
            "published_at": document.published_at,
            "title": document.title[:255],
            "url": document.url[:500],
            "title_terms": " ".join(title[0]),
            "title_stems": " ".join(title[1]),
            "lead_terms": " ".join(lead[0]),
            "lead_stems": " ".join(lead[1]),
            "body_terms": " ".join(body[0]),
            "body_stems": " ".join(body[1]),
        }

    def index(self, documents: Iterable[IndexDocument]) -> int:
        """Add or replace ``documents``; returns how many were written."""
        rows = [self.analyse(document) for document in documents]
        if not rows:
            return 0
        with transaction.atomic(using=self.connection.alias):
            self.remove([row["page_id"] for row in rows])
            self._insert(rows)
        return len(rows)

    def remove(self, page_ids: Sequence[int]) -> None:
        """Take these articles out of the index; unknown ids are ignored."""
        page_ids = list(page_ids)
        with self.connection.cursor() as cursor:
            for start in range(0, len(page_ids), 500):
                chunk = page_ids[start:start + 500]
                marks = ", ".join(["%s"] * len(chunk))
                cursor.execute(f"DELETE FROM {DOCUMENT_TABLE} WHERE page_id IN ({marks})", chunk)

    def clear(self) -> None:
        with self.connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {DOCUMENT_TABLE}")

    def rebuild(self, batches: Iterable[Sequence[IndexDocument]], progress=None) -> int:
        """Replace the whole index with ``batches`` of documents, in one transaction.

        Readers keep seeing the old index until it commits. ``progress(count)`` is
        called after each batch.
        """
        count = 0
        with transaction.atomic(using=self.connection.alias):
            self.clear()
            for batch in batches:
                rows = [self.analyse(document) for document in batch]
                if rows:
                    self._insert(rows)
                count += len(rows)
                if progress:
                    progress(count)
            self._after_rebuild()
        return count

    def _insert(self, rows: list[dict]) -> None:
        raise NotImplementedError

    def _after_rebuild(self) -> None:
        """Work that is cheaper once after a bulk load than per row."""

    def count(self) -> int:
        with self.connection.cursor() as cursor:
            cursor.execute(f"SELECT count(*) FROM {DOCUMENT_TABLE}")
            return cursor.fetchone()[0]

    # --- reading ----------------------------------------------------------------
    def search(
        self,
        query: ParsedQuery,
        *,
        section_id: int | Sequence[int] | None = None,
        since: datetime | None = None,
        until: datetime | None = None,
        order: str = "relevance",
        offset: int = 0,
        limit: int = 10,
    ) -> SearchResult:
        """One page of articles matching ``query``, best first (or newest first with order="date").

        ``section_id``: one section's id, or several (a section and its sub-sections).
        """
        if query.is_empty:
            return SearchResult([], 0)
        section_ids = [section_id] if isinstance(section_id, int) else list(section_id or ())
        filters = {"section_ids": section_ids, "since": since, "until": until}
        modes = {"and": (False,), "or": (True,), "and_or": (False, True)}[self.match_mode]
        if not query.terms or len(query.terms) == 1:
            modes = modes[:1]  # "any of the words" is "all of them" when there is one
        result = SearchResult([], 0)
        for any_word in modes:
            hits, total = self._search(query, filters, order, offset, limit, any_word=any_word)
            result = SearchResult(hits, total, relaxed=any_word and self.match_mode == "and_or")
            if total:
                break
        return result

    def _search(self, query, filters, order, offset, limit, any_word) -> tuple[list[Hit], int]:
        raise NotImplementedError

    def ranked_matches(self, any_word: bool) -> int:
        """How many of the newest matches are ranked (see rank_window)."""
        return self.rank_window if any_word else min(self.rank_window, self.all_words_rank_window)

    def suggest(self, text: str, limit: int = 8) -> list[Suggestion]:
        """Headlines whose words start as ``text`` does, for a reader still typing it."""
        words = self.analyzer.query_terms(text[:100])[:6]
        while words and not partial_word_forms(*words[-1]):
            words = words[:-1]  # the reader has typed only "ال" of the next word: suggest on the others
        if not words:
            return []
        from khabar.news.models import ArticlePage  # here: backends load while apps are still registering

        found = self._suggest(words, limit * 2)
        # The index may lag behind an unpublish or a new view restriction: offer public articles only.
        public = set(
            ArticlePage.objects.published().filter(pk__in=[s.page_id for s in found]).values_list("pk", flat=True)
        )
        return [s for s in found if s.page_id in public][:limit]

    def _suggest(self, words, limit) -> list[Suggestion]:
        raise NotImplementedError

    def title_words_starting(self, prefixes: Sequence[str], limit: int = 200) -> list[str]:
        """Folded headline words starting with any of ``prefixes`` (after their proclitics), commonest first.

        Spelling candidates for a query word that found nothing.
        """
        prefixes = [p for p in dict.fromkeys(prefixes) if len(p) >= SUGGESTION_MIN_CHARS]
        if not prefixes:
            return []
        counts: dict[str, int] = {}
        for title_terms in self._titles_with_prefixes(prefixes, limit):
            for word in title_terms.split():
                if word.startswith(tuple(prefixes)) or strip_proclitics(word).startswith(tuple(prefixes)):
                    counts[word] = counts.get(word, 0) + 1
        return sorted(counts, key=lambda word: -counts[word])

    def _titles_with_prefixes(self, prefixes, limit) -> list[str]:
        """``title_terms`` of up to ``limit`` articles with a headline word starting with one of ``prefixes``."""
        raise NotImplementedError

def partial_word_forms(surface: str, stems) -> list[str]:
    """What a word still being typed may be the beginning of: itself, its stems, and itself without proclitics.

    Forms that are only a proclitic ("ال", "لل") start half the words of every headline: they are left out.
    """
    forms = [surface, *stems, strip_proclitics(surface)]
    if surface[:1] in PARTIAL_PROCLITICS and len(surface) >= 3:
        forms.append(surface[1:])  # "بغز": ب + the start of "غزة"
    return [f for f in dict.fromkeys(forms) if len(f) >= SUGGESTION_MIN_CHARS and f not in PROCLITIC_GROUPS]


def ranked_candidates(rows, limit):
    """Rows of (page_id, title, url) as Suggestions, first ``limit``, without repeated headlines."""
    seen, out = set(), []
    for page_id, title, url in rows:
        if title in seen:
            continue
        seen.add(title)
        out.append(Suggestion(page_id, title, url))
        if len(out) == limit:
            break
    return out

"""Help for a search that found nothing: a respelled query and the closest headlines.

Both come from the index itself: headline words that share the beginning of
each query word (after its proclitics), the closest by edit similarity, so a
reader who typed "الفلسطنية" is offered "الفلسطينية".
"""

from __future__ import annotations

import difflib

from khabar.arabic.stem import strip_proclitics
from khabar.search.backends import get_backend
from khabar.search.query import ParsedQuery

PREFIX_LETTERS = 3
MAX_TITLES = 5
SIMILARITY = 0.7


def closest_word(word: str, candidates: list[str]) -> str:
    """The candidate closest to ``word`` in spelling, or "" when none is close."""
    if word in candidates:
        return ""
    bare = strip_proclitics(word)
    best, best_ratio = "", SIMILARITY
    for candidate in candidates:
        ratio = max(
            difflib.SequenceMatcher(None, word, candidate).ratio(),
            difflib.SequenceMatcher(None, bare, strip_proclitics(candidate)).ratio(),
        )
        if ratio > best_ratio:
            best, best_ratio = candidate, ratio
    return best


def suggestions(query: ParsedQuery, backend=None) -> tuple[str, list]:
    """(respelled query or "", closest headlines) for a query with no results."""
    backend = backend or get_backend()
    respelled, changed, titles = [], False, []
    for term in query.positive_terms()[:6]:
        bare = strip_proclitics(term.surface)
        prefixes = [bare[:PREFIX_LETTERS], term.surface[:PREFIX_LETTERS]]
        candidates = backend.title_words_starting(prefixes)
        better = closest_word(term.surface, candidates)
        respelled.append(better or term.surface)
        changed |= bool(better)
        for suggestion in backend.suggest(better or bare[: max(PREFIX_LETTERS, len(bare) - 1)], limit=MAX_TITLES):
            if suggestion not in titles:
                titles.append(suggestion)
    return (" ".join(respelled) if changed else ""), titles[:MAX_TITLES]

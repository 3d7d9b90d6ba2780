"""Matched words marked in the text as it was written.

The engine matched folded forms and stems; the reader must see their own
article's spelling ("الإسرائيلي" with its hamza and tashkeel) marked, so each
word of the original text is analysed in place and its span kept.
"""

from __future__ import annotations

import unicodedata
from bisect import bisect_left
from html import escape
from itertools import islice

from django.utils.safestring import SafeString, mark_safe

from khabar.arabic.analyze import DEFAULT_ANALYZER, Analyzer
from khabar.search.query import ParsedQuery

SNIPPET_WORDS = 30  # indexed words in a snippet; stopwords between them come along
SNIPPET_FALLBACK_CHARS = 220
SKIP_AT_LEAST = 20  # words before a snippet in its paragraph worth counting rather than walking (see _skip)


class Matcher:
    """Which words of a text match a query: by folded surface, or by any stem the query word may have."""

    def __init__(self, query: ParsedQuery, analyzer: Analyzer = DEFAULT_ANALYZER):
        self.analyzer = analyzer
        terms = query.positive_terms()
        self.surfaces = {t.surface for t in terms}
        self.stems = {s for t in terms for s in t.stems}
        self.exact_only = {t.surface for t in query.exact} - {t.surface for t in query.terms}

    def keys(self, surfaces, stems) -> list[str | None]:
        """For each word (its folded surface and stem), the query word it matches, named by its stem, or None."""
        own, any_form, exact_only = self.surfaces, self.stems, self.exact_only
        return [
            stem if surface in own or (stem in any_form and surface not in exact_only) else None
            for surface, stem in zip(surfaces, stems)
        ]

    def spans(self, text: str):
        """(start, end, key) of each matching word, where key names the query word it matched."""
        tokens = list(self.analyzer.tokens(text))
        keys = self.keys([t.surface for t in tokens], [t.stem for t in tokens])
        return [(t.start, t.end, key) for t, key in zip(tokens, keys) if key]


def mark(text: str, spans) -> SafeString:
    """``text`` escaped, with each (start, end) span wrapped in <mark>."""
    out, at = [], 0
    for start, end, *_ in spans:
        out.append(escape(text[at:start]))
        out.append(f"<mark>{escape(text[start:end])}</mark>")
        at = end
    out.append(escape(text[at:]))
    return mark_safe("".join(out))


def highlight(text: str, matcher: Matcher) -> SafeString:
    """The whole of ``text`` with matched words marked (for headlines)."""
    return mark(text, list(matcher.spans(text)))


def snippet(text: str, matcher: Matcher, words: int = SNIPPET_WORDS) -> SafeString:
    """The stretch of ``text`` with the most distinct matched words, marked, with … where it was cut."""
    if not text or text.isascii() or unicodedata.is_normalized("NFC", text):
        analysed = _Paragraphs(text or "", matcher)
    else:
        analysed = _Tokens(text, matcher)  # spans must point into the text as written: see Analyzer.tokens
    flags = analysed.flags
    if not flags:
        return mark(text[:SNIPPET_FALLBACK_CHARS], [])
    best, best_score = 0, None
    hits = [i for i, flag in enumerate(flags) if flag]
    for hit in hits:
        first = max(0, hit - 3)  # a few words of context before the first match
        # The matches in the window, found among the matches: a long article has far fewer of them than words.
        keys = [flags[i] for i in hits[bisect_left(hits, first):bisect_left(hits, first + words)]]
        score = (len(set(keys)), len(keys), -first)
        if best_score is None or score > best_score:
            best, best_score = first, score
    window = analysed.spans(best, words)
    start = 0 if best == 0 else window[0][0]
    end = len(text) if best + words >= len(flags) else window[-1][1]
    spans = [(s - start, e - start) for (s, e), flag in zip(window, flags[best:best + words]) if flag]
    html = mark(text[start:end], spans)
    return mark_safe(("… " if start else "") + html + (" …" if end < len(text) else ""))


class _Tokens:
    """Every word of the text with its span, analysed at once."""

    def __init__(self, text, matcher):
        self._tokens = list(matcher.analyzer.tokens(text))
        self.flags = matcher.keys([t.surface for t in self._tokens], [t.stem for t in self._tokens])

    def spans(self, first, count):
        return [(t.start, t.end) for t in self._tokens[first:first + count]]


class _Paragraphs:
    """The words of the text, paragraph by paragraph: all of them as terms, spans only where asked.

    Spans cost several times what terms do (an object per word), and a snippet needs 30 of
    an article's hundreds. No word spans a line break, so each paragraph is analysed alone.
    """

    def __init__(self, text, matcher):
        self.analyzer = matcher.analyzer
        self.paragraphs, self.offsets, self.counts, self.flags = text.split("\n"), [], [], []
        at = 0
        for paragraph in self.paragraphs:
            surfaces, stems = self.analyzer.index_terms(paragraph)
            self.offsets.append(at)
            self.counts.append(len(surfaces))
            self.flags.extend(matcher.keys(surfaces, stems))
            at += len(paragraph) + 1

    def spans(self, first, count):
        """(start, end) in the whole text of its words ``first`` to ``first + count``."""
        found = []
        for paragraph, offset, size in zip(self.paragraphs, self.offsets, self.counts):
            if first >= size:
                first -= size
                continue
            cut, before = self._skip(paragraph, first, size)
            offset += cut
            for token in islice(self.analyzer.tokens(paragraph[cut:]), first - before, first - before + count - len(found)):
                found.append((token.start + offset, token.end + offset))
            first = 0
            if len(found) == count:
                break
        return found

    def _skip(self, paragraph, first, size):
        """A space shortly before word ``first`` of ``paragraph``, and how many words come before it.

        A snippet deep in a long paragraph (an article pasted as one block) would otherwise make a
        Token of every word before it; counting them as terms costs a fraction of that. A space is
        never part of a word, so the words before and after it are the paragraph's words.
        """
        if first < SKIP_AT_LEAST:
            return 0, 0
        cut = paragraph.rfind(" ", 0, len(paragraph) * (first - SKIP_AT_LEAST // 2) // size)
        if cut <= 0:
            return 0, 0
        before = len(self.analyzer.index_terms(paragraph[:cut])[0])
        return (cut, before) if before <= first else (0, 0)  # words longer than most: start over

"""Matched words marked in the text as it was written.

The engine matched folded forms and stems; the reader must see their own
article's spelling ("الإسرائيلي" with its hamza and tashkeel) marked, so each
word of the original text is analysed in place and its span kept.
"""

from __future__ import annotations

from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe

from khabar.arabic.analyze import DEFAULT_ANALYZER, Analyzer
from khabar.search.query import ParsedQuery

SNIPPET_WORDS = 30  # indexed words in a snippet; stopwords between them come along
SNIPPET_FALLBACK_CHARS = 220


class Matcher:
    """Which words of a text match a query: by folded surface, or by any stem the query word may have."""

    def __init__(self, query: ParsedQuery, analyzer: Analyzer = DEFAULT_ANALYZER):
        self.analyzer = analyzer
        terms = query.positive_terms()
        self.surfaces = {t.surface for t in terms}
        self.stems = {s for t in terms for s in t.stems}
        self.exact_only = {t.surface for t in query.exact} - {t.surface for t in query.terms}

    def spans(self, text: str):
        """(start, end, key) of each matching word, where key names the query word it matched."""
        for token in self.analyzer.tokens(text):
            if token.surface in self.surfaces:
                yield token.start, token.end, token.stem
            elif token.stem in self.stems and token.surface not in self.exact_only:
                yield token.start, token.end, token.stem


def mark(text: str, spans) -> SafeString:
    """``text`` escaped, with each (start, end) span wrapped in <mark>."""
    out, at = [], 0
    for start, end, *_ in spans:
        out.append(conditional_escape(text[at:start]))
        out.append(f"<mark>{conditional_escape(text[start:end])}</mark>")
        at = end
    out.append(conditional_escape(text[at:]))
    return mark_safe("".join(out))


def highlight(text: str, matcher: Matcher) -> SafeString:
    """The whole of ``text`` with matched words marked (for headlines)."""
    return mark(text, list(matcher.spans(text)))


def snippet(text: str, matcher: Matcher, words: int = SNIPPET_WORDS) -> SafeString:
    """The stretch of ``text`` with the most distinct matched words, marked, with … where it was cut."""
    tokens = list(matcher.analyzer.tokens(text))
    if not tokens:
        return mark(text[:SNIPPET_FALLBACK_CHARS], [])
    matched = {start: key for start, _, key in matcher.spans(text)}
    flags = [matched.get(token.start) for token in tokens]
    best, best_score = 0, None
    for hit in (i for i, key in enumerate(flags) if key):
        first = max(0, hit - 3)  # a few words of context before the first match
        keys = [key for key in flags[first:first + words] if key]
        score = (len(set(keys)), len(keys), -first)
        if best_score is None or score > best_score:
            best, best_score = first, score
    window = tokens[best:best + words]
    start = 0 if best == 0 else window[0].start
    end = len(text) if best + words >= len(tokens) else window[-1].end
    spans = [(s, e, k) for s, e, k in matcher.spans(text[start:end])]
    html = mark(text[start:end], spans)
    return mark_safe(("… " if start else "") + html + (" …" if end < len(text) else ""))

"""What a reader typed, read as a search: words, "phrases in quotes" and -exclusions.

The parser understands only quotes and a leading minus; everything else is
text that goes through ``khabar.arabic.analyze``, so the terms it hands to a
backend are runs of letters or digits and no engine syntax typed by a reader
(FTS5's NEAR/AND/*/^/column filters, tsquery's & | ! :*, SQL) can reach the
engine. It never raises: any string gives a query, perhaps an empty one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from khabar.arabic.analyze import DEFAULT_ANALYZER, Analyzer
from khabar.arabic.normalize import fold_for_search

MAX_QUERY_CHARS = 256  # a reader's query is a few words; a paste of 1,000 characters is cut here
MAX_TERMS = 10  # words that count; past this, each more word only slows the engine
MAX_EXCLUDED = 5

# Quotation marks readers type: ASCII, typographic, guillemets (Arabic copy uses « »), full-width.
_QUOTES = str.maketrans({c: '"' for c in "“”„‟«»″＂〝〞"})
# A minus (or dash) that opens a word: at the start or after a space, not inside "كوفيد-19".
_EXCLUDE = re.compile(r"(?:^|(?<=\s))[-−–—]+(?=\S)")
# C0/C1 control characters (NUL included, which PostgreSQL refuses in text): never part of a query.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


@dataclass(frozen=True)
class Term:
    """One query word: its folded surface form and the stems it may stand for (the first is its own)."""

    surface: str
    stems: tuple[str, ...]

    @property
    def stem(self) -> str:
        return self.stems[0]


@dataclass
class ParsedQuery:
    """A query as the backends take it.

    ``terms`` must match (in any form); ``exact`` must match in the form typed
    (a single quoted word); each of ``phrases`` must match as adjacent words;
    nothing in ``excluded`` may match, in any form.
    """

    text: str = ""
    terms: list[Term] = field(default_factory=list)
    exact: list[Term] = field(default_factory=list)
    phrases: list[list[Term]] = field(default_factory=list)
    excluded: list[Term] = field(default_factory=list)

    @property
    def is_empty(self) -> bool:
        """True when nothing is left to look for (only stopwords, punctuation, emoji or exclusions)."""
        return not (self.terms or self.exact or self.phrases)

    def positive_terms(self) -> list[Term]:
        """Every word the results should contain, from words, exact words and phrases."""
        return self.terms + self.exact + [term for phrase in self.phrases for term in phrase]

    def folded(self) -> str:
        """The query in search form, for the editors' log: "غزه -مستشفي"."""
        return " ".join(fold_for_search(self.text).split())[:200]


def _cut(text: str) -> str:
    text = _CONTROL.sub(" ", text[: MAX_QUERY_CHARS * 2])[:MAX_QUERY_CHARS]
    if len(text) == MAX_QUERY_CHARS and " " in text:
        text = text.rsplit(" ", 1)[0]  # do not leave half a word for the engine to guess at
    return text


def _terms(analyzer: Analyzer, text: str) -> list[Term]:
    return [Term(surface, stems) for surface, stems in analyzer.query_terms(text)]


def parse_query(text: str | None, analyzer: Analyzer = DEFAULT_ANALYZER) -> ParsedQuery:
    """Read ``text`` as a query; never raises, whatever the text."""
    text = _cut(text or "")
    query = ParsedQuery(text=text)
    parts = text.translate(_QUOTES).split('"')
    if len(parts) % 2 == 0:
        # An unbalanced quote: the text after the last one is ordinary words.
        parts[-2:] = [parts[-2] + " " + parts[-1]]
    for index, part in enumerate(parts):
        quoted = index % 2 == 1
        if quoted:
            negated = bool(re.search(r"[-−–—]\s*$", parts[index - 1]))
            words = _terms(analyzer, part)
            if negated:
                query.excluded.extend(words)
            elif len(words) == 1:
                query.exact.extend(words)
            elif words:
                query.phrases.append(words)
            continue
        chunks = _EXCLUDE.split(part)
        query.terms.extend(_terms(analyzer, chunks[0]))
        for chunk in chunks[1:]:
            # The first word after the minus is excluded; the rest of the chunk is ordinary words.
            head, _, rest = chunk.partition(" ")
            query.excluded.extend(_terms(analyzer, head))
            query.terms.extend(_terms(analyzer, rest))
    _limit(query)
    return query


def _limit(query: ParsedQuery) -> None:
    """Drop repeated words and keep at most MAX_TERMS positive ones (phrases first, as typed)."""
    seen, budget = set(), MAX_TERMS
    phrases = []
    for phrase in query.phrases:
        phrase = phrase[:budget]
        if len(phrase) >= 2:
            phrases.append(phrase)
            budget -= len(phrase)
    query.phrases = phrases
    kept = []
    for term in query.exact + query.terms:
        if term in seen or budget <= 0:
            continue
        seen.add(term)
        kept.append(term)
        budget -= 1
    query.exact = [t for t in kept if t in set(query.exact)]
    query.terms = [t for t in kept if t not in set(query.exact)]
    query.excluded = list(dict.fromkeys(query.excluded))[:MAX_EXCLUDED]

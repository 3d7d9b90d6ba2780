"""Text into search terms: the one analysis shared by the index, the query and highlighting.

The steps, in order, and why that order:
1. tokenise the text as written: runs of letters (with their tashkeel, tatweel
   and invisible controls kept inside, so a span covers the word as displayed)
   and runs of digits, apart, and Arabic apart from other scripts (so "2015م"
   gives "2015" and "م", and "وGoogle" gives "و" and "google");
2. drop stopwords, checked on the word without tashkeel but *before* folding,
   so "على" goes and the name "علي" stays;
3. fold with ``fold_for_search`` (hamza, ى, ة, digits, Latin case);
4. stem with ``khabar.arabic.stem``.
Every term is a run of letters or digits: no character that any search
engine's query syntax could read as an operator survives analysis.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Callable, Iterator

from . import letters as L
from .normalize import fold_for_search
from .stem import query_stems as light_query_stems
from .stem import stem as light_stem
from .stopwords import ARABIC_STOPWORDS

# Characters that may sit inside a word without ending it: tashkeel, Quranic marks, invisible controls.
_INSIDE = "\u064b-\u065f\u0670\u06d6-\u06ed" + "".join(L.INVISIBLE_CONTROLS)
_ARABIC_LETTERS = "\u0621-\u063f\u0641-\u064a\u066e-\u06d3\u06fa-\u06ff\u0750-\u077f"
# A word is a run of Arabic letters, or of other letters (Latin...), or of digits: "وGoogle" is و + google.
_TOKEN = re.compile(
    rf"[{_ARABIC_LETTERS}\u0640{_INSIDE}]+|(?:(?![{_ARABIC_LETTERS}\u0640])[^\W\d_]|[{_INSIDE}])+|\d+"
)
# What the stopword check removes: tashkeel and tatweel and controls, nothing else.
_BARE_TABLE = {ord(c): None for c in (*L.TASHKEEL, L.TATWEEL, *L.INVISIBLE_CONTROLS)}
_MARKS = re.compile(rf"[{_INSIDE}]")
# Longer "words" are URLs, hashes or run-together garbage: never worth a term.
MAX_WORD_LENGTH = 40
_CACHE_LIMIT = 200_000


@dataclass(frozen=True)
class Token:
    """One word of the text: where it is, and what the index knows it as."""

    start: int
    end: int
    surface: str  # the folded word
    stem: str


class Analyzer:
    """Tokenise, drop stopwords, fold and stem; memoised per written word.

    ``stemmer`` maps a folded word to its stem (``None`` indexes surfaces only);
    ``query_stemmer`` gives the stems a query word may stand for, its own first.
    """

    def __init__(
        self,
        stemmer: Callable[[str], str] | None = light_stem,
        query_stemmer: Callable[[str], tuple[str, ...]] | None = None,
        stopwords: frozenset[str] = ARABIC_STOPWORDS,
    ):
        self.stemmer = stemmer or (lambda word: word)
        if query_stemmer is None:
            query_stemmer = light_query_stems if stemmer is light_stem else (lambda word: (self.stemmer(word),))
        self.query_stemmer = query_stemmer
        self.stopwords = stopwords
        self._words: dict[str, tuple[str, str] | None] = {}

    def _word(self, written: str) -> tuple[str, str] | None:
        """(surface, stem) of a written word, or None for a stopword or a word that folds away."""
        known = self._words.get(written, False)
        if known is not False:
            return known
        result = None
        bare = written.translate(_BARE_TABLE)
        if bare and bare not in self.stopwords and len(bare) <= MAX_WORD_LENGTH:
            surface = _MARKS.sub("", fold_for_search(bare))
            if surface:
                result = (surface, self.stemmer(surface))
        if len(self._words) >= _CACHE_LIMIT:
            self._words.clear()
        self._words[written] = result
        return result

    def tokens(self, text: str | None) -> Iterator[Token]:
        """The indexable words of ``text`` with their spans in ``text`` as given."""
        if not text:
            return
        if not text.isascii() and not unicodedata.is_normalized("NFC", text):
            # Spans must point into the caller's text: compose word by word, not the whole text.
            for match in _TOKEN.finditer(text):
                word = self._word(unicodedata.normalize("NFC", match.group()))
                if word:
                    yield Token(match.start(), match.end(), *word)
            return
        for match in _TOKEN.finditer(text):
            word = self._word(match.group())
            if word:
                yield Token(match.start(), match.end(), *word)

    def analyze(self, text: str | None) -> list[str]:
        """The folded words of ``text``, stopwords dropped: ["الاسراييلي", "غزه"]."""
        return [token.surface for token in self.tokens(text)]

    def index_terms(self, text: str | None) -> tuple[list[str], list[str]]:
        """(surfaces, stems) of ``text``, position for position, for the index."""
        if not text:
            return [], []
        if not text.isascii() and not unicodedata.is_normalized("NFC", text):
            text = unicodedata.normalize("NFC", text)  # no spans wanted here: compose it all at once
        # The indexer's hot loop: words as strings (no match objects), each analysed once per process.
        words, lookup = self._words, self._word
        pairs = [words[w] if w in words else lookup(w) for w in _TOKEN.findall(text)]
        pairs = [pair for pair in pairs if pair]
        return [pair[0] for pair in pairs], [pair[1] for pair in pairs]

    def query_terms(self, text: str | None) -> list[tuple[str, tuple[str, ...]]]:
        """(surface, stems) per query word: the same analysis, each word with the stems it may stand for."""
        return [(token.surface, self.query_stemmer(token.surface)) for token in self.tokens(text)]


DEFAULT_ANALYZER = Analyzer()
SURFACE_ANALYZER = Analyzer(stemmer=None)


def analyze(text: str | None) -> list[str]:
    """The folded, stopword-free words of ``text`` (see ``Analyzer.analyze``)."""
    return DEFAULT_ANALYZER.analyze(text)


def index_terms(text: str | None) -> tuple[list[str], list[str]]:
    """(folded surfaces, stems) of ``text``: both go in the index, so exact forms can rank higher."""
    return DEFAULT_ANALYZER.index_terms(text)


def query_terms(text: str | None) -> list[tuple[str, tuple[str, ...]]]:
    """(folded surface, stems) per word of a query, analysed exactly as the index was."""
    return DEFAULT_ANALYZER.query_terms(text)


def tokens(text: str | None) -> Iterator[Token]:
    """Words of ``text`` with their spans, for mapping folded matches back to the original spelling."""
    return DEFAULT_ANALYZER.tokens(text)

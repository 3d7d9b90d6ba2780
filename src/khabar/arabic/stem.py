"""A light Arabic stemmer in the style of Lucene's ``ArabicStemmer`` (Larkey's Light10).

It works on the *search form* (``fold_for_search``), so its tables name
folded spellings: TEH_MARBUTA has already become HEH and ALEF_MAKSURA YEH.
It strips at most one proclitic group from the front, then goes once through
the suffix table, right to left as listed, removing each suffix it finds.
Every rule carries a length guard so that short words, where the "affix" is
likely a root letter, are left alone.

It conflates what light stemming can: clitics (و ف ب ك ل ال لل) and sound
inflections (ات ون ين ان, ة/ه, possessive ها ه ي). It cannot join broken plurals
(دول/دولة); no light stemmer can. Which stemmer khabar uses was decided by
``bench/search_quality.py``, not by taste.

``query_stems`` adds, for query words only, the readings a reader's spelling
leaves open: "بغزة" may be ب + غزة (the preposition) or a word that starts
with ب. Index terms keep one stem each; the query tries both.
"""

from __future__ import annotations

from . import letters as L

# (prefix, shortest stem it may leave), tried in order; the first that fits is removed.
PREFIXES = (
    (L.WAW + L.ALEF + L.LAM, 2),  # وال  WAW ALEF LAM: "and the"
    (L.FEH + L.ALEF + L.LAM, 2),  # فال  FEH ALEF LAM: "so the"
    (L.BEH + L.ALEF + L.LAM, 2),  # بال  BEH ALEF LAM: "with/in the"
    (L.KAF + L.ALEF + L.LAM, 2),  # كال  KAF ALEF LAM: "like the"
    (L.WAW + L.LAM + L.LAM, 2),  # ولل  WAW LAM LAM: "and for the"
    (L.LAM + L.LAM, 2),  # لل  LAM LAM: "for the"
    (L.ALEF + L.LAM, 2),  # ال  ALEF LAM: "the"
    (L.WAW, 3),  # و  WAW: "and", only on words of four letters or more
)

# (suffix, shortest stem it may leave), each removed at most once, in this order.
SUFFIXES = (
    (L.HEH + L.ALEF, 2),  # ها  HEH ALEF: "her/its"
    (L.ALEF + L.NOON, 2),  # ان  ALEF NOON: dual
    (L.ALEF + L.TEH, 2),  # ات  ALEF TEH: feminine plural
    (L.WAW + L.NOON, 2),  # ون  WAW NOON: masculine plural (nominative)
    (L.YEH + L.NOON, 2),  # ين  YEH NOON: masculine plural / dual (oblique)
    (L.YEH + L.HEH, 2),  # يه  YEH HEH: nisba + TEH_MARBUTA (folded ية)
    (L.HEH, 2),  # ه  HEH: TEH_MARBUTA (folded ة) or "his"
    (L.YEH, 2),  # ي  YEH: nisba adjective or "my"
)

# Single-letter proclitics a query word may carry before a word with no article.
QUERY_PROCLITICS = (
    (L.BEH, 3),  # ب  BEH: "in/with"
    (L.LAM, 3),  # ل  LAM: "for"
    (L.KAF, 3),  # ك  KAF: "like"
    (L.FEH, 3),  # ف  FEH: "so"
)


def strip_proclitics(word: str) -> str:
    """``word`` without its proclitic group ("والحكو" -> "حكو"): the stem of a word still being typed."""
    for prefix, keep in PREFIXES:
        if word.startswith(prefix) and len(word) - len(prefix) >= keep:
            return word[len(prefix):]
    return word


def _strip_suffixes(word: str) -> str:
    for suffix, keep in SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= keep:
            word = word[: -len(suffix)]
    return word


def stem(word: str) -> str:
    """The light stem of one folded word ("والمستشفيات" -> "مستشف").

    Words that are not Arabic letters (Latin, digits) come back unchanged.
    """
    if not word or not ("\u0621" <= word[0] <= "\u064a"):
        return word
    return _strip_suffixes(strip_proclitics(word))


def query_stems(word: str) -> tuple[str, ...]:
    """The stem of a query word, then the stems of its other plausible readings.

    Light stemming guesses at a word's first letters, and a query can afford to
    try the other guess too (the index keeps one stem per word):
    - a leading و is stripped by the WAW rule, but "وزير" is a word, and the
      index holds "الوزير" as "وزير": try the word with its و kept, and a stem
      starting with و without it;
    - a leading ب ل ك ف (after an optional و) may be a preposition or the
      word's own first letter: "بغزه" is ب + غزه, "بريطانيا" is not. Try both.
    The first item is always ``stem(word)``.
    """
    first = stem(word)
    if first == word and not ("\u0621" <= word[:1] <= "\u064a"):
        return (first,)
    stems = [first]

    def add(candidate):
        if candidate and candidate not in stems:
            stems.append(candidate)

    if word.startswith(L.WAW) and strip_proclitics(word) == word[1:]:
        add(_strip_suffixes(word))  # the WAW rule fired, but و may be the word's own first letter
    if first.startswith(L.WAW) and len(first) >= 4:
        add(first[1:])  # the index stemmed a bare "وزير" to "زير"
    bare = word[1:] if word.startswith(L.WAW) and len(word) >= 5 else word
    for proclitic, keep in QUERY_PROCLITICS:
        if bare.startswith(proclitic) and len(bare) - len(proclitic) >= keep:
            add(stem(bare[len(proclitic):]))
            break
    return tuple(stems)

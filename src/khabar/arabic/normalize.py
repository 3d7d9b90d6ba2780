"""Folding Arabic text into its search form, and stripping invisible controls.

The search form is the one truth for "what counts as the same word": the
indexer, the query parser, de-duplication and highlighting all fold with
``fold_for_search`` so that "الإسرائيلي" and "الاسرائيلي" meet.
"""

from __future__ import annotations

from . import letters as L


def _build_search_table() -> dict[int, str | None]:
    table: dict[int, str | None] = {}
    for mark in L.TASHKEEL:
        table[ord(mark)] = None  # FATHATAN..SUKUN and SUPERSCRIPT_ALEF: drop
    table[ord(L.TATWEEL)] = None  # ـ TATWEEL: drop
    table[ord(L.ALEF_HAMZA_ABOVE)] = L.ALEF  # أ ALEF_HAMZA_ABOVE -> ا
    table[ord(L.ALEF_HAMZA_BELOW)] = L.ALEF  # إ ALEF_HAMZA_BELOW -> ا
    table[ord(L.ALEF_MADDA)] = L.ALEF  # آ ALEF_MADDA -> ا
    table[ord(L.ALEF_WASLA)] = L.ALEF  # ٱ ALEF_WASLA -> ا
    table[ord(L.ALEF_MAKSURA)] = L.YEH  # ى ALEF_MAKSURA -> ي
    table[ord(L.TEH_MARBUTA)] = L.HEH  # ة TEH_MARBUTA -> ه
    table[ord(L.WAW_HAMZA)] = L.WAW  # ؤ WAW_HAMZA -> و
    table[ord(L.YEH_HAMZA)] = L.YEH  # ئ YEH_HAMZA -> ي
    for native, western in zip(L.ARABIC_INDIC_DIGITS, L.WESTERN_DIGITS):
        table[ord(native)] = western  # ٠-٩ ARABIC-INDIC DIGITS -> 0-9
    for native, western in zip(L.PERSIAN_DIGITS, L.WESTERN_DIGITS):
        table[ord(native)] = western  # ۰-۹ PERSIAN DIGITS -> 0-9
    for control in L.INVISIBLE_CONTROLS:
        table[ord(control)] = None  # bidi controls and zero-width chars (joiners too): drop
    return table


_SEARCH_TABLE = _build_search_table()
_DISPLAY_TABLE = {
    ord(control): None
    for control in L.INVISIBLE_CONTROLS
    if control not in L.JOINERS  # ZWNJ/ZWJ shape glyphs, so display keeps them
}


def fold_for_search(text: str | None) -> str:
    """Return the search form of ``text``.

    Drops tashkeel (U+064B-U+0652, U+0670), tatweel and invisible controls;
    folds أ إ آ ٱ to ا, ى to ي, ة to ه, ؤ to و, ئ to ي; turns Arabic-Indic
    and Persian digits into 0-9; lowercases Latin. Folding is idempotent.
    ``None`` folds to "".
    """
    if not text:
        return ""
    return text.translate(_SEARCH_TABLE).lower()


def strip_invisible_controls(text: str | None) -> str:
    """Remove bidi formatting controls, zero-width spaces and BOMs from ``text``.

    Used to repair display copy, so nothing visible changes. The zero-width
    joiner and non-joiner are kept: they decide how neighbouring glyphs join
    (Persian words, emoji sequences) and removing them would alter the text.
    """
    if not text:
        return ""
    return text.translate(_DISPLAY_TABLE)

"""Repairing punctuation that a bidi round-trip moved in front of a number.

When Arabic copy passes through a tool that stores text in visual order (a
PDF, an old wire terminal, a copy from a rendered page), a full stop that
ended the sentence after a number or a Latin word lands before it:
"منذ 2006." comes back as "منذ .2006". This module puts it back.
"""

from __future__ import annotations

import re

from .normalize import strip_invisible_controls

# Arabic letters and their diacritics; Arabic-Indic digits and Arabic punctuation excluded.
_ARABIC_LETTER = "\u0620-\u065f\u066e-\u06d3\u06d5\u06ee\u06ef\u06fa-\u06ff\u0750-\u077f"
_MARKS = ".,:!?\u060c\u061b\u061f"  # . , : ! ? and ، ARABIC COMMA, ؛ SEMICOLON, ؟ QUESTION MARK
_ALNUM = "0-9A-Za-z\u0660-\u0669\u06f0-\u06f9"  # Western, Arabic-Indic, Persian digits; Latin
# A number or Latin word, with inner separators ("3.5", "2019-2020", "v2") and a percent sign.
_RUN = rf"[{_ALNUM}]+(?:[.,:/\-\u066b\u066c][{_ALNUM}]+)*[%\u066a]?"
_RUN_END = "\\s)\\]\u00bb\u201d\"'"  # space, or a closing bracket or quote

_DISPLACED = re.compile(
    rf"(?<=[{_ARABIC_LETTER}])(\s+)([{_MARKS}]{{1,3}})({_RUN})(?=([{_RUN_END}]|$))"
)
_DIGIT = re.compile(r"\d")


def _move_mark(match: re.Match[str]) -> str:
    space, mark, run, after = match.groups()
    # A Latin word mid-line keeps its leading dot: "تقنية .NET الجديدة".
    if not _DIGIT.search(run) and after not in ("", "\n", "\r"):
        return match.group(0)
    return f"{space}{run}{mark}"


def repair_bidi_punctuation(text: str | None) -> str:
    """Move displaced sentence punctuation back after its number or Latin word.

    A mark counts as displaced only when all of these hold:

    * it is one of . , : ! ? ، ؛ ؟ (or a cluster of up to three, such as "؟!");
    * it follows whitespace, and that whitespace follows an Arabic letter:
      a mark written straight after any character ("انتهى. 2006", "3.5",
      "14:05", "v.2", "example.com") is left alone, as is Latin-only text;
    * it is glued to the start of a run of digits or Latin letters (which may
      hold inner separators, "3.5" or "2019-2020", and end in a percent sign);
    * that run is a whole token: it ends the text or line, or is followed by
      whitespace or a closing bracket or quote;
    * a run with no digit must also end the text or line, so a dotted name
      inside a sentence ("تقنية .NET الجديدة") is left alone.

    The mark then moves to the end of the run: "منذ .2006" becomes
    "منذ 2006." and "عام ,2019 قال" becomes "عام 2019, قال". Bidi controls,
    zero-width spaces and BOMs, the other residue of such round-trips, are
    stripped first (see ``strip_invisible_controls``). ``None`` gives "".
    """
    text = strip_invisible_controls(text)
    return _DISPLACED.sub(_move_mark, text)

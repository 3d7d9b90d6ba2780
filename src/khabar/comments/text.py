"""Cleaning what readers type, and the small facts the page and the checks need about it.

Comments are stored as plain text and always rendered escaped, so markup in a
comment is shown, never run. Cleaning only removes what nobody can see: bidi
overrides (U+202E turns "gpj.exe" into "exe.jpg"), zero-width spaces, control
characters (PostgreSQL refuses NUL).
"""

import re
import unicodedata
import zlib

from khabar.arabic import CountedNoun, strip_invisible_controls
from khabar.arabic.letters import JOINERS

# "3 تعليقات", "11 تعليقاً": the noun counted in the heading and the moderators' mail.
COMMENTS = CountedNoun("تعليق واحد", "تعليقان", "تعليقات", "تعليقاً", "تعليق")
# Where the form stands when the desk closed an article's comments, and the answer to a post anyway.
CLOSED = "التعليقات مغلقة على هذا الخبر."

# Letters that draw nothing although Unicode does not call them format characters.
INVISIBLE_LETTERS = {
    "\u115f", "\u1160",  # HANGUL CHOSEONG/JUNGSEONG FILLER
    "\u3164", "\uffa0",  # HANGUL FILLER, HALFWIDTH HANGUL FILLER
    "\u2800",  # BRAILLE PATTERN BLANK
    "\u180e",  # MONGOLIAN VOWEL SEPARATOR
    "\u034f",  # COMBINING GRAPHEME JOINER
}
_BLANK_LINES = re.compile(r"\n{3,}")
_SPACES = re.compile(r"[^\S\n]+")
_LINK = re.compile(r"(?:https?://|www\.)\S+|\b[\w.-]+\.(?:com|net|org|info|biz|ru|xyz|top|io|me|ly)\b", re.I)
_ARTICLE = "\u0627\u0644"  # ال, the definite article, skipped when taking an initial


def _drop_controls(text, keep_newlines):
    kept = []
    for char in text:
        if char == "\n" and keep_newlines:
            kept.append(char)
        elif unicodedata.category(char) == "Cc" or char in ("\u2028", "\u2029"):
            kept.append(" ")  # tabs, NUL, line separators: a space at most
        else:
            kept.append(char)
    return "".join(kept)


def clean_line(text):
    """A name or other one-line field: no invisible controls, single spaces, trimmed."""
    text = strip_invisible_controls(text or "")
    text = _drop_controls(text, keep_newlines=False)
    return " ".join(text.split())


def clean_body(text):
    """The comment: invisible controls and control characters gone, at most one blank line in a row."""
    text = (text or "").replace("\r\n", "\n").replace("\r", "\n")
    text = strip_invisible_controls(text)
    text = _drop_controls(text, keep_newlines=True)
    lines = [_SPACES.sub(" ", line).strip() for line in text.split("\n")]
    return _BLANK_LINES.sub("\n\n", "\n".join(lines)).strip()


def has_visible_text(text):
    """True when ``text`` draws at least one glyph: padding made of invisible characters does not count."""
    for char in text or "":
        if char.isspace() or char in JOINERS or char in INVISIBLE_LETTERS:
            continue
        if unicodedata.category(char) in ("Cf", "Cc", "Mn", "Me", "Zs", "Zl", "Zp"):
            continue
        return True
    return False


def count_links(text):
    """How many web addresses a comment holds (a spammer's comment is mostly links)."""
    return len(_LINK.findall(text or ""))


def initials(name):
    """One or two letters for a reader's avatar: "أحمد الخطيب" → "أ‌خ", "Jane Doe" → "JD".

    Arabic letters would join into a word, so a zero-width non-joiner keeps them apart;
    the definite article "ال" is skipped so the family name gives its own letter.
    """
    words = [w for w in (name or "").split() if any(c.isalpha() for c in w)]
    if not words:
        return "؟"
    letters = [_first_letter(words[0])]
    if len(words) > 1:
        letters.append(_first_letter(words[-1]))
    separator = "\u200c" if any("\u0600" <= letter <= "\u06ff" for letter in letters) else ""
    return separator.join(letters).upper()


def _first_letter(word):
    if word.startswith(_ARTICLE) and len(word) > 3:
        word = word[len(_ARTICLE):]
    return next(c for c in word if c.isalpha())


def avatar_hue(name):
    """A stable colour for a name, so one reader's avatar looks the same under every comment."""
    return zlib.crc32((name or "").encode()) % 360

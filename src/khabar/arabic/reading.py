"""Reading-time estimates for article pages: "قراءة في 3 دقائق"."""

from __future__ import annotations

import math

from .counting import MINUTE, count_noun

# Adult silent reading of Arabic runs at about 138 words a minute.
WORDS_PER_MINUTE = 140
READING_IN = "قراءة في"


def count_words(text: str | None) -> int:
    """Count whitespace-separated tokens of ``text`` that hold a letter or digit.

    A bare dash, a quotation mark or a lone diacritic is not a word.
    """
    if not text:
        return 0
    return sum(1 for token in text.split() if any(ch.isalnum() for ch in token))


def estimate_reading_minutes(text: str | None, words_per_minute: int = WORDS_PER_MINUTE) -> int:
    """Estimate whole minutes to read ``text``, rounded up, never less than 1."""
    if words_per_minute <= 0:
        raise ValueError(f"words_per_minute must be positive, got {words_per_minute}")
    return max(1, math.ceil(count_words(text) / words_per_minute))


def format_reading_time(minutes: int, digits: str = "western") -> str:
    """Phrase a reading time with number agreement: "قراءة في دقيقتين".

    Fewer than one minute reads as one.
    """
    return f"{READING_IN} {count_noun(max(1, minutes), MINUTE, digits)}"

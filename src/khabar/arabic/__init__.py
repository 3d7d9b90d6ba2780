"""The Arabic layer: pure functions on ``str`` for folding, digits, dates and bidi repair.

Depends on nothing in khabar and nothing in Django, so search, de-duplication,
templates and the wire desk can all share one definition of each rule.
"""

from .bidi import repair_bidi_punctuation
from .counting import CountedNoun, count_noun
from .dates import format_date, format_hijri, format_time, month_name, weekday_name
from .digits import localize_digits, to_arabic_indic, to_western
from .normalize import fold_for_search, strip_invisible_controls
from .reading import count_words, estimate_reading_minutes, format_reading_time
from .relative import relative_time

__all__ = [
    "CountedNoun",
    "count_noun",
    "count_words",
    "estimate_reading_minutes",
    "fold_for_search",
    "format_date",
    "format_hijri",
    "format_reading_time",
    "format_time",
    "localize_digits",
    "month_name",
    "relative_time",
    "repair_bidi_punctuation",
    "strip_invisible_controls",
    "to_arabic_indic",
    "to_western",
    "weekday_name",
]

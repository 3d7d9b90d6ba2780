"""Agreement between a number and the noun it counts, with the number in digits.

Arabic picks the noun's form from the number: 1 and 2 are said by the noun
alone (دقيقة, دقيقتين), 3-10 take the plural (3 دقائق), 11-99 the singular in
the accusative (11 يوماً), and round hundreds the singular in the genitive
(100 يوم). In compound numbers the last two digits decide (103 دقائق, 115 يوماً).
"""

from __future__ import annotations

from typing import NamedTuple

from .digits import check_digit_style, localize_digits


class CountedNoun(NamedTuple):
    """The forms of a noun needed to count it."""

    one: str  # دقيقة
    two: str  # دقيقتين (dual, oblique case as it follows a preposition)
    few: str  # دقائق (plural, after 3-10)
    many: str  # دقيقة / يوماً (accusative singular, after 11-99)
    hundreds: str  # دقيقة / يوم (genitive singular, after 100, 200, 101...)


MINUTE = CountedNoun("دقيقة", "دقيقتين", "دقائق", "دقيقة", "دقيقة")
HOUR = CountedNoun("ساعة", "ساعتين", "ساعات", "ساعة", "ساعة")
DAY = CountedNoun("يوم", "يومين", "أيام", "يوماً", "يوم")


def count_noun(count: int, noun: CountedNoun, digits: str = "western") -> str:
    """Return ``count`` of ``noun`` in grammatical agreement, e.g. "3 دقائق".

    Raises ValueError for a negative count or an unknown digit style.
    """
    check_digit_style(digits)
    if count < 0:
        raise ValueError(f"Cannot count a negative number: {count}")
    if count == 1:
        return noun.one
    if count == 2:
        return noun.two
    tail = count % 100
    if 3 <= tail <= 10:
        form = noun.few
    elif 11 <= tail <= 99:
        form = noun.many
    else:
        form = noun.hundreds
    return f"{localize_digits(str(count), digits)} {form}"

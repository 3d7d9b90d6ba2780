"""Arabic dates and times: weekday and month names by regional style, Hijri dates.

Values are formatted as given: a datetime contributes its own date and clock
reading, so converting to the reader's time zone is the caller's job.
"""

from __future__ import annotations

import datetime as dt

from hijridate import Gregorian

from .digits import check_digit_style, localize_digits

# Python's weekday(): 0 is Monday.
WEEKDAYS = ("الاثنين", "الثلاثاء", "الأربعاء", "الخميس", "الجمعة", "السبت", "الأحد")

_EGYPT_GULF_MONTHS = (
    "يناير", "فبراير", "مارس", "أبريل", "مايو", "يونيو",
    "يوليو", "أغسطس", "سبتمبر", "أكتوبر", "نوفمبر", "ديسمبر",
)
MONTHS = {
    # Levant press: the Syriac name, then the Egyptian one after a slash.
    "levant": (
        "كانون الثاني/يناير", "شباط/فبراير", "آذار/مارس", "نيسان/أبريل",
        "أيار/مايو", "حزيران/يونيو", "تموز/يوليو", "آب/أغسطس",
        "أيلول/سبتمبر", "تشرين الأول/أكتوبر", "تشرين الثاني/نوفمبر",
        "كانون الأول/ديسمبر",
    ),
    "egypt": _EGYPT_GULF_MONTHS,
    "gulf": _EGYPT_GULF_MONTHS,
    # Tunisia and Algeria: names taken from French.
    "maghreb": (
        "جانفي", "فيفري", "مارس", "أفريل", "ماي", "جوان",
        "جويلية", "أوت", "سبتمبر", "أكتوبر", "نوفمبر", "ديسمبر",
    ),
}
MONTH_STYLES = tuple(MONTHS)

HIJRI_MONTHS = (
    "محرم", "صفر", "ربيع الأول", "ربيع الآخر", "جمادى الأولى", "جمادى الآخرة",
    "رجب", "شعبان", "رمضان", "شوال", "ذو القعدة", "ذو الحجة",
)
HIJRI_SUFFIX = "هـ"


def _check_style(style: str) -> str:
    if style not in MONTHS:
        raise ValueError(
            f"Unknown month style {style!r}; expected one of: {', '.join(MONTH_STYLES)}"
        )
    return style


def month_name(month: int, style: str = "levant") -> str:
    """Return the Arabic name of ``month`` (1-12) in a regional ``style``."""
    if not 1 <= month <= 12:
        raise ValueError(f"Month must be 1-12, got {month}")
    return MONTHS[_check_style(style)][month - 1]


def weekday_name(value: dt.date) -> str:
    """Return the Arabic name of the weekday of ``value``."""
    return WEEKDAYS[value.weekday()]


def format_date(
    value: dt.date | None,
    style: str = "levant",
    digits: str = "western",
    weekday: bool = True,
) -> str:
    """Format a date or datetime as Arabic news copy writes it.

    ``format_date(date(2023, 10, 26))`` gives "الخميس 26 تشرين الأول/أكتوبر 2023".
    ``style`` is one of MONTH_STYLES, ``digits`` "western" or "arabic"; unknown
    values raise ValueError. ``None`` gives "".
    """
    months = MONTHS[_check_style(style)]
    check_digit_style(digits)
    if value is None:
        return ""
    text = f"{value.day} {months[value.month - 1]} {value.year}"
    if weekday:
        text = f"{weekday_name(value)} {text}"
    return localize_digits(text, digits)


def format_time(value: dt.datetime | dt.time | None, digits: str = "western") -> str:
    """Format the clock reading of a datetime or time on the 24-hour clock: "14:05"."""
    check_digit_style(digits)
    if value is None:
        return ""
    return localize_digits(f"{value.hour:02d}:{value.minute:02d}", digits)


def format_hijri(value: dt.date | None, digits: str = "western") -> str:
    """Format the Umm al-Qura Hijri date of a date or datetime: "11 ربيع الآخر 1445 هـ".

    Returns "" for ``None`` and for dates outside the calendar's tabulated range.
    """
    check_digit_style(digits)
    if value is None:
        return ""
    try:
        hijri = Gregorian(value.year, value.month, value.day).to_hijri()
    except OverflowError:  # hijridate covers 1343-1500 AH (1924-2077) only
        return ""
    text = f"{hijri.day} {HIJRI_MONTHS[hijri.month - 1]} {hijri.year} {HIJRI_SUFFIX}"
    return localize_digits(text, digits)

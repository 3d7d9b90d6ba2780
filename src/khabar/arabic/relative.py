"""Relative times for recent articles and comments: "منذ 3 ساعات"."""

from __future__ import annotations

import datetime as dt

from .counting import DAY, HOUR, MINUTE, count_noun
from .digits import check_digit_style

NOW = "الآن"
SINCE = "منذ"
MAX_DAYS = 30  # older than this, the caller shows the full date

_MINUTE = 60
_HOUR = 60 * _MINUTE
_DAY = 24 * _HOUR


def relative_time(
    then: dt.datetime | None, now: dt.datetime, digits: str = "western"
) -> str | None:
    """Say how long ago ``then`` was, seen from ``now``, in Arabic.

    Under a minute, and any time in the future (clock skew), is "الآن"; then
    minutes, hours and days with number agreement ("منذ دقيقتين", "منذ 3
    ساعات", "منذ 11 يوماً"). Beyond MAX_DAYS days, or when ``then`` is None,
    returns None so the caller shows the full date. Both datetimes must be
    naive or both aware.
    """
    check_digit_style(digits)
    if then is None:
        return None
    seconds = (now - then).total_seconds()
    if seconds < _MINUTE:
        return NOW
    if seconds < _HOUR:
        count, noun = int(seconds // _MINUTE), MINUTE
    elif seconds < _DAY:
        count, noun = int(seconds // _HOUR), HOUR
    elif seconds < (MAX_DAYS + 1) * _DAY:
        count, noun = int(seconds // _DAY), DAY
    else:
        return None
    return f"{SINCE} {count_noun(count, noun, digits)}"

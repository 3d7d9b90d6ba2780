"""Relative times with Arabic number agreement."""

import datetime as dt

import pytest

from khabar.arabic import relative_time

NOW = dt.datetime(2024, 3, 14, 12, 0, tzinfo=dt.timezone.utc)


def ago(**delta):
    return NOW - dt.timedelta(**delta)


@pytest.mark.parametrize(
    "then, expected",
    [
        pytest.param(NOW, "الآن", id="same-instant"),
        pytest.param(ago(seconds=59), "الآن", id="under-a-minute"),
        pytest.param(NOW + dt.timedelta(minutes=5), "الآن", id="future-clock-skew"),
        pytest.param(ago(minutes=1), "منذ دقيقة", id="one-minute"),
        pytest.param(ago(minutes=2, seconds=59), "منذ دقيقتين", id="dual-minutes"),
        pytest.param(ago(minutes=3), "منذ 3 دقائق", id="plural-minutes"),
        pytest.param(ago(minutes=10), "منذ 10 دقائق", id="ten-minutes"),
        pytest.param(ago(minutes=11), "منذ 11 دقيقة", id="eleven-minutes"),
        pytest.param(ago(minutes=59), "منذ 59 دقيقة", id="fifty-nine-minutes"),
        pytest.param(ago(hours=1), "منذ ساعة", id="one-hour"),
        pytest.param(ago(hours=2), "منذ ساعتين", id="dual-hours"),
        pytest.param(ago(hours=5), "منذ 5 ساعات", id="plural-hours"),
        pytest.param(ago(hours=23, minutes=59), "منذ 23 ساعة", id="many-hours"),
        pytest.param(ago(days=1), "منذ يوم", id="one-day"),
        pytest.param(ago(days=2), "منذ يومين", id="dual-days"),
        pytest.param(ago(days=7), "منذ 7 أيام", id="plural-days"),
        pytest.param(ago(days=11), "منذ 11 يوماً", id="accusative-days"),
        pytest.param(ago(days=30, hours=23), "منذ 30 يوماً", id="thirty-days"),
        pytest.param(ago(days=31), None, id="beyond-thirty-days"),
        pytest.param(None, None, id="none"),
    ],
)
def test_relative_time(then, expected):
    assert relative_time(then, NOW) == expected


def test_relative_time_arabic_digits():
    assert relative_time(ago(hours=3), NOW, digits="arabic") == "منذ ٣ ساعات"


def test_relative_time_naive_datetimes():
    now = dt.datetime(2024, 3, 14, 12, 0)
    assert relative_time(now - dt.timedelta(minutes=15), now) == "منذ 15 دقيقة"


def test_relative_time_rejects_unknown_digits():
    with pytest.raises(ValueError, match="western, arabic"):
        relative_time(ago(hours=3), NOW, digits="indic")

"""Dates as Arabic news copy writes them, by regional style."""

import datetime as dt

import pytest

from khabar.arabic import format_date, format_hijri, format_time, month_name, weekday_name

THURSDAY = dt.date(2023, 10, 26)


@pytest.mark.parametrize(
    "value, style, expected",
    [
        pytest.param(THURSDAY, "levant", "الخميس 26 تشرين الأول/أكتوبر 2023", id="levant-october"),
        pytest.param(dt.date(2024, 1, 15), "levant", "الاثنين 15 كانون الثاني/يناير 2024", id="levant-january"),
        pytest.param(dt.date(2024, 2, 20), "levant", "الثلاثاء 20 شباط/فبراير 2024", id="levant-february"),
        pytest.param(dt.date(2024, 8, 4), "levant", "الأحد 4 آب/أغسطس 2024", id="levant-august"),
        pytest.param(dt.date(2024, 9, 11), "levant", "الأربعاء 11 أيلول/سبتمبر 2024", id="levant-september"),
        pytest.param(dt.date(2024, 12, 6), "levant", "الجمعة 6 كانون الأول/ديسمبر 2024", id="levant-december"),
        pytest.param(THURSDAY, "egypt", "الخميس 26 أكتوبر 2023", id="egypt-october"),
        pytest.param(dt.date(2024, 4, 6), "gulf", "السبت 6 أبريل 2024", id="gulf-april"),
        pytest.param(dt.date(2024, 1, 15), "maghreb", "الاثنين 15 جانفي 2024", id="maghreb-january"),
        pytest.param(dt.date(2024, 6, 18), "maghreb", "الثلاثاء 18 جوان 2024", id="maghreb-june"),
        pytest.param(dt.date(2024, 7, 5), "maghreb", "الجمعة 5 جويلية 2024", id="maghreb-july"),
        pytest.param(dt.date(2024, 8, 4), "maghreb", "الأحد 4 أوت 2024", id="maghreb-august"),
    ],
)
def test_format_date_by_style(value, style, expected):
    assert format_date(value, style=style) == expected


def test_reference_dateline_levant_without_weekday():
    assert format_date(dt.date(2023, 10, 7), weekday=False) == "7 تشرين الأول/أكتوبر 2023"
    assert "7 تشرين الأول/أكتوبر" in format_date(dt.date(2023, 10, 7))


def test_format_date_arabic_indic_digits():
    assert format_date(THURSDAY, digits="arabic") == "الخميس ٢٦ تشرين الأول/أكتوبر ٢٠٢٣"


def test_format_date_uses_datetime_date_part_as_given():
    late = dt.datetime(2023, 10, 26, 23, 59, tzinfo=dt.timezone(dt.timedelta(hours=3)))
    assert format_date(late, style="egypt") == "الخميس 26 أكتوبر 2023"


@pytest.mark.parametrize(
    "kwargs, allowed",
    [
        pytest.param({"style": "syria"}, "levant, egypt, gulf, maghreb", id="unknown-style"),
        pytest.param({"digits": "hindi"}, "western, arabic", id="unknown-digits"),
    ],
)
def test_format_date_rejects_unknown_option(kwargs, allowed):
    with pytest.raises(ValueError, match=allowed):
        format_date(THURSDAY, **kwargs)


def test_format_date_none_is_empty():
    assert format_date(None) == ""


@pytest.mark.parametrize(
    "month, style, expected",
    [
        pytest.param(3, "levant", "آذار/مارس", id="levant-march"),
        pytest.param(5, "egypt", "مايو", id="egypt-may"),
        pytest.param(2, "maghreb", "فيفري", id="maghreb-february"),
    ],
)
def test_month_name(month, style, expected):
    assert month_name(month, style) == expected


@pytest.mark.parametrize("month", [0, 13], ids=["zero", "thirteen"])
def test_month_name_rejects_out_of_range(month):
    with pytest.raises(ValueError, match="1-12"):
        month_name(month)


@pytest.mark.parametrize(
    "day, expected",
    [(dt.date(2024, 1, 15 + n), name) for n, name in enumerate(
        ["الاثنين", "الثلاثاء", "الأربعاء", "الخميس", "الجمعة", "السبت", "الأحد"]
    )],
    ids=["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"],
)
def test_weekday_name(day, expected):
    assert weekday_name(day) == expected


@pytest.mark.parametrize(
    "value, digits, expected",
    [
        pytest.param(dt.datetime(2023, 10, 26, 14, 5), "western", "14:05", id="afternoon-24h"),
        pytest.param(dt.datetime(2023, 10, 26, 7, 0), "western", "07:00", id="morning-padded"),
        pytest.param(dt.time(0, 30), "arabic", "٠٠:٣٠", id="midnight-arabic"),
        pytest.param(None, "western", "", id="none"),
    ],
)
def test_format_time(value, digits, expected):
    assert format_time(value, digits) == expected


def test_format_time_rejects_unknown_digits():
    with pytest.raises(ValueError, match="western, arabic"):
        format_time(dt.time(14, 5), "roman")


@pytest.mark.parametrize(
    "value, digits, expected",
    [
        pytest.param(THURSDAY, "western", "11 ربيع الآخر 1445 هـ", id="rabi-al-akhir"),
        pytest.param(dt.date(2023, 7, 19), "western", "1 محرم 1445 هـ", id="new-year"),
        pytest.param(dt.date(2024, 3, 11), "arabic", "١ رمضان ١٤٤٥ هـ", id="ramadan-arabic"),
        pytest.param(dt.datetime(2024, 6, 16, 9), "western", "10 ذو الحجة 1445 هـ", id="eid-al-adha-datetime"),
        pytest.param(dt.date(1924, 8, 1), "western", "1 محرم 1343 هـ", id="first-supported-day"),
        pytest.param(dt.date(1924, 7, 31), "western", "", id="before-range"),
        pytest.param(dt.date(2077, 11, 17), "western", "", id="after-range"),
        pytest.param(None, "western", "", id="none"),
    ],
)
def test_format_hijri(value, digits, expected):
    assert format_hijri(value, digits) == expected


def test_format_hijri_rejects_unknown_digits():
    with pytest.raises(ValueError, match="western, arabic"):
        format_hijri(THURSDAY, "eastern")

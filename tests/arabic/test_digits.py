"""Digit conversion between Western, Arabic-Indic and Persian forms."""

import pytest

from khabar.arabic import localize_digits, to_arabic_indic, to_western


@pytest.mark.parametrize(
    "text, expected",
    [
        pytest.param("عام 2023", "عام ٢٠٢٣", id="western"),
        pytest.param("سال ۱۴۰۲", "سال ١٤٠٢", id="persian"),
        pytest.param("الساعة 14:05", "الساعة ١٤:٠٥", id="time"),
        pytest.param("٧ أكتوبر", "٧ أكتوبر", id="already-arabic-indic"),
        pytest.param("", "", id="empty"),
        pytest.param(None, "", id="none"),
    ],
)
def test_to_arabic_indic(text, expected):
    assert to_arabic_indic(text) == expected


@pytest.mark.parametrize(
    "text, expected",
    [
        pytest.param("منذ ٣ ساعات", "منذ 3 ساعات", id="arabic-indic"),
        pytest.param("سال ۱۴۰۲", "سال 1402", id="persian"),
        pytest.param("COVID-19", "COVID-19", id="latin-untouched"),
        pytest.param(None, "", id="none"),
    ],
)
def test_to_western(text, expected):
    assert to_western(text) == expected


@pytest.mark.parametrize(
    "style, expected",
    [("western", "قتل 12 شخصاً"), ("arabic", "قتل ١٢ شخصاً")],
    ids=["style-western", "style-arabic"],
)
def test_localize_digits(style, expected):
    assert localize_digits("قتل ١٢ شخصاً", style) == expected


@pytest.mark.parametrize("style", ["persian", "Arabic", "", None], ids=["persian", "case", "empty", "none"])
def test_localize_digits_rejects_unknown_style(style):
    with pytest.raises(ValueError, match="western, arabic"):
        localize_digits("2023", style)

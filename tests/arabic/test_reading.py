"""Reading-time estimates and their Arabic phrasing."""

import pytest

from khabar.arabic import count_words, estimate_reading_minutes, format_reading_time

WORD = "الحكومة "


@pytest.mark.parametrize(
    "text, expected",
    [
        pytest.param("قال الرئيس اليوم", 3, id="arabic-words"),
        pytest.param("موسكو: قال - «نعم» …", 3, id="punctuation-only-tokens-skipped"),
        pytest.param("عام ٢٠٢٣ و 2024", 4, id="digits-are-words"),
        pytest.param("كِتَابٌ ً", 1, id="lone-diacritic-skipped"),
        pytest.param("Reuters\nوكالات\tAFP", 3, id="mixed-whitespace"),
        pytest.param("", 0, id="empty"),
        pytest.param(None, 0, id="none"),
    ],
)
def test_count_words(text, expected):
    assert count_words(text) == expected


@pytest.mark.parametrize(
    "text, expected",
    [
        pytest.param("", 1, id="empty-minimum-one"),
        pytest.param(WORD * 10, 1, id="short"),
        pytest.param(WORD * 140, 1, id="exactly-one-minute"),
        pytest.param(WORD * 141, 2, id="rounds-up"),
        pytest.param(WORD * 700, 5, id="long-article"),
    ],
)
def test_estimate_reading_minutes(text, expected):
    assert estimate_reading_minutes(text) == expected


def test_estimate_reading_minutes_custom_speed():
    assert estimate_reading_minutes(WORD * 300, words_per_minute=100) == 3


@pytest.mark.parametrize("speed", [0, -5], ids=["zero", "negative"])
def test_estimate_reading_minutes_rejects_bad_speed(speed):
    with pytest.raises(ValueError, match="positive"):
        estimate_reading_minutes("نص", words_per_minute=speed)


@pytest.mark.parametrize(
    "minutes, digits, expected",
    [
        pytest.param(1, "western", "قراءة في دقيقة", id="one-minute"),
        pytest.param(0, "western", "قراءة في دقيقة", id="zero-reads-as-one"),
        pytest.param(2, "western", "قراءة في دقيقتين", id="dual-minutes"),
        pytest.param(3, "western", "قراءة في 3 دقائق", id="plural-minutes"),
        pytest.param(10, "arabic", "قراءة في ١٠ دقائق", id="ten-arabic"),
        pytest.param(12, "western", "قراءة في 12 دقيقة", id="many-minutes"),
    ],
)
def test_format_reading_time(minutes, digits, expected):
    assert format_reading_time(minutes, digits) == expected


def test_format_reading_time_rejects_unknown_digits():
    with pytest.raises(ValueError, match="western, arabic"):
        format_reading_time(3, "farsi")

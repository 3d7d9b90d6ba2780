"""Repairing punctuation displaced by a bidi round-trip, and leaving the rest alone."""

import pytest

from khabar.arabic import repair_bidi_punctuation


@pytest.mark.parametrize(
    "text, expected",
    [
        pytest.param("منذ .2006", "منذ 2006.", id="reference-full-stop"),
        pytest.param("في عام ,2019 قال", "في عام 2019, قال", id="comma-mid-sentence"),
        pytest.param("في عام ،2019 قال", "في عام 2019، قال", id="arabic-comma"),
        pytest.param("حتى عام ؛2020 وبعده", "حتى عام 2020؛ وبعده", id="arabic-semicolon"),
        pytest.param("والنتيجة :3 مقابل 1", "والنتيجة 3: مقابل 1", id="colon"),
        pytest.param("فاز بنسبة !90%", "فاز بنسبة 90%!", id="exclamation-percent"),
        pytest.param("هل تعود في ؟2026", "هل تعود في 2026؟", id="arabic-question"),
        pytest.param("هل تعود في ?2026", "هل تعود في 2026?", id="latin-question"),
        pytest.param("هل تعود في ؟!2026", "هل تعود في 2026؟!", id="mark-cluster"),
        pytest.param("منذ .٢٠٠٦", "منذ ٢٠٠٦.", id="arabic-indic-digits"),
        pytest.param("ارتفع بنسبة .3.5", "ارتفع بنسبة 3.5.", id="decimal-run"),
        pytest.param("موسم .2019-2020", "موسم 2019-2020.", id="range-run"),
        pytest.param("قالت وكالة .Reuters", "قالت وكالة Reuters.", id="latin-word-sentence-end"),
        pytest.param("منذ .2006\nوقال", "منذ 2006.\nوقال", id="paragraph-end"),
        pytest.param("(منذ .2006)", "(منذ 2006.)", id="before-closing-bracket"),
        pytest.param("\u200fمنذ .2006\u200f", "منذ 2006.", id="with-right-to-left-marks"),
        pytest.param("منذ .2006 وفي عام ,2019 قال", "منذ 2006. وفي عام 2019, قال", id="two-repairs"),
    ],
)
def test_repairs_displaced_punctuation(text, expected):
    assert repair_bidi_punctuation(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("انتهى. 2006 كان عاما", id="mark-after-sentence-end"),
        pytest.param("بلغ النمو 3.5 بالمئة", id="decimal"),
        pytest.param("الساعة 14:05 بتوقيت مكة", id="time"),
        pytest.param("راجع https://example.com/a.b للمزيد", id="url"),
        pytest.param("الإصدار v.2 متاح", id="latin-v-dot-2"),
        pytest.param("تقنية .NET الجديدة", id="dotted-latin-name-mid-sentence"),
        pytest.param("since .2006", id="latin-context"),
        pytest.param("2005 .2006", id="digit-context"),
        pytest.param("عام ,2019,", id="run-not-a-whole-token"),
        pytest.param("قال الرئيس: «نعم».", id="ordinary-arabic"),
        pytest.param("", id="empty"),
    ],
)
def test_leaves_legitimate_punctuation_alone(text):
    assert repair_bidi_punctuation(text) == text


def test_none_is_empty():
    assert repair_bidi_punctuation(None) == ""


def test_repair_is_idempotent():
    once = repair_bidi_punctuation("\u202bمنذ .2006 وفي عام ,2019 قال\u202c")
    assert repair_bidi_punctuation(once) == once

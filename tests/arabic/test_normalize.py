"""fold_for_search: one real word per rule, edge cases, idempotence."""

import pytest

from khabar.arabic import fold_for_search, strip_invisible_controls


@pytest.mark.parametrize(
    "text, expected",
    [
        pytest.param("إسلام", "اسلام", id="alef-hamza-below"),
        pytest.param("أحمد", "احمد", id="alef-hamza-above"),
        pytest.param("القرآن", "القران", id="alef-madda"),
        pytest.param("ٱلله", "الله", id="alef-wasla"),
        pytest.param("مستشفى", "مستشفي", id="alef-maksura"),
        pytest.param("مدرسة", "مدرسه", id="teh-marbuta"),
        pytest.param("مؤتمر", "موتمر", id="waw-hamza"),
        pytest.param("رئيس", "رييس", id="yeh-hamza"),
        pytest.param("جميـــل", "جميل", id="tatweel"),
        pytest.param("كِتَابٌ", "كتاب", id="harakat"),
        pytest.param("شدَّة", "شده", id="shadda"),
        pytest.param("رحمٰن", "رحمن", id="superscript-alef"),
        pytest.param("عامًا", "عاما", id="fathatan"),
        pytest.param("قُتِلْ", "قتل", id="sukun"),
        pytest.param("عام ٢٠٢٣", "عام 2023", id="arabic-indic-digits"),
        pytest.param("سال ۱۴۰۲", "سال 1402", id="persian-digits"),
        pytest.param("غزة\u200f", "غزه", id="right-to-left-mark"),
        pytest.param("\u202bسوريا\u202c", "سوريا", id="embedding"),
        pytest.param("\u2067لبنان\u2069", "لبنان", id="isolate"),
        pytest.param("\ufeffموسكو", "موسكو", id="byte-order-mark"),
        pytest.param("مصر\u200b", "مصر", id="zero-width-space"),
        pytest.param("می\u200cخواهم", "میخواهم", id="zero-width-non-joiner"),
        pytest.param("\u061cقطر", "قطر", id="arabic-letter-mark"),
        pytest.param("وكالة NASA", "وكاله nasa", id="latin-lowercase"),
        pytest.param("رئيس الوزراء الإسرائيليّ", "رييس الوزراء الاسراييلي", id="phrase"),
    ],
)
def test_fold_for_search(text, expected):
    assert fold_for_search(text) == expected


@pytest.mark.parametrize(
    "written, typed",
    [
        pytest.param("الإسرائيلي", "الاسرائيلي", id="hamza-typed-bare"),
        pytest.param("مستشفى", "مستشفي", id="maksura-typed-yeh"),
        pytest.param("القاهرة", "القاهره", id="teh-marbuta-typed-heh"),
        pytest.param("السُّلْطَة", "السلطة", id="tashkeel-not-typed"),
        pytest.param("عام ٢٠٢٣", "عام 2023", id="digits-typed-western"),
    ],
)
def test_search_meets_the_way_readers_type(written, typed):
    assert fold_for_search(written) == fold_for_search(typed)


@pytest.mark.parametrize(
    "text, expected",
    [
        pytest.param("", "", id="empty"),
        pytest.param(None, "", id="none"),
        pytest.param("Moscow 2023", "moscow 2023", id="non-arabic"),
        pytest.param("ء", "ء", id="bare-hamza-kept"),
        pytest.param("   ", "   ", id="whitespace-kept"),
    ],
)
def test_fold_edge_cases(text, expected):
    assert fold_for_search(text) == expected


TRICKY = [
    pytest.param("", id="empty"),
    pytest.param("الإسرائيلي", id="hamza-word"),
    pytest.param("ـــًٌٍَُِّْٰـــ", id="only-marks-and-tatweel"),
    pytest.param("أإآٱىةؤئ", id="every-folded-letter"),
    pytest.param("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹", id="every-native-digit"),
    pytest.param(
        "\u200b\u200c\u200d\u200e\u200f\u202a\u202b\u202c\u202d\u202e"
        "\u2066\u2067\u2068\u2069\ufeff\u061c",
        id="every-control",
    ),
    pytest.param("İSTANBUL وÉCOLE", id="latin-with-special-case"),
    pytest.param("ﻻ ﷲ", id="presentation-forms"),
    pytest.param("منذ .2006", id="displaced-stop"),
    pytest.param("👨\u200d👩\u200d👧 عاجل", id="emoji-sequence"),
    pytest.param("كِـتَـابٌ\u200fأ١", id="everything-at-once"),
]


@pytest.mark.parametrize("text", TRICKY)
def test_fold_is_idempotent(text):
    once = fold_for_search(text)
    assert fold_for_search(once) == once


@pytest.mark.parametrize("text", TRICKY)
def test_strip_invisible_controls_is_idempotent(text):
    once = strip_invisible_controls(text)
    assert strip_invisible_controls(once) == once


@pytest.mark.parametrize(
    "text, expected",
    [
        pytest.param("\u200fمنذ 2006\u200f", "منذ 2006", id="right-to-left-mark"),
        pytest.param("\u202eسوريا\u202c", "سوريا", id="override"),
        pytest.param("\u2068Reuters\u2069 وكالة", "Reuters وكالة", id="first-strong-isolate"),
        pytest.param("\ufeffخبر\u200b", "خبر", id="bom-and-zero-width-space"),
        pytest.param("الإسرائيليّ ـ ١", "الإسرائيليّ ـ ١", id="display-letters-untouched"),
        pytest.param("می\u200cخواهم", "می\u200cخواهم", id="non-joiner-kept"),
        pytest.param("👨\u200d👩\u200d👧", "👨\u200d👩\u200d👧", id="emoji-joiner-kept"),
        pytest.param(None, "", id="none"),
    ],
)
def test_strip_invisible_controls(text, expected):
    assert strip_invisible_controls(text) == expected

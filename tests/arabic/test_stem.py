"""The light stemmer: one real word per rule, the forms readers type, and the words it must leave alone."""

import pytest

from khabar.arabic import fold_for_search
from khabar.arabic.stem import query_stems, stem, strip_proclitics


def check(word, expected):
    assert stem(fold_for_search(word)) == expected


@pytest.mark.parametrize(
    "word, expected",
    [
        pytest.param("والحكومة", "حكوم", id="wal-prefix"),
        pytest.param("فالقرار", "قرار", id="fal-prefix"),
        pytest.param("بالرياض", "رياض", id="bal-prefix"),
        pytest.param("كالعادة", "عاد", id="kal-prefix"),
        pytest.param("وللمرة", "مر", id="wall-prefix"),
        pytest.param("للحكومة", "حكوم", id="lil-prefix"),
        pytest.param("الحكومة", "حكوم", id="al-prefix"),
        pytest.param("وسوريا", "سوريا", id="waw-prefix"),
        pytest.param("سياستها", "سياست", id="ha-suffix"),
        pytest.param("الطرفان", "طرف", id="an-suffix"),
        pytest.param("المفاوضات", "مفاوض", id="at-suffix"),
        pytest.param("المسؤولون", "مسوول", id="un-suffix"),
        pytest.param("اللاجئين", "لاج", id="in-suffix"),
        pytest.param("الدولية", "دول", id="iyya-suffix"),
        pytest.param("مدرسة", "مدرس", id="teh-marbuta"),
        pytest.param("كتابه", "كتاب", id="heh-suffix"),
        pytest.param("العربي", "عرب", id="yeh-suffix"),
    ],
)
def test_rule(word, expected):
    check(word, expected)


@pytest.mark.parametrize(
    "written, typed",
    [
        pytest.param("الإسرائيلي", "الاسرائيلي", id="hamza-below-typed-bare"),
        pytest.param("أسواق", "اسواق", id="hamza-above-typed-bare"),
        pytest.param("القرآن", "القران", id="alef-madda-typed-bare"),
        pytest.param("غزة", "غزه", id="teh-marbuta-typed-heh"),
        pytest.param("مستشفى", "مستشفي", id="alef-maksura-typed-yeh"),
        pytest.param("مستشفى", "المستشفيات", id="alef-maksura-and-plural"),
        pytest.param("مؤتمر", "موتمر", id="waw-hamza-typed-waw"),
        pytest.param("الرئيس", "رئيس", id="yeh-hamza-article"),
        pytest.param("المعلمين", "المعلمون", id="plural-case"),
        pytest.param("معلمة", "معلمات", id="feminine-plural"),
        pytest.param("الحكومة", "والحكومة", id="conjunction-added"),
        pytest.param("الحكومة", "للحكومة", id="lil-added"),
        pytest.param("الحكومة", "حكومة", id="article-dropped"),
        pytest.param("مُحَمَّد", "محمد", id="tashkeel"),
        pytest.param("جميـــل", "جميل", id="tatweel"),
    ],
)
def test_forms_readers_type_meet(written, typed):
    assert stem(fold_for_search(written)) == stem(fold_for_search(typed))


@pytest.mark.parametrize(
    "word",
    [
        pytest.param("ولد", id="waw-root-letter-short-word"),
        pytest.param("بر", id="two-letters"),
        pytest.param("ها", id="suffix-alone"),
        pytest.param("ال", id="article-alone"),
        pytest.param("london", id="latin"),
        pytest.param("2018", id="digits"),
        pytest.param("", id="empty"),
    ],
)
def test_shouldnt_stem(word):
    assert stem(word) == word


def test_stem_leaves_at_least_two_letters():
    for word in ("والها", "بالات", "للين", "الهي"):
        assert len(stem(word)) >= 2, word


@pytest.mark.parametrize(
    "typed, indexed",
    [
        pytest.param("بغزه", "غزه", id="beh-preposition"),
        pytest.param("للجنه", "اللجنه", id="lil-before-lam-word"),
        pytest.param("لجنه", "للجنه", id="bare-lam-word"),
        pytest.param("وزير", "الوزير", id="waw-root-letter"),
        pytest.param("الوزير", "وزير", id="waw-root-letter-article"),
        pytest.param("وبغزه", "غزه", id="waw-then-beh"),
    ],
)
def test_query_stems_cover_the_other_reading(typed, indexed):
    assert stem(indexed) in query_stems(typed)


def test_query_stems_start_with_the_stem():
    for word in ("بريطانيا", "الحكومه", "london", "2018"):
        assert query_stems(word)[0] == stem(word)


def test_strip_proclitics_keeps_suffixes_for_words_being_typed():
    assert strip_proclitics("والحكو") == "حكو"
    assert strip_proclitics("مستشفيا") == "مستشفيا"

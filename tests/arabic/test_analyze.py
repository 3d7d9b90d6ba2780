"""analyze / index_terms / query_terms: the one analysis of index, query and highlighting."""

import random

import pytest

from khabar.arabic.analyze import Analyzer, analyze, index_terms, query_terms, tokens


@pytest.mark.parametrize(
    "text, expected",
    [
        pytest.param("الإسرائيلي", ["الاسراييلي"], id="hamza-forms"),
        pytest.param("مستشفى", ["مستشفي"], id="alef-maksura"),
        pytest.param("غزة", ["غزه"], id="teh-marbuta"),
        pytest.param("جميـــل", ["جميل"], id="tatweel"),
        pytest.param("مُحَمَّدٌ", ["محمد"], id="tashkeel"),
        pytest.param("مؤتمر رئيس", ["موتمر", "رييس"], id="waw-and-yeh-hamza"),
        pytest.param("عام ٢٠٢٣", ["عام", "2023"], id="arabic-indic-digits"),
        pytest.param("في عام 2015م", ["عام", "2015", "م"], id="digits-apart-from-letters"),
        pytest.param("شركة Apple", ["شركه", "apple"], id="latin-lowercased"),
        pytest.param("غزة\u200f،\u202bرفح\u202c", ["غزه", "رفح"], id="bidi-controls"),
        pytest.param("«القدس»؛ (رام الله)!", ["القدس", "رام", "الله"], id="punctuation"),
        pytest.param("ذهب إلى السوق", ["ذهب", "السوق"], id="stopword-preposition"),
        pytest.param("التقى علي بالوزير على الحدود", ["التقي", "علي", "بالوزير", "الحدود"], id="ala-is-a-stopword-ali-is-a-name"),
        pytest.param("الى", [], id="stopword-typed-bare"),
        pytest.param("هذه", [], id="demonstrative"),
    ],
)
def test_analyze(text, expected):
    assert analyze(text) == expected


def test_latin_glued_to_arabic_conjunction_splits_by_script():
    assert analyze("وGoogle و Apple") == ["google", "apple"]


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("", id="empty"),
        pytest.param(None, id="none"),
        pytest.param("!!! ؟؟ ... --- ***", id="punctuation-only"),
        pytest.param("💥🔥👍🏽", id="emoji-only"),
        pytest.param("في من على إلى عن", id="stopwords-only"),
        pytest.param("\u064e\u064f\u0651", id="tashkeel-only"),
        pytest.param("ـــــ", id="tatweel-only"),
        pytest.param("\u200f\u202b\u2067", id="controls-only"),
    ],
)
def test_nothing_to_index(text):
    assert analyze(text) == []
    assert index_terms(text) == ([], [])
    assert query_terms(text) == []


def test_words_longer_than_forty_letters_are_not_terms():
    assert analyze("ب" * 41 + " غزة") == ["غزه"]


def test_index_terms_give_surface_and_stem_position_for_position():
    surfaces, stems = index_terms("وزير الخارجية الإسرائيلي في غزة")
    assert surfaces == ["وزير", "الخارجيه", "الاسراييلي", "غزه"]
    assert stems == ["زير", "خارج", "اسراييل", "غز"]


def test_query_terms_are_analysed_as_the_index_is():
    text = "المستشفيات في غزة"
    surfaces, stems = index_terms(text)
    assert [(surface, stems_[0]) for surface, stems_ in query_terms(text)] == list(zip(surfaces, stems))


def test_terms_hold_only_letters_and_digits():
    hostile = 'title:غزة OR "x" NEAR(a b) * ^ -- ; DROP TABLE; \' \\ {a b}: :* & | ! <-> $$ %'
    for surface, stems in query_terms(hostile):
        for term in (surface, *stems):
            assert term.isalnum(), term


def test_token_spans_point_into_the_original_text():
    text = "قال الرئيسُ الإسرائيليّ إنّ غزةَ"
    spans = [(text[t.start:t.end], t.surface) for t in tokens(text)]
    assert spans == [("قال", "قال"), ("الرئيسُ", "الرييس"), ("الإسرائيليّ", "الاسراييلي"), ("غزةَ", "غزه")]


def test_token_spans_survive_decomposed_hamza():
    text = "الا\u0654من"  # alef + combining hamza above (not NFC)
    (token,) = tokens(text)
    assert text[token.start:token.end] == text
    assert token.surface == "الامن"


def test_surface_analyzer_does_not_stem():
    assert Analyzer(stemmer=None).index_terms("المستشفيات") == (["المستشفيات"], ["المستشفيات"])


def test_analysis_is_idempotent_on_its_own_output():
    rng = random.Random(5)
    alphabet = "ابتثجحخدذرزسشصضطظعغفقكلمنهويءآأإؤئىة" + "\u064e\u064f\u0650\u0651\u0640 ،.؟0123٤٥"
    for _ in range(300):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 40)))
        once = analyze(text)
        assert analyze(" ".join(once)) == [word for word in once if analyze(word)]

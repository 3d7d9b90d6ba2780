"""Reading what a reader typed: words, "phrases", -exclusions, and every hostile string as plain text."""

import pytest

from khabar.search.query import MAX_TERMS, parse_query


def surfaces(terms):
    return [t.surface for t in terms]


def test_words_are_folded_and_stemmed():
    query = parse_query("المستشفيات في غزة")
    assert surfaces(query.terms) == ["المستشفيات", "غزه"]
    assert [t.stem for t in query.terms] == ["مستشف", "غز"]


def test_quoted_words_are_a_phrase():
    query = parse_query('"وزير الخارجية" السعودي')
    assert [surfaces(p) for p in query.phrases] == [["وزير", "الخارجيه"]]
    assert surfaces(query.terms) == ["السعودي"]


def test_one_quoted_word_must_match_as_typed():
    query = parse_query('"غزة" رفح')
    assert surfaces(query.exact) == ["غزه"]
    assert surfaces(query.terms) == ["رفح"]


@pytest.mark.parametrize("quotes", ["«»", "“”", '""'])
def test_arabic_and_typographic_quotes(quotes):
    query = parse_query(f"{quotes[0]}وزير الخارجية{quotes[1]}")
    assert [surfaces(p) for p in query.phrases] == [["وزير", "الخارجيه"]]


def test_minus_excludes_a_word():
    query = parse_query("ترامب -كوريا بيونغ")
    assert surfaces(query.terms) == ["ترامب", "بيونغ"]
    assert surfaces(query.excluded) == ["كوريا"]


def test_minus_excludes_a_phrase():
    query = parse_query('النفط -"أوبك بلس"')
    assert surfaces(query.excluded) == ["اوبك", "بلس"]


def test_hyphen_inside_a_word_is_not_an_exclusion():
    query = parse_query("كوفيد-19")
    assert surfaces(query.terms) == ["كوفيد", "19"]
    assert query.excluded == []


def test_unbalanced_quote_reads_as_words():
    query = parse_query('"وزير الخارجية')
    assert surfaces(query.terms) == ["وزير", "الخارجيه"]
    assert query.phrases == []


def test_only_exclusions_is_empty():
    assert parse_query("-غزة").is_empty


def test_repeated_words_count_once_and_words_are_capped():
    query = parse_query(" ".join(f"كلمة{n}" for n in range(30)) + " غزة غزة")
    assert len(query.positive_terms()) == MAX_TERMS


def test_folded_form_for_the_log():
    assert parse_query("  الإسرائيليّ   غزة ").folded() == "الاسراييلي غزه"


HOSTILE = {
    "thousand-chars": "أ" * 1000,
    "thousand-words": "غزة " * 250,
    "punctuation-only": "!!! ؟؟؟ ... ،،، ---",
    "emoji-only": "💥🔥👍🏽🇵🇸",
    "stopwords-only": "في من على إلى عن",
    "unbalanced-quotes": '"""غزة"',
    "fts-near": "NEAR(غزة مستشفى, 5)",
    "fts-operators": "غزة AND OR NOT * ^ + -",
    "fts-column-filter": "title_terms: غزة {body_stems}: x",
    "fts-star-prefix": "غز* ^غزة",
    "tsquery": "غزة & !رفح | (x <-> y) :* 'a':A",
    "sql": "'; DROP TABLE khabar_search_document; --",
    "latin": "Trump Kim summit",
    "mixed-digits": "عام ٢٠١٨ و2019 ۱۴۰۲",
    "control-characters": "\x00\x01غزة\u202e\u200f",
    "lone-surrogate-free-nonsense": "\ufffd\ufeff",
}


@pytest.mark.parametrize("text", HOSTILE.values(), ids=HOSTILE.keys())
def test_hostile_text_gives_only_letter_and_digit_terms(text):
    query = parse_query(text)
    for term in query.positive_terms() + query.excluded:
        for word in (term.surface, *term.stems):
            assert word.isalnum(), word
    assert len(query.positive_terms()) <= MAX_TERMS

"""Search as readers use it, on the database the suite runs on (SQLite FTS5 or PostgreSQL tsvector)."""

from datetime import timedelta

import pytest

from tests.search.test_query import HOSTILE

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "written, typed",
    [
        pytest.param("الجيش الإسرائيلي يقصف", "الاسرائيلي", id="hamza-dropped"),
        pytest.param("قصف على غزة", "غزه", id="teh-marbuta-typed-heh"),
        pytest.param("افتتاح مستشفى جديد", "مستشفي", id="alef-maksura-typed-yeh"),
        pytest.param("افتتاح مستشفي جديد", "مستشفى", id="yeh-typed-alef-maksura"),
        pytest.param("قمة في القاهرة", "القَاهِرَة", id="tashkeel-typed"),
        pytest.param("مُحَمَّد صلاح يسجل", "محمد", id="tashkeel-written"),
        pytest.param("انتخابات جديـــدة", "جديدة", id="tatweel-written"),
        pytest.param("مؤتمر المانحين", "موتمر", id="waw-hamza"),
        pytest.param("زيارة الرئيس", "رئيس", id="article-dropped"),
        pytest.param("قصف على غزة", "بغزة", id="beh-added"),
        pytest.param("الوزير يصل", "وزير", id="waw-root-letter"),
        pytest.param("دعم للحكومة", "الحكومة", id="lil-written"),
        pytest.param("تقرير اللجنة", "للجنة", id="lil-typed-before-lam"),
        pytest.param("المستشفيات الميدانية", "مستشفى", id="plural-written"),
        pytest.param("إضراب المعلمين", "المعلمون", id="plural-case"),
        pytest.param("قمة عام ٢٠١٨", "2018", id="arabic-indic-digits"),
        pytest.param("شركة Apple تعلن", "apple", id="latin-case"),
    ],
)
def test_finds_the_forms_readers_type(publish, search, written, typed):
    page = publish(written)
    publish("خبر آخر لا علاقة له")
    assert search(typed) == [page.pk]


@pytest.fixture
def newsroom(publish):
    """Unrelated articles, so that a word in three articles is rare enough to rank by (bm25's IDF)."""
    for n, title in enumerate(("أسعار الذهب", "طقس بارد", "مهرجان السينما", "سوق الأسهم", "بطولة التنس", "معرض الكتاب")):
        publish(title, "نص لا يذكر شيئا مما يبحث عنه.", age=timedelta(days=30 + n))


def test_title_ranks_above_lead_above_body(newsroom, publish, search):
    in_body = publish("خبر أول", "مقدمة عن الطقس.", "وفي آخر الخبر ذكر للمفاوضات مع الجانب الآخر.")
    in_title = publish("المفاوضات تتعثر", "مقدمة عن الطقس.", "نص آخر.")
    in_lead = publish("خبر ثالث", "بدأت المفاوضات صباح اليوم.", "نص آخر.")
    assert search("المفاوضات") == [in_title.pk, in_lead.pk, in_body.pk]


def test_exact_form_ranks_above_stem_only(newsroom, publish, search):
    stem_only = publish("المستشفيات الميدانية تستقبل الجرحى")
    exact = publish("المستشفى الميداني يستقبل الجرحى")
    assert search("المستشفى الميداني") == [exact.pk, stem_only.pk]


def test_recency_breaks_ties(newsroom, publish, search):
    older = publish("هدنة في اليمن", age=timedelta(days=3))
    newer = publish("هدنة في اليمن", age=timedelta(hours=1))
    assert search("هدنة اليمن") == [newer.pk, older.pk]


def test_sort_by_date(newsroom, publish, search):
    old_title_match = publish("انتخابات البرلمان", age=timedelta(days=9))
    new_body_match = publish("خبر اليوم", "انتخابات في الأفق.", age=timedelta(days=1))
    assert search("انتخابات") == [old_title_match.pk, new_body_match.pk]
    assert search("انتخابات", order="date") == [new_body_match.pk, old_title_match.pk]


def test_every_word_must_match_when_some_article_has_them_all(publish, search, backend):
    from khabar.search.query import parse_query

    both = publish("وزير الخارجية في موسكو")
    publish("وزير الصحة في الرياض")
    result = backend.search(parse_query("وزير موسكو"))
    assert [h.page_id for h in result.hits] == [both.pk]
    assert not result.relaxed


def test_falls_back_to_most_of_the_words_when_no_article_has_them_all(newsroom, publish, backend):
    from khabar.search.query import parse_query

    two = publish("وزير الخارجية في موسكو")
    one = publish("وزير الصحة في الرياض")
    result = backend.search(parse_query("وزير موسكو كوالالمبور"))
    assert result.relaxed
    assert [h.page_id for h in result.hits] == [two.pk, one.pk]


def test_phrase_needs_adjacent_words(publish, search):
    adjacent = publish("وزير الخارجية يصل")
    apart = publish("الخارجية تستدعي وزير الدفاع")
    assert set(search("وزير الخارجية")) == {adjacent.pk, apart.pk}
    assert search('"وزير الخارجية"') == [adjacent.pk]


def test_phrase_is_folded_like_words(publish, search):
    page = publish("الرئيس الإسرائيلي يزور")
    assert search('"الرئيس الاسرائيلي"') == [page.pk]


def test_phrase_does_not_span_title_and_lead(publish, search):
    publish("زيارة وزير", "الخارجية تعلن.")
    assert search('"وزير الخارجية"') == []


def test_quoted_word_matches_only_that_form(publish, search):
    exact = publish("المستشفى يستقبل")
    publish("المستشفيات تستقبل")
    assert search('"المستشفى"') == [exact.pk]


def test_minus_excludes_every_form_of_a_word(publish, search):
    keep = publish("ترامب يلتقي ماكرون")
    publish("ترامب يلتقي زعيم كوريا الشمالية")
    publish("ترامب والكوري الجنوبي")
    assert search("ترامب -كوريا -الكوري") == [keep.pk]


def test_section_filter(publish, search, other_section):
    world = publish("كأس العالم في روسيا")
    sport = publish("كأس العالم تنطلق", parent=other_section)
    assert set(search("كأس العالم")) == {world.pk, sport.pk}
    assert search("كأس العالم", section_id=other_section.pk) == [sport.pk]


def test_date_range_filter(publish, search):
    from django.utils import timezone

    old = publish("أسعار النفط", age=timedelta(days=40))
    new = publish("أسعار النفط ترتفع", age=timedelta(days=2))
    now = timezone.now()
    assert search("النفط", since=now - timedelta(days=10)) == [new.pk]
    assert search("النفط", until=now - timedelta(days=10)) == [old.pk]


def test_pagination_counts_every_match(publish, backend):
    from khabar.search.query import parse_query

    ids = [publish(f"مباراة رقم {n}", age=timedelta(hours=n + 1)).pk for n in range(5)]
    first = backend.search(parse_query("مباراة"), limit=2)
    third = backend.search(parse_query("مباراة"), limit=2, offset=4)
    beyond = backend.search(parse_query("مباراة"), limit=2, offset=10)
    assert first.total == third.total == beyond.total == 5
    assert [h.page_id for h in first.hits] == ids[:2]
    assert [h.page_id for h in third.hits] == ids[4:]
    assert beyond.hits == []



@pytest.mark.parametrize(
    "text", ["سعود", "السعودية", "ووزير", "وزير", "كرة", '"وزير الخارجية"', "الخارجية -سعود", "آل سعود الرياض"]
)
def test_the_count_is_of_the_articles_ranked(publish, backend, text):
    """Counting reads stems without a column filter when that finds the same articles: total and hits agree."""
    from khabar.search.query import parse_query

    publish("آل سعود في الرياض")  # a stem written as a word
    publish("السعودية تستضيف القمة")
    publish("وزير الخارجية ووزير الداخلية")
    publish("الوزير يصل", "وزارة الخارجية تعلن")
    publish("كرهي للحرب", "مقال رأي")  # "كرهي" is stemmed to "كره", the surface of the query word
    publish("كرة القدم", "مباراة")
    result = backend.search(parse_query(text), limit=50)
    assert result.total == len(result.hits) > 0, text



def test_counting_filters_columns_only_for_stems_that_stem_further():
    from khabar.arabic.stem import stem
    from khabar.search.backends.sqlite import STEM_COLUMNS, match_expression
    from khabar.search.query import parse_query

    query = parse_query("السعودية ووزير")
    settled = frozenset(s for t in query.terms for s in t.stems if stem(s) == s)
    assert "سعود" in settled and "وزير" not in settled  # "وزير" alone is stemmed to "زير"
    expression = match_expression(query, any_word=False, ranked=False, settled=settled)
    assert expression == f'("سعود") AND {STEM_COLUMNS} : ("وزير" OR "ووزير" OR "زير")'


# Hostile queries that still name a word of the article below: operators and syntax are read as
# plain words, so these find it (through the "most of the words" fallback when some words are not in it).
FIND_THE_ARTICLE = {
    "thousand-words", "unbalanced-quotes", "fts-near", "fts-operators", "fts-column-filter", "fts-star-prefix",
    "tsquery", "latin", "mixed-digits", "control-characters",
}


@pytest.mark.parametrize("name", HOSTILE.keys())
def test_hostile_queries_are_read_as_plain_words(publish, backend, name):
    from khabar.search.query import parse_query

    page = publish("غزة عام 2018 Trump summit")
    result = backend.search(parse_query(HOSTILE[name]))
    expected = [page.pk] if name in FIND_THE_ARTICLE else []
    assert [hit.page_id for hit in result.hits] == expected
    assert result.total == len(expected)
    assert {s.page_id for s in backend.suggest(HOSTILE[name])} <= {page.pk}
    assert backend.count() == 1, "the index is intact"


def test_suggest_completes_headline_words(publish, backend):
    page = publish("الجيش الإسرائيلي ينسحب من غزة")
    publish("أسعار الذهب")
    for typed in ("الاسرا", "الإسرائ", "اسرائيلي", "الجيش الاسر", "غز", "بغز"):
        assert [s.page_id for s in backend.suggest(typed)] == [page.pk], typed
    (suggestion,) = backend.suggest("الاسرا")
    assert suggestion.title == "الجيش الإسرائيلي ينسحب من غزة"
    assert suggestion.url == page.url


def test_suggest_needs_two_letters(publish, backend):
    publish("غزة")
    assert backend.suggest("غ") == []
    assert backend.suggest("") == []


def test_suggest_ignores_a_bare_article_still_being_typed(publish, backend):
    page = publish("الجيش ينسحب")
    publish("السوق تنتعش")
    assert backend.suggest("ال") == []
    assert [s.page_id for s in backend.suggest("الجيش ال")] == [page.pk]


def test_title_words_starting_gives_spelling_candidates(publish, backend):
    publish("الفلسطينية تعلن")
    assert "الفلسطينيه" in backend.title_words_starting(["فلس"])


def test_rebuild_replaces_the_index(publish, backend, search):
    from khabar.search.backends import IndexDocument
    from django.utils import timezone

    page = publish("أمطار غزيرة")
    backend.rebuild([[IndexDocument(page.pk, None, timezone.now(), "ثلوج كثيفة")]])
    assert search("أمطار") == []
    assert search("ثلوج") == [page.pk]
    assert backend.count() == 1
    backend.index([IndexDocument(page.pk, None, timezone.now(), "رياح قوية")])
    assert search("ثلوج") == []
    assert search("رياح") == [page.pk]


def test_a_broad_query_ranks_only_the_newest_matches(publish, backend, monkeypatch):
    from khabar.search.query import parse_query

    monkeypatch.setattr(backend, "rank_window", 2)
    pages = [publish(f"الطقس {n}" + (" الطقس الطقس" if n == 0 else "")) for n in range(4)]
    result = backend.search(parse_query("الطقس"))
    assert result.total == 4
    assert {h.page_id for h in result.hits} == {pages[2].pk, pages[3].pk}  # the best match (0) is too old


def test_a_query_with_every_word_matched_ranks_fewer_of_the_newest(publish, backend, monkeypatch):
    from khabar.search.query import parse_query

    monkeypatch.setattr(backend, "all_words_rank_window", 2)
    best = publish("الطقس البارد في الجبال")
    for n in range(3):
        publish(f"الطقس {n}")
    found = backend.search(parse_query("الطقس"))
    assert found.total == 4 and best.pk not in {h.page_id for h in found.hits}  # too old for a broad query
    # No article has every word: the best of those with some of them is still found, however old.
    some = backend.search(parse_query("الطقس البارد الثلوج"))
    assert some.relaxed and some.hits[0].page_id == best.pk


def test_exclusion_of_many_articles_uses_the_index(publish, search, backend, monkeypatch):
    """PostgreSQL leaves out many excluded articles by an anti-join instead of reading each vector."""
    if backend.vendor != "postgresql":
        pytest.skip("the anti-join is PostgreSQL's way; FTS5 merges the excluded words' lists itself")
    monkeypatch.setattr("khabar.search.backends.postgres.EXCLUSION_RECHECK_LIMIT", 0)
    keep = publish("ترامب يلتقي ماكرون")
    publish("ترامب يلتقي زعيم كوريا الشمالية")
    assert search("ترامب -كوريا") == [keep.pk]

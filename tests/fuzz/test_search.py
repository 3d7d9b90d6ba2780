"""/search/ and /search/suggest/ take anything a reader types or a bot sends: always a normal page."""

import json

from hypothesis import given
from hypothesis import strategies as st

from tests.fuzz.conftest import served
from tests.fuzz.strategies import ANY_TEXT, ARABIC_WORD, FUZZ, NUMBER_TEXT, READER_TEXT, encode, query_string

DATES = st.one_of(
    st.dates().map(str),
    st.sampled_from(["0000-00-00", "0001-01-01", "9999-12-31", "2024-02-30", "2024-13-01", "٢٠٢٤-٠١-٠١",
                     "2024-01-01T25:00", "1899-12-31", "9000-01-02", "-2024-01-01", "+002024-01-01"]),
    READER_TEXT,
)
# Words the articles hold, so some queries find something and paging past the end is exercised.
KNOWN = st.sampled_from(["الاسرائيلي", "غزه", "وزير", "موسكو", "النفط", "المنتخب", '"وزير الخارجية"', "-غزة"])
QUERY = st.one_of(ANY_TEXT, KNOWN, st.lists(st.one_of(KNOWN, ARABIC_WORD, READER_TEXT), max_size=6).map(" ".join))
SEARCH_PARAMS = {
    "q": QUERY,
    "page": NUMBER_TEXT,
    "section": NUMBER_TEXT,
    "from": DATES,
    "to": DATES,
    "sort": st.one_of(st.sampled_from(["date", "relevance", "DATE", ""]), READER_TEXT),
}


@FUZZ
@given(qs=query_string(SEARCH_PARAMS))
def test_any_search_url_gets_the_search_page(reader, qs):
    response = served(reader.get(f"/search/?{qs}"), {200})
    assert response["X-Robots-Tag"] == "noindex"


@FUZZ
@given(q=st.one_of(KNOWN, QUERY), page=NUMBER_TEXT, section=st.sampled_from([0, 1]))
def test_any_page_number_falls_back_to_a_page(reader, site, q, page, section):
    """A bad, negative or huge ?page= shows a page of results (the last one when past the end), never an error."""
    params = {"q": q, "page": page, "section": site.sections[section].pk}
    response = served(reader.get("/search/", _encodable(params)), {200})
    html = response.content.decode()
    assert 'name="q"' in html


@FUZZ
@given(q=st.one_of(ANY_TEXT, KNOWN, st.text(min_size=1, max_size=3)))
def test_suggestions_answer_json_for_any_prefix(reader, q):
    response = served(reader.get(f"/search/suggest/?q={encode(q)}"), {200})
    payload = json.loads(response.content)
    assert isinstance(payload["suggestions"], list)
    assert len(payload["query"]) <= 100


def _encodable(params):
    """The test client encodes a dict as strict UTF-8: lone surrogates (sent raw elsewhere) become "?" here."""
    return {k: v.encode("utf-8", "replace").decode() if isinstance(v, str) else v for k, v in params.items()}

"""khabar's page cache (the WSGI layer in front of Django) under random query strings and request headers.

The test client skips the WSGI entry point, so here Django is called through
``PageCacheApp`` the way ``khabar.wsgi`` does, inside the test's transaction.
Besides "no 500": a page that was cached is served again as a HIT with the same
bytes, and junk parameters (``utm_*``, ``fbclid``, anything a page does not read)
neither change the page nor split the cache.
"""

import sys
from urllib.parse import parse_qsl, unquote_to_bytes, urlsplit

import pytest
from django.core.signals import got_request_exception
from django.test import RequestFactory
from django.test.client import ClientHandler
from hypothesis import given
from hypothesis import strategies as st

from khabar import pagecache
from khabar.pagecache import api
from khabar.pagecache.wsgi import CACHE_HEADER, PageCacheApp
from tests.fuzz.strategies import ANY_TEXT, FUZZ, HEADER_TEXT, NUMBER_TEXT, READER_TEXT, encode, query_string

KEPT = {"page", "cpage", "comment", "replytocom", "q", "section", "from", "to", "sort"}
PARAMS = {name: st.one_of(NUMBER_TEXT, ANY_TEXT) for name in KEPT}


class DjangoInThisTest:
    """Django as a WSGI application, the way the test client calls it (the test's transaction stays open)."""

    def __init__(self):
        self.handler = ClientHandler(enforce_csrf_checks=False)

    def __call__(self, environ, start_response):
        response = self.handler(environ)
        headers = list(response.items())
        headers += [("Set-Cookie", cookie.output(header="").strip()) for cookie in response.cookies.values()]
        start_response(f"{response.status_code} {response.reason_phrase}", headers)
        return [response.content]


class Outcome:
    def __init__(self, status, headers, body):
        self.status_code = int(status.split(" ", 1)[0])
        self.headers = {name.lower(): value for name, value in headers}
        self.body = body

    @property
    def cache(self):
        return self.headers.get(CACHE_HEADER.lower())


@pytest.fixture
def cached_site(reader, settings):
    """The site behind the page cache, switched on for this test only (tests/settings.py turns it off)."""
    settings.KHABAR_PAGE_CACHE = True
    api.config.cache_clear()
    pagecache.purge_all()
    crashes = []

    def record(sender, **kwargs):
        crashes.append(sys.exc_info()[1])

    got_request_exception.connect(record)
    app = PageCacheApp(DjangoInThisTest())

    def get(path, **headers):
        environ = dict(RequestFactory().get(path, **headers).environ)
        # WSGIRequest rewrote PATH_INFO as text; a WSGI server hands it over as latin-1-decoded bytes.
        environ["PATH_INFO"] = unquote_to_bytes(urlsplit(path).path).decode("iso-8859-1")
        captured = {}

        def start_response(status, response_headers, exc_info=None):
            captured.update(status=status, headers=response_headers)

        body = b"".join(app(environ, start_response))
        if crashes:
            raise crashes[0]
        outcome = Outcome(captured["status"], captured["headers"], body)
        assert outcome.status_code < 500, f"HTTP {outcome.status_code} for {path}"
        return outcome

    yield get
    got_request_exception.disconnect(record)
    pagecache.purge_all()
    settings.KHABAR_PAGE_CACHE = False
    api.config.cache_clear()


def _pages(site):
    return ["/", site.article.url, site.section.url, "/search/"]


@FUZZ
@given(which=st.integers(0, 3), qs=query_string(PARAMS))
def test_any_query_string_is_a_page_and_a_second_request_is_the_same_hit(cached_site, site, which, qs):
    path = f"{_pages(site)[which]}?{qs}"
    first = cached_site(path)
    assert first.status_code == 200
    again = cached_site(path)
    assert again.status_code == 200
    if first.cache in ("MISS", "HIT"):
        assert again.cache == "HIT" and again.body == first.body


JUNK_NAMES = st.one_of(st.sampled_from(["utm_source", "utm_campaign", "fbclid", "gclid", "ref", "Page", "PAGE", "page ",
                                        "q[]", "_", ""]), READER_TEXT)


@FUZZ
@given(which=st.integers(0, 2), qs=query_string({}).filter(bool),
       names=st.lists(st.tuples(JUNK_NAMES, ANY_TEXT), max_size=4))
def test_junk_parameters_neither_change_the_page_nor_split_the_cache(cached_site, site, which, qs, names):
    qs = "&".join([qs] + [f"{encode(name)}={encode(value)}" for name, value in names])
    if any(name in KEPT for name, _ in parse_qsl(qs, keep_blank_values=True)):
        return  # a junk pair that decodes to a parameter the page reads ("%70age")
    plain = cached_site(_pages(site)[which])
    assert plain.status_code == 200
    junk = cached_site(f"{_pages(site)[which]}?{qs}")
    assert (junk.status_code, junk.cache, junk.body) == (200, "HIT", plain.body)


@FUZZ
@given(
    which=st.integers(0, 3),
    qs=query_string(PARAMS),
    headers=st.fixed_dictionaries({}, optional={
        "HTTP_IF_NONE_MATCH": st.one_of(st.sampled_from(["*", '""']), HEADER_TEXT),
        "HTTP_COOKIE": st.one_of(st.sampled_from(["sessionid=x", "sessionid"]), HEADER_TEXT),
        "HTTP_HOST": st.sampled_from(["testserver", "TESTSERVER", "testserver:80", "evil.example", "", "[::1",
                                      "testserver\x00"]),
        "HTTP_X_FORWARDED_PROTO": st.sampled_from(["https", "HTTP", "gopher", ""]),
        "HTTP_ACCEPT_ENCODING": st.sampled_from(["gzip", "br", "*", "identity;q=0"]),
    }),
)
def test_any_request_headers_get_a_page_a_304_or_a_400(cached_site, site, which, qs, headers):
    outcome = cached_site(f"{_pages(site)[which]}?{qs}", **headers)
    assert outcome.status_code in (200, 304, 400)
    if outcome.status_code == 304:
        assert not outcome.body

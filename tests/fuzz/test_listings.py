"""Sections, feeds, sitemaps, tags, authors and any other path: a page or a 404, whatever the URL holds."""

from urllib.parse import quote

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.fuzz.conftest import served
from tests.fuzz.strategies import FUZZ, NUMBER_TEXT, encode, query_string, url_segment

OK_OR_MISSING = {200, 404}


def _section_url(site, which):
    return site.sections[which].url


@FUZZ
@given(page=NUMBER_TEXT, which=st.sampled_from([0, 1]), junk=query_string({"page": NUMBER_TEXT}))
def test_a_section_answers_any_page_number_with_a_page(reader, site, page, which, junk):
    url = _section_url(site, which)
    html = served(reader.get(f"{url}?page={encode(page)}&{junk}"), {200}).content.decode()
    assert site.sections[which].title in html


@FUZZ
@given(which=st.sampled_from([0, 1]), junk=query_string({"page": NUMBER_TEXT, "p": NUMBER_TEXT}))
def test_feeds_ignore_any_query(reader, site, which, junk):
    for url in ("/feed/", _section_url(site, which) + "feed/"):
        response = served(reader.get(f"{url}?{junk}"), {200})
        assert response["Content-Type"].startswith("application/rss+xml")


@FUZZ
@given(
    name=st.one_of(st.sampled_from(["articles", "sections", "authors", "Articles", "articles ", ""]), url_segment()),
    p=st.one_of(st.none(), NUMBER_TEXT),
)
def test_sitemaps_answer_a_sitemap_or_404_for_any_section_and_page(reader, name, p):
    query = "" if p is None else f"?p={encode(p)}"
    response = served(reader.get(f"/sitemap-{name}.xml{query}"), OK_OR_MISSING)
    if name in ("articles", "sections", "authors") and (p is None or p.strip() == "1"):
        assert response.status_code == 200, "the first page of a known sitemap"
    for url in ("/sitemap.xml", "/news-sitemap.xml", "/robots.txt"):
        served(reader.get(f"{url}{query}"), {200})


def _near(real):
    """Slugs a reader could mistype or a crawler mangle from a real one."""
    return st.one_of(
        st.just(quote(real)),
        st.builds(lambda extra, before: encode(extra + real if before else real + extra),
                  st.sampled_from(["\u200f", "\u200b", "\u202e", "\x00", " ", "%", "\ufeff", "ـ"]), st.booleans()),
        st.just(encode(real.upper())),
        st.just(encode(real) * 50),
    )


@FUZZ
@given(data=st.data())
def test_tag_and_author_slugs_answer_a_page_or_404(reader, site, data):
    kind, real = data.draw(st.sampled_from([("tag", site.tag_slug), ("author", site.author.slug)]))
    slug = data.draw(st.one_of(url_segment(), _near(real)))
    junk = data.draw(query_string({"page": NUMBER_TEXT}))
    response = served(reader.get(f"/{kind}/{slug}/?{junk}"), OK_OR_MISSING)
    if slug == quote(real):
        assert response.status_code == 200


@FUZZ
@given(first=url_segment(), second=st.one_of(st.none(), st.just("feed"), url_segment()), under_section=st.booleans(),
       junk=query_string({"page": NUMBER_TEXT, "cpage": NUMBER_TEXT}))
def test_any_other_path_is_a_page_or_404(reader, site, first, second, under_section, junk):
    """Wagtail's routing (home → section → article) and a section's own feed/ route, for any segments."""
    prefix = site.section.url if under_section else "/"
    path = prefix + first + "/" + (f"{second}/" if second else "")
    served(reader.get(f"{path}?{junk}"), {200, 301, 302, 404})


PUBLIC_PATHS = ["/", "/feed/", "/sitemap.xml", "/sitemap-articles.xml", "/news-sitemap.xml", "/robots.txt", "/search/",
                "/search/suggest/", "/tag/غزة/", "/author/yousef/", "/newsletter/", "/newsletter/thanks/",
                "/newsletter/unsubscribe/x/", "/newsletter/confirm/x/", "/newsletter/preferences/x/", "/comments/post/",
                "/comments/token/1/"]


@FUZZ
@given(data=st.data())
def test_any_method_on_a_public_url_is_answered(reader, site, data):
    """HEAD, OPTIONS and the methods no form uses: a page, a refusal or 405, never an error."""
    path = data.draw(st.sampled_from([*PUBLIC_PATHS, site.section.url, site.article.url, site.section.url + "feed/"]))
    method = data.draw(st.sampled_from(["HEAD", "OPTIONS", "PUT", "PATCH", "DELETE", "TRACE", "PROPFIND", "GET",
                                        "POST"]))
    body = data.draw(st.one_of(st.just(""), st.text(max_size=20)))
    response = reader.generic(method, path, body.encode(), content_type="application/x-www-form-urlencoded")
    served(response, {200, 301, 302, 303, 400, 403, 404, 405, 410})


@pytest.mark.parametrize("path", ["/tag/%00/", "/author/%00/", "/author/yousef%00/", "/%00/", "/x%00y/z/"])
def test_a_nul_in_a_slug_is_404_not_a_database_error(reader, site, path):
    """Found by the fuzzer on PostgreSQL, which refuses NUL in text: the tag and author pages were a 500."""
    assert reader.get(path).status_code == 404
    assert reader.get(site.section.url + "%00/").status_code == 404

"""The comment form and its token, and the article page's comment parameters, under any input.

Besides "no 500": a refused post writes nothing, an accepted one stores text with no
invisible or control characters, and a malformed e-mail gets the Arabic message on
its field with the reader's text kept.
"""

import re
import time
import unicodedata

import pytest
from django.core import signing
from django.utils.html import escape
from hypothesis import given
from hypothesis import strategies as st

from khabar.comments import tokens
from khabar.comments.models import Comment
from khabar.comments.views import CROSS_SITE
from khabar.identity.email import INVALID as INVALID_EMAIL
from tests.fuzz.conftest import SITE, fresh_example, old_enough, served
from tests.fuzz.strategies import (
    ANY_TEXT, ARABIC_WORD, FUZZ, FUZZ_SLOW, HEADER_TEXT, NUMBER_TEXT, READER_TEXT, encode, query_string, url_segment,
)

EMAILS = st.one_of(
    st.emails().map(str),
    st.sampled_from(["layla@example.org", "ليلى@مثال.com", "a@b", "@", "a@@b.org", "a b@example.org", "ſ@example.org",
                     "x" * 250 + "@example.org", "a@" + "b" * 300 + ".org", "a\x00@example.org", "A@EXAMPLE.ORG "]),
    READER_TEXT,
)
URLS = st.one_of(
    st.sampled_from(["", "https://example.org", "example.org", "javascript:alert(1)", "http://[::1", "http://[",
                     "https://مثال.إختبار", "http://" + "a" * 300 + ".com", "ftp://x.org", "//x", "http://%zz",
                     "http://example.org:99999", "http://:80", "https://ex\x00ample.org"]),
    READER_TEXT,
)


def _signed(payload):
    return signing.Signer(salt=tokens.SALT).sign_object(payload)


def token_strategy(site):
    """Tokens as the page gives them, and valid-looking wrong ones.

    Forged, mangled, for another article, too young, too old, from another salt, or signed by us with odd payloads.
    """
    article = site.article.pk
    good = old_enough(article)
    other_salt = signing.Signer(salt="khabar.newsletter.unsubscribe")
    odd_times = st.one_of(st.integers(-(10**20), 10**20), st.floats(allow_nan=True, allow_infinity=True), READER_TEXT,
                          st.none())
    return st.one_of(
        st.just(good),
        st.just(old_enough(site.articles[1].pk)),
        st.just(tokens.make_token(article)),  # too fast
        st.just(old_enough(article, age=10**6)),  # a replay
        st.just(tokens.make_token(article, issued_at=time.time() + 10**6)),  # from the future
        st.builds(lambda i, c: good[:i] + c + good[i + 1:], st.integers(0, len(good) - 1), st.characters()),
        st.integers(0, len(good)).map(lambda i: good[:i]),
        st.builds(lambda extra: good + extra, READER_TEXT),
        st.just(other_salt.sign_object({"a": article, "t": int(time.time()) - 60})),
        st.builds(_signed, st.one_of(
            st.fixed_dictionaries({"a": st.one_of(st.just(article), st.integers(), ANY_TEXT), "t": odd_times}),
            st.lists(st.integers(), max_size=2), READER_TEXT, st.integers(), st.none(),
        )),
        ANY_TEXT,
    )


FORM = "application/x-www-form-urlencoded"


def _body(fields):
    """An application/x-www-form-urlencoded body of ``fields`` (a list of pairs), surrogates and all."""
    return "&".join(f"{encode(name)}={encode(value)}" for name, value in fields)


# Where a browser says the form came from: our page, another site, nothing at all, or a header no browser sends.
ORIGINS = st.one_of(st.sampled_from([SITE, "null", "", "https://evil.example", "HTTP://TESTSERVER"]), READER_TEXT)
REFERERS = st.one_of(
    st.sampled_from([SITE + "/x/", "http://[", "http://[::1", "https://evil.example/", "http://testserver:99999/",
                     "//testserver/", "http://]/"]),
    READER_TEXT,
)
HEADERS = st.fixed_dictionaries({}, optional={
    "HTTP_ORIGIN": ORIGINS,
    "HTTP_REFERER": REFERERS,
    "HTTP_ACCEPT": st.sampled_from(["application/json", "text/html", "*/*"]),
    "HTTP_USER_AGENT": HEADER_TEXT,
    "REMOTE_ADDR": st.sampled_from(["203.0.113.7", "::1", "", "not an address"]),
})
# Mostly a form sent from our own page, so the fields themselves are reached.
SAME_SITE_MOSTLY = st.one_of(st.just({"HTTP_ORIGIN": SITE}), st.just({"HTTP_ORIGIN": SITE}), HEADERS)


@FUZZ_SLOW
@given(data=st.data())
def test_any_comment_post_is_answered_and_a_refusal_saves_nothing(reader, site, data):
    article = site.article
    fields = {
        "name": data.draw(st.one_of(ARABIC_WORD, ANY_TEXT), label="name"),
        "email": data.draw(EMAILS, label="email"),
        "url": data.draw(URLS, label="url"),
        "body": data.draw(st.one_of(ANY_TEXT, st.just("تعليق هادئ ومفيد.")), label="body"),
        "parent": data.draw(st.one_of(st.sampled_from([str(c.pk) for c in site.comments]), NUMBER_TEXT),
                            label="parent"),
        "article": data.draw(st.one_of(st.just(str(article.pk)), NUMBER_TEXT), label="article"),
        "token": data.draw(token_strategy(site), label="token"),
        "homepage": data.draw(st.one_of(st.just(""), st.just(""), READER_TEXT), label="homepage"),
    }
    dropped = data.draw(st.sets(st.sampled_from(list(fields))), label="dropped")
    pairs = [(k, v) for k, v in fields.items() if k not in dropped]
    extra = data.draw(st.lists(st.tuples(st.sampled_from(list(fields) + ["x"]), ANY_TEXT), max_size=2), label="repeats")
    headers = data.draw(SAME_SITE_MOSTLY, label="headers")
    fresh_example()
    before = Comment.objects.count()
    response = reader.post("/comments/post/", _body(pairs + extra), content_type=FORM, **headers)
    served(response, {200, 303, 403, 404, 429})
    after = Comment.objects.count()
    if response.status_code != 303:
        assert after == before, "a refused comment wrote a row"
    elif after > before:
        comment = Comment.objects.order_by("-pk").first()
        for text in (comment.name, comment.body):
            assert not any(unicodedata.category(c) in ("Cc", "Cf") for c in text.replace("\n", "")), repr(text)
        Comment.objects.filter(pk=comment.pk).delete()  # the next example starts from the same thread


@FUZZ_SLOW
@given(headers=HEADERS, body=st.one_of(st.just("تعليق"), READER_TEXT))
def test_any_origin_or_referer_is_answered_and_a_foreign_one_saves_nothing(reader, site, headers, body):
    data = {"name": "ليلى", "email": "layla@example.org", "url": "", "body": body, "article": site.article.pk,
            "parent": "", "token": old_enough(site.article.pk), "homepage": ""}
    fresh_example()
    before = Comment.objects.count()
    response = served(reader.post("/comments/post/", data, **headers), {200, 303, 403})
    if response.status_code == 403:
        assert Comment.objects.count() == before
        assert CROSS_SITE in response.content.decode()
    Comment.objects.filter(pk__gt=site.comments[-1].pk).delete()


def test_a_referer_that_is_no_url_is_refused_as_another_sites_not_a_crash(reader, site):
    """Found by the fuzzer: ``urlsplit("http://[")`` raises ValueError, and the post was a 500."""
    data = {"name": "ليلى", "email": "layla@example.org", "url": "", "body": "تعليقي هنا", "article": site.article.pk,
            "parent": "", "token": old_enough(site.article.pk), "homepage": ""}
    response = reader.post("/comments/post/", data, HTTP_REFERER="http://[::1/article/")
    assert response.status_code == 403
    html = response.content.decode()
    assert CROSS_SITE in html and "تعليقي هنا" in html, "the Arabic reason, and the reader's text kept"
    assert not Comment.objects.filter(body="تعليقي هنا").exists()


@FUZZ_SLOW
@given(email=READER_TEXT.filter(lambda s: "@" not in s and s.strip() and "\x00" not in s and "\r" not in s))
def test_a_malformed_email_is_refused_in_arabic_beside_the_field_with_the_text_kept(reader, site, email):
    data = {"name": "ليلى", "email": email, "url": "", "body": "تعليق", "article": site.article.pk, "parent": "",
            "token": old_enough(site.article.pk), "homepage": ""}
    response = served(reader.post("/comments/post/", data, HTTP_ORIGIN=SITE), {200})
    html = response.content.decode()
    field = re.search(r'<p class="comment-form__field comment-form__field--email has-error">(.*?)</p>', html, re.S)
    assert field, "the e-mail field is marked"
    assert f'<span class="comment-form__error" id="comment-email_error">{INVALID_EMAIL}</span>' in field.group(1)
    assert f'value="{escape(email)}"' in field.group(1), "the reader's text is kept"
    assert not Comment.objects.filter(name="ليلى").exists()


@FUZZ
@given(qs=query_string({"cpage": NUMBER_TEXT, "replytocom": NUMBER_TEXT, "comment": st.one_of(
    st.sampled_from(["pending", "approved", "PENDING", ""]), ANY_TEXT), "page": NUMBER_TEXT}))
def test_the_article_page_takes_any_comment_parameters(reader, site, qs):
    html = served(reader.get(f"{site.article.url}?{qs}"), {200}).content.decode()
    assert 'id="respond"' in html


@FUZZ
@given(article_id=st.one_of(st.integers(0, 10**30).map(str), url_segment()))
def test_the_token_endpoint_answers_json_or_404(reader, site, article_id):
    response = served(reader.get(f"/comments/token/{article_id}/"), {200, 404})
    if article_id.isascii() and article_id.isdigit() and len(article_id) < 4300:
        assert response.status_code == 200 and "token" in response.json()


JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True, allow_infinity=True) | READER_TEXT,
    lambda children: st.lists(children, max_size=3)
    | st.dictionaries(st.sampled_from(["a", "t", "x"]) | READER_TEXT, children, max_size=3),
    max_leaves=6,
)
NUMBER_OR_JSON = st.one_of(st.integers(), st.floats(allow_nan=True, allow_infinity=True), JSON)


@FUZZ
@given(payload=st.one_of(JSON, st.fixed_dictionaries({"a": NUMBER_OR_JSON, "t": NUMBER_OR_JSON})),
       article=st.integers(1, 10**6))
def test_a_token_signed_with_any_payload_gets_a_message_not_an_error(payload, article):
    """A token of an older or unexpected shape, signed with our key (say, a page cached across a format change)."""
    token = _signed(payload)
    assert tokens.check_token(token, article) in (None, tokens.INVALID, tokens.EXPIRED, tokens.TOO_FAST)


@pytest.mark.parametrize("payload", [{"a": float("inf"), "t": 1}, {"a": 1, "t": float("inf")}, {"a": 1, "t": -1e400}])
def test_a_signed_token_with_an_infinite_number_is_invalid_not_an_error(payload):
    """Found by the fuzzer: int(Infinity) raises OverflowError, which check_token did not catch (a 500 on posting)."""
    assert tokens.check_token(_signed(payload), 1) == tokens.INVALID

"""The sign-up box and the signed links (confirm, preferences, List-Unsubscribe one-click) under any input.

Besides "no 500": a refused sign-up writes nothing and sends nothing, a malformed
address comes back with the Arabic message beside the field and the text kept,
and no forged or mangled link changes a subscriber.
"""

import re
from urllib.parse import unquote

import pytest
from django.core import mail, signing
from django.utils.html import escape
from hypothesis import assume, given
from hypothesis import strategies as st

from khabar.identity.email import INVALID as INVALID_EMAIL
from khabar.newsletter import tokens
from khabar.newsletter.models import Subscriber
from khabar.newsletter.views import FOREIGN
from tests.fuzz.conftest import SITE, fresh_example, served
from tests.fuzz.strategies import ANY_TEXT, FUZZ, FUZZ_SLOW, READER_TEXT, encode, url_segment
from tests.fuzz.test_comments import EMAILS, HEADERS, SAME_SITE_MOSTLY

LIST_VALUES = st.one_of(st.sampled_from(["daily", "weekly", "breaking", "DAILY", "", "monthly"]), ANY_TEXT)


def _body(pairs):
    return "&".join(f"{encode(name)}={encode(value)}" for name, value in pairs)


def _snapshot():
    return sorted(Subscriber.objects.values_list("pk", "email", "status", "daily", "weekly", "breaking", "name"))


@FUZZ_SLOW
@given(data=st.data())
def test_any_sign_up_is_answered_and_a_refusal_writes_and_sends_nothing(reader, data):
    pairs = [
        ("email", data.draw(EMAILS, label="email")),
        ("name", data.draw(st.one_of(READER_TEXT, ANY_TEXT), label="name")),
        *[("lists", value) for value in data.draw(st.lists(LIST_VALUES, max_size=4), label="lists")],
        ("website", data.draw(st.one_of(st.just(""), READER_TEXT), label="website")),
    ]
    dropped = data.draw(st.sets(st.sampled_from(["email", "name", "website"])), label="dropped")
    pairs = [(k, v) for k, v in pairs if k not in dropped]
    headers = data.draw(SAME_SITE_MOSTLY, label="headers")
    fresh_example()
    before, outbox = _snapshot(), len(mail.outbox)
    response = reader.post("/newsletter/", _body(pairs), content_type="application/x-www-form-urlencoded", **headers)
    served(response, {200, 302, 400, 403, 429})
    if response.status_code in (400, 403, 429) or (response.status_code == 200 and not response.json()["ok"]):
        assert _snapshot() == before, "a refused sign-up changed the subscribers"
        assert len(mail.outbox) == outbox, "a refused sign-up sent mail"


@FUZZ_SLOW
@given(email=READER_TEXT.filter(lambda s: "@" not in s and s.strip() and "\x00" not in s and "\r" not in s))
def test_a_malformed_address_is_refused_in_arabic_beside_the_field_with_the_text_kept(reader, email):
    fresh_example()
    before = _snapshot()
    response = reader.post("/newsletter/", {"email": email, "lists": ["daily"], "website": ""}, HTTP_ORIGIN=SITE)
    html = served(response, {400}).content.decode()
    field = re.search(r'<div class="newsletter-form__field">(.*?)</div>', html, re.S).group(1)
    assert f'<p class="newsletter-form__error" id="newsletter-email-error">{INVALID_EMAIL}</p>' in field
    assert f'value="{escape(email)}"' in field, "the reader's text is kept"
    assert _snapshot() == before and not mail.outbox


@FUZZ
@given(headers=HEADERS)
def test_any_origin_or_referer_is_answered_and_a_foreign_one_writes_nothing(reader, headers):
    fresh_example()
    before = _snapshot()
    data = {"email": "reader@example.org", "lists": ["daily"], "website": ""}
    response = reader.post("/newsletter/", data, **headers)
    served(response, {200, 302, 403})
    if response.status_code == 403:
        assert _snapshot() == before and not mail.outbox
    Subscriber.objects.filter(email="reader@example.org").delete()


def test_a_referer_that_is_no_url_is_refused_as_another_sites_not_a_crash(reader):
    """Found by the fuzzer: ``urlsplit("http://[")`` raises ValueError, and the sign-up was a 500."""
    before = _snapshot()
    response = reader.post("/newsletter/", {"email": "reader@example.org", "lists": ["daily"]}, HTTP_REFERER="http://[")
    assert response.status_code == 403
    assert FOREIGN in response.content.decode()
    assert _snapshot() == before and not mail.outbox


def _mangled(good):
    """A real token altered as a mail client, a proxy or a forger might."""
    return st.one_of(
        st.builds(lambda i, c: good[:i] + c + good[i + 1:], st.integers(0, len(good) - 1), st.characters()),
        st.integers(0, len(good) - 1).map(lambda i: good[:i]),
        st.builds(lambda extra: good + extra, READER_TEXT.filter(bool)),
        st.just(good.upper()),
        st.just(good.replace(":", ".")),
        st.just(good * 20),
    )


def _forged(site):
    """Links that look right: each purpose's token used for another, signed junk, other salts, old keys."""
    active = site.subscribers["active"]
    payloads = st.one_of(
        st.builds(lambda pk, f: f"{pk}.{f}", st.one_of(st.integers(-(10**20), 10**20), READER_TEXT), READER_TEXT),
        READER_TEXT,
    )
    return st.one_of(
        st.just(tokens.unsubscribe_token(active)),
        st.just(tokens.preferences_token(active)),
        st.just(tokens.confirmation_token(active, ["daily"])),
        st.builds(lambda value: signing.Signer(salt="khabar.comments.form").sign(value), payloads),
        st.builds(signing.Signer(key="not-the-secret", salt=tokens.UNSUBSCRIBE_SALT).sign, payloads),
        st.builds(lambda value: signing.dumps(value, key="not-the-secret", salt=tokens.CONFIRM_SALT), READER_TEXT),
    )


def _valid(site, kind):
    """The tokens that rightly work at /newsletter/<kind>/: those the test made for that purpose."""
    make = {"confirm": lambda s: tokens.confirmation_token(s, ["daily"]), "unsubscribe": tokens.unsubscribe_token,
            "preferences": tokens.preferences_token}[kind]
    return {make(subscriber) for subscriber in site.subscribers.values()}


@FUZZ
@given(data=st.data())
def test_a_forged_or_mangled_link_changes_nobody(reader, site, data):
    kind = data.draw(st.sampled_from(["confirm", "unsubscribe", "preferences"]), label="kind")
    subscriber = site.subscribers[data.draw(st.sampled_from(list(site.subscribers)), label="who")]
    good = {
        "confirm": tokens.confirmation_token(subscriber, ["daily", "weekly"]),
        "unsubscribe": tokens.unsubscribe_token(subscriber),
        "preferences": tokens.preferences_token(subscriber),
    }[kind]
    segment = data.draw(st.one_of(st.one_of(_mangled(good), _forged(site)).map(encode), url_segment()), label="token")
    assume(unquote(segment) not in _valid(site, kind) | {good})
    method = data.draw(st.sampled_from(["get", "post"]), label="method")
    body = data.draw(st.sampled_from(["List-Unsubscribe=One-Click", "leave=1", "lists=daily&lists=weekly", ""]),
                     label="body")
    before = _snapshot()
    url = f"/newsletter/{kind}/{segment}/"
    if method == "get":
        response = reader.get(url)
    else:
        response = reader.post(url, body, content_type="application/x-www-form-urlencoded")
    served(response, {400, 404, 410})
    assert _snapshot() == before


@FUZZ
@given(
    kind=st.sampled_from(["unsubscribe", "preferences"]),
    pairs=st.lists(st.tuples(st.one_of(st.sampled_from(["List-Unsubscribe", "lists", "leave"]), READER_TEXT), ANY_TEXT),
                   max_size=5),
    content_type=st.sampled_from(["application/x-www-form-urlencoded", "text/plain", "application/json",
                                  "multipart/form-data", "multipart/form-data; boundary=x", ""]),
)
def test_one_click_unsubscribe_and_preferences_take_any_body(reader, site, kind, pairs, content_type):
    """RFC 8058: a mail provider POSTs "List-Unsubscribe=One-Click"; any other body must not break the page."""
    subscriber = site.subscribers["active"]
    token = tokens.unsubscribe_token(subscriber) if kind == "unsubscribe" else tokens.preferences_token(subscriber)
    response = reader.post(f"/newsletter/{kind}/{token}/", _body(pairs), content_type=content_type)
    served(response, {200, 400})
    if kind == "unsubscribe" and response.status_code == 200:
        assert Subscriber.objects.get(pk=subscriber.pk).status == "unsubscribed"
    Subscriber.objects.filter(pk=subscriber.pk).update(status="active", daily=True, weekly=False, breaking=False)


JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True, allow_infinity=True) | READER_TEXT,
    lambda children: st.lists(children, max_size=3)
    | st.dictionaries(st.sampled_from(["s", "f", "l", "n"]) | READER_TEXT, children, max_size=4),
    max_leaves=8,
)


@FUZZ
@given(payload=st.one_of(JSON, st.fixed_dictionaries({"s": JSON, "f": JSON}, optional={"l": JSON, "n": JSON})),
       value=st.one_of(READER_TEXT, st.builds(lambda pk, f: f"{pk}.{f}", st.integers(), READER_TEXT)))
def test_a_link_signed_with_any_payload_is_a_bad_link_not_an_error(site, db, payload, value):
    """Links of an older or unexpected shape, signed with our key (mail kept for years outlives a format)."""
    links = [
        (tokens.read_confirmation, signing.dumps(payload, salt=tokens.CONFIRM_SALT, compress=True)),
        (tokens.read_unsubscribe, signing.Signer(salt=tokens.UNSUBSCRIBE_SALT).sign(value)),
        (tokens.read_preferences, signing.Signer(salt=tokens.PREFERENCES_SALT).sign(value)),
    ]
    for read, token in links:
        try:
            read(token)
        except tokens.BadLink:
            pass


@pytest.mark.parametrize("payload", [None, [], "s", 7, {"s": float("inf"), "f": ""}, {"s": [1], "f": ""}])
def test_a_confirmation_link_of_another_shape_is_a_bad_link(reader, payload):
    """Found by the fuzzer: a signed payload that is not the dict this code makes was a 500 (AttributeError,
    OverflowError); mail kept for years may carry links of an older format."""
    token = signing.dumps(payload, salt=tokens.CONFIRM_SALT, compress=True)
    before = _snapshot()
    for method in (reader.get, reader.post):
        response = method(f"/newsletter/confirm/{token}/")
        assert response.status_code == 400
        assert "newsletter/bad_link.html" in [t.name for t in response.templates]
    assert _snapshot() == before


@pytest.mark.parametrize("lists", [5, "daily", [["daily"]], [{"x": 1}], None])
def test_a_confirmation_link_with_lists_of_another_shape_joins_none_of_them(reader, site, lists):
    """Found by the fuzzer: "l" that is not a list of names was a 500 (TypeError) on the owner's own link."""
    from khabar.newsletter.tokens import _fingerprint

    subscriber = site.subscribers["pending"]
    token = signing.dumps({"s": subscriber.pk, "f": _fingerprint(subscriber.email), "l": lists},
                          salt=tokens.CONFIRM_SALT, compress=True)
    before = _snapshot()
    assert reader.get(f"/newsletter/confirm/{token}/").status_code == 200
    assert _snapshot() == before, "opening the link changes nothing"

"""khabar.identity: one spelling of an e-mail, one client address, one keyed hash, one set of rate limits."""

import time

import pytest
from django.core.cache import caches
from django.core.cache.backends.redis import RedisCache
from django.test import RequestFactory
from django.utils.crypto import salted_hmac

from khabar.identity import limits
from khabar.identity.address import client_ip, keyed_hash
from khabar.identity.email import INVALID, EmailAddressField, normalise_email

READER_IP = "203.0.113.58"
READER_EMAIL = "Huda.Private@Example.org"


@pytest.fixture(autouse=True)
def fresh_limits(fresh_limits):
    """Every test starts with no rate-limit counts (the suite's fixture, made automatic here)."""
    yield


def cache_keys():
    """Every key in Django's default cache: diskcache or local memory (iterable), or Redis."""
    backend = caches["default"]
    if isinstance(backend, RedisCache):
        return [key.decode() for key in backend._cache.get_client().scan_iter()]
    store = getattr(backend, "_cache", None)
    if store is None or not hasattr(store, "__iter__"):
        pytest.skip(f"cannot list the keys of {type(backend).__name__}")
    return list(store)


class TestEmail:
    @pytest.mark.parametrize(
        "typed, stored",
        [(" Ali@Example.ORG ", "ali@example.org"), ("ali@example.org", "ali@example.org"), ("", ""), (None, "")],
    )
    def test_one_spelling_per_mailbox(self, typed, stored):
        assert normalise_email(typed) == stored

    def test_the_field_cleans_to_the_normalised_address(self):
        assert EmailAddressField().clean("  Reader@Example.ORG") == "reader@example.org"

    def test_the_field_input_is_left_to_right_and_never_corrected(self):
        html = str(EmailAddressField().widget.render("email", ""))
        assert 'dir="ltr"' in html and 'autocomplete="email"' in html and 'spellcheck="false"' in html

    @pytest.mark.django_db
    def test_comment_and_newsletter_forms_say_the_same_about_a_bad_address(self, publish_article):
        from khabar.comments.forms import CommentForm
        from khabar.newsletter.forms import SubscribeForm

        article = publish_article(title="خبر")
        comment = CommentForm(article, {"name": "هدى", "email": "not-an-address", "body": "تعليق"})
        signup = SubscribeForm({"email": "not-an-address", "lists": ["daily"]})
        assert not comment.is_valid() and not signup.is_valid()
        assert comment.errors["email"] == signup.errors["email"] == [INVALID]
        assert "غير صحيح" in INVALID and "name@example.com" in INVALID


class TestClientAddress:
    def request(self, **meta):
        return RequestFactory().get("/", REMOTE_ADDR="10.0.0.1", **meta)

    def test_without_a_header_setting_the_connection_address_counts(self, settings):
        settings.KHABAR_CLIENT_IP_HEADER = ""
        assert client_ip(self.request(HTTP_X_FORWARDED_FOR="198.51.100.1")) == "10.0.0.1", "a client can forge a header"

    def test_behind_a_proxy_the_right_most_address_of_the_header_counts(self, settings):
        settings.KHABAR_CLIENT_IP_HEADER = "X-Forwarded-For"
        request = self.request(HTTP_X_FORWARDED_FOR="192.0.2.66, 198.51.100.9 , ")
        assert client_ip(request) == "198.51.100.9", "the left part is whatever the client sent"

    def test_a_configured_header_that_is_missing_falls_back_to_the_connection(self, settings):
        settings.KHABAR_CLIENT_IP_HEADER = "X-Real-IP"
        assert client_ip(self.request()) == "10.0.0.1"
        assert client_ip(self.request(HTTP_X_REAL_IP="198.51.100.4")) == "198.51.100.4"


class TestKeyedHash:
    def test_a_hash_names_the_same_value_again_and_never_shows_it(self):
        digest = keyed_hash(READER_IP, "test.purpose")
        assert digest == keyed_hash(READER_IP, "test.purpose") and len(digest) == 64
        assert READER_IP not in digest

    def test_each_purpose_hashes_differently(self):
        assert keyed_hash(READER_IP, "one.purpose") != keyed_hash(READER_IP, "another.purpose")

    def test_nothing_hashes_to_nothing(self):
        assert keyed_hash("", "test.purpose") == ""

    def test_comment_rows_stored_before_this_module_still_match(self):
        from khabar.comments.sources import SOURCE_PURPOSE

        stored_before = salted_hmac("khabar.comments.source", READER_IP, algorithm="sha256").hexdigest()
        assert keyed_hash(READER_IP, SOURCE_PURPOSE) == stored_before

    def test_the_secret_is_part_of_the_hash(self, settings):
        before = keyed_hash(READER_IP, "test.purpose")
        settings.SECRET_KEY = "another-secret-" + "x" * 40
        assert keyed_hash(READER_IP, "test.purpose") != before


class TestGate:
    def test_one_attempt_per_period_then_a_refusal_with_the_wait(self):
        assert limits.one_per("test", [READER_IP], 30, "تمهّل") is None
        refusal = limits.one_per("test", [READER_IP], 30, "تمهّل")
        assert refusal == limits.Refusal("تمهّل", 30)

    def test_any_of_the_identities_closes_the_gate(self):
        limits.one_per("test", [READER_IP, "a@example.org"], 30, "تمهّل")
        assert limits.one_per("test", ["198.51.100.1", "a@example.org"], 30, "تمهّل") is not None
        assert limits.one_per("test", ["198.51.100.2", "b@example.org"], 30, "تمهّل") is None

    def test_scopes_do_not_share_a_gate(self):
        limits.one_per("comments", [READER_IP], 30, "تمهّل")
        assert limits.one_per("newsletter", [READER_IP], 30, "تمهّل") is None

    def test_the_gate_opens_again_after_the_period(self):
        limits.one_per("test", [READER_IP], 1, "تمهّل")
        time.sleep(1.1)
        assert limits.one_per("test", [READER_IP], 1, "تمهّل") is None

    def test_zero_seconds_turns_the_gate_off_and_empty_identities_are_skipped(self):
        for _ in range(3):
            assert limits.one_per("test", [READER_IP], 0, "تمهّل") is None
            assert limits.one_per("test", ["", None], 30, "تمهّل") is None


class TestCounter:
    def test_at_most_n_attempts_per_window(self):
        for _ in range(3):
            assert limits.at_most("test", [READER_IP], 3, 3600, "كثير") is None
        assert limits.at_most("test", [READER_IP], 3, 3600, "كثير") == limits.Refusal("كثير", 3600)
        assert limits.at_most("test", ["198.51.100.1"], 3, 3600, "كثير") is None, "another reader has their own count"

    def test_the_count_starts_again_after_the_window(self):
        limits.at_most("test", [READER_IP], 1, 1, "كثير")
        assert limits.at_most("test", [READER_IP], 1, 1, "كثير") is not None
        time.sleep(1.1)
        assert limits.at_most("test", [READER_IP], 1, 1, "كثير") is None

    def test_zero_turns_the_limit_off(self):
        for _ in range(5):
            assert limits.at_most("test", [READER_IP], 0, 3600, "كثير") is None

    def test_keys_hold_a_keyed_hash_only(self):
        limits.one_per("test", [READER_IP], 30, "تمهّل")
        limits.at_most("test", [READER_EMAIL], 3, 3600, "كثير")
        keys = cache_keys()
        assert len(keys) == 2
        assert not any(READER_IP in key or READER_EMAIL.lower() in key.lower() for key in keys)


@pytest.mark.django_db
class TestNoRawAddressLeaves:
    """After requests that were limited, the cache and the logs name nobody."""

    def test_a_limited_comment(self, client, publish_article, log_lines):
        from khabar.comments.models import Comment
        from khabar.comments.tokens import make_token

        article = publish_article(title="خبر للتعليق")
        data = {
            "name": "هدى", "email": READER_EMAIL, "url": "", "body": "تعليق أول", "homepage": "",
            "article": article.pk, "parent": "", "token": make_token(article.pk, issued_at=time.time() - 60),
        }
        post = dict(REMOTE_ADDR=READER_IP, HTTP_ORIGIN="http://testserver")
        assert client.post("/comments/post/", data, **post).status_code == 303
        limited = client.post("/comments/post/", {**data, "body": "تعليق ثانٍ"}, **post)
        assert limited.status_code == 429 and limited["Retry-After"] == "15"
        self.assert_nobody_named(log_lines)
        assert READER_IP not in Comment.objects.get().ip_hash

    def test_a_limited_sign_up(self, client, settings, log_lines):
        settings.KHABAR_NEWSLETTER_ADDRESS_LIMIT = 1
        data = {"email": READER_EMAIL, "lists": ["daily"], "website": ""}
        assert client.post("/newsletter/", data, REMOTE_ADDR=READER_IP, HTTP_ORIGIN="http://testserver").status_code == 302
        limited = client.post("/newsletter/", data, REMOTE_ADDR=READER_IP, HTTP_ORIGIN="http://testserver")
        assert limited.status_code == 429 and limited["Retry-After"] == "3600"
        self.assert_nobody_named(log_lines)

    def assert_nobody_named(self, log_lines):
        keys = [key for key in cache_keys() if limits.PREFIX in key]
        assert keys, "the limits were counted in the cache"
        for key in keys:
            assert READER_IP not in key and READER_EMAIL.lower() not in key.lower()
        assert not any(READER_IP in line or READER_EMAIL.lower() in line.lower() for line in log_lines)

"""The beacon: a reader's view is counted once, robots and prefetches never, and nothing about the reader is kept."""

import time
import zlib

import pytest
from django.apps import apps
from django.core.cache import cache

from khabar.identity.address import keyed_hash
from khabar.mostread import readers
from tests.mostread.conftest import ADDRESS, CHROME, aggregate_later, views_of

pytestmark = pytest.mark.django_db

FIREFOX = "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:128.0) Gecko/20100101 Firefox/128.0"


@pytest.fixture
def article(publish_article):
    return publish_article(title="خبر يقرؤه الناس")


def test_a_readers_view_is_counted_answered_204_without_a_cookie_or_cache(beacon, article):
    response = beacon(article.pk)
    assert response.status_code == 204
    assert response.content == b""
    assert not response.cookies
    assert "Set-Cookie" not in response.headers
    assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]
    assert aggregate_later() == 1
    assert views_of(article) == 1


def shared_cache_keys():
    """Every key the shared cache holds: the embedded diskcache, or Redis (the Redis run of `make test`)."""
    from django.core.cache import caches
    from django.core.cache.backends.redis import RedisCache

    if isinstance(caches["default"], RedisCache):
        return [key.decode() for key in cache._cache.get_client().keys("*")]
    return list(cache._cache)


def test_nothing_about_the_reader_is_stored_in_any_column_or_cache_key(beacon, article):
    assert beacon(article.pk).status_code == 204
    aggregate_later()
    assert views_of(article) == 1
    traces = {ADDRESS, CHROME, keyed_hash(ADDRESS, readers.SEEN_PURPOSE)}
    for model in apps.get_models():
        for row in model.objects.all().values_list():
            for value in row:
                assert not any(trace in str(value) for trace in traces), f"{model.__name__} holds {value!r}"
    keys = shared_cache_keys()
    assert keys, "the beacon left its expiring keys in the shared cache"
    assert not any(ADDRESS in str(key) or "Pixel" in str(key) for key in keys)


def test_the_same_reader_again_within_half_an_hour_counts_once(beacon, article):
    for _ in range(3):
        assert beacon(article.pk).status_code == 204
    assert beacon(article.pk, user_agent=FIREFOX).status_code == 204  # a second reader at the same address
    aggregate_later()
    assert views_of(article) == 2


def test_a_second_read_after_the_half_hour_counts_again(beacon, article, monkeypatch):
    monkeypatch.setattr(readers, "REPEAT_SECONDS", 1)  # half an hour, shortened
    beacon(article.pk)
    time.sleep(1.2)
    beacon(article.pk)
    aggregate_later()
    assert views_of(article) == 2


def test_one_address_changing_its_browser_name_counts_at_most_five(beacon, article):
    names = [f"{FIREFOX} build/{n}" for n in range(40)]
    for name in names:
        beacon(article.pk, user_agent=name)
    aggregate_later()
    assert readers.BROWSER_GROUPS == 5
    assert views_of(article) == len({zlib.crc32(name.encode()) % 5 for name in names}) == 5


@pytest.mark.parametrize("user_agent", [
    "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
    "facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)",
    "WhatsApp/2.23.20.0",
    "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/126.0.0.0 Safari/537.36",
    "python-requests/2.32.3",
    "curl/8.5.0",
    "",
])
def test_robots_are_answered_alike_and_not_counted(beacon, article, user_agent):
    assert beacon(article.pk, user_agent=user_agent).status_code == 204
    assert aggregate_later() == 0
    assert views_of(article) == 0


@pytest.mark.parametrize("header, value", [
    ("HTTP_SEC_PURPOSE", "prefetch;prerender"),
    ("HTTP_SEC_PURPOSE", "prefetch"),
    ("HTTP_PURPOSE", "prefetch"),
    ("HTTP_X_MOZ", "prefetch"),
])
def test_a_page_loaded_ahead_of_time_is_not_counted(beacon, article, header, value):
    assert beacon(article.pk, **{header: value}).status_code == 204
    aggregate_later()
    assert views_of(article) == 0


def test_unpublished_missing_and_private_pages_are_not_counted(beacon, article, publish_article, section, home):
    from wagtail.models import PageViewRestriction

    withdrawn = publish_article(title="خبر سُحب")
    withdrawn.unpublish()
    private = publish_article(title="خبر للمشتركين")
    PageViewRestriction.objects.create(page=private, restriction_type=PageViewRestriction.PASSWORD, password="x")
    for page_id in (withdrawn.pk, private.pk, section.pk, home.pk, 987654, "abc", "-1", "1" * 40, ""):
        assert beacon(page_id).status_code == 204
    assert aggregate_later() == 0
    assert not apps.get_model("mostread", "HourlyViews").objects.exists()


@pytest.mark.parametrize("origin", ["https://evil.example", "null"])
def test_another_sites_page_is_refused(beacon, article, origin):
    assert beacon(article.pk, origin=origin).status_code == 403
    aggregate_later()
    assert views_of(article) == 0


def test_a_request_from_no_page_at_all_is_refused(beacon, article):
    assert beacon(article.pk, origin=None).status_code == 403
    assert beacon(article.pk, origin=None, HTTP_REFERER=f"http://testserver{article.url}").status_code == 204
    aggregate_later()
    assert views_of(article) == 1


def test_only_post_is_answered(client, article):
    assert client.get(f"/mostread/hit/?page={article.pk}").status_code == 405

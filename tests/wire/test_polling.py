"""Polling agency feeds: conditional reads, time limits, back-off, and one bad feed never stopping the rest."""

import socket
import time
from datetime import timedelta

import pytest

from .samples import STORIES, rss, story_html

pytestmark = pytest.mark.django_db

GOOD_FEED = rss([("afp-oil", STORIES["oil"]["headline"], story_html("oil"), "Wed, 02 Dec 2026 06:00:00 +0300")])


def state_of(agency):
    from khabar.wire.models import FeedState

    return FeedState.objects.get(agency=agency)


def closed_port_url():
    with socket.socket() as sock:  # bound then closed: nothing listens there
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}/feed.rss"


def test_an_unchanged_feed_answers_304_to_the_conditional_read(agency_for, feeds, pull_now):
    agency = agency_for("وكالة الصحافة الفرنسية", "/afp.rss", GOOD_FEED, etag='"v1"')
    route = feeds.routes["/afp.rss"]

    assert pull_now(agency)["new"] == 1
    assert state_of(agency).etag == '"v1"'
    again = pull_now(agency)

    assert again == {"new": 0, "updated": 0, "duplicates": 0, "withdrawn": 0, "errors": []}
    assert route.requests[-1]["If-None-Match"] == '"v1"'
    state = state_of(agency)
    assert state.failures == 0 and state.last_ok_at == state.last_polled_at and state.etag == '"v1"'


def test_failures_double_the_wait_up_to_a_cap_and_a_good_read_resets_it(agency_for, feeds, pull_now):
    agency = agency_for("رويترز", "/r.rss", "خطأ في الخادم", status=503)  # feed_interval: 5 minutes

    waits = []
    for _ in range(6):
        summary = pull_now(agency)
        state = state_of(agency)
        waits.append(state.next_poll_at - state.last_polled_at)

    assert summary["errors"] == ["ردّت الخدمة برمز الخطأ 503"]
    assert [wait // timedelta(minutes=1) for wait in waits] == [10, 20, 40, 60, 60, 60]
    assert state.failures == 6 and state.last_error == "ردّت الخدمة برمز الخطأ 503"

    feeds.serve("/r.rss", GOOD_FEED)
    assert pull_now(agency)["new"] == 1
    state = state_of(agency)
    assert (state.failures, state.last_error) == (0, "")
    assert state.next_poll_at - state.last_polled_at == timedelta(minutes=5)


def test_a_slow_feed_is_given_up_after_the_time_limit(agency_for, pull_now, monkeypatch):
    from khabar.wire import fetch

    monkeypatch.setattr(fetch, "TIMEOUT_SECONDS", 1)
    agency = agency_for("وكالة بطيئة", "/slow.rss", GOOD_FEED, delay=4)

    started = time.monotonic()
    summary = pull_now(agency)

    assert time.monotonic() - started < 3
    assert summary["errors"] == ["لم تردّ الخدمة خلال ثانية"]
    assert state_of(agency).failures == 1


def test_a_feed_larger_than_the_cap_is_refused(agency_for, pull_now, monkeypatch):
    from khabar.wire import fetch

    monkeypatch.setattr(fetch, "MAX_BYTES", 2**20)
    agency = agency_for("وكالة ثرثارة", "/huge.rss", GOOD_FEED + " " * 2**20)

    assert pull_now(agency)["errors"] == ["الخدمة أكبر من الحد المسموح (1 ميغابايت)"]


def test_one_dead_and_one_slow_feed_do_not_stop_the_others(agency_for, monkeypatch):
    from khabar import periodic
    from khabar.news.models import Agency
    from khabar.wire import fetch
    from khabar.wire.models import WireItem
    from khabar.wire.tasks import pull_due_feeds

    monkeypatch.setattr(fetch, "TIMEOUT_SECONDS", 1)
    Agency.objects.create(name="وكالة متوقفة", feed_url=closed_port_url())
    agency_for("وكالة بطيئة", "/slow.rss", GOOD_FEED, delay=3)
    good = agency_for("وكالة الصحافة الفرنسية", "/afp.rss", GOOD_FEED)
    assert ("khabar.wire.tasks.pull_due_feeds", 60) in periodic.scheduled()

    assert pull_due_feeds.enqueue().return_value == 3  # the test settings run each pull at once

    assert WireItem.objects.filter(agency=good).count() == 1
    errors = {a.name: a.wire_state.last_error for a in Agency.objects.select_related("wire_state")}
    assert errors == {"وكالة متوقفة": "تعذّر الاتصال بالخدمة", "وكالة بطيئة": "لم تردّ الخدمة خلال ثانية",
                      "وكالة الصحافة الفرنسية": ""}
    # Nothing is due a minute later: every feed waits for its interval (or its back-off).
    assert pull_due_feeds.enqueue().return_value == 0


def test_only_feeds_whose_time_has_come_are_pulled(agency_for, feeds):
    from django.utils import timezone

    from khabar.wire.models import FeedState
    from khabar.wire.tasks import pull_due_feeds

    waiting = agency_for("رويترز", "/r.rss", GOOD_FEED)
    FeedState.objects.create(agency=waiting, next_poll_at=timezone.now() + timedelta(minutes=3))
    due = agency_for("الأناضول", "/aa.rss", GOOD_FEED)
    FeedState.objects.create(agency=due, next_poll_at=timezone.now() - timedelta(seconds=1))

    assert pull_due_feeds.enqueue().return_value == 1
    assert feeds.routes["/r.rss"].requests == [] and len(feeds.routes["/aa.rss"].requests) == 1

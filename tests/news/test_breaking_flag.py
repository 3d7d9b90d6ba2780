"""The «عاجل» flag while it lasts: first on the home page with its mark, the article's badge and its
JSON-LD, the ticker, the newsletter alert; at breaking_until each of them stops, with nobody
publishing, and no cached page outlives it."""

import json
import re
from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from khabar.news.jsonld import BREAKING_GENRE
from khabar.pagecache.api import EXPIRES_KEY

pytestmark = pytest.mark.django_db


@pytest.fixture
def clock(monkeypatch):
    """Moves the site's clock forward: ``clock.move(timedelta)``."""

    class Clock:
        offset = timedelta(0)
        real_now = staticmethod(timezone.now)

        def move(self, delta):
            self.offset += delta

        def now(self):
            return self.real_now() + self.offset

    moved = Clock()
    monkeypatch.setattr(timezone, "now", moved.now)
    return moved


def lead_title(html):
    lead = html[html.index('class="home-top__lead"'):]
    return re.search(r'<h2 class="card__title"><a [^>]*>([^<]+)</a>', lead).group(1)


def latest_titles(html):
    latest = html[html.index('class="latest-list"'):html.index("</ol>", html.index('class="latest-list"'))]
    return re.findall(r'<h3 class="card__title"><a [^>]*>([^<]+)</a>', latest)


def article_jsonld(html):
    for block in re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S):
        data = json.loads(block)
        if data.get("@type") == "NewsArticle":
            return data
    raise AssertionError("no NewsArticle on the page")


def test_a_breaking_article_leads_the_home_page_until_its_end_then_takes_its_place(client, clock, publish_article):
    ends = timezone.now() + timedelta(hours=1)
    publish_article(title="انفجار في المرفأ", is_breaking=True, breaking_until=ends, age=timedelta(hours=3))
    publish_article(title="خبر مثبت", is_pinned=True, age=timedelta(hours=5))
    publish_article(title="أحدث خبر عادي", age=timedelta(minutes=10))

    html = client.get("/").content.decode()
    assert lead_title(html) == "انفجار في المرفأ"
    assert latest_titles(html) == ["خبر مثبت", "أحدث خبر عادي"]  # breaking, then pinned, then the rest
    lead = html[html.index('class="home-top__lead"'):html.index('class="home-top__latest"')]
    assert '<span class="card__breaking">عاجل</span>' in lead
    assert 'class="breaking"' in html  # the ticker
    # The cached home page may live no longer than the flag.
    assert client.get("/").wsgi_request.META[EXPIRES_KEY] == ends.timestamp()

    clock.move(timedelta(hours=1, seconds=1))
    html = client.get("/").content.decode()
    assert lead_title(html) == "خبر مثبت"
    assert latest_titles(html) == ["أحدث خبر عادي", "انفجار في المرفأ"]  # back to its place by time
    assert "card__breaking" not in html and 'class="breaking"' not in html


def test_the_home_page_cache_ends_with_a_pinned_breaking_item_the_ticker_does_not_show(client, publish_article):
    """The ticker shows five; a sixth, older breaking article leads lists too and bounds home's cache."""
    soonest = timezone.now() + timedelta(minutes=20)
    publish_article(title="عاجل أقدم", is_breaking=True, breaking_until=soonest, age=timedelta(hours=2))
    for n in range(5):
        publish_article(title=f"عاجل {n}", is_breaking=True, breaking_until=timezone.now() + timedelta(hours=2))
    response = client.get("/")
    assert "عاجل أقدم" in response.content.decode()
    assert response.wsgi_request.META[EXPIRES_KEY] == soonest.timestamp()


def test_the_article_shows_breaking_badge_and_markup_only_while_the_flag_lasts(client, clock, publish_article):
    ends = timezone.now() + timedelta(minutes=30)
    article = publish_article(title="زلزال", is_breaking=True, breaking_until=ends)
    response = client.get(article.url)
    html = response.content.decode()
    assert '<p class="badge badge--breaking">عاجل</p>' in html
    assert article_jsonld(html)["genre"] == BREAKING_GENRE
    assert response.wsgi_request.META[EXPIRES_KEY] <= ends.timestamp()

    clock.move(timedelta(minutes=31))
    html = client.get(article.url).content.decode()
    assert "badge--breaking" not in html
    assert "genre" not in article_jsonld(html)


def test_an_ordinary_article_carries_no_breaking_markup(client, publish_article):
    html = client.get(publish_article(title="خبر عادي").url).content.decode()
    assert "badge--breaking" not in html and "genre" not in article_jsonld(html)
    assert EXPIRES_KEY not in client.get("/").wsgi_request.META


def test_an_alert_that_runs_after_the_flag_ended_sends_nothing(
    clock, publish_article, make_subscriber, django_capture_on_commit_callbacks
):
    from khabar.newsletter import tasks
    from khabar.newsletter.models import Issue

    make_subscriber(breaking=True)
    with django_capture_on_commit_callbacks(execute=False):  # the worker is down when it is published
        article = publish_article(title="عاجل قصير", is_breaking=True, breaking_until=timezone.now() + timedelta(minutes=5))
    clock.move(timedelta(minutes=6))
    tasks.send_breaking_news.call(article.pk)
    assert not mail.outbox and not Issue.objects.exists()


@pytest.fixture
def make_subscriber(db):
    from khabar.newsletter.models import Subscriber

    def make(email_address="reader@example.org", **fields):
        return Subscriber.objects.create(email=email_address, status="active", **fields)

    return make

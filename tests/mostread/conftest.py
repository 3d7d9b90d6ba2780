"""Fixtures for the most-read tests: a clean shared cache, a reader's browser, and the beacon it sends."""

import time

import pytest
from django.core.cache import cache

from khabar.mostread import aggregation, countable

CHROME = ("Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) "
          "Chrome/126.0.0.0 Mobile Safari/537.36")
ADDRESS = "203.0.113.77"
ORIGIN = "http://testserver"


@pytest.fixture(autouse=True)
def clean_counts():
    """Counters and the seen-keys live in the shared cache, which outlives each test's database."""
    cache.clear()
    countable.forget_all()
    yield
    cache.clear()
    countable.forget_all()


@pytest.fixture
def beacon(client):
    """``beacon(page_id, **headers)``: what mostread.js sends from a reader's phone; the response."""

    def send(page_id, address=ADDRESS, user_agent=CHROME, origin=ORIGIN, **headers):
        meta = {"REMOTE_ADDR": address, "HTTP_USER_AGENT": user_agent, **headers}
        if origin is not None:
            meta["HTTP_ORIGIN"] = origin
        return client.post("/mostread/hit/", {"page": str(page_id)}, **meta)

    return send


def aggregate_later(minutes=3):
    """Run the aggregation as the worker would ``minutes`` from now, when this minute's counters are closed."""
    return aggregation.run(now=time.time() + minutes * 60)


def views_of(page):
    from django.db.models import Sum

    from khabar.mostread.models import HourlyViews

    return HourlyViews.objects.filter(page=page).aggregate(total=Sum("views"))["total"] or 0

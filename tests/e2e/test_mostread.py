"""«الأكثر قراءة» in a real Chromium: opening an article counts it, and the list sits beside the article on desktop."""

import time

import pytest
from django.core.cache import cache
from playwright.sync_api import expect

from khabar.mostread import aggregation, countable
from khabar.mostread.models import HourlyViews
from tests.e2e.conftest import DESKTOP, HEADLINE, screenshot

pytestmark = pytest.mark.e2e

# Headless Chromium names itself "HeadlessChrome", which the robot list rightly refuses; a reader's browser does not.
DESKTOP_BROWSER = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36"
PHONE_BROWSER = ("Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) "
                 "Chrome/126.0.0.0 Mobile Safari/537.36")
PHONE = {"width": 390, "height": 844}


@pytest.fixture(autouse=True)
def clean_counts():
    cache.clear()
    countable.forget_all()
    yield
    cache.clear()
    countable.forget_all()


def views_of(article):
    return sum(HourlyViews.objects.filter(page=article).values_list("views", flat=True))


def aggregate_later():
    return aggregation.run(now=time.time() + 180)


def open_article(page, article):
    """Open the article; the beacon's response."""
    with page.expect_response(lambda response: "/mostread/hit/" in response.url) as beacon:
        page.goto(article.url)
    return beacon.value


def box(locator):
    found = locator.bounding_box()
    assert found, "not laid out"
    return found


def test_opening_an_article_counts_one_view_and_the_desktop_page_lists_it_beside_the_article(news_site, open_page):
    article = news_site.article
    page = open_page(viewport=DESKTOP, user_agent=DESKTOP_BROWSER)
    beacon = open_article(page, article)
    assert beacon.status == 204 and beacon.request.method == "POST"
    assert "set-cookie" not in beacon.headers
    assert aggregate_later() == 1
    assert views_of(article) == 1

    assert open_article(page, article).status == 204  # the same reader again: not counted twice
    aggregate_later()
    assert views_of(article) == 1

    aside = page.locator("aside.article-aside")
    expect(aside.get_by_role("heading", name="الأكثر قراءة")).to_be_visible()
    expect(aside.get_by_role("heading", name="خلال 24 ساعة")).to_be_visible()
    expect(aside.get_by_role("heading", name="خلال 7 أيام")).to_be_visible()
    expect(aside.get_by_role("link", name=HEADLINE)).to_have_count(2)
    story, column = box(page.locator("article.article")), box(aside)
    # Right to left: the side column is on the left of the article, beside it, not over it.
    assert column["x"] + column["width"] <= story["x"], (story, column)
    assert column["y"] < story["y"] + story["height"] / 2
    assert column["width"] >= 250

    # The font-size control and the comment form still work beside it.
    page.get_by_role("button", name="تكبير الخط").click()
    expect(page.locator("[data-font-counter]")).to_have_text("+1")
    expect(page.get_by_role("heading", name="اترك تعليقاً")).to_be_visible()
    screenshot(page, "mostread-article-desktop")

    expect(aside.get_by_role("link", name=HEADLINE).first).to_have_attribute("href", article.url)

    page.goto("/")
    expect(page.locator("section.mostread--home").get_by_role("link", name=HEADLINE)).to_have_count(2)
    screenshot(page, "mostread-home-desktop")


def test_on_a_phone_the_lists_come_under_the_article(news_site, open_page):
    article = news_site.article
    HourlyViews.objects.create(page=article, hour=aggregation.hour_of(time.time()), views=10)
    aggregation.run()
    page = open_page(viewport=PHONE, user_agent=PHONE_BROWSER, is_mobile=True, has_touch=True)
    assert open_article(page, article).status == 204
    story, column = box(page.locator("article.article")), box(page.locator("aside.article-aside"))
    assert column["y"] >= story["y"] + story["height"], "under the article, never beside it"
    assert column["width"] <= PHONE["width"]
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"], "nothing wider than the phone"
    screenshot(page, "mostread-article-phone")

    page.goto("/")
    home_block = page.locator("section.mostread--home")
    expect(home_block.get_by_role("link", name=HEADLINE)).to_have_count(2)
    screenshot(page, "mostread-home-phone")


def test_headless_browsers_are_not_counted(news_site, open_page):
    page = open_page(viewport=DESKTOP)  # Playwright's own User-Agent says HeadlessChrome
    assert open_article(page, news_site.article).status == 204
    assert aggregate_later() == 0

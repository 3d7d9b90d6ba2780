"""Search in a real browser: the header box suggests headlines as the reader types, the results page lays out RTL."""

import pytest
from playwright.sync_api import expect

from .conftest import DESKTOP, MOBILE, screenshot
from .test_layout import assert_arabic_page, assert_fits_the_viewport

pytestmark = pytest.mark.e2e


def test_header_box_suggests_headlines_while_typing(news_site, page):
    page.goto("/")
    box = page.get_by_role("searchbox", name="ابحث في الأخبار")
    box.press_sequentially("موسك", delay=40)
    suggestion = page.locator("[data-search-suggestions] a").first
    expect(suggestion).to_contain_text("موسكو تبحث مع وفد حماس")
    assert_fits_the_viewport(page)
    screenshot(page, "search-suggestions-360")
    suggestion.click()
    expect(page.locator("h1")).to_contain_text("موسكو تبحث مع وفد حماس")


def test_header_box_submits_to_the_results_page(news_site, page):
    page.goto(news_site.article.url)
    box = page.get_by_role("searchbox", name="ابحث في الأخبار")
    box.fill("الاسرى غزه")
    box.press("Enter")
    page.wait_for_url("**/search/?q=*")
    expect(page.locator(".search-result").first).to_be_visible()
    expect(page.locator(".search-result mark").first).to_be_visible()


@pytest.mark.parametrize("viewport", [MOBILE, DESKTOP], ids=["360", "1280"])
def test_results_page_layout(news_site, open_page, viewport):
    page = open_page(viewport=viewport)
    page.goto("/search/?q=غزه+المحتجزين")
    assert_arabic_page(page)
    expect(page.locator(".search-result").first).to_contain_text("موسكو")
    expect(page.locator(".search-result mark").first).to_be_visible()
    assert_fits_the_viewport(page)
    screenshot(page, f"search-{viewport['width']}")


def test_no_results_page_layout(news_site, page):
    page.goto("/search/?q=المحتجزبن")  # a typo: ن typed as ب
    assert_arabic_page(page)
    expect(page.locator(".search-empty")).to_be_visible()
    assert_fits_the_viewport(page)
    screenshot(page, "search-empty-360")

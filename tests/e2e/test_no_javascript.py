"""Without JavaScript the article reads the same; the font-size control, an enhancement, stays hidden."""

import pytest
from playwright.sync_api import expect

from .conftest import LEAD

pytestmark = pytest.mark.e2e


def test_article_without_javascript(news_site, open_page):
    page = open_page(java_script_enabled=False)
    page.goto(news_site.article.url)

    expect(page.locator("h1")).to_have_text(news_site.article.title)
    body = page.locator("[data-article-body]")
    expect(body).to_be_visible()
    expect(body).to_contain_text("موسكو:")
    expect(body).to_contain_text(LEAD)
    expect(body).to_contain_text("“آر تي عربية”")
    expect(page.locator(".article__credit")).to_have_text("(وكالات)")

    control = page.locator("[data-font-size]")
    expect(control).to_have_attribute("hidden", "")
    expect(control).to_be_hidden()
    expect(page.get_by_role("button", name="تكبير الخط")).to_be_hidden()

    # "نسخ الرابط" stays a plain link to the article.
    expect(page.locator("[data-copy-link]")).to_have_attribute("href", news_site.article.full_url)

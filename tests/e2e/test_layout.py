"""Every reader-facing page lays out right-to-left, on a phone and on a desktop, without sideways scroll.

Full-page screenshots land in test-artifacts/screenshots/ for a human to look at.
"""

import pytest
from playwright.sync_api import expect

from .conftest import DESKTOP, MOBILE, screenshot

pytestmark = pytest.mark.e2e

PAGES = ("home", "section", "article", "author", "tag", "404")

# Elements sticking out of the viewport (in RTL, overflow to the right makes no scrollbar
# but is still cut off), ignoring those inside their own scroll box (the section menu
# scrolls sideways on purpose) and visually hidden ones.
OVERFLOWING = """() => {
  const width = window.innerWidth;
  const inScroller = (el) => {
    for (let node = el.parentElement; node && node !== document.body; node = node.parentElement) {
      if (getComputedStyle(node).overflowX !== "visible") return true;
    }
    return false;
  };
  const out = [];
  for (const el of document.body.querySelectorAll("*")) {
    const rect = el.getBoundingClientRect();
    const tiny = rect.width <= 1 && rect.height <= 1;  // visually hidden text, a honeypot field
    if (!rect.width || tiny || getComputedStyle(el).clipPath !== "none" || inScroller(el)) continue;
    if (rect.right > width + 1 || rect.left < -1) {
      out.push(`${el.tagName.toLowerCase()}.${[...el.classList].join(".")} [${Math.round(rect.left)}, ${Math.round(rect.right)}]`);
    }
  }
  return out;
}"""


def assert_fits_the_viewport(page):
    scroll_width, inner_width = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    assert scroll_width <= inner_width, f"horizontal scroll: {scroll_width}px of content in {inner_width}px"
    assert page.evaluate(OVERFLOWING) == [], "elements stick out of the viewport"


def assert_arabic_page(page):
    expect(page.locator("html")).to_have_attribute("lang", "ar")
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    expect(page.locator("h1")).to_have_count(1)
    assert page.evaluate("getComputedStyle(document.body).direction") == "rtl"


@pytest.mark.parametrize("viewport", [MOBILE, DESKTOP], ids=["360", "1280"])
@pytest.mark.parametrize("name", PAGES)
def test_page_layout(news_site, open_page, browser_errors, name, viewport):
    page = open_page(viewport=viewport)
    if name == "404":
        browser_errors.allow("status of 404", source=news_site.urls["404"])  # Chromium logs the missing page
    response = page.goto(news_site.urls[name])
    assert response.status == (404 if name == "404" else 200)
    assert_arabic_page(page)
    assert_fits_the_viewport(page)
    screenshot(page, f"{name}-{viewport['width']}")


def test_home_page_shows_lead_latest_sections_and_ticker(news_site, open_page):
    page = open_page(viewport=DESKTOP)
    page.goto("/")
    expect(page.locator(".breaking")).to_contain_text("زلزال")
    expect(page.locator(".home-top__lead .card--lead")).to_have_count(1)
    expect(page.locator(".card--lead")).to_have_count(1)  # the latest list and section blocks are not leads
    expect(page.locator(".latest-list > li")).to_have_count(10)
    expect(page.locator(".section-block")).not_to_have_count(0)
    lead, latest = (page.locator(selector).bounding_box() for selector in (".home-top__lead", ".home-top__latest"))
    assert lead["x"] > latest["x"], "the lead story sits on the right (start) side of the latest list"


@pytest.mark.parametrize(
    ("name", "current"),
    [("home", "الرئيسية"), ("section", "العالم"), ("article", "العالم"), ("author", None), ("tag", None), ("404", None)],
    ids=["home", "section", "article", "author", "tag", "404"],
)
def test_menu_marks_only_the_current_place(news_site, page, browser_errors, name, current):
    if name == "404":
        browser_errors.allow("status of 404", source=news_site.urls["404"])
    page.goto(news_site.urls[name])
    marked = page.get_by_role("navigation", name="الأقسام").locator("[aria-current=page]")
    if current:
        expect(marked).to_have_text([current])
    else:
        expect(marked).to_have_count(0)


def test_article_at_largest_font_size_fits_a_phone(news_site, page):
    page.goto(news_site.article.url)
    larger = page.get_by_role("button", name="تكبير الخط")
    for _ in range(4):
        larger.click()
    expect(page.locator("[data-font-counter]")).to_have_text("+4")
    expect(larger).to_be_disabled()
    assert_fits_the_viewport(page)
    screenshot(page, "article-360-font+4")


@pytest.mark.parametrize(("name", "viewport"), [("article", MOBILE), ("home", DESKTOP)], ids=["article-360", "home-1280"])
def test_dark_mode(news_site, open_page, name, viewport):
    page = open_page(viewport=viewport, color_scheme="dark")
    page.goto(news_site.urls[name])
    background = page.evaluate("getComputedStyle(document.body).backgroundColor")
    channels = [int(c) for c in background[background.index("(") + 1 : -1].split(",")[:3]]
    assert max(channels) < 60, f"dark mode keeps a light background: {background}"
    assert_fits_the_viewport(page)
    screenshot(page, f"{name}-dark-{viewport['width']}")


def test_print_shows_the_article_not_the_site(news_site, page):
    page.goto(news_site.article.url)
    page.emulate_media(media="print")
    for chrome in (".site-header", ".site-footer", ".share", "[data-font-size]", ".comments"):
        expect(page.locator(chrome).first).to_be_hidden()
    expect(page.locator("h1")).to_be_visible()
    expect(page.locator("[data-article-body]")).to_contain_text("موسكو:")
    screenshot(page, "article-print")

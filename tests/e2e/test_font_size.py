"""The "حجم الخط" control: a reader enlarges or shrinks the article text, and it is remembered."""

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.e2e

BODY = "[data-article-body]"
PARAGRAPH = "[data-article-body] p:not(.article__credit)"


def font_size(page, selector):
    """The computed font size of the first element matching ``selector``, in CSS pixels."""
    return page.locator(selector).first.evaluate("element => parseFloat(getComputedStyle(element).fontSize)")


class FontSizeControl:
    def __init__(self, page):
        self.page = page
        self.group = page.get_by_role("group", name="حجم الخط")
        self.smaller = page.get_by_role("button", name="تصغير الخط")
        self.larger = page.get_by_role("button", name="تكبير الخط")
        self.counter = page.locator("[data-font-counter]")

    def sizes(self):
        return font_size(self.page, BODY), font_size(self.page, PARAGRAPH)


@pytest.fixture
def control(news_site, page):
    page.goto(news_site.article.url)
    return FontSizeControl(page)


def test_control_is_revealed_at_zero(control):
    expect(control.group).to_be_visible()
    expect(control.group).to_contain_text("حجم الخط")
    expect(control.counter).to_have_text("0")
    expect(control.smaller).to_be_enabled()
    expect(control.larger).to_be_enabled()


def test_plus_enlarges_the_article_text(control):
    body_before, paragraph_before = control.sizes()
    control.larger.click()
    expect(control.counter).to_have_text("+1")
    body_after, paragraph_after = control.sizes()
    assert body_after > body_before
    assert paragraph_after > paragraph_before


def test_minus_twice_from_plus_one_goes_below_the_default(control):
    _, default = control.sizes()
    control.larger.click()
    expect(control.counter).to_have_text("+1")
    control.smaller.click()
    expect(control.counter).to_have_text("0")
    control.smaller.click()
    expect(control.counter).to_have_text("-1")
    assert control.sizes()[1] < default


def test_steps_stop_at_minus_two_and_plus_four(control):
    sizes = {}
    for expected in ("-1", "-2"):
        control.smaller.click()
        expect(control.counter).to_have_text(expected)
        sizes[expected] = control.sizes()[1]
    expect(control.smaller).to_be_disabled()
    assert sizes["-2"] < sizes["-1"]

    for expected in ("-1", "0", "+1", "+2", "+3", "+4"):
        control.larger.click()
        expect(control.counter).to_have_text(expected)
        sizes[expected] = control.sizes()[1]
    expect(control.larger).to_be_disabled()
    expect(control.smaller).to_be_enabled()
    steps = ["-2", "-1", "0", "+1", "+2", "+3", "+4"]
    assert [sizes[s] for s in steps] == sorted({sizes[s] for s in steps}), "each step must be larger than the last"


def test_step_and_size_persist_after_reload(control):
    control.larger.click()
    control.larger.click()
    expect(control.counter).to_have_text("+2")
    enlarged = control.sizes()

    control.page.reload()
    expect(control.group).to_be_visible()
    expect(control.counter).to_have_text("+2")
    assert control.sizes() == enlarged


def test_keyboard_tab_then_enter_and_space(control):
    page = control.page
    for _ in range(60):  # tab stops before the control: skip link, masthead, menu, breadcrumb, author
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.matches('[data-font-step=\"1\"]')"):
            break
    expect(control.larger).to_be_focused()

    page.keyboard.press("Enter")
    expect(control.counter).to_have_text("+1")
    page.keyboard.press("Space")
    expect(control.counter).to_have_text("+2")

    page.keyboard.press("Shift+Tab")
    expect(control.smaller).to_be_focused()
    page.keyboard.press("Enter")
    expect(control.counter).to_have_text("+1")


def test_headline_keeps_its_size(control):
    headline = control.page.locator("h1")
    expect(headline).to_have_count(1)
    outside_body = ("h1", ".article__summary", ".article__meta", ".site-nav")
    before = {selector: font_size(control.page, selector) for selector in outside_body}
    for expected in ("+1", "+2", "+3", "+4"):
        control.larger.click()
        expect(control.counter).to_have_text(expected)
    assert {selector: font_size(control.page, selector) for selector in outside_body} == before

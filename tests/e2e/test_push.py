"""«نبّهني بالعاجل»: the breaking-news alerts button in a real Chromium.

Chromium here has no push service to subscribe with (Playwright's contexts are incognito, where
Chromium offers none, and it would need Google's servers anyway), so the last step a reader takes
cannot succeed here: the test checks that it fails with a clear Arabic
message, after the service worker registered for the whole site.
"""

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import screenshot

pytestmark = pytest.mark.e2e

PHONE = {"width": 390, "height": 844}
FAILED = "تعذّر تفعيل التنبيهات في هذا المتصفح الآن. أعد المحاولة لاحقاً أو جرّب متصفحاً آخر."
DENIED = "المتصفح يمنع التنبيهات من موقعنا. اسمح بها من إعدادات الموقع في المتصفح ثم أعد المحاولة."


def button(page):
    return page.get_by_role("button", name="نبّهني بالعاجل")


MASTHEAD = {
    "logo": ".site-logo", "date": ".site-date", "button": "[data-push-button]", "search": ".site-search",
    "status": "[data-push-status]",
}


def overlap(a, b):
    return not (a["x"] + a["width"] <= b["x"] or b["x"] + b["width"] <= a["x"]
                or a["y"] + a["height"] <= b["y"] or b["y"] + b["height"] <= a["y"])


def status(page):
    return page.locator("[data-push-status]")


def test_the_button_registers_the_service_worker_and_explains_a_failure(news_site, open_page, live_server,
                                                                       browser_errors):
    # Chromium's own console line: Playwright's contexts are incognito ones, where it offers no push service.
    browser_errors.allow("does not support the Push API in incognito mode")
    page = open_page(viewport=PHONE, permissions=["notifications"])
    page.goto(news_site.article.url)

    expect(button(page)).to_be_visible()
    # Nobody gets a service worker before asking for alerts.
    assert page.evaluate("navigator.serviceWorker.getRegistration().then(found => !!found)") is False
    screenshot(page, "push-button-mobile")

    button(page).click()

    worker = page.evaluate(
        "navigator.serviceWorker.ready.then(r => ({script: r.active.scriptURL, scope: r.scope}))"
    )
    assert worker == {"script": f"{live_server.url}/push-sw.js", "scope": f"{live_server.url}/"}
    expect(status(page)).to_have_text(FAILED)
    expect(button(page)).to_be_enabled()
    # The masthead holds the button and the message without overlap or sideways scrolling.
    boxes = {name: page.locator(selector).bounding_box() for name, selector in MASTHEAD.items()}
    for name, box in boxes.items():
        assert 0 <= box["x"] and box["x"] + box["width"] <= PHONE["width"], name
    for first, second in [("logo", "button"), ("date", "button"), ("button", "search"), ("search", "status")]:
        assert not overlap(boxes[first], boxes[second]), (first, second)
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    screenshot(page, "push-failure-mobile")


def test_a_reader_who_blocks_notifications_is_told_how_to_allow_them(news_site, open_page):
    page = open_page(viewport=PHONE)
    page.goto(news_site.article.url)
    page.evaluate("Notification.requestPermission = () => Promise.resolve('denied')")

    button(page).click()

    expect(status(page)).to_have_text(DENIED)


def test_the_button_stays_hidden_without_push_support(news_site, open_page):
    page = open_page(viewport=PHONE)
    page.add_init_script("delete window.PushManager")
    page.goto(news_site.article.url)

    expect(page.locator("[data-push]")).to_be_hidden()
    expect(page.locator(".site-logo")).to_be_visible()

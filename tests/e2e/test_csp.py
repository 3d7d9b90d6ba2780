"""The Content-Security-Policy in a real browser.

Every public page type, and the admin's main screens, are visited with a listener for the
browser's ``securitypolicyviolation`` events (in every frame); any violation fails the test,
as does any console error (conftest's ``browser_errors``). The scripts the policy must let
through are exercised on the way: the font-size control, the comment form's fresh token, the
newsletter box, search suggestions, the embed frame, the admin's uploader and preview.
"""

import json
from io import BytesIO

import pytest
from django.conf import settings
from playwright.sync_api import expect

from khabar.security.middleware import policy_text

from .conftest import DESKTOP, SCREENSHOTS, screenshot

pytestmark = pytest.mark.e2e

REPORT_VIOLATIONS = """
document.addEventListener("securitypolicyviolation", (event) => window.khabarCspViolation({
  directive: event.effectiveDirective, blocked: event.blockedURI, source: event.sourceFile,
  line: event.lineNumber, page: location.href,
}));
"""
VIDEO_URL = "https://www.youtube.com/watch?v=khabar-e2e"
VIDEO_FRAME = "https://www.youtube-nocookie.com/embed/khabar-e2e"
READER_EMAIL = "reader.csp@example.org"
EDITOR_PASSWORD = "a-long-editor-password-1"


class Violations(list):
    """The violations reported by every page and frame of the contexts it watches."""

    def watch(self, page):
        page.context.expose_binding("khabarCspViolation", lambda source, report: self.append(report))
        page.context.add_init_script(REPORT_VIOLATIONS)
        return page

    def assert_none(self, page):
        page.evaluate("0")  # a round trip, so reports already queued are delivered
        assert list(self) == [], "the policy blocked:\n" + json.dumps(list(self), ensure_ascii=False, indent=1)


@pytest.fixture
def violations():
    return Violations()


class Visits:
    """Opens URLs in one page, checking the status and the policy the browser got with each."""

    def __init__(self, page, policy):
        self.page, self.policy, self.urls = page, policy, []

    def open(self, url, status=200, policy=None):
        response = self.page.goto(url)
        assert response.status == status, f"{url}: HTTP {response.status}"
        assert response.headers["content-security-policy"] == (policy or self.policy), url
        self.page.wait_for_load_state("networkidle")
        self.urls.append(url)
        return response


def css_pixels(locator, prop):
    return locator.evaluate(f"element => parseFloat(getComputedStyle(element).{prop})")


@pytest.fixture
def article_with_extras(news_site):
    """The reference article with two approved comments (avatars) and a video embed."""
    from wagtail.embeds.blocks import EmbedValue
    from wagtail.embeds.embeds import get_embed_hash
    from wagtail.embeds.models import Embed

    from khabar.comments.models import Comment

    article = news_site.article
    for name, body in (("ليلى حداد", "تحليل دقيق للمباحثات."), ("سامر خليل", "ننتظر نتائج الزيارة.")):
        Comment.objects.create(article=article, name=name, email=f"{len(name)}@example.org", body=body,
                               status="approved")
    # Stored as Wagtail keeps a fetched embed, so nothing asks YouTube's oEmbed service.
    Embed.objects.create(
        url=VIDEO_URL, hash=get_embed_hash(VIDEO_URL), type="video", provider_name="YouTube", width=640, height=360,
        html=f'<iframe src="{VIDEO_FRAME}" width="640" height="360" title="فيديو من موسكو" allowfullscreen></iframe>',
    )
    article.body.append(("embed", EmbedValue(VIDEO_URL)))
    article.save_revision().publish()
    return article


def test_every_public_page_type_runs_with_no_violation_and_its_scripts_work(
    news_site, article_with_extras, open_page, browser_errors, violations, fresh_limits
):
    from khabar.comments.text import avatar_hue
    from khabar.newsletter import tokens
    from khabar.newsletter.models import Subscriber
    from khabar.newsletter.views import THANKS

    page = violations.watch(open_page())
    page.context.route(f"{VIDEO_FRAME}*", lambda route: route.fulfill(
        content_type="text/html; charset=utf-8", body="<!doctype html><title>video</title><p>مشغل الفيديو</p>"))
    visits = Visits(page, policy_text(settings.KHABAR_CSP))
    article = news_site.article

    visits.open("/")
    visits.open(news_site.section.url)

    visits.open(article.url)
    hero = page.locator(".article__hero img")
    expect(hero).to_be_visible()
    assert hero.evaluate("image => image.complete && image.naturalWidth > 0")
    # Style attributes: the avatar's hue and the embed's aspect ratio reach the page.
    avatar = page.locator(".comment .avatar").first
    assert avatar.evaluate("a => getComputedStyle(a).getPropertyValue('--avatar-hue').trim()") == str(
        avatar_hue("ليلى حداد"))
    embed = page.locator(".responsive-object")
    assert css_pixels(embed, "paddingBottom") > 0
    expect(page.frame_locator(".responsive-object iframe").locator("p")).to_have_text("مشغل الفيديو")
    # The font-size control (khabar/js/site.js).
    paragraph = page.locator("[data-article-body] p").first
    before = css_pixels(paragraph, "fontSize")
    page.get_by_role("button", name="تكبير الخط").click()
    expect(page.locator("[data-font-counter]")).to_have_text("+1")
    assert css_pixels(paragraph, "fontSize") > before
    # The comment form asks for a fresh token when the reader enters it (khabar/js/comments.js).
    form = page.locator("[data-comment-form]")
    with page.expect_response(lambda response: "/comments/token/" in response.url) as token:
        form.get_by_label("الاسم").click()
    assert token.value.ok and token.value.json()["token"]
    # The newsletter box answers in place (khabar/js/newsletter.js).
    box = page.locator(".newsletter-box [data-newsletter-form]")
    box.locator("input[name=email]").fill(READER_EMAIL)
    box.locator("input[name=lists]").first.check()
    box.get_by_role("button", name="اشترك").click()
    expect(box.locator("[data-newsletter-status]")).to_have_text(THANKS)
    screenshot(page, "csp-article-360")

    visits.open(f"/tag/{news_site.tag_slug}/")
    visits.open(news_site.author.get_absolute_url())

    # Search: suggestions while typing (khabar/js/search.js), then the results page.
    box = page.get_by_role("searchbox", name="ابحث في الأخبار")
    box.press_sequentially("موسك", delay=40)
    expect(page.locator("[data-search-suggestions] a").first).to_contain_text("موسكو تبحث مع وفد حماس")
    visits.open("/search/?q=موسكو")
    expect(page.locator(".search-result").first).to_be_visible()

    # The newsletter's own pages, through the links its mail would carry.
    visits.open("/newsletter/")
    visits.open("/newsletter/thanks/")
    subscriber = Subscriber.objects.get(email=READER_EMAIL)
    visits.open(f"/newsletter/confirm/{tokens.confirmation_token(subscriber, ['daily'])}/")
    page.locator("main form button[type=submit]").click()  # the confirmation is a POST (form-action 'self')
    expect(page.locator("main")).to_contain_text("تم تأكيد اشتراكك")
    visits.open(f"/newsletter/preferences/{tokens.preferences_token(subscriber)}/")
    visits.open(f"/newsletter/unsubscribe/{tokens.unsubscribe_token(subscriber)}/")
    browser_errors.allow("status of 400", source="/newsletter/confirm/not-a-token/")  # Chromium logs the refusal
    visits.open("/newsletter/confirm/not-a-token/", status=400)

    browser_errors.allow("status of 404", source="/no-such-page/")
    visits.open("/no-such-page/", status=404)
    # Linked from every page's footer; the browser draws its XML tree under the data policy.
    visits.open("/sitemap.xml", policy=policy_text(settings.KHABAR_DATA_CSP))

    violations.assert_none(page)


def test_an_injected_inline_script_is_blocked_and_reported(news_site, open_page, browser_errors, violations):
    """The listener the other tests rely on hears violations, and the policy stops inline code."""
    page = violations.watch(open_page())
    browser_errors.allow("Content Security Policy")  # the console errors this test provokes on purpose
    page.goto(news_site.article.url)
    page.evaluate("""() => {
        const script = document.createElement("script");
        script.textContent = "window.injected = 'script'";
        document.body.append(script);
        const button = document.createElement("button");
        button.setAttribute("onclick", "window.injected = 'handler'");
        document.body.append(button);
        button.click();
    }""")
    for _ in range(50):  # reports arrive as tasks after the blocked code
        if len(violations) >= 2:
            break
        page.wait_for_timeout(20)
    assert page.evaluate("window.injected === undefined")
    assert {(report["directive"], report["blocked"]) for report in violations} == {
        ("script-src-elem", "inline"), ("script-src-attr", "inline")}


def jpeg(size=(1200, 800)):
    from PIL import Image

    buffer = BytesIO()
    Image.new("RGB", size, (40, 90, 140)).save(buffer, format="JPEG", quality=85)
    return buffer.getvalue()


def test_the_admin_works_under_its_own_policy(news_site, open_page, violations, django_user_model):
    from django.utils.translation import override
    from wagtail.images.fields import WagtailImageField
    from wagtail.images.models import Image

    django_user_model.objects.create_superuser("editor", "editor@newsroom.example", EDITOR_PASSWORD)
    page = violations.watch(open_page(viewport=DESKTOP))
    visits = Visits(page, policy_text(settings.KHABAR_ADMIN_CSP))
    visits.open("/admin/login/")
    page.locator("input[name=username]").fill("editor")
    page.locator("input[name=password]").fill(EDITOR_PASSWORD)
    page.locator("form button[type=submit]").click()
    page.wait_for_url("**/admin/")

    visits.open("/admin/")
    visits.open(f"/admin/pages/{news_site.section.id}/")
    # The editor, with the live preview: the article's own page inside a same-origin frame.
    visits.open(f"/admin/pages/{news_site.article.id}/edit/")
    page.locator("[data-side-panel-toggle='preview']").click()
    preview = page.frame_locator("#w-preview-iframe")
    expect(preview.locator("h1")).to_have_text(news_site.article.title, timeout=30_000)  # a POST, then a render
    expect(preview.locator("[data-font-counter]")).to_have_text("0")  # site.js ran inside the preview too
    # Closed again: the admin reopens the last panel on the next page, and a new page's preview is not ours to test.
    page.locator("[data-side-panel-toggle='preview']").click()
    # A new article, and the image chooser's modal.
    visits.open(f"/admin/pages/add/news/articlepage/{news_site.section.id}/")
    page.locator("button[data-chooser-action-choose]:visible").first.click()
    expect(page.locator(".modal-content")).to_contain_text("غزة")  # an image of the site, in the chooser
    page.keyboard.press("Escape")

    # The uploader: a real photo is kept, a web page named .jpg and an oversized file are refused.
    visits.open("/admin/images/multiple/add/")
    page.set_input_files("#fileupload", files=[
        {"name": "harbour.jpg", "mimeType": "image/jpeg", "buffer": jpeg()},
        {"name": "photo.jpg", "mimeType": "image/jpeg", "buffer": b"<!doctype html><script>alert(1)</script>"},
        {"name": "big.jpg", "mimeType": "image/jpeg", "buffer": jpeg() + bytes(settings.WAGTAILIMAGES_MAX_UPLOAD_SIZE)},
    ])
    with override("ar"):
        invalid = str(WagtailImageField().error_messages["invalid_image"])
    uploads = page.locator("#upload-list > li")
    expect(uploads).to_have_count(3)
    expect(uploads.filter(has_text="photo.jpg").locator(".error_messages")).to_have_text(invalid)
    expect(uploads.filter(has_text="big.jpg")).to_contain_text("كبير جدًا")
    expect(uploads.filter(has_text="harbour.jpg").locator("form")).to_be_visible()  # kept: its details form
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)  # the list only: the admin scrolls inside its own pane
    uploads.filter(has_text="big.jpg").scroll_into_view_if_needed()
    page.locator("#upload-list").screenshot(path=str(SCREENSHOTS / "csp-admin-uploader-1280.png"), animations="disabled")
    harbour = Image.objects.get(title__startswith="harbour")

    visits.open(f"/admin/images/{harbour.id}/")  # the focal-point cropper
    visits.open("/admin/documents/multiple/add/")
    page.set_input_files("#fileupload", files=[{"name": "statement.txt", "mimeType": "text/plain", "buffer": b"text"}])
    expect(page.locator("#upload-list > li form")).to_be_visible()
    visits.open("/admin/snippets/comments/comment/")
    visits.open("/admin/users/")
    visits.open("/admin/search-queries/")
    violations.assert_none(page)

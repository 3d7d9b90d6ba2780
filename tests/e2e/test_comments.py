"""Comments in a real browser: a reader comments, a moderator approves in the Wagtail admin, a reply nests.

Screenshots of the comments area at 360 px and 1280 px land in test-artifacts/screenshots/.
"""

import pytest
from playwright.sync_api import expect

from .conftest import DESKTOP, MOBILE, SCREENSHOTS

pytestmark = pytest.mark.e2e

READER = {"name": "ليلى حداد", "email": "layla.e2e@example.org", "body": "تحليل دقيق للمباحثات، شكراً لكم."}
REPLY = "شكراً لك يا ليلى، سننشر المتابعة غداً."
PASSWORD = "a-long-moderator-password"


@pytest.fixture
def comment_settings(settings):
    from django.core.cache import cache

    # A browser fills the form faster than a person; the minimum time is tested without one.
    settings.KHABAR_COMMENTS_MIN_SECONDS = 0
    settings.KHABAR_COMMENTS_MODERATION = "first"
    cache.clear()  # every test's reader posts from 127.0.0.1: start outside the previous one's 15 seconds
    yield
    cache.clear()


@pytest.fixture
def moderator(news_site):
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group, Permission

    group = Group.objects.create(name="مشرفو التعليقات")
    group.permissions.add(
        *Permission.objects.filter(content_type__app_label="comments"),
        Permission.objects.get(codename="access_admin"),
    )
    user = get_user_model().objects.create_user("moderator", "moderator@newsroom.example", PASSWORD)
    user.groups.add(group)
    return user


def comments_area(page, name):
    """A screenshot of the comments section only."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.locator("#comments").screenshot(path=str(path), animations="disabled")
    return path


def fill_comment(page, name, email, body, remember=False):
    form = page.locator("[data-comment-form]")
    form.get_by_label("الاسم").fill(name)
    form.get_by_label("البريد الإلكتروني").fill(email)
    form.get_by_label("التعليق").fill(body)
    if remember:
        form.get_by_label("احفظ اسمي وبريدي الإلكتروني في هذا المتصفح").check()
    form.get_by_role("button", name="أرسل التعليق").click()


def log_in(page, user):
    page.goto("/admin/login/")
    page.locator("input[name=username]").fill(user.username)
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("form button[type=submit]").click()
    page.wait_for_url("**/admin/")  # the dashboard


def test_reader_comments_moderator_approves_and_a_reply_nests(news_site, open_page, comment_settings, moderator):
    article_url = news_site.article.url

    # A reader on a phone leaves a comment and is told it awaits review.
    reader = open_page(viewport=MOBILE)
    reader.goto(article_url)
    expect(reader.get_by_role("heading", name="اترك تعليقاً")).to_be_visible()
    expect(reader.get_by_text("لن يتم نشر عنوان بريدك الإلكتروني.")).to_be_visible()
    fill_comment(reader, READER["name"], READER["email"], READER["body"], remember=True)
    expect(reader.locator("#comment-status")).to_contain_text("تعليقك بانتظار المراجعة")
    expect(reader.locator(".comment")).to_have_count(0)
    # "Remember me" filled the form back from this browser's storage, not from the server.
    form = reader.locator("[data-comment-form]")
    expect(form.get_by_label("الاسم")).to_have_value(READER["name"])
    expect(form.get_by_label("البريد الإلكتروني")).to_have_value(READER["email"])

    # A moderator logs in to the Wagtail admin and approves it from the queue.
    admin = open_page(viewport=DESKTOP)
    log_in(admin, moderator)
    expect(admin.get_by_text("تعليق واحد بانتظار المراجعة")).to_be_visible()
    admin.get_by_text("تعليق واحد بانتظار المراجعة").click()
    row = admin.locator("tr", has_text=READER["body"][:20])
    expect(row).to_contain_text(READER["email"])
    row.locator("[data-bulk-action-checkbox]").check()
    admin.get_by_role("link", name="الموافقة على التعليقات المختارة ونشرها").click()
    admin.get_by_role("button", name="نعم، نفّذ").click()
    expect(admin.locator(".messages")).to_contain_text("نُشر")

    # The reader reloads the article and sees the comment.
    reader.goto(article_url)
    comment = reader.locator(".comment", has_text=READER["body"])
    expect(comment).to_be_visible()
    expect(reader.locator("#comments-title")).to_have_text("تعليق واحد")
    expect(comment.locator(".avatar")).to_have_text("ل\u200cح")

    # The moderator replies in place: the form moves under the comment, the reply appears at once.
    admin.goto(article_url)
    admin.locator(".comment__reply").first.click()
    respond = admin.locator("[data-comment-respond]")
    expect(respond).to_contain_text("رد على " + READER["name"])
    assert admin.evaluate(
        "document.querySelector('.comment__card').compareDocumentPosition(document.querySelector('#respond')) & 4"
    ), "the form follows the comment it answers"
    fill_comment(admin, "فريق خبر", "desk@newsroom.example", REPLY)
    expect(admin.locator("#comment-status")).to_contain_text("نُشر تعليقك")

    # The reader's refreshed page shows the reply nested under the comment, with the staff badge.
    reader.goto(article_url)
    nested = reader.locator(".comment", has_text=READER["body"]).locator(".comment-list--replies .comment")
    expect(nested).to_have_count(1)
    expect(nested).to_contain_text(REPLY)
    expect(nested.locator(".badge--staff")).to_have_text("فريق التحرير")
    expect(reader.locator("#comments-title")).to_have_text("تعليقان")
    reply_box, parent_box = nested.bounding_box(), comment.locator(".comment__card").first.bounding_box()
    assert reply_box["x"] + reply_box["width"] < parent_box["x"] + parent_box["width"] - 4, "indented from the right"
    assert reader.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    comments_area(reader, "comments-360")

    desktop = open_page(viewport=DESKTOP)
    desktop.goto(article_url)
    comments_area(desktop, "comments-1280")

    # A reply form opened under a comment, on a phone.
    reader.locator(".comment__reply").first.click()
    comments_area(reader, "comments-reply-360")


def test_errors_keep_the_text_and_are_shown_per_field(news_site, open_page, comment_settings):
    page = open_page(viewport=MOBILE)
    page.goto(news_site.article.url)
    fill_comment(page, "", "not-an-email", "نص لا أريد أن أفقده")
    expect(page.locator("#comment-name_error")).to_have_text("اكتب اسمك؛ يظهر فوق تعليقك.")
    expect(page.locator("#comment-email_error")).to_contain_text("عنوان البريد الإلكتروني غير صحيح")
    form = page.locator("[data-comment-form]")
    expect(form.get_by_label("التعليق")).to_have_value("نص لا أريد أن أفقده")
    expect(form.get_by_label("البريد الإلكتروني")).to_have_attribute("aria-invalid", "true")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    comments_area(page, "comments-errors-360")


def test_commenting_works_without_javascript(news_site, open_page, comment_settings):
    page = open_page(viewport=MOBILE, java_script_enabled=False)
    page.goto(news_site.article.url)
    expect(page.locator("[data-remember]")).to_be_hidden()
    fill_comment(page, "قارئ بلا جافاسكربت", "nojs@example.org", "يعمل النموذج من دون سكربت.")
    expect(page.locator("#comment-status")).to_contain_text("تعليقك بانتظار المراجعة")

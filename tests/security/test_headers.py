"""Every kind of response carries the security headers, and the readers' pages hold nothing the policy blocks.

The browser's side (no violation reported, scripts still working) is tests/e2e/test_csp.py; a page
served from the page cache is tests/security/test_production.py, which runs a real server.
"""

from html.parser import HTMLParser

import pytest
from django.core.files.base import ContentFile
from django.test import Client

from .conftest import directives, jpeg_bytes

pytestmark = pytest.mark.django_db

FEATURES_OFF = ("camera", "microphone", "geolocation", "payment", "usb", "browsing-topics", "interest-cohort")


@pytest.fixture
def news(publish_article):
    """An article with a tag, an author and an approved comment (its avatar is drawn with a style attribute)."""
    from khabar.comments.models import Comment
    from khabar.news.models import Author

    article = publish_article(title="موسكو تستقبل وفداً", dateline="موسكو", paragraphs=("فقرة أولى.", "فقرة ثانية."))
    article.tags.add("روسيا")
    author = Author.objects.create(name="سارة الحسن", slug="sara")
    article.authors.add(author)
    article.save_revision().publish()
    Comment.objects.create(article=article, name="ليلى", email="layla@example.org", body="تعليق مفيد.",
                           status="approved")
    return article


@pytest.fixture
def client_with_errors(settings):
    """A client that gets the server-error page instead of the exception, on URLs with one broken view."""
    settings.ROOT_URLCONF = "tests.security.urls"
    return Client(raise_request_exception=False)


def reader_pages(news):
    return {
        "home": "/",
        "section": news.get_parent().url,
        "article": news.url,
        "tag": f"/tag/{news.tags.get().slug}/",
        "author": "/author/sara/",
        "search results": "/search/?q=موسكو",
        "newsletter sign-up": "/newsletter/",
        "newsletter thanks": "/newsletter/thanks/",
        "newsletter bad link": "/newsletter/confirm/not-a-token/",
    }


def assert_common_headers(response):
    policy = response["Permissions-Policy"]
    for feature in FEATURES_OFF:
        assert f"{feature}=()" in policy, f"{feature} is not switched off: {policy}"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "strict-origin-when-cross-origin"


def test_every_reader_page_carries_the_page_policy(client_with_errors, news, policies):
    for name, url in reader_pages(news).items():
        response = client_with_errors.get(url)
        assert response.status_code in (200, 400), f"{name}: HTTP {response.status_code}"
        assert response["Content-Security-Policy"] == policies["page"], name
        assert_common_headers(response)


@pytest.mark.parametrize(
    "url, status",
    [("/no-such-page/", 404), ("/broken/", 500), ("/newsletter", 301)],
    ids=["not-found", "server-error", "redirect"],
)
def test_error_pages_and_redirects_carry_the_page_policy(client_with_errors, home, policies, url, status):
    response = client_with_errors.get(url)
    assert response.status_code == status
    assert response["Content-Security-Policy"] == policies["page"]
    assert_common_headers(response)


def test_the_server_error_page_is_styled_from_a_file(client_with_errors, home):
    response = client_with_errors.get("/broken/")
    html = response.content.decode()
    assert "حدث خطأ غير متوقع" in html
    assert "<style" not in html and 'href="/static/khabar/css/error.css"' in html


def test_feeds_sitemaps_json_and_static_files_carry_the_data_policy(client_with_errors, news, policies, settings):
    settings.WHITENOISE_USE_FINDERS = True  # static files without collectstatic (read when the client starts)
    client = Client(raise_request_exception=False)
    urls = {
        "feed": "/feed/",
        "sitemap": "/sitemap.xml",
        "news sitemap": "/news-sitemap.xml",
        "robots.txt": "/robots.txt",
        "comment form token (JSON)": f"/comments/token/{news.pk}/",
        "search suggestions (JSON)": "/search/suggest/?q=موسك",
        "stylesheet": "/static/khabar/css/site.css",
        "SVG favicon": "/static/khabar/img/favicon.svg",
    }
    for name, url in urls.items():
        response = client.get(url)
        assert response.status_code == 200, f"{name}: HTTP {response.status_code}"
        assert response["Content-Security-Policy"] == policies["data"], name
        assert "script-src" not in policies["data"] and directives(policies["data"])["default-src"] == ["'none'"]
        assert_common_headers(response)


@pytest.mark.parametrize("url", ["/admin/", "/admin/login/"], ids=["redirect-to-sign-in", "sign-in"])
def test_the_admin_carries_the_admin_policy(client, home, policies, url):
    response = client.get(url)
    assert response.status_code in (200, 302)
    assert response["Content-Security-Policy"] == policies["admin"]
    assert_common_headers(response)


def test_an_editor_signed_in_sees_the_admin_under_the_admin_policy(client, home, policies, django_user_model):
    editor = django_user_model.objects.create_superuser("editor", "editor@example.org", "a-long-password-1")
    client.force_login(editor)
    response = client.get("/admin/")
    assert response.status_code == 200
    assert response["Content-Security-Policy"] == policies["admin"]


def test_media_and_documents_keep_their_own_stricter_policy(client, home, settings):
    from wagtail.documents.models import Document

    (settings.MEDIA_ROOT / "images").mkdir(parents=True, exist_ok=True)
    (settings.MEDIA_ROOT / "images" / "photo.jpg").write_bytes(jpeg_bytes())
    document = Document.objects.create(title="بيان", file=ContentFile(b"%PDF-1.4\n%%EOF\n", name="statement.pdf"))

    media = client.get("/media/images/photo.jpg")
    assert directives(media["Content-Security-Policy"]).keys() >= {"default-src", "sandbox"}
    assert_common_headers(media)

    served = client.get(document.url)
    assert served.status_code == 200
    assert served["Content-Security-Policy"] == "default-src 'none'"  # Wagtail's, kept
    assert served["Content-Disposition"].startswith("attachment")
    assert_common_headers(served)


def test_the_page_policy_allows_no_inline_script_and_no_framing_by_others(policies):
    page = directives(policies["page"])
    assert page["script-src"] == ["'self'"]
    assert page["style-src"] == ["'self'"]  # stylesheets and <style> only from our files
    assert page["style-src-attr"] == ["'unsafe-inline'"]  # style attributes: see settings.KHABAR_CSP
    assert page["default-src"] == page["object-src"] == page["base-uri"] == ["'none'"]
    assert page["frame-ancestors"] == ["'self'"]  # Wagtail's preview frames pages from the admin
    assert page["form-action"] == ["'self'"]
    assert directives(policies["admin"])["frame-ancestors"] == ["'self'"]


class InlineCode(HTMLParser):
    """Everything in a page that a policy without 'unsafe-inline' for scripts and <style> would block."""

    DATA_SCRIPTS = {"application/ld+json", "application/json"}

    def __init__(self):
        super().__init__()
        self.found = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "script" and not attrs.get("src") and attrs.get("type") not in self.DATA_SCRIPTS:
            self.found.append(f"inline <script {attrs}>")
        if tag == "style":
            self.found.append("a <style> element")
        for name, value in attrs.items():
            if name.startswith("on"):
                self.found.append(f"<{tag} {name}=…> event handler")
            if name in ("href", "src", "action") and (value or "").strip().lower().startswith("javascript:"):
                self.found.append(f"<{tag} {name}=javascript:…>")


def test_reader_pages_hold_no_inline_script_or_style_element(client_with_errors, news):
    for name, url in reader_pages(news).items():
        html = client_with_errors.get(url).content.decode()
        parser = InlineCode()
        parser.feed(html)
        assert parser.found == [], f"{name} ({url}) would break under the policy: {parser.found}"
        if name == "article":
            assert '<script type="application/ld+json">' in html  # data, which the policy does not govern

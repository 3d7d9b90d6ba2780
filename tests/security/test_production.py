"""KHABAR_PRODUCTION=1 as an operator runs it: a real server (granian, khabar's page cache) behind an
HTTPS proxy that sets X-Forwarded-Proto. Settings are read once at start, so only a process of its
own shows what production sends; override_settings would skip the code that decides it.
"""

import re
from http.cookies import SimpleCookie
from urllib.parse import quote, urlencode

import pytest
from django.conf import settings

from khabar.security.middleware import policy_text
from tests.instance import fresh_database
from tests.pagecache.conftest import Site

HTTPS = {"X-Forwarded-Proto": "https"}
SECRET = "production-test-secret-" + "k" * 40
PASSWORD = "a-long-editor-password-1"
HSTS = "max-age=31536000; includeSubDomains; preload"
SECTION = quote("/العالم/")
ARTICLE = quote("/العالم/production-story/")
SEED = f"""
from django.contrib.auth import get_user_model
from wagtail.rich_text import RichText
from khabar.news.models import ArticlePage
from khabar.news.site_tree import ensure_home_page, get_or_create_section
section = get_or_create_section(ensure_home_page(), "العالم")
page = ArticlePage(title="خبر الإنتاج", slug="production-story", body=[("text", RichText("<p>فقرة.</p>"))])
section.add_child(instance=page)
page.save_revision().publish()
get_user_model().objects.create_superuser("editor", "editor@example.org", {PASSWORD!r})
"""


@pytest.fixture(scope="module")
def production(tmp_path_factory):
    with fresh_database("khabar_production") as database_url:
        site = Site(
            tmp_path_factory.mktemp("production-site"), 1, database_url,
            KHABAR_PRODUCTION=1, KHABAR_SECRET_KEY=SECRET, KHABAR_TASKS_BACKEND="immediate",
        )
        site.run("manage", "migrate", "--verbosity", "0")
        site.run("manage", "collectstatic", "--noinput", "--verbosity", "0")
        site.shell(SEED)
        site.serve(workers=1)
        yield site
        site.stop()


def cookies_set(headers):
    jar = SimpleCookie()
    for line in headers.get_all("Set-Cookie") or []:
        jar.load(line)
    return jar


def test_plain_http_is_redirected_to_https(production):
    status, headers, _ = production.get(SECTION)
    assert status == 301
    assert headers["Location"].startswith("https://127.0.0.1:")


@pytest.mark.parametrize("path", ["/", SECTION, ARTICLE], ids=["home", "section", "article"])
def test_pages_carry_hsts_and_the_policies_also_when_served_from_the_cache(production, path):
    answers = [production.get(path, **HTTPS) for _ in range(2)]
    assert [status for status, _, _ in answers] == [200, 200]
    assert answers[1][1]["X-Khabar-Cache"] == "HIT"  # the second reader gets the stored copy
    for _, headers, _ in answers:
        assert headers["Strict-Transport-Security"] == HSTS
        assert headers["Content-Security-Policy"] == policy_text(settings.KHABAR_CSP)
        assert "camera=()" in headers["Permissions-Policy"] and "browsing-topics=()" in headers["Permissions-Policy"]
        assert headers["X-Content-Type-Options"] == "nosniff"


def test_a_missing_page_carries_hsts_and_the_page_policy(production):
    status, headers, _ = production.get("/no-such-page/", **HTTPS)
    assert status == 404
    assert headers["Strict-Transport-Security"] == HSTS
    assert headers["Content-Security-Policy"] == policy_text(settings.KHABAR_CSP)


def test_signing_in_sets_only_secure_http_only_cookies(production):
    status, headers, html = production.get("/admin/login/", **HTTPS)
    assert status == 200
    assert headers["Strict-Transport-Security"] == HSTS
    assert headers["Content-Security-Policy"] == policy_text(settings.KHABAR_ADMIN_CSP)
    csrf = cookies_set(headers)["csrftoken"]
    assert csrf["secure"] and csrf["httponly"]

    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
    origin = production.base.replace("http://", "https://")
    status, headers, _ = production.request(
        "/admin/login/",
        data=urlencode({"username": "editor", "password": PASSWORD, "csrfmiddlewaretoken": token}).encode(),
        headers={**HTTPS, "Origin": origin, "Referer": origin + "/admin/login/",
                 "Cookie": f"csrftoken={csrf.value}", "Content-Type": "application/x-www-form-urlencoded"},
    )
    assert status == 302, "the editor was not signed in"
    jar = cookies_set(headers)
    assert "sessionid" in jar
    for name, cookie in jar.items():
        assert cookie["secure"], f"{name} would travel over plain HTTP"
        assert cookie["httponly"], f"{name} is readable by page scripts"
    assert jar["sessionid"]["samesite"] == "Lax"

"""Home, section, author and tag pages, and the error pages."""

import re
from datetime import timedelta

import pytest
from django.test import override_settings
from django.utils import timezone

from khabar.news.models import ArticlePage, Author

pytestmark = pytest.mark.django_db


def h1s(html):
    return re.findall(r"<h1[^>]*>(.*?)</h1>", html, re.S)


def test_home_shows_lead_latest_and_section_blocks(client, publish_article, home):
    from khabar.news.site_tree import get_or_create_section

    sport = get_or_create_section(home, "رياضة")
    publish_article(title="خبر قديم", age=timedelta(days=3))
    publish_article(title="الخبر الأحدث", age=timedelta(minutes=5))
    publish_article(title="مباراة حاسمة", parent=sport, age=timedelta(hours=2))
    html = client.get("/").content.decode()
    lead = html.split('class="home-top__lead"')[1].split('class="home-top__latest"')[0]
    assert "الخبر الأحدث" in lead
    assert "منذ 5 دقائق" in lead
    assert "آخر الأخبار" in html and "مباراة حاسمة" in html
    assert len(h1s(html)) == 1


def test_breaking_ticker_shows_current_breaking_news_only(client, publish_article):
    publish_article(title="انفجار في الميناء", is_breaking=True)
    expired = publish_article(title="عاجل انتهى وقته", is_breaking=True)
    ArticlePage.objects.filter(pk=expired.pk).update(breaking_until=timezone.now() - timedelta(minutes=1))
    html = client.get("/").content.decode()
    ticker = html.split('class="breaking"')[1].split("</aside>")[0]
    assert "عاجل" in ticker and "انفجار في الميناء" in ticker
    assert "عاجل انتهى وقته" not in ticker


def test_breaking_flag_expires_after_default_hours(publish_article):
    page = publish_article(title="خبر عاجل", is_breaking=True)
    assert timedelta(hours=5) < page.breaking_until - timezone.now() <= timedelta(hours=6)


@override_settings(KHABAR_ARTICLES_PER_PAGE=2)
def test_section_is_paginated_newest_first(client, publish_article, section):
    for n in range(5):
        publish_article(title=f"خبر رقم {n}", age=timedelta(hours=10 - n))
    first = client.get(section.url).content.decode()
    assert first.index("خبر رقم 4") < first.index("خبر رقم 3")
    assert "خبر رقم 2" not in first
    assert "صفحة 1 من 3" in first
    last = client.get(section.url + "?page=3").content.decode()
    assert "خبر رقم 0" in last


@pytest.mark.parametrize("page", ["abc", "-1", "999", "1'--", "%00"])
def test_section_survives_bad_page_numbers(client, publish_article, section, page):
    publish_article()
    assert client.get(section.url, {"page": page}).status_code == 200


def test_author_page_lists_their_articles(client, publish_article):
    author = Author.objects.create(name="يوسف بن علي", slug="yousef", bio="محرر الشؤون الدولية.")
    page = publish_article(title="مقال يوسف")
    page.authors.add(author)
    page.save_revision().publish()
    publish_article(title="مقال لغيره")
    response = client.get("/author/yousef/")
    html = response.content.decode()
    assert response.status_code == 200
    assert h1s(html) == ["يوسف بن علي"]
    assert "مقال يوسف" in html and "مقال لغيره" not in html


def test_tag_page_lists_tagged_articles(client, publish_article):
    page = publish_article(title="سعر النفط يهبط")
    page.tags.add("النفط")
    page.save_revision().publish()
    html = client.get("/tag/النفط/").content.decode()
    assert "سعر النفط يهبط" in html


def test_unknown_author_and_tag_are_404(client, db):
    assert client.get("/author/nobody/").status_code == 404
    assert client.get("/tag/nothing/").status_code == 404


def test_404_page_is_arabic(client, home):
    response = client.get("/لا-توجد-صفحة-هنا/")
    html = response.content.decode()
    assert response.status_code == 404
    assert '<html lang="ar" dir="rtl">' in html
    assert "الصفحة غير موجودة" in html


def test_500_page_is_arabic_and_needs_no_database(client):
    from khabar.news.views import server_error

    response = server_error(None)
    html = response.content.decode()
    assert response.status_code == 500
    assert '<html lang="ar" dir="rtl">' in html and "حدث خطأ غير متوقع" in html

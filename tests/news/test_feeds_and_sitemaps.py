"""RSS feeds, sitemaps, the Google News sitemap and robots.txt, read as XML."""

from datetime import timedelta
from xml.etree import ElementTree

import pytest

pytestmark = pytest.mark.django_db

SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
NEWS = "{http://www.google.com/schemas/sitemap-news/0.9}"


def xml(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return ElementTree.fromstring(response.content)


def test_site_feed_lists_newest_articles(client, publish_article):
    publish_article(title="أقدم", age=timedelta(days=2))
    publish_article(title="أحدث", age=timedelta(hours=1))
    channel = xml(client, "/feed/").find("channel")
    assert channel.findtext("language") == "ar"
    titles = [item.findtext("title") for item in channel.findall("item")]
    assert titles == ["أحدث", "أقدم"]
    assert channel.find("item").findtext("link").startswith("http://127.0.0.1:8000/")


def test_section_feed_only_has_that_section(client, publish_article, home):
    from khabar.news.site_tree import get_or_create_section

    sport = get_or_create_section(home, "رياضة")
    publish_article(title="خبر سياسي")
    publish_article(title="هدف في الدقيقة 90", parent=sport)
    channel = xml(client, sport.url + "feed/").find("channel")
    assert [item.findtext("title") for item in channel.findall("item")] == ["هدف في الدقيقة 90"]
    assert "رياضة" in channel.findtext("title")


def test_feed_escapes_markup_in_titles(client, publish_article):
    publish_article(title="<b>عاجل</b> & مهم")
    item = xml(client, "/feed/").find("channel/item")
    assert item.findtext("title") == "<b>عاجل</b> & مهم"  # text after XML parsing, so it was escaped


def test_sitemap_index_and_articles(client, publish_article):
    page = publish_article(title="خبر في الخريطة")
    index = xml(client, "/sitemap.xml")
    locations = [loc.text for loc in index.iter(f"{SITEMAP}loc")]
    assert any(loc.endswith("/sitemap-articles.xml") for loc in locations)
    articles = xml(client, "/sitemap-articles.xml")
    assert "http://127.0.0.1:8000" + page.url in [loc.text for loc in articles.iter(f"{SITEMAP}loc")]


def test_article_sitemap_lists_only_public_published_articles_newest_first(client, publish_article, section):
    from wagtail.models import PageViewRestriction

    from khabar.news.site_tree import get_or_create_section

    private = get_or_create_section(section, "للمشتركين")
    PageViewRestriction.objects.create(page=private, restriction_type=PageViewRestriction.PASSWORD, password="x")
    older = publish_article(title="خبر أقدم", age=timedelta(days=2))
    newer = publish_article(title="خبر أحدث", age=timedelta(hours=1))
    publish_article(title="خبر للمشتركين", parent=private)
    publish_article(title="خبر سُحب").unpublish()
    locations = [loc.text for loc in xml(client, "/sitemap-articles.xml").iter(f"{SITEMAP}loc")]
    assert locations == ["http://127.0.0.1:8000" + page.url for page in (newer, older)]


def test_news_sitemap_has_last_48_hours_only(client, publish_article):
    fresh = publish_article(title="خبر اليوم", age=timedelta(hours=3))
    publish_article(title="خبر الأسبوع الماضي", age=timedelta(days=7))
    root = xml(client, "/news-sitemap.xml")
    titles = [t.text for t in root.iter(f"{NEWS}title")]
    assert titles == ["خبر اليوم"]
    assert root.find(f"{SITEMAP}url/{SITEMAP}loc").text == "http://127.0.0.1:8000" + fresh.url
    assert root.find(f".//{NEWS}language").text == "ar"


def test_robots_names_both_sitemaps(client, db):
    text = client.get("/robots.txt").content.decode()
    assert "Sitemap: http://127.0.0.1:8000/sitemap.xml" in text
    assert "Sitemap: http://127.0.0.1:8000/news-sitemap.xml" in text
    assert "Disallow: /admin/" in text


def test_sitemap_index_dates_the_articles_by_their_newest_change(client, publish_article):
    from datetime import datetime

    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from khabar.news.models import ArticleNote

    for n in range(8):
        publish_article(title=f"خبر {n}", age=timedelta(days=n + 1))
    corrected = publish_article(title="خبر صُحّح", age=timedelta(days=20))
    noted_at = timezone.now() + timedelta(minutes=30)  # a note timed after every publication
    ArticleNote.objects.create(page=corrected, kind=ArticleNote.CORRECTION, text="تصحيح الرقم", noted_at=noted_at)
    with CaptureQueriesContext(connection) as captured:
        index = xml(client, "/sitemap.xml")
    entry = next(s for s in index.findall(f"{SITEMAP}sitemap") if s.findtext(f"{SITEMAP}loc").endswith("/sitemap-articles.xml"))
    lastmod = datetime.fromisoformat(entry.findtext(f"{SITEMAP}lastmod"))
    assert abs((lastmod - noted_at).total_seconds()) < 1
    # Aggregates, not a read of every article (9.5 s at 100,000: bench/site_size.py).
    assert len(captured) <= 12, len(captured)

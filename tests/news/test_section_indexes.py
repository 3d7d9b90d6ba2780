"""The newest articles of a section, and a page by its address, come from migrations 0006 and 0007's indexes.

Those indexes are used only while the queries write their expressions exactly as the migration
does; an edit to either side would silently send SQLite back to reading the whole page table
(40-70 ms per lookup at 100,000 articles). The order and contents are checked against Wagtail's
own tree filters.
"""

from datetime import timedelta

import pytest
from django.db import connection
from django.test import override_settings
from wagtail.models import PageViewRestriction

from khabar.news.models import ArticlePage
from khabar.news.models.pages import newest_in_section, published_article_ids
from khabar.news.site_tree import get_or_create_section

pytestmark = pytest.mark.django_db
sqlite_only = pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's query plans; PostgreSQL plans by statistics")


def plan(queryset):
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN QUERY PLAN {sql}", params)
        return " | ".join(row[-1] for row in cursor.fetchall())


@pytest.fixture
def sub_section(section):
    return get_or_create_section(section, "الشرق الأوسط")


def test_a_section_lists_its_own_and_its_sub_sections_articles_newest_first(section, sub_section, publish_article):
    older = publish_article(title="في القسم", age=timedelta(hours=3))
    newer = publish_article(title="في القسم الفرعي", parent=sub_section, age=timedelta(hours=1))
    publish_article(title="في قسم آخر", parent=get_or_create_section(section.get_parent(), "رياضة"))

    listed = list(ArticlePage.objects.published().newest_in(section))
    assert listed == [newer, older]
    assert list(ArticlePage.objects.published().newest_in(sub_section)) == [newer]
    assert listed == list(ArticlePage.objects.descendant_of(section).published().newest_first())


@sqlite_only
def test_section_listings_read_the_section_index_at_both_levels(section, sub_section):
    assert "news_section12_listing_idx" in plan(ArticlePage.objects.published().newest_in(section)[:4])
    assert "news_section16_listing_idx" in plan(ArticlePage.objects.published().newest_in(sub_section)[:4])


@sqlite_only
def test_a_deep_page_and_the_pager_total_are_read_from_the_index_alone(section, sub_section):
    # "COVERING": no page row is read for the 980 articles page 50 skips, nor for those a count counts.
    for shown in (section, sub_section):
        ids = newest_in_section(published_article_ids(), shown)
        assert f"COVERING INDEX news_section{len(shown.path)}_listing_idx" in plan(ids[980:1000])
    assert "COVERING INDEX news_page_type_live_idx" in plan(published_article_ids().order_by())


@override_settings(KHABAR_ARTICLES_PER_PAGE=2)
def test_a_section_page_lists_only_what_a_reader_may_see(client, section, sub_section, publish_article):
    private = get_or_create_section(section, "للمشتركين")
    PageViewRestriction.objects.create(page=private, restriction_type=PageViewRestriction.PASSWORD, password="x")
    for n in range(5):
        publish_article(title=f"خبر رقم {n}", parent=sub_section if n % 2 else section, age=timedelta(hours=10 - n))
    publish_article(title="خبر للمشتركين", parent=private, age=timedelta(hours=1))
    withdrawn = publish_article(title="خبر سُحب", age=timedelta(hours=2))
    withdrawn.unpublish()

    pages = [client.get(section.url, {"page": n}).content.decode() for n in (1, 2, 3)]
    assert "صفحة 2 من 3" in pages[1]
    assert [n for n in range(5) for html in pages if f"خبر رقم {n}<" in html] == [0, 1, 2, 3, 4]
    assert pages[0].index("خبر رقم 4") < pages[0].index("خبر رقم 3")
    assert pages[1].index("خبر رقم 2") < pages[1].index("خبر رقم 1")
    assert "خبر رقم 0" in pages[2]
    assert not any("للمشتركين" in html.split("<main")[1] or "خبر سُحب" in html for html in pages)


@sqlite_only
def test_an_article_is_found_by_its_address_through_the_index(client, section, publish_article):
    article = publish_article(title="خبر بعنوان")
    assert "news_page_url_path_idx" in plan(ArticlePage.objects.filter(url_path=article.url_path))
    assert client.get(article.url).status_code == 200

"""The newest articles of a section, and a page by its address, come from migration 0006's indexes.

Those indexes are used only while the queries write their expressions exactly as the migration
does; an edit to either side would silently send SQLite back to reading the whole page table
(40-70 ms per lookup at 100,000 articles). The order and contents are checked against Wagtail's
own tree filters.
"""

from datetime import timedelta

import pytest
from django.db import connection

from khabar.news.models import ArticlePage
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
    assert "news_section12_newest_idx" in plan(ArticlePage.objects.published().newest_in(section)[:4])
    assert "news_section16_newest_idx" in plan(ArticlePage.objects.published().newest_in(sub_section)[:4])


@sqlite_only
def test_an_article_is_found_by_its_address_through_the_index(client, section, publish_article):
    article = publish_article(title="خبر بعنوان")
    assert "news_page_url_path_idx" in plan(ArticlePage.objects.filter(url_path=article.url_path))
    assert client.get(article.url).status_code == 200

"""Every public page type renders in a fixed number of SQL queries, however many articles exist."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from khabar.news.models import Agency, Author

pytestmark = pytest.mark.django_db

# Shared fragments off (a miss right after a purge). On SQLite the article's related list counts its
# tags' uses and the site's size to pick the cheaper plan (ArticleQuerySet.newest_tagged): two more.
LIMITS = {
    "home": 15, "section": 16, "article": 20 + 2 * (connection.vendor == "sqlite"),
    "author": 12, "tag": 12, "feed": 6, "sitemap": 5,
}


def publish_many(publish_article, count, author, agency):
    pages = []
    for n in range(count):
        page = publish_article(title=f"خبر {n}", age=timedelta(minutes=n + 1), dateline="القاهرة")
        page.authors.add(author)
        page.agencies.add(agency)
        page.tags.add("اقتصاد", f"وسم {n}")
        page.save_revision().publish()
        pages.append(page)
    return pages


def queries_for(client, url):
    client.get(url)  # warm caches that live for the process (site root paths, content types)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(captured)


def urls(pages, section):
    return {
        "home": "/",
        "section": section.url,
        "article": pages[0].url,
        "author": "/author/writer/",
        "tag": "/tag/اقتصاد/",
        "feed": "/feed/",
        "sitemap": "/sitemap-articles.xml",
    }


def test_query_counts_are_bounded_and_do_not_grow(client, publish_article, section):
    author = Author.objects.create(name="كاتب", slug="writer")
    agency = Agency.objects.create(name="رويترز")
    pages = publish_many(publish_article, 3, author, agency)
    few = {name: queries_for(client, url) for name, url in urls(pages, section).items()}
    pages += publish_many(publish_article, 12, author, agency)
    many = {name: queries_for(client, url) for name, url in urls(pages, section).items()}
    for name in few:
        assert many[name] <= LIMITS[name], f"{name}: {many[name]} queries"
        assert many[name] <= few[name], f"{name}: {few[name]} queries with 3 articles, {many[name]} with 15"

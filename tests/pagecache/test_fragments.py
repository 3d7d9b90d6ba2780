"""A page-cache miss is cheap: the menu, the ticker and related articles come from shared fragments."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from khabar import pagecache
from khabar.pagecache import api

pytestmark = pytest.mark.django_db

ARTICLE_QUERY_LIMIT = 10


@pytest.fixture
def fragments_on(settings):
    """The suite runs with the page cache off (see tests/settings.py); these tests turn it on."""
    settings.KHABAR_PAGE_CACHE = True
    api.config.cache_clear()
    pagecache.purge_all()
    yield
    settings.KHABAR_PAGE_CACHE = False
    api.config.cache_clear()


def render(client, url):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return response.content.decode(), len(captured)


def test_an_article_renders_in_at_most_ten_queries_once_fragments_are_built(fragments_on, client, publish_article):
    for n in range(6):
        publish_article(title=f"خبر مجاور {n}")
    article = publish_article(title="الخبر المقروء", is_breaking=True)
    render(client, article.url)  # builds the fragments
    html, queries = render(client, article.url)
    assert queries <= ARTICLE_QUERY_LIMIT, f"{queries} queries"
    assert "أخبار ذات صلة" in html and "خبر مجاور 5" in html
    assert 'class="breaking"' in html


def test_a_site_wide_purge_rebuilds_the_fragments(fragments_on, client, publish_article, section):
    article = publish_article(title="الخبر الأول")
    assert "عاجل جديد" not in render(client, article.url)[0]
    publish_article(title="عاجل جديد", is_breaking=True)
    # Inside this test's transaction the publish's on-commit purge never runs: fragments stay.
    assert "عاجل جديد" not in render(client, article.url)[0]
    pagecache.purge_all()
    html = render(client, article.url)[0]
    assert html.count("عاجل جديد") >= 2  # the ticker and the related block

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
    """The suite runs with fragments off (see tests/settings.py); these tests turn them on."""
    settings.KHABAR_FRAGMENT_CACHE = True
    api.config.cache_clear()
    pagecache.purge_all()
    yield
    settings.KHABAR_FRAGMENT_CACHE = False
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


def test_the_comments_under_an_article_follow_its_own_purge(fragments_on, client, publish_article):
    from khabar.comments.models import Comment, Status

    article = publish_article(title="خبر عليه تعليقات")
    render(client, article.url)
    Comment.objects.create(article=article, name="قارئ", email="r@example.org", body="تعليق جديد", status=Status.APPROVED)
    # Inside the test's transaction the on-commit purge never runs: the shared copy stays.
    assert "تعليق جديد" not in render(client, article.url)[0]
    assert "تعليق جديد" in render(client, article.url + "?cpage=1")[0], "a variant is never taken from the copy"
    pagecache.purge_paths([article.url])
    assert "تعليق جديد" in render(client, article.url)[0]


def test_a_fragment_passes_on_only_a_real_deadline(fragments_on, rf):
    """The ticker's end reaches the page; the fragment's own freshness cap must not (every page
    rendered in the same five minutes would otherwise expire together)."""
    from khabar.pagecache import fragments

    assert fragments.cached("no-deadline", lambda: ("value", None)) == ("value", None)
    assert fragments.cached("no-deadline", lambda: ("rebuilt", None)) == ("value", None)
    assert fragments.cached("deadline", lambda: ("value", 4102444800.0)) == ("value", 4102444800.0)


def test_listing_cards_are_shared_until_a_site_wide_purge(fragments_on, client, publish_article, section):
    from wagtail.models import Page

    article = publish_article(title="العنوان الأول")
    article.tags.add("نفط")
    article.save_revision().publish()
    assert "العنوان الأول" in render(client, section.url)[0]
    # The tag page lists the same article with its section named: a card of its own, not the section page's.
    tag_page = render(client, "/tag/نفط/")[0]
    assert "العنوان الأول" in tag_page and 'class="card__section"' in tag_page
    assert 'class="card__section"' not in render(client, section.url)[0]

    Page.objects.filter(pk=article.pk).update(title="العنوان المعدل")  # no publish: no purge
    assert "العنوان الأول" in render(client, section.url)[0]
    pagecache.purge_all()
    html = render(client, section.url)[0]
    assert "العنوان المعدل" in html and "العنوان الأول" not in html

"""«الأكثر قراءة» on the home page and beside an article: in order, linked, the same for every reader, cheap."""

import re
import time

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from khabar import pagecache
from khabar.mostread import aggregation
from khabar.mostread.models import HourlyViews
from khabar.pagecache import api
from tests.mostread.conftest import CHROME

pytestmark = pytest.mark.django_db

DAY_TITLES = ["الأول اليوم", "الثاني اليوم", "الثالث اليوم"]


@pytest.fixture
def ranked(publish_article):
    """Three articles read today, one read most this week, and the rankings built from them."""
    now = time.time()
    hour = aggregation.hour_of(now)
    articles = {}
    for views, title in zip((300, 200, 100), DAY_TITLES):
        articles[title] = publish_article(title=title)
        HourlyViews.objects.create(page=articles[title], hour=hour, views=views)
    articles["الأسبوع"] = publish_article(title="الأكثر في الأسبوع")
    HourlyViews.objects.create(page=articles["الأسبوع"], hour=hour - aggregation.WINDOWS["week"] / 2, views=5000)
    aggregation.run(now=now)
    return articles


def html_of(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def lists_in(html):
    """The two lists as (heading, [(href, title), ...]), in page order."""
    block = html[html.index('class="mostread '):]
    block = block[: block.index("</section>")]
    found = []
    for part in block.split('<h3 class="mostread__when"')[1:]:
        heading = re.search(r">([^<]+)</h3>", part).group(1)
        found.append((heading, re.findall(r'<a href="([^"]+)">([^<]+)</a>', part)))
    return found


def test_home_shows_both_lists_in_order_with_links(client, ranked):
    html = html_of(client, "/")
    assert '<h2 class="block-title" id="mostread-home-title">الأكثر قراءة</h2>' in html
    day, week = lists_in(html)
    assert day == ("خلال 24 ساعة", [(ranked[t].url, t) for t in DAY_TITLES])
    assert week == ("خلال 7 أيام", [(ranked["الأسبوع"].url, "الأكثر في الأسبوع"), *[(ranked[t].url, t) for t in DAY_TITLES]])
    assert html.index('class="home-top"') < html.index('class="mostread mostread--home"') < html.index("</main>")
    assert "data-mostread-page" not in html, "only an article page reports a view"


def test_the_article_page_has_the_lists_in_its_side_column_and_the_beacon(client, ranked):
    article = ranked["الثاني اليوم"]
    html = html_of(client, article.url)
    aside = html[html.index('<aside class="article-aside">'):]
    assert aside.index('<h2 class="block-title" id="mostread-aside-title">الأكثر قراءة</h2>') < aside.index("</aside>")
    assert html.index("</article>") < html.index('<aside class="article-aside">')
    assert lists_in(html)[0] == ("خلال 24 ساعة", [(ranked[t].url, t) for t in DAY_TITLES])
    head = html.split("</head>")[0]
    assert (f'<script src="/static/khabar/js/mostread.js" defer data-mostread-page="{article.pk}" '
            'data-mostread-url="/mostread/hit/"></script>') in head
    assert '<link rel="stylesheet" href="/static/khabar/css/mostread.css">' in head


def test_before_anything_was_read_no_block_and_an_empty_aside(client, publish_article):
    article = publish_article(title="خبر لم يقرأه أحد")
    assert 'class="mostread ' not in html_of(client, "/")
    assert '<aside class="article-aside"></aside>' in html_of(client, article.url)


def test_an_article_unpublished_since_the_last_ranking_leaves_the_list(client, ranked):
    ranked["الأول اليوم"].unpublish()
    day, week = lists_in(html_of(client, "/"))
    assert [title for _, title in day[1]] == DAY_TITLES[1:]


def test_titles_are_escaped(client, publish_article):
    article = publish_article(title='<img src=x onerror="alert(1)">خبر')
    HourlyViews.objects.create(page=article, hour=aggregation.hour_of(time.time()), views=3)
    aggregation.run()
    html = html_of(client, "/")
    assert "&lt;img src=x onerror=&quot;alert(1)&quot;&gt;خبر" in html
    assert '<img src=x onerror="alert(1)">' not in html


def test_two_readers_get_the_same_page(ranked):
    article = ranked["الأول اليوم"]
    first = Client(REMOTE_ADDR="198.51.100.1", HTTP_USER_AGENT=CHROME)
    second = Client(REMOTE_ADDR="192.0.2.9", HTTP_USER_AGENT="Mozilla/5.0 (iPhone) Safari/605.1.15")
    for url in ("/", article.url):
        answers = [reader.get(url) for reader in (first, second)]
        for answer in answers:
            assert answer.status_code == 200 and not answer.cookies and "Set-Cookie" not in answer.headers
            assert "cookie" not in answer.get("Vary", "").lower()
        # The comment form's token carries the second it was issued at, the same for everyone in that second.
        bodies = [re.sub(r'name="token" value="[^"]*"', "", answer.content.decode()) for answer in answers]
        assert bodies[0] == bodies[1]


def ranking_queries(client, url):
    with CaptureQueriesContext(connection) as captured:
        html_of(client, url)
    return [q["sql"] for q in captured if "mostread_" in q["sql"]]


def test_a_page_reads_the_rankings_in_one_query_and_then_from_the_shared_fragment(client, ranked, settings):
    article = ranked["الأول اليوم"]
    assert len(ranking_queries(client, article.url)) == 1
    assert len(ranking_queries(client, "/")) == 1
    settings.KHABAR_FRAGMENT_CACHE = True
    api.config.cache_clear()
    pagecache.purge_all()
    try:
        assert len(ranking_queries(client, article.url)) == 1
        assert ranking_queries(client, ranked["الثاني اليوم"].url) == [], "another article shares the built block"
    finally:
        settings.KHABAR_FRAGMENT_CACHE = False
        api.config.cache_clear()

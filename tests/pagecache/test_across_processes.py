"""The page cache and the shared limits as readers meet them, served by two granian workers."""

import json
import threading
import time
from urllib.parse import quote, urlencode

import pytest

from tests.pagecache.conftest import BREAKING_FOR_FOUR_SECONDS, wait_for

SECTION = "/" + quote("العالم") + "/"
ARTICLE = SECTION + "story-0/"
OTHER = SECTION + "story-1/"


def cache_outcome(headers):
    return headers.get("X-Khabar-Cache")


def test_a_second_reader_gets_the_stored_page(site):
    site.get(OTHER)
    outcomes = [cache_outcome(site.get(OTHER)[1]) for _ in range(6)]
    assert outcomes == ["HIT"] * 6


def test_tracking_parameters_share_one_entry_and_real_ones_do_not(site):
    site.get(OTHER)
    status, headers, _ = site.get(OTHER + "?utm_source=whatsapp&fbclid=abc123&x=" + "y" * 50)
    assert status == 200 and cache_outcome(headers) == "HIT"
    status, headers, _ = site.get(SECTION + "?page=2")
    assert status == 200 and cache_outcome(headers) in {"MISS", "HIT"}
    assert cache_outcome(site.get(SECTION + "?page=2")[1]) == "HIT"


def test_conditional_get_answers_304(site):
    _, headers, _ = site.get(OTHER)
    etag = headers["ETag"]
    assert "s-maxage=" in headers["Cache-Control"]
    status, _, body = site.get(OTHER, **{"If-None-Match": etag})
    assert status == 304 and body == ""


def test_an_editor_with_a_session_is_never_served_the_cache(site):
    site.get(OTHER)
    status, headers, _ = site.get(OTHER, Cookie="sessionid=abc")
    assert status == 200 and cache_outcome(headers) is None


def test_a_publish_in_another_process_is_visible_at_once_in_every_worker(site):
    for _ in range(4):
        site.get(ARTICLE)  # both workers now hold the page
    assert "خبر أول عن الطقس" in site.get(ARTICLE)[2]
    site.shell(
        "from khabar.news.models import ArticlePage\n"
        "page = ArticlePage.objects.get(slug='story-0')\n"
        "page.title = 'عنوان جديد بعد التصحيح'\n"
        "page.save_revision().publish()\n"
    )
    published = time.monotonic()
    bodies = [site.get(ARTICLE)[2] for _ in range(8)]
    assert all("عنوان جديد بعد التصحيح" in body for body in bodies)
    assert time.monotonic() - published < 5
    # The home page lists it too, and was purged with it.
    assert "عنوان جديد بعد التصحيح" in site.get("/")[2]


def test_after_a_purge_concurrent_readers_cause_one_render(site):
    site.get(OTHER)
    site.shell("from khabar import pagecache; pagecache.purge_all()")
    outcomes = []

    def read():
        outcomes.append(cache_outcome(site.get(OTHER)[1]))

    readers = [threading.Thread(target=read) for _ in range(40)]
    for reader in readers:
        reader.start()
    for reader in readers:
        reader.join()
    assert len(outcomes) == 40
    assert outcomes.count("MISS") <= 2, outcomes
    assert set(outcomes) <= {"MISS", "HIT", "STALE"}


def test_a_breaking_item_leaves_the_cached_ticker_at_its_time_without_a_purge(site):
    site.shell(BREAKING_FOR_FOUR_SECONDS)
    assert 'class="breaking"' in site.get(OTHER)[2]
    assert cache_outcome(site.get(OTHER)[1]) == "HIT"
    assert wait_for(lambda: 'class="breaking"' not in site.get(OTHER)[2], timeout=15)


def _comment(site, token, n):
    data = urlencode({
        "name": "قارئ", "email": "same.reader@example.org", "url": "", "body": f"تعليق رقم {n} مختلف",
        "article": site.article_id, "parent": "", "token": token, "homepage": "",
    }).encode()
    return site.request("/comments/post/", data=data, headers={"Origin": site.base})[0]


def test_the_comment_flood_gate_holds_across_workers(site):
    site.article_id = int(site.shell(
        "from khabar.news.models import ArticlePage; print(ArticlePage.objects.get(slug='story-1').pk)"
    ).strip())
    token = json.loads(site.get(f"/comments/token/{site.article_id}/")[2])["token"]
    statuses = []

    def post(n):
        statuses.append(_comment(site, token, n))

    posters = [threading.Thread(target=post, args=(n,)) for n in range(12)]
    for poster in posters:
        poster.start()
    for poster in posters:
        poster.join()
    assert sorted(statuses) == [303] + [429] * 11, statuses


@pytest.mark.parametrize("path", ["/comments/token/1/", "/admin/login/"])
def test_forms_and_the_admin_are_never_cached(site, path):
    assert cache_outcome(site.get(path)[1]) is None


def test_a_comment_approved_in_the_admin_process_shows_at_once(site):
    site.get(OTHER)
    assert cache_outcome(site.get(OTHER)[1]) == "HIT"
    site.shell(
        "from khabar.comments.models import Comment, Status\n"
        "from khabar.news.models import ArticlePage\n"
        "page = ArticlePage.objects.get(slug='story-1')\n"
        "comment = Comment.objects.create(article=page, name='قارئة', email='r@example.org',\n"
        "                                 body='تعليق وافق عليه المشرف', status=Status.PENDING)\n"
        "Comment.objects.filter(pk=comment.pk).set_status(Status.APPROVED)\n"
    )
    assert "تعليق وافق عليه المشرف" in site.get(OTHER)[2]

"""Threads under an article: replies nested three levels and more, oldest first, 50 threads a page, few queries."""

import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from khabar.comments.models import Comment, Status
from khabar.comments.threads import load_thread

from .conftest import make_comment

pytestmark = pytest.mark.django_db


def section_of(client, url):
    html = client.get(url).content.decode()
    start = html.index('<section class="comments"')
    return html[start:html.index("</section>", start)]


def nesting(html, comment):
    """How many <ol class="comment-list…"> are open around a comment's <li>."""
    before = html[: html.index(f'id="comment-{comment.pk}"')]
    return before.count('<ol class="comment-list') - before.count("</ol>")


@pytest.fixture
def conversation(article):
    start = timezone.now() - timedelta(hours=1)
    first = make_comment(article, name="أ", body="أولاً", created=start)
    reply = make_comment(article, name="ب", body="رد على الأول", parent=first, created=start + timedelta(minutes=1))
    deeper = make_comment(article, name="ج", body="رد على الرد", parent=reply, created=start + timedelta(minutes=2))
    deepest = make_comment(article, name="د", body="المستوى الرابع", parent=deeper, created=start + timedelta(minutes=3))
    second = make_comment(article, name="هـ", body="ثانياً", created=start + timedelta(minutes=4))
    return first, reply, deeper, deepest, second


def test_replies_nest_four_levels(client, article, conversation):
    first, reply, deeper, deepest, second = conversation
    html = section_of(client, article.url)
    assert [nesting(html, c) for c in conversation] == [1, 2, 3, 4, 1]
    assert html.index("أولاً") < html.index("رد على الأول") < html.index("رد على الرد") < html.index("ثانياً")


def test_deepest_level_offers_no_reply_and_a_reply_there_joins_its_parent(client, article, conversation, post_comment):
    *_, deeper, deepest, _second = conversation
    html = section_of(client, article.url)
    assert f'data-reply-to="{deeper.pk}"' in html
    assert f'data-reply-to="{deepest.pk}"' not in html
    post_comment(parent=deepest.pk)
    assert Comment.objects.get(body__startswith="تحليل").parent == deeper


def test_reply_goes_under_its_parent(article, conversation, post_comment):
    first = conversation[0]
    post_comment(parent=first.pk, body="رد جديد")
    assert Comment.objects.get(body="رد جديد").parent == first


def test_reply_to_a_comment_of_another_article_is_posted_at_the_top(article, post_comment, publish_article):
    elsewhere = make_comment(publish_article(title="خبر آخر"))
    post_comment(parent=elsewhere.pk, body="رد ضائع")
    assert Comment.objects.get(body="رد ضائع").parent is None


def test_reply_to_a_hidden_comment_stands_at_the_top(client, article):
    hidden = make_comment(article, body="محذوف", status=Status.TRASH)
    make_comment(article, body="رد يتيم", parent=hidden)
    html = section_of(client, article.url)
    assert "محذوف" not in html
    assert "رد يتيم" in html


def test_reply_link_without_javascript_opens_the_form_for_that_comment(client, article, conversation):
    first = conversation[0]
    html = section_of(client, f"{article.url}?replytocom={first.pk}")
    assert 'رد على <bdi>أ</bdi>' in html
    assert f'name="parent" value="{first.pk}"' in html
    assert re.search(r'<a class="comment-respond__cancel"[^>]*data-cancel-reply>', html), "cancel link shown"


def test_reply_links_are_nofollow_so_crawlers_skip_the_variants(client, article, conversation):
    html = section_of(client, article.url)
    links = re.findall(r'<a class="comment__reply"[^>]*>', html)
    assert links and all('rel="nofollow"' in link for link in links)


def test_deleting_a_comment_keeps_its_replies(client, article, conversation):
    first, reply, deeper, deepest, second = conversation
    reply.delete()
    deeper.refresh_from_db()
    assert deeper.parent == first
    html = section_of(client, article.url)
    assert [nesting(html, c) for c in (first, deeper, deepest)] == [1, 2, 3]


class TestPagination:
    @pytest.fixture
    def many(self, article):
        start = timezone.now() - timedelta(days=1)
        comments = [
            Comment(article=article, name=f"قارئ {n}", email=f"r{n}@example.org", body=f"التعليق رقم {n}.",
                    status=Status.APPROVED, created=start + timedelta(minutes=n))
            for n in range(1, 53)
        ]
        Comment.objects.bulk_create(comments)
        first = Comment.objects.get(body="التعليق رقم 1.")
        make_comment(article, body="رد في الصفحة الأولى", parent=first, created=start + timedelta(hours=5))
        return comments

    def test_fifty_threads_on_the_first_page(self, client, article, many):
        html = section_of(client, article.url)
        assert "53 تعليقاً" in html
        assert "التعليق رقم 50." in html and "التعليق رقم 51." not in html
        assert "رد في الصفحة الأولى" in html, "a reply stays with its thread"
        assert 'href="?cpage=2#comments"' in html and "صفحة التعليقات 1 من 2" in html

    def test_the_rest_on_the_second_page(self, client, article, many):
        html = section_of(client, f"{article.url}?cpage=2")
        assert "التعليق رقم 51." in html and "التعليق رقم 52." in html and "التعليق رقم 50." not in html
        assert 'href="?cpage=1#comments"' in html

    @pytest.mark.parametrize("page", ["x", "0", "-3", "999", "99999999999999999999999"])
    def test_a_bad_page_number_falls_back(self, client, article, many, page):
        assert client.get(f"{article.url}?cpage={page}").status_code == 200

    def test_reply_link_on_page_two_stays_on_page_two(self, client, article, many):
        html = section_of(client, f"{article.url}?cpage=2")
        assert re.search(r'href="\?cpage=2&amp;replytocom=\d+#respond"', html)


class TestQueries:
    def test_thread_is_read_in_two_queries_whatever_its_size(self, article, conversation):
        with CaptureQueriesContext(connection) as few:
            load_thread(article)
        for n in range(30):
            make_comment(article, body=f"المزيد {n}", parent=conversation[n % 3])
        with CaptureQueriesContext(connection) as many:
            thread = load_thread(article)
        assert thread.count == 35
        assert len(few) == len(many) == 2

    def test_article_without_comments_costs_one_query(self, article):
        with CaptureQueriesContext(connection) as captured:
            load_thread(article)
        assert len(captured) == 1

    def test_page_never_reads_a_commenters_email(self, article, conversation):
        with CaptureQueriesContext(connection) as captured:
            load_thread(article)
        assert not any('"email"' in query["sql"] or "email" in query["sql"].split("FROM")[0] for query in captured)

    def test_article_page_queries_do_not_grow_with_comments(self, client, article, conversation):
        client.get(article.url)
        with CaptureQueriesContext(connection) as few:
            client.get(article.url)
        for n in range(40):
            make_comment(article, body=f"المزيد {n}", parent=conversation[n % 4] if n % 2 else None)
        with CaptureQueriesContext(connection) as many:
            client.get(article.url)
        assert len(many) == len(few), [q["sql"] for q in many.captured_queries]


def test_an_unsaved_article_has_no_thread_yet(db):
    # The admin's live preview renders an article before its first save; it must not fail on its comments.
    from khabar.comments.threads import load_thread
    from khabar.news.models import ArticlePage

    thread = load_thread(ArticlePage(title="مسودة لم تحفظ بعد"))
    assert thread.count == 0 and thread.nodes == []

"""The desk closes an article's comments: what was approved stays, nothing new comes in."""

import pytest

from khabar import pagecache
from khabar.comments.models import Comment
from khabar.pagecache import api

from .conftest import make_comment

pytestmark = pytest.mark.django_db

CLOSED = "التعليقات مغلقة على هذا الخبر."


def comments_section(html):
    start = html.index('<section class="comments"')
    return html[start:html.index("</section>", start)]


def section_of(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return comments_section(response.content.decode())


def set_comments_open(article, is_open):
    article.comments_open = is_open
    article.save_revision().publish()
    article.refresh_from_db()


@pytest.fixture
def closed_article(article):
    make_comment(article, name="سلمى", body="تعليق نُشر قبل الإغلاق")
    set_comments_open(article, False)
    return article


@pytest.fixture
def fragments_on(settings):
    """The suite runs with shared fragments off (tests/settings.py); the comments section is one of them."""
    settings.KHABAR_FRAGMENT_CACHE = True
    api.config.cache_clear()
    pagecache.purge_all()
    yield
    settings.KHABAR_FRAGMENT_CACHE = False
    api.config.cache_clear()


def test_comments_are_open_on_a_new_article(article):
    assert article.comments_open


def test_a_closed_article_keeps_its_comments_and_shows_a_notice_instead_of_the_form(client, closed_article):
    section = section_of(client, closed_article.url)
    assert "تعليق نُشر قبل الإغلاق" in section and "تعليق واحد" in section
    assert CLOSED in section
    assert "اترك تعليقاً" not in section and "<form" not in section
    assert "comment__reply" not in section, "no reply link under a comment"


def test_a_closed_article_without_comments_does_not_invite_the_first_one(client, article):
    set_comments_open(article, False)
    section = section_of(client, article.url)
    assert CLOSED in section and "كن أول من يعلّق" not in section


def test_a_reply_link_followed_anyway_shows_no_form(client, closed_article):
    comment = Comment.objects.get(article=closed_article)
    section = section_of(client, f"{closed_article.url}?replytocom={comment.pk}")
    assert CLOSED in section and "<form" not in section and "رد على" not in section


def test_a_post_to_a_closed_article_is_refused_and_nothing_is_saved(post_comment, closed_article):
    before = Comment.objects.count()
    response = post_comment(target=closed_article, body="تعليق بعد الإغلاق")
    assert response.status_code == 403
    html = response.content.decode()
    assert CLOSED in html and "تعليق نُشر قبل الإغلاق" in html
    assert "تعليق بعد الإغلاق" not in html
    assert Comment.objects.count() == before


def test_even_a_bot_in_the_trap_is_not_told_its_comment_is_pending(post_comment, closed_article):
    response = post_comment(target=closed_article, homepage="http://spam.example")
    assert response.status_code == 403
    assert Comment.objects.filter(article=closed_article).count() == 1


def test_reopened_comments_take_posts_again(post_comment, closed_article):
    set_comments_open(closed_article, True)
    response = post_comment(target=closed_article)
    assert response.status_code == 303
    assert Comment.objects.filter(article=closed_article).count() == 2


def test_closing_purges_the_shared_comments_section(fragments_on, client, article, django_capture_on_commit_callbacks):
    make_comment(article, name="سلمى", body="تعليق نُشر قبل الإغلاق")
    assert "اترك تعليقاً" in section_of(client, article.url)  # kept as the shared fragment
    with django_capture_on_commit_callbacks(execute=True):  # the publish's purge runs on commit
        set_comments_open(article, False)
    for _ in range(2):  # built again, then served from the fragment
        section = section_of(client, article.url)
        assert CLOSED in section and "تعليق نُشر قبل الإغلاق" in section
        assert "اترك تعليقاً" not in section and "comment__reply" not in section

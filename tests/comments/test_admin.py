"""The moderation queue in the Wagtail admin, as a moderator uses it."""

import re

import pytest

from khabar.comments.models import BlockedTerm, Comment, Status

from .conftest import make_comment

pytestmark = pytest.mark.django_db

QUEUE = "/admin/snippets/comments/comment/"


@pytest.fixture
def queue(article):
    return {
        "pending": [
            make_comment(article, name="منتظر أول", email="first@example.org", body="بانتظار المراجعة 1", status=Status.PENDING),
            make_comment(article, name="منتظر ثانٍ", email="second@example.org", body="بانتظار المراجعة 2", status=Status.PENDING),
        ],
        "approved": [make_comment(article, name="منشور", body="تعليق منشور")],
        "spam": [make_comment(article, name="مزعج", body="اربح الآن", status=Status.SPAM)],
        "staff": make_comment(article, name="فريق خبر", body="رد رسمي", is_staff_reply=True),
    }


@pytest.fixture
def logged_in(client, moderator):
    client.force_login(moderator)
    return client


def test_queue_lists_comments_with_their_emails_for_moderators(logged_in, queue):
    response = logged_in.get(QUEUE)
    assert response.status_code == 200
    html = response.content.decode()
    assert "first@example.org" in html and "بانتظار المراجعة 1" in html
    assert "الحكومة تقر خطة لدعم المزارعين" in html


def test_status_counts_head_the_queue(logged_in, queue):
    html = logged_in.get(QUEUE).content.decode()
    counts = dict(re.findall(r'\?status=(\w+)"[^>]*>[^<]*<span class="w-status[^"]*">(\d+)</span>', html))
    assert counts == {"pending": "2", "approved": "2", "spam": "1", "trash": "0"}


def test_filter_by_status(logged_in, queue):
    html = logged_in.get(QUEUE + "?status=pending").content.decode()
    assert "بانتظار المراجعة 1" in html and "تعليق منشور" not in html


def test_search_by_name_email_and_text(logged_in, queue):
    assert "منتظر ثانٍ" in logged_in.get(QUEUE + "?q=second@example").content.decode()
    html = logged_in.get(QUEUE + "?q=اربح").content.decode()
    assert "مزعج" in html and "تعليق منشور" not in html


def test_staff_reply_carries_a_badge(logged_in, queue):
    html = logged_in.get(QUEUE).content.decode()
    assert re.search(r"<bdi>فريق خبر</bdi> <span class=\"w-status w-status--primary\">فريق التحرير</span>", html)


def test_bulk_approve(logged_in, queue, article, client):
    ids = "&".join(f"id={c.pk}" for c in queue["pending"])
    url = f"/admin/bulk/comments/comment/approve/?next={QUEUE}&{ids}"
    confirm = logged_in.get(url)
    assert confirm.status_code == 200
    assert "بانتظار المراجعة 1" in confirm.content.decode()
    response = logged_in.post(url)
    assert response.status_code == 302
    assert set(Comment.objects.filter(pk__in=[c.pk for c in queue["pending"]]).values_list("status", flat=True)) == {
        Status.APPROVED
    }
    client.logout()
    assert "بانتظار المراجعة 2" in client.get(article.url).content.decode()


@pytest.mark.parametrize("action, status", [("spam", Status.SPAM), ("trash", Status.TRASH)])
def test_bulk_spam_and_trash_hide_comments(logged_in, queue, article, client, action, status):
    target = queue["approved"][0]
    logged_in.post(f"/admin/bulk/comments/comment/{action}/?next={QUEUE}&id={target.pk}")
    target.refresh_from_db()
    assert target.status == status
    client.logout()
    assert "تعليق منشور" not in client.get(article.url).content.decode()


def test_bulk_delete(logged_in, queue):
    target = queue["spam"][0]
    response = logged_in.post(f"/admin/bulk/comments/comment/delete/?next={QUEUE}&id={target.pk}")
    assert response.status_code == 302
    assert not Comment.objects.filter(pk=target.pk).exists()


def test_moderator_edits_a_comment(logged_in, queue, article):
    target = queue["approved"][0]
    edit = logged_in.get(f"{QUEUE}edit/{target.pk}/")
    assert edit.status_code == 200
    response = logged_in.post(
        f"{QUEUE}edit/{target.pk}/",
        {"article": article.pk, "name": "منشور", "email": "reader@example.org", "url": "",
         "body": "نص عدّله المشرف", "status": "approved"},
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    target.refresh_from_db()
    assert target.body == "نص عدّله المشرف"


def test_dashboard_counts_pending_comments(logged_in, queue):
    html = logged_in.get("/admin/").content.decode()
    assert "تعليقان بانتظار المراجعة" in html
    assert f'href="{QUEUE}?status=pending"' in html


def test_without_the_permission_there_is_no_queue(client, queue, django_user_model):
    from django.contrib.auth.models import Permission

    editor = django_user_model.objects.create_user("editor", "editor@newsroom.example", "pw")
    editor.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client.force_login(editor)
    assert client.get(QUEUE).status_code in (302, 403)
    assert "بانتظار المراجعة" not in client.get("/admin/").content.decode()


def test_blocked_words_are_edited_in_the_admin(logged_in):
    response = logged_in.post("/admin/snippets/comments/blockedterm/add/", {"term": "كازينو"})
    assert response.status_code == 302
    assert BlockedTerm.objects.get().term == "كازينو"

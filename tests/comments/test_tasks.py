"""After a change: the article's cached copies are purged, and moderators get one mail per batch."""

from datetime import timedelta

import pytest
from django.core import mail
from django.core.cache import cache
from django.utils import timezone

from khabar.comments.models import Comment, Status
from khabar.comments.tasks import NOTIFY_SCHEDULED_KEY, notify_moderators, schedule_moderator_mail

from .conftest import make_comment

pytestmark = pytest.mark.django_db


class TestPagesAreRefreshed:
    def test_approving_purges_the_article(self, article, frontend_cache, django_capture_on_commit_callbacks):
        comment = make_comment(article, status=Status.PENDING)
        assert frontend_cache.purged == []
        with django_capture_on_commit_callbacks(execute=True):
            Comment.objects.filter(pk=comment.pk).set_status(Status.APPROVED)
        assert frontend_cache.purged == [article.full_url]

    def test_editing_a_visible_comment_purges_the_article(self, article, frontend_cache, django_capture_on_commit_callbacks):
        comment = make_comment(article)
        frontend_cache.purged.clear()
        with django_capture_on_commit_callbacks(execute=True):
            comment.body = "نص مصحح"
            comment.save()
        assert frontend_cache.purged == [article.full_url]

    def test_deleting_or_hiding_a_visible_comment_purges_the_article(
        self, article, frontend_cache, django_capture_on_commit_callbacks
    ):
        shown, other = make_comment(article), make_comment(article, body="آخر")
        frontend_cache.purged.clear()
        with django_capture_on_commit_callbacks(execute=True):
            shown.delete()
        with django_capture_on_commit_callbacks(execute=True):
            Comment.objects.filter(pk=other.pk).set_status(Status.SPAM)
        assert frontend_cache.purged == [article.full_url, article.full_url]

    def test_what_readers_never_saw_purges_nothing(self, article, frontend_cache, django_capture_on_commit_callbacks):
        with django_capture_on_commit_callbacks(execute=True):
            comment = make_comment(article, status=Status.PENDING)
            comment.body = "تعديل على تعليق لم يُنشر"
            comment.save()
            Comment.objects.filter(pk=comment.pk).set_status(Status.SPAM)
            comment.refresh_from_db()
            comment.delete()
        assert frontend_cache.purged == []

    def test_nothing_is_purged_before_the_change_is_committed(self, article, frontend_cache, django_capture_on_commit_callbacks):
        with django_capture_on_commit_callbacks(execute=False) as callbacks:
            make_comment(article)
        assert frontend_cache.purged == [] and callbacks

    def test_khabar_page_cache_forgets_the_article_alone(self, article, django_capture_on_commit_callbacks):
        from urllib.parse import unquote

        from khabar.pagecache import api

        path = unquote(article.url)  # as a WSGI server hands it to the page cache
        comment = make_comment(article, status=Status.PENDING)
        before, elsewhere = api.generations().current(path), api.generations().current("/")
        with django_capture_on_commit_callbacks(execute=True):
            Comment.objects.filter(pk=comment.pk).set_status(Status.APPROVED)
        after = api.generations().current(path)
        assert after[1] != before[1], "the article's own generation moved: every cached copy of it is stale"
        assert after[0] == before[0] and api.generations().current("/") == elsewhere, "other pages stay cached"


class TestModeratorMail:
    def test_one_mail_for_a_batch_of_pending_comments(self, article, moderator, django_capture_on_commit_callbacks):
        with django_capture_on_commit_callbacks(execute=True):
            for n in range(3):
                make_comment(article, name=f"قارئ {n}", email=f"reader{n}@example.org", body=f"سؤال {n}",
                             status=Status.PENDING)
        assert len(mail.outbox) == 1
        message = mail.outbox[0]
        assert message.to == ["moderator@newsroom.example"]
        assert "3 تعليقات بانتظار المراجعة" in message.subject
        assert all(f"سؤال {n}" in message.body for n in range(3))
        assert "الحكومة تقر خطة لدعم المزارعين" in message.body
        assert "http://127.0.0.1:8000/admin/snippets/comments/comment/?status=pending" in message.body
        assert "@example.org" not in message.body, "the mail names commenters, never their addresses"

    def test_running_again_sends_nothing(self, article, moderator):
        make_comment(article, status=Status.PENDING)
        assert notify_moderators.call() == 1
        assert notify_moderators.call() == 0
        assert len(mail.outbox) == 1

    def test_later_comments_get_a_later_mail_that_mentions_only_them(self, article, moderator):
        make_comment(article, body="الأول", status=Status.PENDING)
        notify_moderators.call()
        make_comment(article, body="الثاني", status=Status.PENDING)
        notify_moderators.call()
        assert len(mail.outbox) == 2
        second = mail.outbox[1]
        assert "الثاني" in second.body and "الأول" not in second.body
        assert "وفي الطابور الآن تعليقان" in second.body

    def test_approved_and_spam_comments_are_not_mailed(self, article, moderator, django_capture_on_commit_callbacks):
        with django_capture_on_commit_callbacks(execute=True):
            make_comment(article, status=Status.APPROVED)
            make_comment(article, status=Status.SPAM)
        assert mail.outbox == []

    def test_only_moderators_and_superusers_are_mailed(self, article, moderator, django_user_model):
        django_user_model.objects.create_user("writer", "writer@newsroom.example", "pw")
        django_user_model.objects.create_superuser("chief", "chief@newsroom.example", "pw")
        django_user_model.objects.create_user("gone", "gone@newsroom.example", "pw", is_active=False)
        make_comment(article, status=Status.PENDING)
        notify_moderators.call()
        assert sorted(mail.outbox[0].to) == ["chief@newsroom.example", "moderator@newsroom.example"]

    def test_a_failed_send_leaves_the_comments_for_the_next_run(self, article, moderator, monkeypatch):
        make_comment(article, status=Status.PENDING)

        def refuse(*args, **kwargs):
            raise ConnectionRefusedError("smtp down")

        monkeypatch.setattr("khabar.comments.tasks.send_mail", refuse)
        with pytest.raises(ConnectionRefusedError):
            notify_moderators.call()
        monkeypatch.undo()
        assert notify_moderators.call() == 1
        assert len(mail.outbox) == 1

    def test_a_queue_that_can_wait_gathers_comments_for_a_few_minutes(self, settings):
        settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
        from django_tasks import default_task_backend

        cache.delete(NOTIFY_SCHEDULED_KEY)
        before = timezone.now()
        schedule_moderator_mail()
        schedule_moderator_mail()
        schedule_moderator_mail()
        results = default_task_backend.results
        assert len(results) == 1, "three comments, one scheduled mail"
        run_after = results[0].task.run_after
        assert before + timedelta(seconds=290) < run_after < timezone.now() + timedelta(seconds=310)

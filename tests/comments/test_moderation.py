"""KHABAR_COMMENTS_MODERATION: all, first (the default) and none; and a moderator's own reply."""

import pytest

from khabar.comments.models import Comment, Status

from .conftest import READER, make_comment

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def no_flood_wait(settings):
    settings.KHABAR_COMMENTS_FLOOD_SECONDS = 0


def test_first_is_the_default(settings):
    from khabar import settings as khabar_settings

    assert khabar_settings.KHABAR_COMMENTS_MODERATION == "first"


class TestFirst:
    def test_a_new_email_waits(self, post_comment):
        post_comment()
        assert Comment.objects.get().status == Status.PENDING
        assert Comment.objects.get().check_notes == "أول تعليق من هذا البريد"

    def test_still_waiting_while_the_first_is_not_approved(self, post_comment):
        post_comment()
        post_comment(body="تعليق ثانٍ")
        assert set(Comment.objects.values_list("status", flat=True)) == {Status.PENDING}

    def test_once_one_is_approved_later_comments_appear_at_once(self, post_comment):
        post_comment()
        Comment.objects.all().set_status(Status.APPROVED)
        response = post_comment(body="تعليق بعد الموافقة", email=READER["email"].upper())
        assert "?comment=approved" in response["Location"]
        assert Comment.objects.get(body="تعليق بعد الموافقة").status == Status.APPROVED

    def test_approval_on_another_article_counts(self, post_comment, publish_article):
        make_comment(publish_article(title="خبر سابق"), email=READER["email"])
        post_comment()
        assert Comment.objects.get(article__title="الحكومة تقر خطة لدعم المزارعين").status == Status.APPROVED

    def test_spam_history_does_not_count(self, post_comment, article):
        make_comment(article, email=READER["email"], status=Status.SPAM, body="قديم")
        post_comment()
        assert Comment.objects.get(body=READER["body"]).status == Status.PENDING


def test_all_holds_even_a_known_commenter(post_comment, article, settings):
    settings.KHABAR_COMMENTS_MODERATION = "all"
    make_comment(article, email=READER["email"], body="قديم")
    response = post_comment()
    assert "?comment=pending" in response["Location"]
    assert Comment.objects.get(body=READER["body"]).status == Status.PENDING


def test_none_shows_a_new_commenter_at_once(post_comment, settings):
    settings.KHABAR_COMMENTS_MODERATION = "none"
    post_comment()
    assert Comment.objects.get().status == Status.APPROVED


class TestStaffReplies:
    def test_moderator_reply_appears_at_once_with_a_badge(self, client, article, moderator, post_comment, settings):
        settings.KHABAR_COMMENTS_MODERATION = "all"
        question = make_comment(article, name="سائل", body="متى تبدأ الخطة؟")
        client.force_login(moderator)
        response = post_comment(parent=question.pk, name="فريق خبر", email="desk@newsroom.example",
                                body="تبدأ الشهر المقبل.")
        reply = Comment.objects.get(parent=question)
        assert reply.status == Status.APPROVED and reply.is_staff_reply and reply.user == moderator
        assert f"#comment-{reply.pk}" in response["Location"]
        client.logout()
        html = client.get(article.url).content.decode()
        assert '<span class="badge badge--staff">فريق التحرير</span>' in html
        assert 'class="comment comment--staff"' in html

    def test_moderator_is_not_rate_limited(self, client, article, moderator, post_comment, settings):
        settings.KHABAR_COMMENTS_FLOOD_SECONDS = 15
        client.force_login(moderator)
        assert post_comment(body="رد أول").status_code == 303
        assert post_comment(body="رد ثانٍ").status_code == 303

    def test_without_origin_a_logged_in_moderator_posts_as_a_reader(self, client, article, moderator):
        from .conftest import form_token

        client.force_login(moderator)
        client.post("/comments/post/", {**READER, "article": article.pk, "token": form_token(article)})
        comment = Comment.objects.get()
        assert not comment.is_staff_reply and comment.status == Status.PENDING

    def test_an_editor_without_the_permission_is_a_reader(self, client, article, post_comment, django_user_model):
        client.force_login(django_user_model.objects.create_user("writer", "writer@newsroom.example", "pw"))
        post_comment()
        assert not Comment.objects.get().is_staff_reply

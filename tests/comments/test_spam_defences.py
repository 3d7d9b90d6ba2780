"""Spam and abuse, stopped without any outside service: one test per defence."""

import time

import pytest
from django.test import override_settings

from khabar.comments.checks import CommentCheck, Verdict
from khabar.comments.checks.blocklist import find_blocked_term
from khabar.comments.models import BlockedTerm, Comment, Status
from khabar.comments.tokens import make_token

from .conftest import READER, make_comment

pytestmark = pytest.mark.django_db


class TestHoneypot:
    def test_filled_honeypot_looks_like_success_and_saves_nothing(self, article, post_comment):
        response = post_comment(homepage="http://cheap-pills.example")
        assert response.status_code == 303
        assert response["Location"].endswith("?comment=pending#comment-status"), "the bot learns nothing"
        assert not Comment.objects.exists()

    def test_honeypot_is_hidden_from_people_and_assistive_technology(self, client, article):
        html = client.get(article.url).content.decode()
        assert '<p class="comment-form__trap" aria-hidden="true">' in html
        assert 'name="homepage" tabindex="-1" autocomplete="off"' in html


class TestFormToken:
    def test_posting_the_moment_the_form_was_issued_is_too_fast(self, article, post_comment):
        response = post_comment(token=make_token(article.pk))
        assert response.status_code == 200
        html = response.content.decode()
        assert "أُرسل التعليق بسرعة كبيرة" in html
        assert READER["body"] in html
        assert not Comment.objects.exists()

    def test_too_fast_form_keeps_its_token_so_the_next_try_passes(self, article, post_comment):
        token = make_token(article.pk, issued_at=time.time() - 1)
        html = post_comment(token=token).content.decode()
        assert f'name="token" value="{token}"' in html

    def test_a_form_older_than_the_maximum_age_is_refused_with_a_fresh_one(self, article, post_comment):
        old = make_token(article.pk, issued_at=time.time() - 2 * 86400)
        html = post_comment(token=old).content.decode()
        assert "انتهت صلاحية النموذج" in html
        assert old not in html and 'name="token" value="' in html
        assert not Comment.objects.exists()

    @pytest.mark.parametrize("token", ["", "abc", "eyJhIjoxLCJ0IjoxfQ:forged-signature"])
    def test_missing_or_forged_token_is_refused(self, article, post_comment, token):
        html = post_comment(token=token).content.decode()
        assert "تعذّر التحقق من النموذج" in html
        assert not Comment.objects.exists()

    def test_token_of_another_article_is_refused(self, article, post_comment, publish_article):
        other = publish_article(title="خبر آخر")
        html = post_comment(token=make_token(other.pk, issued_at=time.time() - 60)).content.decode()
        assert "تعذّر التحقق من النموذج" in html
        assert not Comment.objects.exists()


class TestOrigin:
    def test_form_posted_from_another_site_is_refused(self, article, post_comment):
        response = post_comment(headers={"HTTP_ORIGIN": "https://evil.example"})
        assert response.status_code == 403
        assert "أُرسل هذا النموذج من موقع آخر" in response.content.decode()
        assert READER["body"] in response.content.decode()
        assert not Comment.objects.exists()

    def test_opaque_origin_is_refused(self, article, post_comment):
        assert post_comment(headers={"HTTP_ORIGIN": "null"}).status_code == 403

    def test_referer_stands_in_for_a_missing_origin(self, article, post_comment, client):
        response = client.post(
            "/comments/post/",
            {**READER, "article": article.pk, "token": make_token(article.pk, issued_at=time.time() - 60)},
            HTTP_REFERER="https://evil.example/page",
        )
        assert response.status_code == 403

    def test_site_url_and_trusted_origins_are_accepted(self, article, post_comment, settings):
        settings.CSRF_TRUSTED_ORIGINS = ["https://news.example.org"]
        assert post_comment(headers={"HTTP_ORIGIN": "http://127.0.0.1:8000"}).status_code == 303
        assert post_comment(headers={"HTTP_ORIGIN": "https://news.example.org"}, email="b@example.org",
                            remote_addr="198.51.100.1").status_code == 303

    def test_without_origin_or_referer_a_reader_may_still_comment(self, article, client):
        response = client.post(
            "/comments/post/",
            {**READER, "article": article.pk, "token": make_token(article.pk, issued_at=time.time() - 60)},
        )
        assert response.status_code == 303
        assert Comment.objects.get().status == Status.PENDING


class TestRateLimits:
    def test_second_comment_within_15_seconds_gets_429_in_arabic(self, article, post_comment):
        assert post_comment().status_code == 303
        response = post_comment(body="تعليق آخر مباشرة")
        assert response.status_code == 429
        assert response["Retry-After"] == "15"
        html = response.content.decode()
        assert "تمهّل قليلاً" in html and "تعليق آخر مباشرة" in html
        assert Comment.objects.count() == 1

    def test_changing_address_does_not_escape_the_per_email_limit(self, article, post_comment):
        post_comment(remote_addr="203.0.113.1")
        assert post_comment(remote_addr="203.0.113.2", body="من عنوان آخر").status_code == 429

    def test_changing_email_does_not_escape_the_per_address_limit(self, article, post_comment):
        post_comment(email="one@example.org")
        assert post_comment(email="two@example.org", body="ببريد آخر").status_code == 429

    def test_after_the_wait_the_reader_may_comment_again(self, article, post_comment, settings):
        settings.KHABAR_COMMENTS_FLOOD_SECONDS = 1
        post_comment()
        time.sleep(1.1)
        assert post_comment(body="بعد الانتظار").status_code == 303

    @override_settings(KHABAR_COMMENTS_FLOOD_SECONDS=0, KHABAR_COMMENTS_HOURLY_LIMIT=3)
    def test_hourly_limit(self, article, post_comment):
        for n in range(3):
            assert post_comment(body=f"تعليق {n}").status_code == 303
        response = post_comment(body="الرابع")
        assert response.status_code == 429
        assert "أرسلت تعليقات كثيرة خلال ساعة" in response.content.decode()

    def test_behind_a_proxy_the_configured_header_names_the_reader(self, article, post_comment, settings):
        settings.KHABAR_CLIENT_IP_HEADER = "X-Forwarded-For"
        post_comment(headers={"HTTP_X_FORWARDED_FOR": "198.51.100.9"}, remote_addr="10.0.0.1")
        other_reader = post_comment(
            headers={"HTTP_X_FORWARDED_FOR": "198.51.100.10"}, remote_addr="10.0.0.1", email="c@example.org",
            body="قارئ آخر خلف الوكيل نفسه",
        )
        assert other_reader.status_code == 303
        assert Comment.objects.values("ip_hash").distinct().count() == 2

    def test_raw_address_is_never_stored(self, article, post_comment):
        post_comment(remote_addr="203.0.113.77")
        comment = Comment.objects.get()
        assert "203.0.113.77" not in comment.ip_hash and len(comment.ip_hash) == 64


class TestLinks:
    def test_comment_with_more_links_than_allowed_is_held(self, article, post_comment, settings):
        settings.KHABAR_COMMENTS_MODERATION = "none"
        post_comment(body="اقرأ https://a.example/1 و http://b.example/2 و www.c.example")
        comment = Comment.objects.get()
        assert comment.status == Status.PENDING
        assert "روابط كثيرة (3)" in comment.check_notes

    def test_two_links_are_fine(self, article, post_comment, settings):
        settings.KHABAR_COMMENTS_MODERATION = "none"
        post_comment(body="المصدر https://a.example/1 والترجمة https://b.example/2")
        assert Comment.objects.get().status == Status.APPROVED


class TestDuplicates:
    def test_same_text_twice_is_refused(self, article, post_comment, settings):
        settings.KHABAR_COMMENTS_FLOOD_SECONDS = 0
        post_comment()
        response = post_comment(remote_addr="198.51.100.3")
        assert response.status_code == 200
        assert "يبدو أنك أرسلت هذا التعليق من قبل" in response.content.decode()
        assert Comment.objects.count() == 1

    def test_same_text_from_someone_else_is_fine(self, article, post_comment, settings):
        settings.KHABAR_COMMENTS_FLOOD_SECONDS = 0
        post_comment(body="أتفق")
        assert post_comment(body="أتفق", email="other@example.org", remote_addr="198.51.100.4").status_code == 303


class TestBlocklist:
    @pytest.mark.parametrize(
        "text",
        [
            "أفضل كازينو على الإنترنت",
            "أفضل كـــازينو على الإنترنت",  # TATWEEL
            "أفضل كَازِينُو على الإنترنت",  # TASHKEEL
            "والكازينوهات كثيرة",  # prefix وال and suffix ات
            "اربح في ال\u200bكازينو",  # ZERO WIDTH SPACE inside the word
            "CASINO online",
        ],
        ids=["plain", "tatweel", "tashkeel", "clitics", "zero-width", "latin-case"],
    )
    def test_blocked_word_matches_in_every_folded_spelling(self, text):
        assert find_blocked_term(text, ["كازينو", "casino"]) in ("كازينو", "casino")

    @pytest.mark.parametrize("term", ["إسرائيل", "اسرائيل", "أسرائيل"], ids=["hamza-below", "bare-alef", "hamza-above"])
    def test_hamza_variants_of_a_term_match_each_other(self, term):
        assert find_blocked_term("خبر عن الاسرائيليين", [term]) is None, "a longer word is not the term"
        assert find_blocked_term("قالت إسرائيل", [term]) == term

    def test_term_is_not_found_inside_an_unrelated_word(self):
        assert find_blocked_term("مكتبة", ["كتب"]) is None

    def test_comment_with_a_blocked_word_from_the_setting_is_spam(self, article, post_comment, settings):
        settings.KHABAR_COMMENTS_BLOCKLIST = ["قمار"]
        settings.KHABAR_COMMENTS_MODERATION = "none"
        response = post_comment(body="أفضل موقع للقِمــار")
        assert response["Location"].endswith("?comment=pending#comment-status"), "a spammer is told nothing more"
        comment = Comment.objects.get()
        assert comment.status == Status.SPAM and "قمار" in comment.check_notes

    def test_moderators_add_blocked_words_in_the_admin(self, article, post_comment, settings):
        settings.KHABAR_COMMENTS_MODERATION = "none"
        BlockedTerm.objects.create(term="  ربح   سريع ")
        post_comment(body="طريقة ربح  سريع مضمونة")
        assert Comment.objects.get().status == Status.SPAM

    def test_blocked_word_in_the_website_or_email_counts(self, article, post_comment, settings):
        settings.KHABAR_COMMENTS_BLOCKLIST = ["pills"]
        post_comment(url="https://cheap-pills.example/")
        assert Comment.objects.get().status == Status.SPAM


class AlwaysSpam(CommentCheck):
    """A stand-in for an outside service (Akismet-like) that says everything is spam."""

    def check(self, submission):
        return Verdict.spam("خدمة خارجية: مزعج")


class ServiceDown(CommentCheck):
    def check(self, submission):
        raise ConnectionError(f"cannot reach the service for {submission.email}")


class TestPluggableChecks:
    def test_an_outside_service_can_be_plugged_in(self, article, post_comment, settings):
        settings.KHABAR_COMMENTS_CHECKS = ["tests.comments.test_spam_defences.AlwaysSpam"]
        post_comment()
        comment = Comment.objects.get()
        assert comment.status == Status.SPAM and comment.check_notes == "خدمة خارجية: مزعج"

    def test_a_failing_check_holds_the_comment_and_logs_no_email(self, article, post_comment, settings, log_lines):
        settings.KHABAR_COMMENTS_CHECKS = ["tests.comments.test_spam_defences.ServiceDown"]
        settings.KHABAR_COMMENTS_MODERATION = "none"
        post_comment()
        assert Comment.objects.get().status == Status.PENDING
        assert any("ServiceDown failed" in line for line in log_lines)
        assert not any(READER["email"] in line for line in log_lines)

    def test_a_bad_dotted_path_says_how_to_fix_it(self, settings):
        from django.core.exceptions import ImproperlyConfigured

        from khabar.comments.checks import get_checks

        settings.KHABAR_COMMENTS_CHECKS = ["khabar.comments.checks.nothing.Here"]
        with pytest.raises(ImproperlyConfigured, match="KHABAR_COMMENTS_CHECKS"):
            get_checks()

    def test_approved_history_does_not_bypass_the_checks(self, article, post_comment, settings):
        make_comment(article, email=READER["email"])
        settings.KHABAR_COMMENTS_BLOCKLIST = ["قمار"]
        post_comment(body="قمار")
        assert Comment.objects.filter(status=Status.SPAM).count() == 1

"""A reader leaves a comment «اترك تعليقاً» under an article, with or without JavaScript."""

import re

import pytest
from django.utils.html import escape

from khabar.comments.models import Comment, Status

from .conftest import READER, make_comment

pytestmark = pytest.mark.django_db


def comments_section(html):
    start = html.index('<section class="comments"')
    return html[start:html.index("</section>", start)]


def html_of(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


class TestTheForm:
    def test_form_has_the_reference_wording_and_required_marks(self, client, article):
        html = html_of(client, article.url)
        assert ">اترك تعليقاً<" in html
        assert "لن يتم نشر عنوان بريدك الإلكتروني. الحقول الإلزامية مشار إليها بـ" in html
        for label, required in (("الاسم", True), ("البريد الإلكتروني", True), ("الموقع الإلكتروني", False), ("التعليق", True)):
            match = re.search(rf"<label[^>]*>{label}( <span class=\"required\"[^>]*>\*</span>)?</label>", html)
            assert match, label
            assert bool(match.group(1)) is required, label
        assert "احفظ اسمي وبريدي الإلكتروني في هذا المتصفح" in html

    def test_remember_me_is_never_sent_to_the_server(self, client, article):
        html = html_of(client, article.url)
        checkbox = re.search(r"<input type=\"checkbox\"[^>]*data-remember-input[^>]*>", html).group(0)
        assert "name=" not in checkbox, "the choice lives in the browser only"
        row = re.search(r"<p class=\"comment-form__remember\"[^>]*>", html).group(0)
        assert "hidden" in row, "without JavaScript the option is not offered"

    def test_article_page_is_the_same_for_everyone_and_sets_no_cookie(self, client, article):
        response = client.get(article.url)
        assert not response.cookies, "a cookie would make the page uncacheable"
        assert "Cookie" not in response.get("Vary", "")
        html = response.content.decode()
        assert "csrfmiddlewaretoken" not in html
        client.cookies["sessionid"] = "someone-else"
        other = client.get(article.url).content.decode()
        token = re.compile(r'name="token" value="[^"]*"')
        assert token.sub("", html) == token.sub("", other)

    def test_form_posts_to_the_comments_view_and_lands_on_the_form(self, client, article):
        html = html_of(client, article.url)
        assert 'action="/comments/post/#respond"' in html
        assert f'data-token-url="/comments/token/{article.pk}/"' in html


class TestPosting:
    def test_first_comment_waits_and_the_reader_is_told(self, client, article, post_comment):
        response = post_comment()
        assert response.status_code == 303
        assert response["Location"] == f"{article.url}?comment=pending#comment-status"
        comment = Comment.objects.get()
        assert comment.status == Status.PENDING
        assert (comment.name, comment.body) == (READER["name"], READER["body"])
        page = html_of(client, response["Location"])
        assert "تعليقك بانتظار المراجعة" in page
        assert READER["body"] not in page, "a pending comment is not shown"

    @pytest.mark.parametrize("mode", ["none"])
    def test_comment_approved_at_once_is_shown_to_its_author(self, client, article, post_comment, settings, mode):
        settings.KHABAR_COMMENTS_MODERATION = mode
        response = post_comment()
        comment = Comment.objects.get()
        assert response["Location"] == f"{article.url}?comment=approved#comment-{comment.pk}"
        page = html_of(client, response["Location"])
        assert "نُشر تعليقك" in page
        assert f'id="comment-{comment.pk}"' in page and READER["body"] in page

    def test_approved_comments_appear_with_the_count(self, client, article):
        make_comment(article, name="سامي", body="التعليق الأقدم")
        make_comment(article, name="رنا", body="التعليق الأحدث")
        make_comment(article, name="خفي", body="لم يُراجع", status=Status.PENDING)
        html = comments_section(html_of(client, article.url))
        assert re.search(r'id="comments-title">تعليقان</h2>', html)
        assert html.index("التعليق الأقدم") < html.index("التعليق الأحدث"), "oldest first"
        assert "لم يُراجع" not in html

    def test_count_agrees_in_arabic(self, client, article):
        for n in range(11):
            make_comment(article, body=f"تعليق رقم {n}")
        assert "11 تعليقاً</h2>" in html_of(client, article.url)

    def test_commenter_website_is_a_nofollow_link(self, client, article):
        make_comment(article, name="مدونة", url="https://blog.example.net/")
        html = html_of(client, article.url)
        assert '<a href="https://blog.example.net/" rel="nofollow ugc noopener noreferrer"><bdi>مدونة</bdi></a>' in html

    def test_avatar_is_drawn_from_initials_with_no_outside_request(self, client, article):
        make_comment(article, name="أحمد الخطيب")
        html = html_of(client, article.url)
        avatar = re.search(r'<span class="avatar"[^>]*>([^<]*)</span>', html)
        assert avatar and avatar.group(1) == "أ\u200cخ"
        assert "gravatar" not in html.lower()
        assert not re.search(r'<img[^>]+src="https?://', html)

    def test_error_keeps_the_readers_text(self, client, article, post_comment):
        response = post_comment(email="not-an-address", body="نص طويل كتبته بعناية ولا أريد أن أفقده.")
        assert response.status_code == 200
        html = response.content.decode()
        assert "عنوان البريد الإلكتروني غير صحيح" in html
        assert "نص طويل كتبته بعناية ولا أريد أن أفقده." in html
        assert 'value="not-an-address"' in html
        assert f'value="{READER["name"]}"' in html
        assert '<h1 class="article__title">' in html, "the article is shown again, not a bare error"
        assert not Comment.objects.exists()

    def test_token_endpoint_gives_a_fresh_uncached_token(self, client, article):
        from khabar.comments.tokens import check_token

        response = client.get(f"/comments/token/{article.pk}/")
        assert response.status_code == 200
        assert "no-store" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]
        token = response.json()["token"]
        assert check_token(token, article.pk, now=__import__("time").time() + 10) is None
        assert not response.cookies

    def test_comment_on_a_draft_or_missing_article_is_not_found(self, client, section, post_comment):
        from khabar.news.models import ArticlePage

        draft = ArticlePage(title="مسودة", live=False)
        section.add_child(instance=draft)
        assert post_comment(target=draft).status_code == 404
        assert client.post("/comments/post/", {"article": "abc"}, HTTP_ORIGIN="http://testserver").status_code == 404
        assert not Comment.objects.exists()

    def test_get_is_not_allowed(self, client):
        assert client.get("/comments/post/").status_code == 405


class TestScriptPayloads:
    PAYLOADS = [
        '<script>alert("x")</script>',
        '<img src=x onerror="alert(1)">',
        '"><svg onload=alert(1)>',
        "<a href=\"javascript:alert(1)\">اضغط</a>",
    ]

    @pytest.mark.parametrize("payload", PAYLOADS)
    def test_markup_is_stored_as_text_and_shown_as_text(self, client, article, post_comment, settings, payload):
        settings.KHABAR_COMMENTS_MODERATION = "none"
        post_comment(body=f"قبل {payload} بعد", name=f"اسم {payload}"[:80])
        comment = Comment.objects.get()
        assert payload in comment.body, "stored as the reader typed it, as plain text"
        html = html_of(client, article.url)
        section = comments_section(html)
        assert payload not in section
        assert escape(payload) in section, "shown as the characters the reader typed"
        for tag in ("<script", "<img", "<svg", '<a href="javascript'):
            assert tag not in section

    def test_javascript_url_is_refused_as_a_website(self, article, post_comment):
        response = post_comment(url="javascript:alert(1)")
        assert response.status_code == 200
        assert "عنوان الموقع غير صحيح" in response.content.decode()
        assert not Comment.objects.exists()

"""Whatever a reader (or a bot) types: an Arabic message on the field, or text made inert; never a 500, never half a row."""

import pytest

from khabar.comments.models import Comment

pytestmark = pytest.mark.django_db

ZERO_WIDTH_SPACE = "\u200b"
RIGHT_TO_LEFT_OVERRIDE = "\u202e"
POP_DIRECTIONAL_FORMATTING = "\u202c"
BYTE_ORDER_MARK = "\ufeff"
ZERO_WIDTH_JOINER = "\u200d"
HANGUL_FILLER = "\u3164"


def refused(response, field_message):
    assert response.status_code == 200
    html = response.content.decode()
    assert field_message in html, html[html.find('id="respond"'):][:3000]
    assert 'aria-invalid="true"' in html
    assert not Comment.objects.exists(), "nothing is saved when the form is refused"
    return html


@pytest.mark.parametrize(
    "fields, message",
    [
        ({"name": ""}, "اكتب اسمك"),
        ({"name": "   \t  "}, "اكتب اسمك"),
        ({"name": ZERO_WIDTH_SPACE * 5}, "اكتب اسمك"),
        ({"email": ""}, "اكتب بريدك الإلكتروني"),
        ({"email": "   "}, "اكتب بريدك الإلكتروني"),
        ({"body": ""}, "اكتب تعليقك"),
        ({"body": " \n\n \t "}, "اكتب تعليقك"),
        ({"body": ZERO_WIDTH_SPACE + BYTE_ORDER_MARK + RIGHT_TO_LEFT_OVERRIDE + " \n" + ZERO_WIDTH_JOINER}, "اكتب تعليقك"),
        ({"body": HANGUL_FILLER * 3 + "\u2800"}, "اكتب تعليقك"),
        ({"body": "\u064e\u0651"}, "اكتب تعليقك"),  # tashkeel with no letter to sit on
    ],
    ids=[
        "empty-name", "whitespace-name", "zero-width-name", "empty-email", "whitespace-email", "empty-comment",
        "whitespace-comment", "invisible-padding-comment", "invisible-letters-comment", "bare-tashkeel-comment",
    ],
)
def test_empty_and_invisible_fields_are_required(post_comment, fields, message):
    refused(post_comment(**fields), message)


@pytest.mark.parametrize(
    "email", ["layla", "layla@", "@example.org", "layla@example", "ليلى@مثال", "a b@example.org", "layla@@example.org"]
)
def test_malformed_email_is_refused_in_arabic(post_comment, email):
    refused(post_comment(email=email), "عنوان البريد الإلكتروني غير صحيح")


def test_twenty_thousand_characters_are_refused_and_kept(post_comment):
    body = "ا" * 20_000
    html = refused(post_comment(body=body), "التعليق أطول من الحد المسموح (5000 حرف)؛ فيه الآن 20000 حرفاً")
    assert body in html, "the reader gets the text back to shorten it"


def test_comment_at_the_limit_is_accepted(post_comment):
    assert post_comment(body="ب" * 5000).status_code == 303
    assert len(Comment.objects.get().body) == 5000


def test_invisible_padding_does_not_count_against_the_limit(post_comment):
    assert post_comment(body="ب" * 4990 + ZERO_WIDTH_SPACE * 200).status_code == 303
    assert Comment.objects.get().body == "ب" * 4990


def test_long_name_is_refused(post_comment):
    refused(post_comment(name="ن" * 81), "الاسم أطول من 80 حرفاً")


def test_bidi_override_is_removed_from_name_and_comment(post_comment):
    # U+202E would make "gpj.exe" display as "exe.jpg"; it is not kept.
    response = post_comment(
        name=f"{RIGHT_TO_LEFT_OVERRIDE}مروان{POP_DIRECTIONAL_FORMATTING}",
        body=f"حمّل الملف {RIGHT_TO_LEFT_OVERRIDE}gpj.exe{POP_DIRECTIONAL_FORMATTING} الآن",
    )
    assert response.status_code == 303
    comment = Comment.objects.get()
    assert comment.name == "مروان"
    assert comment.body == "حمّل الملف gpj.exe الآن"


def test_zero_width_characters_are_removed_but_joiners_kept(post_comment):
    persian = "می\u200cخواهم"  # ZERO WIDTH NON-JOINER shapes the Persian word: kept
    response = post_comment(body=f"كل{ZERO_WIDTH_SPACE}مة{BYTE_ORDER_MARK} و{persian}")
    assert response.status_code == 303
    assert Comment.objects.get().body == f"كلمة و{persian}"


def test_control_characters_never_reach_the_database(post_comment):
    # PostgreSQL refuses NUL in text: this must be a clean save, not a 500.
    response = post_comment(name="سا\x00مي", body="سطر\x00أول\x07\r\nسطر ثانٍ\r\n\r\n\r\n\r\nبعد فراغ")
    assert response.status_code == 303
    comment = Comment.objects.get()
    assert "\x00" not in comment.name + comment.body and "\x07" not in comment.body
    assert comment.body == "سطر أول\nسطر ثانٍ\n\nبعد فراغ"


@pytest.mark.parametrize("url", ["javascript:alert(1)", "ftp://files.example.org/", "http://", "not a url at all"])
def test_bad_website_is_refused(post_comment, url):
    refused(post_comment(url=url), "عنوان الموقع غير صحيح")


def test_website_without_scheme_gets_https(post_comment):
    assert post_comment(url="blog.example.org").status_code == 303
    assert Comment.objects.get().url == "https://blog.example.org"


def test_email_is_kept_in_one_case(post_comment):
    post_comment(email="  Layla.Private@Example.ORG ")
    assert Comment.objects.get().email == "layla.private@example.org"


def post_tampered(client, article, data):
    from .conftest import READER, form_token

    payload = {**READER, "article": article.pk, "token": form_token(article), **data} if data else {}
    return client.post("/comments/post/", payload, HTTP_ORIGIN="http://testserver")


@pytest.mark.parametrize(
    "data", [{}, {"article": ""}, {"article": "1; DROP TABLE"}], ids=["nothing", "blank-article", "sql-article"]
)
def test_a_post_naming_no_public_article_is_not_found(client, article, data):
    assert post_tampered(client, article, data).status_code == 404
    assert not Comment.objects.exists()


@pytest.mark.parametrize(
    "parent", ["abc", "-1", "99999999999999999999"], ids=["word-parent", "negative-parent", "huge-parent"]
)
def test_a_parent_that_cannot_exist_posts_at_the_top_level(client, article, parent):
    response = post_tampered(client, article, {"parent": parent})
    assert response.status_code == 303
    assert "?comment=pending" in response["Location"]
    assert Comment.objects.get().parent is None


def test_a_bad_token_shows_the_form_again_with_the_text_kept(client, article):
    from khabar.comments.tokens import INVALID

    from .conftest import READER

    response = post_tampered(client, article, {"token": "garbage"})
    assert response.status_code == 200
    html = response.content.decode()
    assert INVALID in html
    assert READER["body"] in html, "the reader's text is kept to send again"
    assert 'value="garbage"' not in html, "the form carries a fresh token"
    assert not Comment.objects.exists()


def test_a_field_sent_twice_counts_once(client, article):
    # Django reads the last of repeated values; the comment is saved once, never a 500.
    assert post_tampered(client, article, {"body": ["one", "two"]}).status_code == 303
    assert list(Comment.objects.values_list("body", flat=True)) == ["two"]


def test_a_failure_while_saving_leaves_no_half_saved_row(post_comment, monkeypatch):
    from khabar.comments import signals

    def broken(*args, **kwargs):
        raise RuntimeError("the disk is full")

    monkeypatch.setattr(signals, "comments_changed", type("S", (), {"send": broken})())
    monkeypatch.setattr("khabar.comments.views.decide_status", lambda *a, **k: ("approved", ""))
    with pytest.raises(RuntimeError):
        post_comment()
    assert not Comment.objects.exists()

"""Signing up from the box «إشترك في قائمتنا البريدية»: what readers, bots and abusers meet."""

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.test import override_settings
from django.utils import timezone

from khabar.newsletter.models import Subscriber

pytestmark = pytest.mark.django_db


def test_every_page_carries_the_box_and_stays_cacheable(client, home, publish_article):
    article = publish_article(title="خبر فيه صندوق النشرة")
    for url in ("/", article.url):
        response = client.get(url)
        html = response.content.decode()
        assert "إشترك في قائمتنا البريدية" in html
        assert 'action="/newsletter/"' in html and 'name="email"' in html and 'name="lists"' in html
        # No CSRF token, no cookie, no Vary: Cookie: a CDN may cache the page for every reader.
        assert "csrfmiddlewaretoken" not in html
        assert "csrftoken" not in response.cookies
        assert "Cookie" not in response.get("Vary", "")


def test_the_box_sits_under_the_article(client, publish_article):
    article = publish_article(title="خبر")
    html = client.get(article.url).content.decode()
    assert html.index("</article>") < html.index("إشترك في قائمتنا البريدية")


def test_signing_up_mails_a_confirmation_and_says_to_check_the_mail(client, subscribe):
    response = subscribe("new@example.org", lists=["daily", "weekly"])
    assert response.status_code == 302
    assert "تحقق من بريدك" in client.get(response["Location"]).content.decode()
    [message] = mail.outbox
    assert message.to == ["new@example.org"]
    assert "/newsletter/confirm/" in message.body
    subscriber = Subscriber.objects.get()
    assert subscriber.status == Subscriber.Status.PENDING and subscriber.lists == []  # nothing until confirmed


def test_the_confirmation_mail_is_rtl_html_with_a_text_part_and_unsubscribe_headers(subscribe):
    subscribe("new@example.org")
    [message] = mail.outbox
    html, mimetype = message.alternatives[0]
    assert mimetype == "text/html" and 'dir="rtl"' in html and 'lang="ar"' in html
    assert message.extra_headers["List-Unsubscribe"].startswith("<http")
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"


def test_the_confirmation_mail_never_repeats_the_name_typed_in_the_form(subscribe):
    subscribe("victim@example.org", name="زوروا موقعنا spam.example")
    [message] = mail.outbox
    assert "spam.example" not in message.body and "spam.example" not in message.alternatives[0][0]


def test_a_malformed_address_gets_a_clear_arabic_message_and_keeps_the_input(subscribe):
    response = subscribe("not-an-address", name="سلمى", lists=["weekly"])
    html = response.content.decode()
    assert response.status_code == 400
    assert "عنوان البريد الإلكتروني غير صحيح" in html
    assert 'value="not-an-address"' in html and 'value="سلمى"' in html
    assert re.search(r'<input[^>]*value="weekly"[^>]*checked', html)
    assert not re.search(r'<input[^>]*value="daily"[^>]*checked', html)
    assert 'aria-invalid="true"' in html
    assert html.count('name="email"') == 1  # the page's form, not a second one in the footer
    assert not mail.outbox and not Subscriber.objects.exists()


def test_choosing_no_list_is_explained(subscribe):
    response = subscribe("reader@example.org", lists=[])
    assert response.status_code == 400
    assert "اختر نشرة واحدة على الأقل" in response.content.decode()


def test_a_bot_filling_the_honeypot_is_thanked_and_ignored(subscribe):
    response = subscribe("bot@example.org", data={"website": "http://spam.example"})
    assert response.status_code == 302 and response["Location"] == "/newsletter/thanks/"
    assert not mail.outbox and not Subscriber.objects.exists()


def test_a_post_from_another_site_is_refused(subscribe):
    response = subscribe("victim@example.org", HTTP_ORIGIN="https://evil.example")
    assert response.status_code == 403
    assert "لم يُرسل من موقعنا" in response.content.decode()
    response = subscribe("victim@example.org", HTTP_ORIGIN="", HTTP_REFERER="https://evil.example/page")
    assert response.status_code == 403
    assert not Subscriber.objects.exists()


def test_a_post_with_neither_origin_nor_referer_is_accepted(subscribe):
    assert subscribe("reader@example.org", HTTP_ORIGIN="").status_code == 302


@override_settings(KHABAR_NEWSLETTER_IP_LIMIT=3)
def test_too_many_sign_ups_from_one_address_get_429_in_arabic(subscribe):
    for n in range(3):
        assert subscribe(f"reader{n}@example.org").status_code == 302
    response = subscribe("reader9@example.org")
    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0
    assert "طلبات اشتراك كثيرة" in response.content.decode()
    assert not Subscriber.objects.filter(email="reader9@example.org").exists()


@override_settings(KHABAR_NEWSLETTER_ADDRESS_LIMIT=2)
def test_one_mailbox_cannot_be_flooded_from_many_ips(subscribe):
    for n in range(2):
        assert subscribe("victim@example.org", REMOTE_ADDR=f"10.0.0.{n}").status_code == 302
    assert subscribe("victim@example.org", REMOTE_ADDR="10.0.0.9").status_code == 429


def test_subscribing_again_sends_at_most_one_confirmation_every_few_minutes(subscribe):
    subscribe("reader@example.org")
    subscribe("READER@example.org ")
    assert len(mail.outbox) == 1
    Subscriber.objects.update(confirmation_sent_at=timezone.now() - timedelta(minutes=11))
    subscribe("reader@example.org")
    assert len(mail.outbox) == 2
    assert Subscriber.objects.count() == 1


def test_the_answer_never_reveals_whether_an_address_is_known(client, subscribe, make_subscriber):
    make_subscriber("active@example.org", weekly=False)
    make_subscriber("left@example.org", status="unsubscribed")
    make_subscriber("waiting@example.org", status="pending")
    answers = set()
    for address in ("active@example.org", "left@example.org", "waiting@example.org", "unknown@example.org"):
        response = subscribe(address, lists=["weekly"])
        answers.add((response.status_code, response["Location"], client.get(response["Location"]).content))
    assert len(answers) == 1
    # …and an existing subscriber's lists change only when the owner follows the new link.
    active = Subscriber.objects.get(email="active@example.org")
    assert active.status == "active" and active.lists == ["daily"]
    assert Subscriber.objects.get(email="left@example.org").status == "unsubscribed"


def test_the_enhanced_box_gets_json_answers(subscribe):
    ok = subscribe("reader@example.org", HTTP_ACCEPT="application/json")
    assert ok.status_code == 200 and ok.json()["ok"] is True and "بريدك" in ok.json()["message"]
    bad = subscribe("nope", HTTP_ACCEPT="application/json")
    assert bad.status_code == 400 and "email" in bad.json()["errors"]


def test_the_newsletter_page_shows_one_cacheable_form(client):
    response = client.get("/newsletter/")
    html = response.content.decode()
    assert response.status_code == 200 and html.count('name="email"') == 1
    assert "public" in response["Cache-Control"]
    assert "إشترك في قائمتنا البريدية" in html


def test_newsletter_pages_render_in_few_queries(client, home, django_assert_max_num_queries):
    client.get("/newsletter/")  # warm the site-root cache
    for url in ("/newsletter/", "/newsletter/thanks/"):
        with django_assert_max_num_queries(8):
            assert client.get(url).status_code == 200

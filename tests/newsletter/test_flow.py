"""The whole life of a subscription against a real SMTP server on loopback.

subscribe → confirmation received → link followed → articles published →
digest received (RTL HTML + text, List-Unsubscribe headers) → one-click
unsubscribe by POST as RFC 8058 describes → the next digest does not come.
"""

import pytest
from django.core.management import call_command
from django.test import Client

from khabar.newsletter.models import Subscriber

from .conftest import link_in, parts

pytestmark = pytest.mark.django_db

ADDRESS = "Reader@Example.org"


def test_a_reader_subscribes_confirms_reads_the_digest_and_leaves_in_one_click(
    smtp_sink, subscribe, client, publish_article
):
    response = subscribe(ADDRESS, lists=["daily", "breaking"], name="سلمى")
    assert response.status_code == 302 and response["Location"] == "/newsletter/thanks/"
    assert "تحقق من بريدك" in client.get(response["Location"]).content.decode()

    [confirmation] = smtp_sink.messages(to="reader@example.org")
    assert "أكّد اشتراكك" in confirmation["Subject"]
    confirm_path = link_in(confirmation, "confirm")
    assert client.get(confirm_path).status_code == 200  # a page with a button: scanners opening links change nothing
    assert Subscriber.objects.get().status == Subscriber.Status.PENDING
    assert "تم تأكيد اشتراكك" in client.post(confirm_path).content.decode()
    subscriber = Subscriber.objects.get()
    assert subscriber.email == "reader@example.org"
    assert (subscriber.status, subscriber.lists) == ("active", ["daily", "breaking"])

    first = publish_article(title="البرلمان يقرّ الموازنة العامة")
    second = publish_article(title="افتتاح خط الحافلات السريعة", summary="يختصر الرحلة إلى عشرين دقيقة.")
    smtp_sink.clear()
    call_command("newsletter", "send-digest", "daily", stdout=open("/dev/null", "w"))

    [digest] = smtp_sink.messages(to="reader@example.org")
    text, html = parts(digest)
    assert digest.get_content_type() == "multipart/alternative"
    assert 'dir="rtl"' in html and 'lang="ar"' in html
    for article in (first, second):
        assert article.title in text and article.title in html
    assert "يختصر الرحلة إلى عشرين دقيقة." in text
    assert "مرحباً سلمى،" in text and "مرحباً سلمى،" in html
    unsubscribe_header = str(digest["List-Unsubscribe"]).strip()  # long headers arrive folded
    assert unsubscribe_header.startswith("<http") and "/newsletter/unsubscribe/" in unsubscribe_header
    assert digest["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"

    # RFC 8058: the mail provider POSTs this exact body, with no cookie and no CSRF token.
    provider = Client(enforce_csrf_checks=True)
    path = "/" + unsubscribe_header.strip("<>").split("/", 3)[3]
    response = provider.post(path, "List-Unsubscribe=One-Click", content_type="application/x-www-form-urlencoded")
    assert response.status_code == 200
    assert Subscriber.objects.get().status == Subscriber.Status.UNSUBSCRIBED

    publish_article(title="خبر بعد إلغاء الاشتراك")
    smtp_sink.clear()
    call_command("newsletter", "send-digest", "daily", stdout=open("/dev/null", "w"))
    assert smtp_sink.messages(to="reader@example.org") == []

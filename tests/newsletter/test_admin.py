"""The newsletter in the Wagtail admin: who is subscribed, how each issue is going, preview and test copy."""

import csv
import io

import pytest
from django.contrib.auth import get_user_model
from django.core import mail

from khabar.newsletter import digests, sending
from khabar.newsletter.models import Delivery, Subscriber

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor(client):
    user = get_user_model().objects.create_superuser("editor", "editor@example.org", "password")
    client.force_login(user)
    return user


@pytest.fixture
def sent_issue(publish_article, make_subscriber):
    make_subscriber("one@example.org")
    make_subscriber("two@example.org")
    make_subscriber("three@example.org")
    publish_article(title="خبر العدد")
    issue = digests.build_digest("daily")
    sending.send_pending(issue.pk)
    Delivery.objects.filter(email="three@example.org").update(status="failed")
    mail.outbox.clear()
    return issue


def test_the_subscriber_list_shows_status_lists_and_dates_with_filters(client, editor, make_subscriber):
    make_subscriber("active@example.org", weekly=True)
    make_subscriber("left@example.org", status="unsubscribed")
    html = client.get("/admin/newsletter_subscriber/").content.decode()
    assert "active@example.org" in html and "left@example.org" in html
    assert "ألغى الاشتراك" in html and "النشرة اليومية، النشرة الأسبوعية" in html
    filtered = client.get("/admin/newsletter_subscriber/?status=active").content.decode()
    assert "active@example.org" in filtered and "left@example.org" not in filtered
    searched = client.get("/admin/newsletter_subscriber/?q=left").content.decode()
    assert "left@example.org" in searched and "active@example.org" not in searched


def test_subscribers_export_as_csv(client, editor, make_subscriber):
    make_subscriber("active@example.org", name="سلمى")
    response = client.get("/admin/newsletter_subscriber/?export=csv")
    assert response.status_code == 200 and "csv" in response["Content-Type"]
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    assert rows[0][:3] == ["البريد الإلكتروني", "الاسم", "الحالة"]
    assert rows[1][:3] == ["active@example.org", "سلمى", "active"]


def test_the_issue_list_shows_progress(client, editor, sent_issue):
    html = client.get("/admin/newsletter_issue/").content.decode()
    assert sent_issue.subject in html
    assert "أُرسل" in html and "فشل" in html and "بالانتظار" in html
    assert "/admin/newsletter_issue/preview/" in html and "/admin/newsletter_issue/test-copy/" in html
    assert "/admin/newsletter_issue/new/" not in html  # issues are built by the system, never typed in


def test_an_editor_previews_an_issue_in_the_browser(client, editor, sent_issue):
    response = client.get(f"/admin/newsletter_issue/preview/{sent_issue.pk}/")
    html = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="ar" dir="rtl">' in html and "خبر العدد" in html
    text = client.get(f"/admin/newsletter_issue/preview/{sent_issue.pk}/?format=text")
    assert text["Content-Type"].startswith("text/plain") and "خبر العدد" in text.content.decode()


def test_an_editor_sends_a_test_copy(client, editor, sent_issue):
    form = client.get(f"/admin/newsletter_issue/test-copy/{sent_issue.pk}/")
    assert 'value="editor@example.org"' in form.content.decode()
    response = client.post(f"/admin/newsletter_issue/test-copy/{sent_issue.pk}/", {"email": "desk@example.org"})
    assert response.status_code == 302
    [copy] = mail.outbox
    assert copy.to == ["desk@example.org"] and copy.subject.startswith("[نسخة تجريبية]")
    bad = client.post(f"/admin/newsletter_issue/test-copy/{sent_issue.pk}/", {"email": "nope"})
    assert "عنوان البريد الإلكتروني غير صحيح" in bad.content.decode()


def test_readers_cannot_reach_the_newsletter_admin(client, sent_issue):
    for url in ("/admin/newsletter_subscriber/", f"/admin/newsletter_issue/preview/{sent_issue.pk}/"):
        assert client.get(url).status_code == 302
    reader = get_user_model().objects.create_user("reader", "r@example.org", "password")
    client.force_login(reader)
    assert client.get(f"/admin/newsletter_issue/preview/{sent_issue.pk}/").status_code in (302, 403)


def test_adding_a_known_address_in_another_case_is_refused_politely(client, editor, make_subscriber):
    make_subscriber("known@example.org")
    response = client.post(
        "/admin/newsletter_subscriber/new/",
        {"email": "Known@Example.ORG", "name": "", "status": "active", "daily": "on"},
    )
    assert response.status_code == 200  # the form again, with the error
    assert Subscriber.objects.count() == 1
    client.post("/admin/newsletter_subscriber/new/", {"email": "New@Example.ORG", "status": "active", "weekly": "on"})
    assert Subscriber.objects.filter(email="new@example.org", weekly=True).exists()

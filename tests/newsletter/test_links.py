"""Signed links in mail: confirm, leave in one click, change lists; and what a bad link shows."""

import time
from datetime import timedelta
from unittest import mock

import pytest
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from khabar.newsletter import tokens
from khabar.newsletter.models import Subscriber
from khabar.newsletter.subscriptions import delete_expired_requests

pytestmark = pytest.mark.django_db


def confirm_url(subscriber, lists=("daily",), name=""):
    return f"/newsletter/confirm/{tokens.confirmation_token(subscriber, lists, name)}/"


def test_following_the_link_asks_then_confirms(client, make_subscriber):
    subscriber = make_subscriber("reader@example.org", status="pending", daily=False)
    url = confirm_url(subscriber, ["weekly", "breaking"], name="سلمى")
    page = client.get(url)
    assert page.status_code == 200 and "أؤكد اشتراكي" in page.content.decode()
    assert "noindex" in page.content.decode() and "no-cache" in page["Cache-Control"]
    assert Subscriber.objects.get().status == "pending"
    client.post(url)
    subscriber.refresh_from_db()
    assert (subscriber.status, subscriber.lists, subscriber.name) == ("active", ["weekly", "breaking"], "سلمى")
    assert subscriber.confirmed_at is not None


def test_confirming_more_lists_adds_them_to_those_already_chosen(client, make_subscriber):
    subscriber = make_subscriber(daily=True)
    client.post(confirm_url(subscriber, ["breaking"]))
    subscriber.refresh_from_db()
    assert subscriber.lists == ["daily", "breaking"]


def test_a_tampered_link_gets_a_friendly_page_not_an_error(client, make_subscriber):
    url = confirm_url(make_subscriber(status="pending"))
    for bad in (url[:-5] + "xxxx/", "/newsletter/confirm/garbage/", "/newsletter/unsubscribe/1.abc:def/",
                "/newsletter/preferences/%D9%85/"):
        response = client.get(bad)
        assert response.status_code == 400, bad
        assert "هذا الرابط غير صالح" in response.content.decode()
        assert client.post(bad).status_code == 400
    assert Subscriber.objects.get().status == "pending"


def test_an_expired_confirmation_link_says_so(client, make_subscriber):
    subscriber = make_subscriber(status="pending")
    three_days_ago = time.time() - 3 * 24 * 3600
    with mock.patch("django.core.signing.time.time", return_value=three_days_ago):
        url = confirm_url(subscriber)
    response = client.post(url)
    assert response.status_code == 410
    assert "انتهت صلاحية هذا الرابط" in response.content.decode()
    assert Subscriber.objects.get().status == "pending"


def test_a_link_made_for_one_purpose_does_not_work_for_another(client, make_subscriber):
    subscriber = make_subscriber()
    unsubscribe = tokens.unsubscribe_token(subscriber)
    assert client.post(f"/newsletter/preferences/{unsubscribe}/", {"leave": "1"}).status_code == 400
    assert client.post(f"/newsletter/confirm/{unsubscribe}/").status_code == 400
    assert Subscriber.objects.get().status == "active"


def test_a_link_stays_bound_to_its_mailbox_when_an_id_is_reused(client, make_subscriber):
    old = make_subscriber("old@example.org", status="pending")
    url = confirm_url(old)
    old_pk = old.pk
    old.delete()
    make_subscriber("new@example.org", status="pending", pk=old_pk)
    assert client.post(url).status_code == 400
    assert Subscriber.objects.get().status == "pending"


def test_unsubscribe_link_asks_on_get_and_leaves_on_post(make_subscriber):
    subscriber = make_subscriber()
    url = f"/newsletter/unsubscribe/{tokens.unsubscribe_token(subscriber)}/"
    browser = Client(enforce_csrf_checks=True)
    assert "ألغِ اشتراكي" in browser.get(url).content.decode()
    assert Subscriber.objects.get().status == "active"  # link scanners only GET
    assert browser.post(url).status_code == 200
    assert browser.post(url).status_code == 200  # a second click is harmless
    subscriber.refresh_from_db()
    assert subscriber.status == "unsubscribed" and subscriber.unsubscribed_at is not None


def test_preferences_change_lists_and_leave_all(make_subscriber):
    subscriber = make_subscriber(daily=True)
    url = f"/newsletter/preferences/{tokens.preferences_token(subscriber)}/"
    browser = Client(enforce_csrf_checks=True)
    page = browser.get(url).content.decode()
    assert 'value="daily"' in page and "ألغِ الاشتراك في كل النشرات" in page
    assert "حُفظت اختياراتك" in browser.post(url, {"lists": ["weekly", "breaking"]}).content.decode()
    subscriber.refresh_from_db()
    assert subscriber.lists == ["weekly", "breaking"] and subscriber.status == "active"
    browser.post(url, {"lists": []})  # nothing left ticked means leaving
    subscriber.refresh_from_db()
    assert subscriber.status == "unsubscribed"
    browser.post(url, {"lists": ["daily"]})  # the mailed link is proof enough to come back
    subscriber.refresh_from_db()
    assert subscriber.status == "active" and subscriber.lists == ["daily"]
    browser.post(url, {"leave": "1", "lists": ["daily"]})
    subscriber.refresh_from_db()
    assert subscriber.status == "unsubscribed"


def test_sign_ups_never_confirmed_are_forgotten(make_subscriber):
    old = timezone.now() - timedelta(hours=49)
    make_subscriber("stale@example.org", status="pending", requested_at=old)
    make_subscriber("fresh@example.org", status="pending")
    make_subscriber("active@example.org", requested_at=old)
    make_subscriber("left@example.org", status="unsubscribed", requested_at=old)
    assert delete_expired_requests() == 1
    call_command("newsletter", "cleanup", stdout=open("/dev/null", "w"))
    assert sorted(Subscriber.objects.values_list("email", flat=True)) == [
        "active@example.org", "fresh@example.org", "left@example.org",
    ]


def test_addresses_are_one_subscriber_whatever_their_case(make_subscriber):
    subscriber = make_subscriber("  Ali@Example.ORG ")
    assert subscriber.email == "ali@example.org"

"""A sign-in lasts KHABAR_SESSION_HOURS at most, and ends after KHABAR_SESSION_IDLE_MINUTES without a request."""

import time

import pytest
from django.test import override_settings

from khabar.staff.sessions import SEEN_AT, SIGNED_IN_AT

from .conftest import is_signed_in, sign_in

pytestmark = pytest.mark.django_db

HOUR = 3600


def age_session(client, **seconds_ago):
    """Pretend the sign-in, or the last request, happened that long ago."""
    session = client.session
    now = int(time.time())
    for key, ago in seconds_ago.items():
        session[{"signed_in": SIGNED_IN_AT, "seen": SEEN_AT}[key]] = now - ago
    session.save()


def test_after_twelve_hours_the_admin_asks_to_sign_in_again(client, editor):
    sign_in(client, "editor")
    age_session(client, signed_in=12 * HOUR + 60, seen=30)
    response = client.get("/admin/pages/")
    assert response.status_code == 302 and response["Location"] == "/admin/login/?next=/admin/pages/"
    page = client.get(response["Location"])
    assert "انتهت جلستك بعد 12 ساعة من الدخول. سجّل الدخول من جديد." in page.content.decode()
    assert not is_signed_in(client)


def test_eleven_hours_in_the_session_goes_on(client, editor):
    sign_in(client, "editor")
    age_session(client, signed_in=11 * HOUR, seen=30)
    assert is_signed_in(client)


def test_two_idle_hours_end_the_session(client, editor):
    sign_in(client, "editor")
    age_session(client, signed_in=3 * HOUR, seen=2 * HOUR + 60)
    response = client.get("/admin/")
    assert response.status_code == 302
    page = client.get(response["Location"])
    assert "انتهت جلستك بعد 120 دقيقة دون نشاط" in page.content.decode()
    assert not is_signed_in(client)


def test_activity_keeps_the_session_alive(client, editor):
    sign_in(client, "editor")
    age_session(client, seen=100 * 60)
    assert is_signed_in(client)
    assert int(time.time()) - client.session[SEEN_AT] < 60  # the request was noted


@override_settings(KHABAR_SESSION_HOURS=2, KHABAR_SESSION_IDLE_MINUTES=0)
def test_the_limits_come_from_the_settings(client, editor):
    sign_in(client, "editor")
    age_session(client, signed_in=HOUR, seen=HOUR)  # no idle limit
    assert is_signed_in(client)
    age_session(client, signed_in=2 * HOUR + 60)
    assert not is_signed_in(client)


def test_remember_me_keeps_the_cookie_for_the_session_lifetime(client, editor):
    response = client.post(
        "/admin/login/", {"username": "editor", "password": "kalimat-sirr-2024", "remember": "on"}
    )
    assert response.status_code == 302
    assert response.cookies["sessionid"]["max-age"] == 12 * HOUR


def test_an_expired_session_on_a_public_page_reads_on_as_a_reader(client, editor):
    sign_in(client, "editor")
    age_session(client, signed_in=13 * HOUR)
    response = client.get("/robots.txt")
    assert response.status_code == 200
    assert not is_signed_in(client)


def test_public_pages_without_a_session_stay_cacheable(client, db):
    response = client.get("/robots.txt")
    assert "Cookie" not in response.get("Vary", "")
    assert "sessionid" not in response.cookies

"""Superusers read every sign-in, failure and lockout in the admin, and lift a lock."""

import json
import re
from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.utils import timezone

from .conftest import PASSWORD, is_signed_in, sign_in

pytestmark = pytest.mark.django_db

SIGN_INS = "/admin/sign-ins/"
FAILURES = "/admin/sign-ins/failures/"
LOCKS = "/admin/sign-ins/locks/"
STRANGER = "203.0.113.9"
MOMENT = re.compile(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d")


def rows_with(html, text):
    return [row for row in html.split("<tr")[1:] if text in row]


def sidebar_menu(html):
    """The admin's sidebar as the page hands it to its script, decoded."""
    props = re.search(r'<script id="wagtail-sidebar-props" type="application/json">(.*?)</script>', html, re.S)
    return json.dumps(json.loads(props.group(1)), ensure_ascii=False)


@pytest.fixture
def history(client, editor):
    """The editor signs in and out once; a stranger tries a wrong password on them until locked."""
    sign_in(client, "editor", address="198.51.100.7")
    client.post("/admin/logout/")
    for _ in range(5):
        sign_in(client, "editor", "guess", address=STRANGER)
    sign_in(client, "nobody-here", "guess", address="192.0.2.50")


@pytest.fixture
def chief_client(client, chief, history):
    client.logout()
    client.force_login(chief)
    return client


def test_sign_ins_are_listed_with_time_address_and_sign_out(chief_client):
    response = chief_client.get(SIGN_INS)
    assert response.status_code == 200
    html = response.content.decode()
    assert "سجل الدخول" in html
    [row] = rows_with(html, "198.51.100.7")
    assert "editor" in row
    assert len(MOMENT.findall(row)) == 2  # signed in, and signed out


def test_failures_show_the_username_typed_and_the_lockout(chief_client):
    html = chief_client.get(FAILURES).content.decode()
    assert "nobody-here" in html
    assert len(rows_with(html, STRANGER)) == 5
    assert len(rows_with(html, "قُفل الدخول")) == 1  # the fifth attempt locked
    locked_only = chief_client.get(FAILURES + "?locked_out=true").content.decode()
    assert "nobody-here" not in locked_only and STRANGER in locked_only


def test_the_log_can_be_exported(chief_client):
    response = chief_client.get(SIGN_INS + "?export=csv")
    assert response.status_code == 200
    text = b"".join(response.streaming_content).decode("utf-8-sig") if response.streaming else response.content.decode()
    assert "اسم المستخدم" in text and "editor" in text


def test_a_lock_in_force_is_listed_and_lifted(chief_client, client):
    page = chief_client.get(LOCKS)
    html = page.content.decode()
    assert page.status_code == 200 and STRANGER in html and "لا قفل على أي عنوان الآن" in html
    response = chief_client.post(LOCKS, {"username": "editor", "ip_address": STRANGER}, follow=True)
    assert "فُكّ القفل" in response.content.decode()
    assert not AccessAttempt.objects.filter(ip_address=STRANGER).exists()
    chief_client.logout()
    assert sign_in(client, "editor", PASSWORD, address=STRANGER).status_code == 302


def test_an_expired_lock_is_no_longer_listed(chief_client):
    AccessAttempt.objects.update(attempt_time=timezone.now() - timedelta(minutes=16))
    assert "لا قفل على أي حساب الآن" in chief_client.get(LOCKS).content.decode()


def test_editors_cannot_read_the_log(client, editor, history):
    client.force_login(editor)
    for path in (SIGN_INS, FAILURES, LOCKS):
        response = client.get(path)
        assert response.status_code == 302 and response["Location"] == "/admin/", path
    assert is_signed_in(client)
    assert SIGN_INS not in sidebar_menu(client.get("/admin/").content.decode())


def test_superusers_find_it_in_the_reports_menu(chief_client):
    menu = sidebar_menu(chief_client.get("/admin/").content.decode())
    for label, url in (("سجل الدخول", SIGN_INS), ("محاولات الدخول الفاشلة", FAILURES), ("الأقفال الحالية", LOCKS)):
        assert label in menu and url in menu

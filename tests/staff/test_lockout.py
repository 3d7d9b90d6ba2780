"""Failed sign-ins lock a (username, address) pair, or an address, for a while; never an account everywhere."""

from datetime import timedelta

import pytest
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.test import override_settings
from django.utils import timezone

from .conftest import PASSWORD, is_signed_in, sign_in

pytestmark = pytest.mark.django_db

STRANGER = "203.0.113.9"
NEWSROOM = "198.51.100.7"
LOCKED = "أُوقف الدخول مؤقتًا بعد محاولات فاشلة كثيرة. أعد المحاولة بعد 15 دقيقة"


def fail(client, username="editor", times=1, address=STRANGER, **extra):
    return [sign_in(client, username, "wrong-password", address=address, **extra) for _ in range(times)][-1]


def test_four_wrong_passwords_only_show_the_error(client, editor):
    response = fail(client, times=4)
    assert response.status_code == 200
    assert LOCKED not in response.content.decode()
    assert 'class="error"' in response.content.decode()


def test_the_fifth_wrong_password_locks_with_an_arabic_page(client, editor):
    fail(client, times=4)
    response = fail(client)
    assert response.status_code == 429
    html = response.content.decode()
    assert 'lang="ar"' in html and 'dir="rtl"' in html
    assert LOCKED in html
    assert 'name="username"' in html and 'name="password"' in html  # still the sign-in page
    assert AccessFailureLog.objects.filter(username="editor", locked_out=True).count() == 1


def test_the_right_password_is_refused_while_locked(client, editor):
    fail(client, times=5)
    response = sign_in(client, "editor", PASSWORD, address=STRANGER)
    assert response.status_code == 429
    assert LOCKED in response.content.decode()
    assert not is_signed_in(client)


def test_a_stranger_cannot_lock_the_editor_out_from_another_address(client, editor):
    fail(client, times=10)  # the stranger goes on after the lock
    response = sign_in(client, "editor", PASSWORD, address=NEWSROOM)
    assert response.status_code == 302 and response["Location"] == "/admin/"
    assert is_signed_in(client)


def test_the_lock_ends_after_the_lockout_period(client, editor):
    fail(client, times=5)
    AccessAttempt.objects.update(attempt_time=timezone.now() - timedelta(minutes=16))
    response = sign_in(client, "editor", PASSWORD, address=STRANGER)
    assert response.status_code == 302


def test_a_success_forgives_that_pairs_failures(client, editor):
    fail(client, times=4, address=NEWSROOM)
    assert sign_in(client, "editor", PASSWORD, address=NEWSROOM).status_code == 302
    client.post("/admin/logout/")
    assert fail(client, times=4, address=NEWSROOM).status_code == 200  # counting starts again


def test_many_usernames_from_one_address_lock_the_address(client, editor):
    for number in range(29):
        assert fail(client, username=f"guess{number}").status_code == 200
    assert fail(client, username="guess29").status_code == 429
    # Every account is refused from that address now, even with the right password...
    assert sign_in(client, "editor", PASSWORD, address=STRANGER).status_code == 429
    # ...and none anywhere else.
    assert sign_in(client, "editor", PASSWORD, address=NEWSROOM).status_code == 302


@override_settings(KHABAR_LOGIN_FAILURES=3, KHABAR_LOGIN_LOCKOUT_MINUTES=30)
def test_the_limits_come_from_the_settings(client, editor):
    assert fail(client, times=2).status_code == 200
    response = fail(client)
    assert response.status_code == 429
    assert "أعد المحاولة بعد 30 دقيقة" in response.content.decode()


@override_settings(KHABAR_CLIENT_IP_HEADER="X-Forwarded-For")
def test_behind_a_proxy_the_address_is_the_one_the_proxy_saw(client, editor):
    proxy = {"address": "10.0.0.2"}
    # The right-most address is the proxy's own record; what the client wrote before it is ignored.
    for forged in range(5):
        fail(client, HTTP_X_FORWARDED_FOR=f"192.0.2.{forged}, {STRANGER}", **proxy)
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {STRANGER}
    assert sign_in(client, "editor", PASSWORD, HTTP_X_FORWARDED_FOR=STRANGER, **proxy).status_code == 429
    # Another reader behind the same proxy is not the stranger.
    assert sign_in(client, "editor", PASSWORD, HTTP_X_FORWARDED_FOR=NEWSROOM, **proxy).status_code == 302


def test_no_password_or_code_is_kept(client, editor, enrolled, log_lines):
    sign_in(client, "editor", "my-secret-guess", address=STRANGER)
    sign_in(client, "editor", PASSWORD, code="654321", address=STRANGER)
    stored = [
        str(value)
        for model in (AccessAttempt, AccessFailureLog, AccessLog)
        for row in model.objects.values()
        for value in row.values()
    ]
    assert AccessAttempt.objects.get().failures_since_start == 2
    for secret in ("my-secret-guess", PASSWORD, "654321"):
        assert not any(secret in value for value in stored + log_lines), secret

"""Two-factor sign-in: a staff member enrols an authenticator app, then every sign-in asks for its code."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import override_settings
from django_otp.plugins.otp_totp.models import TOTPDevice

from khabar.arabic import to_arabic_indic

from .conftest import DESK, PASSWORD, code_for, is_signed_in, sign_in, wait_out_the_throttle

pytestmark = pytest.mark.django_db

ENROL = "/admin/account/two-factor/"
CODE_REQUIRED = "هذا الحساب محمي بالتحقق بخطوتين"
WRONG_CODE = "رمز التحقق غير صحيح"
required_for_desk = override_settings(KHABAR_2FA_REQUIRED_GROUPS=[DESK])


def test_the_account_page_offers_two_factor(client, editor):
    client.force_login(editor)
    html = client.get("/admin/account/").content.decode()
    assert f'href="{ENROL}"' in html and "التحقق بخطوتين" in html


def test_an_editor_enrols_by_scanning_and_typing_a_code(client, editor):
    sign_in(client, "editor")
    page = client.get(ENROL)
    assert page.status_code == 200
    html = page.content.decode()
    assert "<svg" in html and "فعّل التحقق بخطوتين" in html
    secret = re.search(r"<code[^>]*data-secret>([A-Z2-7 ]+)</code>", html).group(1)
    device = TOTPDevice.objects.get(user=editor, confirmed=False)
    assert secret.replace(" ", "") in device.config_url  # what the app is given, typed or scanned

    wrong = client.post(ENROL, {"code": "000000"})
    assert wrong.status_code == 200 and WRONG_CODE in wrong.content.decode()
    assert not TOTPDevice.objects.filter(user=editor, confirmed=True).exists()

    wait_out_the_throttle(device)
    response = client.post(ENROL, {"code": code_for(device)})
    assert response.status_code == 302
    assert TOTPDevice.objects.filter(user=editor, confirmed=True).count() == 1
    assert is_signed_in(client)  # this session was verified by the code just typed


def test_a_reload_keeps_the_offered_secret(client, editor):
    client.force_login(editor)
    first = re.search(r"data-secret>([^<]+)<", client.get(ENROL).content.decode()).group(1)
    again = re.search(r"data-secret>([^<]+)<", client.get(ENROL).content.decode()).group(1)
    assert first == again


def test_once_enrolled_the_sign_in_asks_for_the_code(client, enrolled):
    response = sign_in(client, "editor")
    assert response.status_code == 200
    assert CODE_REQUIRED in response.content.decode()
    assert not is_signed_in(client)

    response = sign_in(client, "editor", code="123456")
    assert response.status_code == 200 and WRONG_CODE in response.content.decode()
    assert not is_signed_in(client)

    wait_out_the_throttle(enrolled)
    response = sign_in(client, "editor", code=code_for(enrolled))
    assert response.status_code == 302 and response["Location"] == "/admin/"
    assert is_signed_in(client)


def test_the_sign_in_page_shows_the_code_field(client, db):
    html = client.get("/admin/login/").content.decode()
    assert 'name="otp_token"' in html and 'autocomplete="one-time-code"' in html and "رمز التحقق" in html


def test_a_code_typed_in_arabic_digits_is_accepted(client, enrolled):
    response = sign_in(client, "editor", code=to_arabic_indic(code_for(enrolled)))
    assert response.status_code == 302


def test_a_code_right_after_a_wrong_one_waits(client, enrolled):
    sign_in(client, "editor", code="123456")
    response = sign_in(client, "editor", code=code_for(enrolled))
    assert "أُوقف التحقق لحظات" in response.content.decode()


def test_a_code_is_spent_once(client, enrolled):
    code = code_for(enrolled)
    assert sign_in(client, "editor", code=code).status_code == 302
    client.post("/admin/logout/")
    response = sign_in(client, "editor", code=code)
    assert WRONG_CODE in response.content.decode()


def test_wrong_codes_count_towards_the_lockout(client, enrolled):
    for _ in range(4):
        assert sign_in(client, "editor", code="111111").status_code == 200
    response = sign_in(client, "editor", code="111111")
    assert response.status_code == 429
    assert "أُوقف الدخول مؤقتًا" in response.content.decode()


def test_a_session_signed_in_without_a_code_is_ended_once_a_device_exists(client, editor):
    client.force_login(editor)  # e.g. another browser, signed in before the editor enrolled
    TOTPDevice.objects.create(user=editor, name="هاتف", confirmed=True)
    response = client.get("/admin/pages/")
    assert response.status_code == 302 and response["Location"].startswith("/admin/login/?next=")
    page = client.get(response["Location"])
    assert "سجّل الدخول من جديد مع الرمز" in page.content.decode()
    assert not is_signed_in(client)


@required_for_desk
def test_a_member_of_a_required_group_is_sent_to_enrol_and_nothing_else(client, editor):
    response = sign_in(client, "editor")
    assert response.status_code == 302
    for path in ("/admin/", "/admin/pages/", "/admin/account/", "/admin/images/"):
        response = client.get(path)
        assert response.status_code == 302 and response["Location"].startswith(ENROL), path
    page = client.get(ENROL)
    assert page.status_code == 200
    assert "مجموعتك تشترط التحقق بخطوتين" in page.content.decode()

    device = TOTPDevice.objects.get(user=editor)
    response = client.post(ENROL, {"code": code_for(device), "next": "/admin/account/"})
    assert response["Location"] == "/admin/account/"
    assert client.get("/admin/account/").status_code == 200
    assert client.get("/admin/").status_code == 200


@required_for_desk
def test_signing_out_stays_possible_before_enrolling(client, editor):
    sign_in(client, "editor")
    response = client.post("/admin/logout/")
    assert response.status_code == 302 and response["Location"].startswith("/admin/login/")
    assert client.get("/admin/").status_code == 302


@required_for_desk
def test_a_required_member_cannot_switch_it_off(client, enrolled):
    sign_in(client, "editor", code=code_for(enrolled))
    response = client.post(ENROL, {"code": code_for(enrolled, steps_ahead=1)}, follow=True)
    assert "لا يمكن إيقافه" in response.content.decode()
    assert TOTPDevice.objects.filter(user=enrolled.user, confirmed=True).exists()


def test_others_switch_it_off_with_a_current_code(client, enrolled):
    sign_in(client, "editor", code=code_for(enrolled))
    assert client.post(ENROL, {"code": "000000"}).status_code == 200
    assert TOTPDevice.objects.filter(user=enrolled.user).exists()
    wait_out_the_throttle(enrolled)
    response = client.post(ENROL, {"code": code_for(enrolled, steps_ahead=1)}, follow=True)
    assert "أُوقف التحقق بخطوتين لحسابك" in response.content.decode()
    assert not TOTPDevice.objects.filter(user=enrolled.user, confirmed=True).exists()
    client.post("/admin/logout/")
    assert sign_in(client, "editor").status_code == 302  # the password alone again


def test_an_administrator_resets_a_lost_phone(client, enrolled):
    call_command("reset_two_factor", "editor")
    assert not TOTPDevice.objects.filter(user=get_user_model().objects.get(username="editor")).exists()
    assert sign_in(client, "editor", PASSWORD).status_code == 302


def test_switching_two_factor_on_and_off_is_in_the_site_history(client, editor, chief):
    sign_in(client, "editor")
    client.get(ENROL)
    client.post(ENROL, {"code": code_for(TOTPDevice.objects.get(user=editor))})
    client.post(ENROL, {"code": code_for(TOTPDevice.objects.get(user=editor), steps_ahead=1)})
    client.force_login(chief)
    html = client.get("/admin/reports/site-history/").content.decode()
    assert "فُعّل التحقق بخطوتين" in html and "أُوقف التحقق بخطوتين" in html

"""Staff accounts and a browser-like way to sign in to the Wagtail admin."""

import time
from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.utils import timezone
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

PASSWORD = "kalimat-sirr-2024"
LOGIN = "/admin/login/"
DESK = "الديسك"


@pytest.fixture
def desk(db):
    group = Group.objects.create(name=DESK)
    group.permissions.add(Permission.objects.get(codename="access_admin"))
    return group


@pytest.fixture
def editor(desk):
    user = get_user_model().objects.create_user("editor", "editor@newsroom.example", PASSWORD)
    user.groups.add(desk)
    return user


@pytest.fixture
def chief(db):
    return get_user_model().objects.create_superuser("chief", "chief@newsroom.example", PASSWORD)


def sign_in(client, username, password=PASSWORD, code=None, address="198.51.100.7", **extra):
    """Send the admin's sign-in form, as the page does."""
    data = {"username": username, "password": password, "next": "/admin/"}
    if code is not None:
        data["otp_token"] = code
    return client.post(LOGIN, data, REMOTE_ADDR=address, **extra)


def is_signed_in(client):
    return client.get("/admin/").status_code == 200


def code_for(device, steps_ahead=0):
    """The code an authenticator app shows for ``device`` now (or that many 30-second steps later)."""
    device.refresh_from_db()
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time() + steps_ahead * device.step
    return f"{totp.token():0{device.digits}d}"


def wait_out_the_throttle(device):
    """After a wrong code django-otp refuses codes for a second or more; a person takes longer to retype."""
    TOTPDevice.objects.filter(pk=device.pk).update(throttling_failure_timestamp=timezone.now() - timedelta(minutes=1))


@pytest.fixture
def enrolled(editor):
    """The editor with a confirmed authenticator app."""
    return TOTPDevice.objects.create(user=editor, name="هاتف", confirmed=True)

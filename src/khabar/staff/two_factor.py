"""TOTP two-factor for staff: who must use it, their device, and checking a code.

A staff member has at most one TOTP device (an authenticator app on a phone).
While it is unconfirmed it is only a secret on offer; the first correct code
confirms it, and from then on every sign-in needs a code.
"""

import re
from base64 import b32encode

import segno
from django.conf import settings
from django.db import transaction
from django.utils.safestring import mark_safe
from django_otp.plugins.otp_totp.models import TOTPDevice

from khabar.arabic import to_western

DEVICE_NAME = "تطبيق المصادقة"

CODE_REQUIRED = "هذا الحساب محمي بالتحقق بخطوتين: أدخل الرمز الظاهر الآن في تطبيق المصادقة."
WRONG_CODE = "رمز التحقق غير صحيح أو انتهت صلاحيته. أدخل الرمز الظاهر الآن في التطبيق."
THROTTLED = "رموز خاطئة متتالية: أُوقف التحقق لحظات. انتظر قليلًا ثم أدخل رمزًا جديدًا."


def confirmed_device(user):
    """The user's confirmed TOTP device, or None."""
    return TOTPDevice.objects.devices_for_user(user, confirmed=True).first()


def requires_two_factor(user):
    """True when the user belongs to a group named in KHABAR_2FA_REQUIRED_GROUPS."""
    groups = settings.KHABAR_2FA_REQUIRED_GROUPS
    return bool(groups) and user.groups.filter(name__in=groups).exists()


def offered_device(user):
    """The unconfirmed device whose secret is on offer; kept, so a reload does not spoil a scanned code."""
    device = TOTPDevice.objects.devices_for_user(user, confirmed=False).order_by("pk").first()
    return device or TOTPDevice.objects.create(user=user, name=DEVICE_NAME, confirmed=False)


def normalise_code(value):
    """A code as typed: Arabic-Indic digits (a phone keyboard set to Arabic) become 0-9, spaces go."""
    return re.sub(r"[\s\-]", "", to_western(value or ""))


def check_code(device, code):
    """None when ``code`` is right for ``device``, else the error to show (throttling counts too)."""
    with transaction.atomic():
        # Locked, so two requests cannot both spend the same code or both dodge the throttle.
        device = TOTPDevice.objects.select_for_update().get(pk=device.pk)
        allowed, _ = device.verify_is_allowed()
        if not allowed:
            return THROTTLED
        return None if device.verify_token(code) else WRONG_CODE


def confirm(device):
    """Make ``device`` the user's only device, confirmed."""
    TOTPDevice.objects.filter(user=device.user).exclude(pk=device.pk).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])


def remove_devices(user):
    """Delete every TOTP device of ``user``; returns how many there were."""
    return TOTPDevice.objects.filter(user=user).delete()[0]


def secret_for_typing(device):
    """The base32 secret in groups of four, for an app that cannot scan."""
    secret = b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(secret[i:i + 4] for i in range(0, len(secret), 4))


def qr_code_svg(device):
    """The device's otpauth:// address as an inline SVG QR code (segno's own output, no user text in it)."""
    qr = segno.make(device.config_url, error="m")
    # Black on white whatever the admin's theme: cameras read a dark code on a light ground.
    svg = qr.svg_inline(scale=5, border=2, dark="#000", light="#fff", title="رمز الاستجابة السريعة للتحقق بخطوتين")
    return mark_safe(svg)

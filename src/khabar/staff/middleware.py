"""Two checks on every signed-in request: the session's lifetime, and two-factor in the admin."""

import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode

from khabar.staff import sessions, two_factor

ENROL_VIEW = "khabar_staff:two_factor"
# Admin views a signed-in person may reach before two-factor is settled: signing in and out,
# and what every admin page loads (icons, translations).
ALWAYS_OPEN = {"wagtailadmin_login", "wagtailadmin_logout", "wagtailadmin_javascript_catalog", "wagtailadmin_sprite"}

SIGN_IN_WITH_CODE = "فُعّل التحقق بخطوتين لحسابك: سجّل الدخول من جديد مع الرمز."


def is_admin_path(request):
    return request.path_info.startswith(reverse("wagtailadmin_home"))


class SessionLifetimeMiddleware:
    """Signs out a session past its lifetime or idle limit; in the admin, sends the person to sign in again."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        # Without a session cookie there is nobody to sign out. Looking would mark the session
        # as read and add "Vary: Cookie" to public pages, which the page cache then refuses.
        if settings.SESSION_COOKIE_NAME in request.COOKIES and request.user.is_authenticated:
            response = self.check(request)
            if response is not None:
                return response
        return self.get_response(request)

    def check(self, request):
        now = int(time.time())
        reason = sessions.ended_because(request.session, now)
        if reason is None:
            sessions.note_activity(request.session, now)
            return None
        logout(request)
        if not is_admin_path(request):
            return None  # a public page: go on as a reader
        messages.warning(request, reason)
        return redirect_to_login(request.get_full_path(), reverse("wagtailadmin_login"))


class TwoFactorMiddleware:
    """In the admin: a session of an account with a device must have been verified with a code, and a
    member of a group in KHABAR_2FA_REQUIRED_GROUPS without a device may only enrol one.

    Runs after django-otp's OTPMiddleware, which tells whether this session was verified.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if not is_admin_path(request) or not request.user.is_authenticated:
            return None
        view_name = request.resolver_match.view_name if request.resolver_match else ""
        if view_name in ALWAYS_OPEN:
            return None
        user = request.user
        if two_factor.confirmed_device(user) is not None:
            if user.is_verified():
                return None
            # Signed in without a code: before the device was added, or in another browser.
            logout(request)
            messages.warning(request, SIGN_IN_WITH_CODE)
            return redirect_to_login(request.get_full_path(), reverse("wagtailadmin_login"))
        if view_name == ENROL_VIEW or not two_factor.requires_two_factor(user):
            return None
        return redirect(f"{reverse(ENROL_VIEW)}?{urlencode({'next': request.get_full_path()})}")

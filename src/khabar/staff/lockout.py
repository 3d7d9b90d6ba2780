"""How django-axes counts failed sign-ins here, and what a locked-out person sees.

The policy: an account is locked for one address only, never everywhere, so a
stranger cannot lock an editor out from elsewhere.

- ``KHABAR_LOGIN_FAILURES`` failures for one (username, address) pair lock that
  pair for ``KHABAR_LOGIN_LOCKOUT_MINUTES`` after the last failure;
- ``KHABAR_LOGIN_ADDRESS_FAILURES`` failures from one address, across all
  usernames, lock that address for the same time.

Axes names these two as its lockout parameters but compares them with a single
limit; ``AccountAndAddressHandler`` gives each its own.
"""

from datetime import timedelta

from axes.attempts import get_cool_off_threshold
from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_username, get_failure_limit
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.messages import constants
from django.contrib.messages.storage.base import Message
from django.db.models import Sum
from django.shortcuts import render
from wagtail.admin.views.account import get_user_login_form, password_reset_enabled

from khabar.arabic.counting import MINUTE, CountedNoun, count_noun
from khabar.identity.address import client_ip


def client_address(request):
    """AXES_CLIENT_IP_CALLABLE: the same address the rest of khabar sees (KHABAR_CLIENT_IP_HEADER)."""
    return client_ip(request) or None


def lockout_period(request=None):
    """AXES_COOLOFF_TIME."""
    return timedelta(minutes=settings.KHABAR_LOGIN_LOCKOUT_MINUTES)


def account_failure_limit(request=None, credentials=None):
    """AXES_FAILURE_LIMIT: failures allowed to one (username, address) pair."""
    return settings.KHABAR_LOGIN_FAILURES


def _failures(attempts):
    return attempts.aggregate(total=Sum("failures_since_start"))["total"] or 0


class AccountAndAddressHandler(AxesDatabaseHandler):
    """Axes's database handler with one limit for the (username, address) pair and another for the address."""

    def get_failures(self, request, credentials=None):
        username = get_client_username(request, credentials)
        address = request.axes_ip_address
        recent = AccessAttempt.objects.filter(attempt_time__gte=get_cool_off_threshold(request))
        pair_failures = _failures(recent.filter(username=username, ip_address=address))
        address_failures = _failures(recent.filter(ip_address=address))
        # Axes locks when this number reaches the pair's limit: the address's count is scaled so
        # that it gets there exactly when the address reaches its own, larger limit.
        limit = get_failure_limit(request, credentials)
        return max(pair_failures, address_failures * limit // max(settings.KHABAR_LOGIN_ADDRESS_FAILURES, 1))

    def reset_user_attempts(self, request, credentials=None):
        # A successful sign-in forgives that account's failures from that address, not the
        # failures others made from the same address.
        username = get_client_username(request, credentials)
        count, _ = AccessAttempt.objects.filter(username=username, ip_address=request.axes_ip_address).delete()
        return count


FAILED_ATTEMPT = CountedNoun("محاولة فاشلة واحدة", "محاولتين فاشلتين", "محاولات فاشلة", "محاولة فاشلة", "محاولة فاشلة")


def policy_text():
    """The lockout policy in a sentence, with the configured numbers."""
    return (
        f"يُقفل الدخول باسم مستخدم من عنوان واحد بعد {count_noun(settings.KHABAR_LOGIN_FAILURES, FAILED_ATTEMPT)}، "
        f"ويُقفل العنوان كله بعد {count_noun(settings.KHABAR_LOGIN_ADDRESS_FAILURES, FAILED_ATTEMPT)} "
        f"بأي أسماء، مدة {count_noun(settings.KHABAR_LOGIN_LOCKOUT_MINUTES, MINUTE)} من آخر محاولة. "
        "لا يُقفل حساب من كل العناوين، فلا يستطيع غريب أن يمنع محرّرًا من الدخول."
    )


def lockout_message():
    minutes = count_noun(settings.KHABAR_LOGIN_LOCKOUT_MINUTES, MINUTE)
    return (
        f"أُوقف الدخول مؤقتًا بعد محاولات فاشلة كثيرة. أعد المحاولة بعد {minutes}، "
        "أو اطلب من مدير الموقع فكّ القفل."
    )


def locked_out_response(request, original_response=None, credentials=None):
    """AXES_LOCKOUT_CALLABLE: the Wagtail sign-in page again, with the lockout explained, as HTTP 429."""
    context = {
        "form": get_user_login_form()(request),
        "next": request.POST.get("next", ""),
        "show_password_reset": password_reset_enabled(),
        # Shown where the page shows its messages, as an error.
        "messages": [Message(constants.ERROR, lockout_message())],
    }
    return render(request, "wagtailadmin/login.html", context, status=settings.AXES_HTTP_RESPONSE_CODE)

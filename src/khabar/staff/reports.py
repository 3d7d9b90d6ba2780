"""The sign-in log in the Wagtail admin, for superusers: sign-ins, failed attempts, and the locks in force.

The rows are django-axes's own: AccessLog (each sign-in, with its sign-out),
AccessFailureLog (each failure, marked when it locked) and AccessAttempt (the
failure counts behind the locks). None holds a password or a code: axes masks
the fields named in AXES_SENSITIVE_PARAMETERS.
"""

import django_filters
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.conf import settings
from django.contrib import messages
from django.db.models import Max, Sum
from django.shortcuts import redirect
from django.utils import timezone
from django.views.generic import TemplateView
from wagtail.admin.auth import permission_denied
from wagtail.admin.filters import DateRangePickerWidget, WagtailFilterSet
from wagtail.admin.ui.tables import Column, StatusFlagColumn
from wagtail.admin.views.generic import WagtailAdminTemplateMixin
from wagtail.admin.views.reports import ReportView

from khabar.staff.lockout import lockout_period, policy_text

TIME_FORMAT = "%Y-%m-%d %H:%M:%S"


class SuperusersOnly:
    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_superuser:
            return permission_denied(request)
        return super().dispatch(request, *args, **kwargs)


class TimeColumn(Column):
    """The exact time in the newsroom's zone: an audit needs the second, not "3 hours ago"."""

    def get_value(self, instance):
        value = super().get_value(instance)
        return timezone.localtime(value).strftime(TIME_FORMAT) if value else ""


class AddressColumn(Column):
    cell_template_name = "staff/ltr_cell.html"


def filterset_for(log_model):
    class Filters(WagtailFilterSet):
        username = django_filters.CharFilter(label="اسم المستخدم", lookup_expr="icontains")
        ip_address = django_filters.CharFilter(label="العنوان", lookup_expr="startswith")
        attempt_time = django_filters.DateFromToRangeFilter(label="التاريخ", widget=DateRangePickerWidget)

        class Meta:
            model = log_model
            fields = []

    return Filters


class FailureFilters(filterset_for(AccessFailureLog)):
    locked_out = django_filters.BooleanFilter(label="أدّت إلى قفل")


class SignInsView(SuperusersOnly, ReportView):
    page_title = "سجل الدخول"
    header_icon = "key"
    model = AccessLog
    filterset_class = filterset_for(AccessLog)
    index_url_name = "khabar_staff:sign_ins"
    index_results_url_name = "khabar_staff:sign_ins_results"
    default_ordering = "-attempt_time"
    columns = [
        Column("username", label="اسم المستخدم"),
        TimeColumn("attempt_time", label="وقت الدخول", sort_key="attempt_time"),
        TimeColumn("logout_time", label="وقت الخروج"),
        AddressColumn("ip_address", label="العنوان"),
        Column("user_agent", label="المتصفح"),
    ]
    list_export = ["username", "attempt_time", "logout_time", "ip_address", "user_agent"]
    export_headings = {
        "username": "اسم المستخدم", "attempt_time": "وقت الدخول", "logout_time": "وقت الخروج",
        "ip_address": "العنوان", "user_agent": "المتصفح",
    }


class FailuresView(SuperusersOnly, ReportView):
    page_title = "محاولات الدخول الفاشلة"
    header_icon = "warning"
    model = AccessFailureLog
    filterset_class = FailureFilters
    index_url_name = "khabar_staff:failures"
    index_results_url_name = "khabar_staff:failures_results"
    default_ordering = "-attempt_time"
    columns = [
        Column("username", label="اسم المستخدم المُدخل"),
        TimeColumn("attempt_time", label="الوقت", sort_key="attempt_time"),
        AddressColumn("ip_address", label="العنوان"),
        StatusFlagColumn("locked_out", label="القفل", true_label="قُفل الدخول"),
        Column("user_agent", label="المتصفح"),
    ]
    list_export = ["username", "attempt_time", "ip_address", "locked_out", "user_agent"]
    export_headings = {
        "username": "اسم المستخدم المُدخل", "attempt_time": "الوقت", "ip_address": "العنوان",
        "locked_out": "قُفل الدخول", "user_agent": "المتصفح",
    }


def current_locks(now=None):
    """The (username, address) pairs and the addresses locked now, each with its failures and end time."""
    period = lockout_period()
    recent = AccessAttempt.objects.filter(attempt_time__gte=(now or timezone.now()) - period)

    def locks(fields, limit):
        rows = (
            recent.values(*fields).annotate(failures=Sum("failures_since_start"), last=Max("attempt_time"))
            .filter(failures__gte=limit).order_by("-last")
        )
        return [{**row, "until": timezone.localtime(row["last"] + period).strftime("%H:%M")} for row in rows]

    return {
        "pairs": locks(["username", "ip_address"], settings.KHABAR_LOGIN_FAILURES),
        "addresses": locks(["ip_address"], settings.KHABAR_LOGIN_ADDRESS_FAILURES),
    }


class LocksView(SuperusersOnly, WagtailAdminTemplateMixin, TemplateView):
    """The locks in force, each with a button to lift it (an editor who mistyped, a newsroom's shared address)."""

    template_name = "staff/locks.html"
    page_title = "الأقفال الحالية"
    header_icon = "lock"

    def get_breadcrumbs_items(self):
        return super().get_breadcrumbs_items() + [{"url": "", "label": self.get_page_title()}]

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), **current_locks(), "policy": policy_text()}

    def post(self, request):
        address = request.POST.get("ip_address") or None
        attempts = AccessAttempt.objects.filter(ip_address=address)
        if "username" in request.POST:
            attempts = attempts.filter(username=request.POST["username"])
        attempts.delete()
        messages.success(request, "فُكّ القفل: يمكن الدخول من جديد.")
        return redirect("khabar_staff:locks")

"""The two-factor page of a staff member's own account: enrol an authenticator app, or switch it off."""

import django_otp
from django.contrib import messages
from django.shortcuts import redirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.generic import TemplateView
from wagtail.admin.views.generic import WagtailAdminTemplateMixin
from wagtail.log_actions import log

from khabar.staff import two_factor
from khabar.staff.forms import CodeForm

ENABLED = "khabar.staff.2fa_enabled"
DISABLED = "khabar.staff.2fa_disabled"


class TwoFactorView(WagtailAdminTemplateMixin, TemplateView):
    template_name = "staff/two_factor.html"
    page_title = "التحقق بخطوتين"
    header_icon = "key"

    def get_breadcrumbs_items(self):
        return super().get_breadcrumbs_items() + [{"url": "", "label": self.get_page_title()}]

    def get_context_data(self, form=None, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        device = two_factor.confirmed_device(user)
        required = two_factor.requires_two_factor(user)
        context.update(device=device, required=required, next=self.next_url())
        if device is None:
            offered = two_factor.offered_device(user)
            context.update(
                form=form or CodeForm(offered),
                qr_code=two_factor.qr_code_svg(offered),
                secret=two_factor.secret_for_typing(offered),
            )
        elif not required:
            context["form"] = form or CodeForm(device)
        return context

    def next_url(self):
        url = self.request.POST.get("next") or self.request.GET.get("next") or ""
        if url_has_allowed_host_and_scheme(url, allowed_hosts={self.request.get_host()}):
            return url
        return ""

    def post(self, request):
        user = request.user
        device = two_factor.confirmed_device(user)
        if device is None:
            return self.enrol(request, two_factor.offered_device(user))
        if two_factor.requires_two_factor(user):
            messages.error(request, "مجموعتك تشترط التحقق بخطوتين، فلا يمكن إيقافه لحسابك.")
            return redirect("khabar_staff:two_factor")
        return self.switch_off(request, device)

    def enrol(self, request, device):
        form = CodeForm(device, request.POST)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form))
        two_factor.confirm(device)
        request.session.cycle_key()  # the session's privileges changed
        django_otp.login(request, device)
        log(request.user, ENABLED, user=request.user)
        messages.success(request, "فُعّل التحقق بخطوتين. سيُطلب منك الرمز في كل دخول.")
        return redirect(self.next_url() or "wagtailadmin_home")

    def switch_off(self, request, device):
        form = CodeForm(device, request.POST)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form))
        two_factor.remove_devices(request.user)
        log(request.user, DISABLED, user=request.user)
        messages.success(request, "أُوقف التحقق بخطوتين لحسابك.")
        return redirect("khabar_staff:two_factor")

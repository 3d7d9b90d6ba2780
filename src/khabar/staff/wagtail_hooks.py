from django.urls import include, path, reverse
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from khabar.staff import reports, two_factor, views


@hooks.register("register_admin_urls")
def staff_urls():
    urls = [
        path("account/two-factor/", views.TwoFactorView.as_view(), name="two_factor"),
        path("sign-ins/", reports.SignInsView.as_view(), name="sign_ins"),
        path("sign-ins/results/", reports.SignInsView.as_view(results_only=True), name="sign_ins_results"),
        path("sign-ins/failures/", reports.FailuresView.as_view(), name="failures"),
        path("sign-ins/failures/results/", reports.FailuresView.as_view(results_only=True), name="failures_results"),
        path("sign-ins/locks/", reports.LocksView.as_view(), name="locks"),
    ]
    return [path("", include((urls, "khabar_staff"), namespace="khabar_staff"))]


class SuperuserMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.is_superuser


@hooks.register("register_reports_menu_item")
def sign_ins_menu_item():
    return SuperuserMenuItem("سجل الدخول", reverse("khabar_staff:sign_ins"), icon_name="key", order=1300)


@hooks.register("register_reports_menu_item")
def failures_menu_item():
    return SuperuserMenuItem("محاولات الدخول الفاشلة", reverse("khabar_staff:failures"), icon_name="warning", order=1310)


@hooks.register("register_reports_menu_item")
def locks_menu_item():
    return SuperuserMenuItem("الأقفال الحالية", reverse("khabar_staff:locks"), icon_name="lock", order=1320)


@hooks.register("register_account_menu_item")
def two_factor_account_item(request):
    return {
        "url": reverse("khabar_staff:two_factor"),
        "label": "التحقق بخطوتين",
        "help_text": "رمز من تطبيق على هاتفك عند كل دخول، فلا تكفي كلمة المرور وحدها.",
    }


@hooks.register("construct_main_menu")
def only_enrolment_until_enrolled(request, menu_items):
    # The middleware sends every other admin page to enrolment: showing its links would only bounce.
    user = request.user
    if two_factor.requires_two_factor(user) and two_factor.confirmed_device(user) is None:
        menu_items.clear()


@hooks.register("register_log_actions")
def two_factor_log_actions(actions):
    actions.register_action(views.ENABLED, "تفعيل التحقق بخطوتين", "فُعّل التحقق بخطوتين")
    actions.register_action(views.DISABLED, "إيقاف التحقق بخطوتين", "أُوقف التحقق بخطوتين")

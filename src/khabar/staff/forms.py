"""The admin sign-in form (password, then a code for those with two-factor) and the code form of enrolment."""

from django import forms
from django.contrib.auth.signals import user_login_failed
from wagtail.admin.forms.auth import LoginForm

from khabar.staff import two_factor


def code_field(label, help_text="", required=True):
    return forms.CharField(
        label=label,
        help_text=help_text,
        required=required,
        max_length=16,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "dir": "ltr", "size": 8}
        ),
    )


class StaffLoginForm(LoginForm):
    """Wagtail's sign-in form with a code field, asked for only when the account has a TOTP device.

    A wrong code counts as a failed sign-in for the lockout (axes hears Django's
    ``user_login_failed``), so knowing the password does not buy unlimited guesses.
    """

    otp_token = code_field(
        "رمز التحقق",
        help_text="لمن فعّل التحقق بخطوتين: الرمز المكوّن من 6 أرقام في تطبيق المصادقة.",
        required=False,
    )

    def clean(self):
        cleaned_data = super().clean()  # checks the password; raises for a wrong one or a lockout
        user = self.get_user()
        device = two_factor.confirmed_device(user) if user is not None else None
        if device is None:
            return cleaned_data
        code = two_factor.normalise_code(cleaned_data.get("otp_token"))
        if not code:
            # Not a guess: the person forgot the code, so it does not count towards a lockout.
            self.user_cache = None
            raise forms.ValidationError(two_factor.CODE_REQUIRED, code="code_required")
        error = two_factor.check_code(device, code)
        if error:
            self.user_cache = None
            # The username as typed, so axes counts it with the password failures of the same pair.
            user_login_failed.send(
                sender=__name__, credentials={"username": cleaned_data.get("username")}, request=self.request
            )
            raise forms.ValidationError(error, code="wrong_code")
        user.otp_device = device  # django-otp marks the session verified when Django logs the user in
        return cleaned_data


class CodeForm(forms.Form):
    """A code from the authenticator app: to confirm a new device, or to switch two-factor off."""

    code = code_field("الرمز من التطبيق", help_text="ستة أرقام تتجدد كل 30 ثانية.")

    def __init__(self, device, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.device = device

    def clean_code(self):
        code = two_factor.normalise_code(self.cleaned_data["code"])
        error = two_factor.check_code(self.device, code)
        if error:
            raise forms.ValidationError(error)
        return code

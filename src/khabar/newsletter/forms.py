from django import forms

from khabar.identity.email import EmailAddressField
from khabar.newsletter.models import LIST_CHOICES

HONEYPOT_FIELD = "website"


class SubscribeForm(forms.Form):
    """The box «إشترك في قائمتنا البريدية»: an address, an optional name and the lists to join."""

    email = EmailAddressField(widget=forms.EmailInput(attrs={"placeholder": "name@example.com"}))
    name = forms.CharField(
        label="الاسم (اختياري)",
        required=False,
        max_length=100,
        error_messages={"max_length": "الاسم أطول من 100 حرف."},
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    lists = forms.MultipleChoiceField(
        label="ما الذي تريد أن يصلك؟",
        choices=LIST_CHOICES,
        initial=["daily"],
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": "اختر نشرة واحدة على الأقل.",
            "invalid_choice": "اختر من النشرات المعروضة فقط.",
        },
    )
    # Hidden from people by CSS and from screen readers by aria-hidden; bots fill every field.
    website = forms.CharField(
        label="اترك هذا الحقل فارغاً",
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "newsletter-%s")
        super().__init__(*args, **kwargs)

    def _post_clean(self):
        super()._post_clean()
        # Screen readers announce the error with the field it belongs to.
        for name in self.errors:
            if name in self.fields:
                self.fields[name].widget.attrs.update(
                    {"aria-invalid": "true", "aria-describedby": f"newsletter-{name}-error"}
                )

    def clean_name(self):
        return " ".join(self.cleaned_data["name"].split())

    def is_bot(self):
        return bool(self.data.get(HONEYPOT_FIELD, "").strip())


class PreferencesForm(forms.Form):
    lists = forms.MultipleChoiceField(
        label="النشرات التي تصلك",
        choices=LIST_CHOICES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": "اختر من النشرات المعروضة فقط."},
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "preferences-%s")
        super().__init__(*args, **kwargs)

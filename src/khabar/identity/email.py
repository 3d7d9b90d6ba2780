"""A reader's e-mail address: one spelling per mailbox, one form field, one set of Arabic messages."""

from django import forms

MAX_LENGTH = 254  # RFC 5321's limit for a whole address

REQUIRED = "اكتب بريدك الإلكتروني."
INVALID = "عنوان البريد الإلكتروني غير صحيح؛ اكتبه مثل name@example.com"
TOO_LONG = "عنوان البريد الإلكتروني أطول من %(limit_value)d حرفاً."


def normalise_email(address):
    """Trimmed and lower-cased, so Ali@Example.org and ali@example.org are one reader.

    The newsletter's one-subscriber-per-address rule and the comments' history,
    export and erase all compare addresses in this form.
    """
    return (address or "").strip().lower()


class EmailAddressField(forms.EmailField):
    """The e-mail field of a reader's form: Arabic messages, left-to-right input, a normalised value."""

    default_error_messages = {"required": REQUIRED, "invalid": INVALID, "max_length": TOO_LONG}

    def __init__(self, **kwargs):
        kwargs.setdefault("label", "البريد الإلكتروني")
        kwargs.setdefault("max_length", MAX_LENGTH)
        super().__init__(**kwargs)

    def to_python(self, value):
        return normalise_email(super().to_python(value))

    def widget_attrs(self, widget):
        # An address is Latin text: typed left to right even on an RTL page, never "corrected".
        return {**super().widget_attrs(widget), "autocomplete": "email", "dir": "ltr", "spellcheck": "false"}

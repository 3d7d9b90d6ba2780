"""The comment form «اترك تعليقاً»: name *, e-mail *, website, comment *.

Every field is cleaned before it is validated, so a name of zero-width spaces
is as empty as a blank one and a comment padded with invisible characters is
measured by what it shows. Errors are field-level and Arabic; a bound form keeps
what the reader typed.
"""

from django import forms
from django.conf import settings
from django.core.validators import MaxLengthValidator, URLValidator

from khabar.comments import tokens
from khabar.comments.checks import Submission
from khabar.comments.models import Comment, Status, parse_pk
from khabar.comments.text import clean_body, clean_line, has_visible_text
from khabar.identity.email import EmailAddressField

NAME_LENGTH = 80
URL_LENGTH = 200
HONEYPOT = "homepage"


class CleanedCharField(forms.CharField):
    """A CharField that cleans its text (``cleaner``) before the required and length checks."""

    def __init__(self, *, cleaner, **kwargs):
        self.cleaner = cleaner
        super().__init__(strip=False, **kwargs)

    def to_python(self, value):
        text = self.cleaner(super().to_python(value))
        return text if has_visible_text(text) else ""


class WebURLField(forms.URLField):
    """A web address only: no javascript:, data: or ftp: link under a commenter's name."""

    default_validators = [URLValidator(schemes=["http", "https"])]


class CommentForm(forms.Form):
    name = CleanedCharField(
        label="الاسم",
        cleaner=clean_line,
        max_length=NAME_LENGTH,
        error_messages={
            "required": "اكتب اسمك؛ يظهر فوق تعليقك.",
            "max_length": "الاسم أطول من %(limit_value)d حرفاً (فيه الآن %(show_value)d).",
        },
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    email = EmailAddressField(help_text="لن يُنشر؛ يراه المشرفون فقط.")
    url = WebURLField(
        label="الموقع الإلكتروني",
        required=False,
        max_length=URL_LENGTH,
        assume_scheme="https",
        error_messages={
            "invalid": "عنوان الموقع غير صحيح؛ اكتبه مثل https://example.com أو اترك الحقل فارغاً.",
            "max_length": "عنوان الموقع أطول من %(limit_value)d حرفاً.",
        },
        widget=forms.TextInput(attrs={"autocomplete": "url", "dir": "ltr", "inputmode": "url", "spellcheck": "false"}),
    )
    body = CleanedCharField(
        label="التعليق",
        cleaner=clean_body,
        error_messages={
            "required": "اكتب تعليقك.",
            "max_length": "التعليق أطول من الحد المسموح (%(limit_value)d حرف)؛ فيه الآن %(show_value)d حرفاً. اختصره قليلاً.",
        },
        widget=forms.Textarea(attrs={"rows": 6}),
    )
    # Hidden from people (and from screen readers); bots fill every field they find.
    homepage = forms.CharField(
        label="اترك هذا الحقل فارغاً", required=False,
        widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}),
    )
    article = forms.IntegerField(widget=forms.HiddenInput)
    parent = forms.CharField(required=False, widget=forms.HiddenInput)
    token = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, article, *args, **kwargs):
        self.article = article
        kwargs.setdefault("initial", {})
        kwargs["initial"].setdefault("article", article.pk)
        kwargs["initial"].setdefault("token", tokens.make_token(article.pk))
        # Ids of their own: the newsletter's form in the footer has an e-mail field too.
        kwargs.setdefault("auto_id", "comment-%s")
        super().__init__(*args, **kwargs)
        # Read per form so a changed setting applies; no maxlength attribute, which would cut a long paste silently.
        body = self.fields["body"]
        body.validators.append(MaxLengthValidator(settings.KHABAR_COMMENTS_MAX_LENGTH))

    @property
    def caught_in_trap(self):
        """True when the honeypot field was filled: a bot, answered as if its comment were pending."""
        return bool((self.data.get(HONEYPOT) or "").strip())

    def clean_parent(self):
        """The comment replied to: approved, on this article; a reply too deep answers its parent instead.

        A parent that is gone (or never existed) is not the reader's fault: the comment
        is posted at the top level instead of being refused.
        """
        parent_pk = parse_pk(self.cleaned_data.get("parent"))
        if parent_pk is None:
            return None
        parent = Comment.objects.filter(pk=parent_pk, article=self.article, status=Status.APPROVED).first()
        if parent is None:
            return None
        ancestors = []
        node = parent
        while node.parent_id and len(ancestors) < settings.KHABAR_COMMENTS_MAX_DEPTH:
            node = Comment.objects.only("pk", "parent_id").filter(pk=node.parent_id).first()
            if node is None:
                break
            ancestors.append(node)
        # ``parent`` sits at depth len(ancestors) + 1; its replies one deeper.
        if len(ancestors) + 1 >= settings.KHABAR_COMMENTS_MAX_DEPTH:
            return Comment.objects.filter(pk=parent.parent_id).first() or parent
        return parent

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("article") != self.article.pk:
            raise forms.ValidationError(tokens.INVALID)
        problem = tokens.check_token(cleaned.get("token"), self.article.pk)
        if problem:
            raise forms.ValidationError(problem)
        return cleaned

    def submission(self, ip_hash="", user_agent=""):
        data = self.cleaned_data
        return Submission(
            article=self.article,
            parent=data.get("parent"),
            name=data["name"],
            email=data["email"],
            url=data.get("url") or "",
            body=data["body"],
            ip_hash=ip_hash,
            user_agent=user_agent,
        )

    def refresh_token(self):
        """Before showing the form again: keep a token that will pass in a moment, else issue a new one."""
        token = self.data.get("token", "")
        if tokens.check_token(token, self.article.pk) not in (None, tokens.TOO_FAST):
            self.data = self.data.copy()
            self.data["token"] = tokens.make_token(self.article.pk)

"""Admin views beside the issue listing: see an issue as subscribers see it, and mail a test copy."""

from django import forms
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from wagtail.admin import messages
from wagtail.permissions import policy_registry

from khabar.identity.email import EmailAddressField
from khabar.newsletter import digests, sending
from khabar.newsletter.mail import render_issue
from khabar.newsletter.models import Delivery, Issue


def _require(request, action):
    if not policy_registry.get_by_type(Issue).user_has_permission(request.user, action):
        raise PermissionDenied


def preview_issue(request, pk):
    """The HTML mail itself (``?format=text`` for the plain-text part), with sample links."""
    _require(request, "view")
    issue = get_object_or_404(Issue.objects.select_related("source"), pk=pk)
    sample = Delivery(issue=issue, email="reader@example.org")
    message = render_issue(issue).message_for(sample)
    if request.GET.get("format") == "text":
        return HttpResponse(message.body, content_type="text/plain; charset=utf-8")
    html, _ = message.alternatives[0]
    return HttpResponse(html)


class TestCopyForm(forms.Form):
    email = EmailAddressField(label="أرسل نسخة تجريبية إلى")


def send_test_copy(request, pk):
    _require(request, "change")
    issue = get_object_or_404(Issue, pk=pk)
    form = TestCopyForm(request.POST or None, initial={"email": request.user.email})
    if request.method == "POST" and form.is_valid():
        copy = digests.build_test_copy(issue, form.cleaned_data["email"])
        sending.start_sending(copy.pk)
        messages.success(request, f"أُرسلت نسخة تجريبية من «{issue.subject}» إلى {form.cleaned_data['email']}.")
        return redirect("newsletter_issue:index")
    return TemplateResponse(
        request, "newsletter/admin/test_copy.html", {"issue": issue, "form": form, "header_icon": "mail"}
    )

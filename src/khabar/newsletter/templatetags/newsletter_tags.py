from django import template
from django.urls import reverse

from khabar.newsletter.forms import SubscribeForm

register = template.Library()


@register.inclusion_tag("newsletter/includes/form.html", takes_context=True)
def newsletter_form(context):
    """The sign-up form: blank on every page, or the one being corrected. No CSRF token, so pages stay cacheable."""
    return {"form": context.get("newsletter_form") or SubscribeForm(), "action": reverse("newsletter:subscribe")}

"""The reader's side: sign up, confirm, change lists, leave.

Every view taking a signed link is exempt from CSRF: the token in the URL is
the proof of ownership (a forger who had it could POST anyway), and RFC 8058
one-click unsubscribe POSTs arrive from mail providers with no cookie at all.

The sign-up form is exempt too, so that cached pages can carry it. That is safe
because a sign-up only mails a confirmation link to the address typed in, and
nothing changes until its owner follows it: a forged cross-site POST achieves
no more than typing the address into the form yourself. What remains is volume:
an Origin/Referer check (browsers send Origin with every cross-site POST), a
honeypot field (forms.py) and per-IP and per-address limits in the shared cache.
"""

from django.conf import settings
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.cache import patch_cache_control
from django.views.decorators.cache import cache_control, never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods

from khabar import request_source
from khabar.identity import limits
from khabar.identity.address import client_ip
from khabar.newsletter import subscriptions, tokens
from khabar.newsletter.forms import PreferencesForm, SubscribeForm
from khabar.newsletter.mail import preferences_url
from khabar.newsletter.models import LISTS, Subscriber

THANKS = "شكراً لك. أرسلنا رسالة إلى بريدك الإلكتروني: افتحها واضغط رابط التأكيد ليبدأ اشتراكك."
TOO_MANY = "طلبات اشتراك كثيرة في وقت قصير. انتظر قليلاً ثم حاول مرة أخرى."
FOREIGN = "لم نقبل هذا الطلب لأنه لم يُرسل من موقعنا. اشترك من النموذج في أسفل أي صفحة."
RATE_WINDOW_SECONDS = 3600


def _wants_json(request):
    return "application/json" in request.headers.get("Accept", "")


def _refuse(request, message, status):
    if _wants_json(request):
        return JsonResponse({"ok": False, "message": message}, status=status, json_dumps_params={"ensure_ascii": False})
    return render(request, "newsletter/refused.html", {"message": message}, status=status)


def _too_many(request, refusal):
    response = _refuse(request, refusal.message, refusal.status)  # 429, or 503 when nothing could be counted
    response["Retry-After"] = str(refusal.retry_after)
    return response


def _over_limit(scope, reader, most):
    """Count one sign-up from ``reader`` (an IP or an e-mail address); a Refusal past ``most`` an hour."""
    return limits.at_most(f"newsletter:{scope}", [reader], most, RATE_WINDOW_SECONDS, TOO_MANY)


def _accepted(request):
    if _wants_json(request):
        return JsonResponse({"ok": True, "message": THANKS}, json_dumps_params={"ensure_ascii": False})
    return redirect(reverse("newsletter:thanks"), permanent=False)


def _page_context(form):
    # The page shows the form in its main column, so the footer's copy stays out.
    return {"newsletter_form": form, "newsletter_box_hidden": True}


@csrf_exempt
@require_http_methods(["GET", "POST"])
def subscribe(request):
    """GET: the form on a page of its own. POST: a sign-up from any page's box (see above on CSRF)."""
    if request.method == "GET":
        response = render(request, "newsletter/subscribe.html", _page_context(SubscribeForm()))
        patch_cache_control(response, public=True, max_age=3600)
        return response
    # Neither header (a privacy extension, a script) passes: the limits still apply.
    if request_source.origin_verdict(request) is False:
        return _refuse(request, FOREIGN, 403)
    refusal = _over_limit("ip", client_ip(request), settings.KHABAR_NEWSLETTER_IP_LIMIT)
    if refusal:
        return _too_many(request, refusal)
    form = SubscribeForm(request.POST)
    if form.is_bot():
        return _accepted(request)  # a bot learns nothing
    if not form.is_valid():
        if _wants_json(request):
            errors = {field: [str(e) for e in messages] for field, messages in form.errors.items()}
            return JsonResponse({"ok": False, "errors": errors}, status=400, json_dumps_params={"ensure_ascii": False})
        return render(request, "newsletter/subscribe.html", _page_context(form), status=400)
    email = form.cleaned_data["email"]
    refusal = _over_limit("address", email, settings.KHABAR_NEWSLETTER_ADDRESS_LIMIT)
    if refusal:
        return _too_many(request, refusal)
    subscriptions.request_subscription(email, form.cleaned_data["lists"], form.cleaned_data["name"])
    return _accepted(request)


@require_GET
@cache_control(public=True, max_age=3600)
def thanks(request):
    return render(request, "newsletter/thanks.html", {"message": THANKS})


def _bad_link(request, error):
    status = 410 if error.expired else 400
    return render(request, "newsletter/bad_link.html", {"expired": error.expired}, status=status)


def _lists_context(lists):
    return [LISTS[name] for name in lists]


@csrf_exempt
@never_cache
@require_http_methods(["GET", "POST"])
def confirm(request, token):
    """GET shows a button, POST confirms: mail scanners that open every link must not subscribe anyone."""
    try:
        subscriber, lists, name = tokens.read_confirmation(token)
    except tokens.BadLink as error:
        return _bad_link(request, error)
    if request.method == "POST":
        subscriptions.confirm(subscriber, lists, name)
        return render(
            request, "newsletter/confirmed.html",
            {"list_labels": _lists_context(subscriber.lists), "preferences_url": preferences_url(subscriber)},
        )
    return render(request, "newsletter/confirm.html", {"list_labels": _lists_context(lists), "email": subscriber.email})


@csrf_exempt
@never_cache
@require_http_methods(["GET", "POST"])
def unsubscribe(request, token):
    """The List-Unsubscribe target. POST (RFC 8058 one-click, or the page's button) leaves at once; GET asks."""
    try:
        subscriber = tokens.read_unsubscribe(token)
    except tokens.BadLink as error:
        return _bad_link(request, error)
    if request.method == "POST":
        subscriptions.unsubscribe(subscriber)
        return render(request, "newsletter/unsubscribed.html", {"email": subscriber.email, "token": token})
    return render(request, "newsletter/unsubscribe.html", {"email": subscriber.email})


@csrf_exempt
@never_cache
@require_http_methods(["GET", "POST"])
def preferences(request, token):
    """Change lists or leave them all, from the signed link at the foot of every mail."""
    try:
        subscriber = tokens.read_preferences(token)
    except tokens.BadLink as error:
        return _bad_link(request, error)
    saved = False
    if request.method == "POST":
        if "leave" in request.POST:
            subscriptions.unsubscribe(subscriber)
            return render(request, "newsletter/unsubscribed.html", {"email": subscriber.email})
        form = PreferencesForm(request.POST)
        if form.is_valid():
            subscriptions.set_lists(subscriber, form.cleaned_data["lists"])
            saved = True
            form = PreferencesForm(initial={"lists": _current_lists(subscriber)})
    else:
        form = PreferencesForm(initial={"lists": _current_lists(subscriber)})
    return render(
        request, "newsletter/preferences.html", {"form": form, "subscriber": subscriber, "saved": saved},
    )


def _current_lists(subscriber):
    return subscriber.lists if subscriber.status == Subscriber.Status.ACTIVE else []

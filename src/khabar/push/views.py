"""The reader's side of web push: the public key, the service worker, subscribe and unsubscribe.

Subscribe and unsubscribe are exempt from CSRF, like the newsletter box, because the pages that
carry the button are cached whole and hold no token. What stands in: the Origin/Referer check
(``khabar.request_source``), a JSON body (which a cross-site form cannot send without a CORS
preflight we never answer), a size cap, and a rate limit per client address. Nothing about the
reader is stored beyond what the browser's push service needs.
"""

import json

from django.conf import settings
from django.http import HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.views.decorators.cache import cache_control, never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from khabar import request_source
from khabar.identity import limits
from khabar.identity.address import client_ip
from khabar.push import keys, subscriptions

SUBSCRIBED = "ستصلك الأخبار العاجلة على هذا الجهاز."
UNSUBSCRIBED = "أوقفنا تنبيهات العاجل على هذا الجهاز."
FOREIGN = "لم نقبل هذا الطلب لأنه لم يُرسل من موقعنا. استعمل زر التنبيهات في أعلى الصفحة."
TOO_MANY = "طلبات كثيرة في وقت قصير. انتظر قليلاً ثم حاول مرة أخرى."
NOT_JSON = "أرسل بيانات الاشتراك بصيغة JSON."
TOO_LARGE = "الطلب أكبر مما نقبله لاشتراك تنبيهات."
MAX_BODY_BYTES = 4096  # a subscription's JSON is about 500 bytes
RATE_WINDOW_SECONDS = 3600
# The service worker's own policy: it only shows notifications and talks to this site.
SERVICE_WORKER_CSP = "default-src 'none'; connect-src 'self'; img-src 'self'"


def _answer(message, status=200, ok=True):
    return JsonResponse({"ok": ok, "message": message}, status=status, json_dumps_params={"ensure_ascii": False})


def _refused(message, status):
    return _answer(message, status=status, ok=False)


def _read_json(request):
    """(data, None) or (None, refusal response): the checks every POST here passes first."""
    if request_source.origin_verdict(request) is False:
        return None, _refused(FOREIGN, 403)
    refusal = limits.at_most(
        "push:ip", [client_ip(request)], settings.KHABAR_PUSH_IP_LIMIT, RATE_WINDOW_SECONDS, TOO_MANY
    )
    if refusal:
        response = _refused(refusal.message, refusal.status)  # 429, or 503 when nothing could be counted
        response["Retry-After"] = str(refusal.retry_after)
        return None, response
    if request.content_type != "application/json":
        return None, _refused(NOT_JSON, 415)
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        length = MAX_BODY_BYTES + 1
    if length > MAX_BODY_BYTES or len(request.body) > MAX_BODY_BYTES:
        return None, _refused(TOO_LARGE, 413)
    try:
        return json.loads(request.body), None
    except (UnicodeDecodeError, ValueError):
        return None, _refused(subscriptions.BAD_SHAPE, 400)


@csrf_exempt
@never_cache
@require_POST
def subscribe(request):
    """Store the browser's PushSubscription JSON (``subscription.toJSON()``)."""
    data, refusal = _read_json(request)
    if refusal:
        return refusal
    try:
        subscription = subscriptions.parse(data)
    except subscriptions.InvalidSubscription as error:
        return _refused(str(error), 400)
    subscriptions.save(subscription)
    return _answer(SUBSCRIBED, status=201)


@csrf_exempt
@never_cache
@require_POST
def unsubscribe(request):
    """Forget a subscription, given its endpoint; the same answer whether or not we knew it."""
    data, refusal = _read_json(request)
    if refusal:
        return refusal
    if not isinstance(data, dict):
        return _refused(subscriptions.BAD_SHAPE, 400)
    subscriptions.remove(data.get("endpoint"))
    return _answer(UNSUBSCRIBED)


@require_GET
@cache_control(public=True, max_age=300)
def public_key(request):
    """The application server key the button subscribes with; the same for every reader."""
    return JsonResponse({"publicKey": keys.application_server_key()})


@require_GET
@cache_control(public=True, max_age=0, must_revalidate=True)
def service_worker(request):
    """The service worker, at the site root so that its scope is the whole site.

    ``max-age=0``: browsers check it on every update instead of keeping an old copy; khabar's
    page cache still answers those checks without rendering.
    """
    response = HttpResponse(
        render_to_string("push/service_worker.js", request=request), content_type="text/javascript; charset=utf-8"
    )
    response["Service-Worker-Allowed"] = "/"
    response["Content-Security-Policy"] = SERVICE_WORKER_CSP
    return response

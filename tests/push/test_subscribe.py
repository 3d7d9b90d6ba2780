"""A browser subscribes and unsubscribes: what is stored, what is refused, and in what words."""

import json

import pytest
from django.test import override_settings

from khabar.push.models import Subscription

ENDPOINT = "https://updates.push.services.mozilla.com/wpush/v2/gAAAAABn-example-token"
SITE = "http://testserver"
BAD_ENDPOINT = "عنوان خدمة التنبيهات غير صالح. أعد المحاولة من زر التنبيهات في الموقع."
FOREIGN = "لم نقبل هذا الطلب لأنه لم يُرسل من موقعنا. استعمل زر التنبيهات في أعلى الصفحة."


@pytest.fixture
def post(client, fresh_limits):
    def post_(url, data, origin=SITE, content_type="application/json", **extra):
        body = data if isinstance(data, (bytes, str)) else json.dumps(data)
        headers = {"HTTP_ORIGIN": origin} if origin else {}
        return client.post(url, body, content_type=content_type, **headers, **extra)

    return post_


def test_a_subscription_is_stored_with_its_keys_and_nothing_else(post, make_browser, db):
    browser = make_browser("reader")

    response = post("/push/subscribe/", browser.subscription_json(ENDPOINT), REMOTE_ADDR="203.0.113.9",
                    HTTP_USER_AGENT="Mozilla/5.0 (Android 14)")

    assert response.status_code == 201
    assert response.json() == {"ok": True, "message": "ستصلك الأخبار العاجلة على هذا الجهاز."}
    row = Subscription.objects.get()
    keys = browser.subscription_json(ENDPOINT)["keys"]
    assert (row.endpoint, row.p256dh, row.auth) == (ENDPOINT, keys["p256dh"], keys["auth"])
    stored = json.dumps(list(Subscription.objects.values()), default=str)
    assert "203.0.113.9" not in stored and "Android" not in stored
    assert "Set-Cookie" not in response.headers


def test_subscribing_again_keeps_one_row_with_the_new_keys(post, make_browser, db):
    post("/push/subscribe/", make_browser("old").subscription_json(ENDPOINT))
    renewed = make_browser("new")

    assert post("/push/subscribe/", renewed.subscription_json(ENDPOINT)).status_code == 201

    assert list(Subscription.objects.values_list("p256dh", flat=True)) == [renewed.p256dh]


def test_unsubscribing_deletes_the_row(post, make_browser, db):
    post("/push/subscribe/", make_browser("reader").subscription_json(ENDPOINT))

    response = post("/push/unsubscribe/", {"endpoint": ENDPOINT})

    assert response.status_code == 200
    assert response.json()["message"] == "أوقفنا تنبيهات العاجل على هذا الجهاز."
    assert not Subscription.objects.exists()
    # An unknown endpoint gets the same answer: nobody learns which endpoints we hold.
    assert post("/push/unsubscribe/", {"endpoint": ENDPOINT}).status_code == 200


@pytest.mark.parametrize("endpoint", [
    "http://updates.push.services.mozilla.com/wpush/v2/abc",  # not https
    "https://10.0.0.7/wpush/abc",  # an address on the site's own network
    "https://[::1]/wpush/abc",
    "https://localhost/wpush/abc",
    "https://push.internal/wpush/abc",
    "https://fcm.googleapis.com:8443/fcm/send/abc",  # not the default port
    "https://user:pass@fcm.googleapis.com/fcm/send/abc",
    "https://fcm.googleapis.com/fcm/send/" + "a" * 1100,  # longer than any browser's
    "javascript:alert(1)",
    "",
    42,
])
def test_an_endpoint_no_push_service_would_have_is_refused(post, make_browser, db, endpoint):
    data = make_browser("reader").subscription_json(ENDPOINT)
    data["endpoint"] = endpoint

    response = post("/push/subscribe/", data)

    assert response.status_code == 400
    assert response.json() == {"ok": False, "message": BAD_ENDPOINT}
    assert not Subscription.objects.exists()


@pytest.mark.parametrize("keys", [
    {"p256dh": "not-a-key", "auth": "AAAAAAAAAAAAAAAAAAAAAA"},
    {"p256dh": "B" + "A" * 86, "auth": "AAAAAAAAAAAAAAAAAAAAAA"},  # 65 bytes, but not a point on P-256
    {"auth": "AAAAAAAAAAAAAAAAAAAAAA"},
    {"p256dh": None, "auth": "AAAA"},
])
def test_keys_that_cannot_encrypt_are_refused(post, make_browser, db, keys):
    data = make_browser("reader").subscription_json(ENDPOINT)
    data["keys"] = keys

    response = post("/push/subscribe/", data)

    assert response.status_code == 400
    assert response.json()["message"] == "مفاتيح الاشتراك غير صالحة. أعد المحاولة من زر التنبيهات في الموقع."
    assert not Subscription.objects.exists()


@pytest.mark.parametrize(("body", "content_type", "status", "message"), [
    ("{not json", "application/json", 400, "بيانات الاشتراك غير مكتملة. أعد المحاولة من زر التنبيهات في الموقع."),
    ("[1, 2]", "application/json", 400, "بيانات الاشتراك غير مكتملة. أعد المحاولة من زر التنبيهات في الموقع."),
    ("endpoint=https://x.example/", "application/x-www-form-urlencoded", 415, "أرسل بيانات الاشتراك بصيغة JSON."),
    ('{"endpoint": "' + "x" * 5000 + '"}', "application/json", 413, "الطلب أكبر مما نقبله لاشتراك تنبيهات."),
])
def test_a_malformed_request_gets_an_arabic_json_error(post, db, body, content_type, status, message):
    response = post("/push/subscribe/", body, content_type=content_type)

    assert response.status_code == status
    assert response.json() == {"ok": False, "message": message}


@pytest.mark.parametrize("headers", [
    {"HTTP_ORIGIN": "https://evil.example"},
    {"HTTP_ORIGIN": "null"},
    {"HTTP_REFERER": "https://evil.example/page"},
])
def test_a_request_from_another_site_is_refused(client, make_browser, db, fresh_limits, headers):
    for url in ("/push/subscribe/", "/push/unsubscribe/"):
        response = client.post(url, json.dumps(make_browser("reader").subscription_json(ENDPOINT)),
                               content_type="application/json", **headers)

        assert response.status_code == 403
        assert response.json()["message"] == FOREIGN
    assert not Subscription.objects.exists()


@override_settings(KHABAR_PUSH_IP_LIMIT=2)
def test_one_address_is_limited(post, make_browser, db):
    answers = [
        post("/push/subscribe/", make_browser(str(n)).subscription_json(f"{ENDPOINT}-{n}"), REMOTE_ADDR="198.51.100.4")
        for n in range(3)
    ]

    assert [answer.status_code for answer in answers] == [201, 201, 429]
    assert answers[2].json()["message"] == "طلبات كثيرة في وقت قصير. انتظر قليلاً ثم حاول مرة أخرى."
    assert answers[2]["Retry-After"] == "3600"
    assert Subscription.objects.count() == 2
    # Another address is not held back by the first one's count.
    other = post("/push/subscribe/", make_browser("x").subscription_json(f"{ENDPOINT}-x"), REMOTE_ADDR="198.51.100.5")
    assert other.status_code == 201


def test_get_is_not_allowed(client, db):
    assert client.get("/push/subscribe/").status_code == 405
    assert client.get("/push/unsubscribe/").status_code == 405

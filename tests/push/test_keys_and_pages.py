"""The VAPID key is made once for the whole site; the pages, key and service worker are alike for every reader."""

import base64
import re

import pytest
from django.test import override_settings

from khabar.push import keys
from khabar.push.models import Subscription, VapidKey
from tests.instance import Instance

# A key as `npx web-push generate-vapid-keys` prints it (the private half), and its public half.
CONFIGURED_PRIVATE = "IQ9Ur0ykXoHS9gzfYX0aBjy9lvdrjx_PFUXmie9YRcY"


def _decoded(text):
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def test_the_key_is_made_on_first_use_and_kept(db):
    first = keys.application_server_key()

    assert len(_decoded(first)) == 65 and _decoded(first)[0] == 4
    assert keys.application_server_key() == first
    assert VapidKey.objects.count() == 1


@override_settings(KHABAR_VAPID_PRIVATE_KEY=CONFIGURED_PRIVATE, KHABAR_VAPID_SUBJECT="https://news.example.org/contact")
def test_a_configured_key_and_contact_win(db):
    from py_vapid import Vapid

    expected = keys.application_server_key(Vapid.from_raw(CONFIGURED_PRIVATE.encode()))
    assert keys.application_server_key() == expected
    assert keys.subject() == "https://news.example.org/contact"
    assert not VapidKey.objects.exists()


def test_the_key_is_shared_by_every_process(tmp_path):
    """Two `khabar` processes (a web worker, the task worker) see one key, made by the first."""
    site = Instance(tmp_path, smtp_port=1)
    site.run("manage", "migrate", "--verbosity", "0")
    show_key = "from khabar.push import keys; print(keys.application_server_key())"

    first = site.run("manage", "shell", "--no-imports", "-c", show_key).strip()
    second = site.run("manage", "shell", "--no-imports", "-c", show_key).strip()
    rows = site.run("manage", "shell", "--no-imports", "-c",
                    "from khabar.push.models import VapidKey; print(VapidKey.objects.count())").strip()

    assert len(_decoded(first)) == 65
    assert first == second
    assert rows == "1"


def test_the_public_key_endpoint(client, db):
    response = client.get("/push/key/")

    assert response.status_code == 200
    assert response.json() == {"publicKey": keys.application_server_key()}
    assert "public" in response["Cache-Control"] and "Set-Cookie" not in response.headers


def test_the_service_worker_is_served_for_the_whole_site(client, db):
    response = client.get("/push-sw.js")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/javascript")
    assert response["Service-Worker-Allowed"] == "/"
    assert "max-age=0" in response["Cache-Control"]  # browsers look for a new version on each update check
    assert response["Content-Security-Policy"] == "default-src 'none'; connect-src 'self'; img-src 'self'"
    script = response.content.decode()
    assert 'addEventListener("push"' in script and "showNotification" in script
    assert 'addEventListener("notificationclick"' in script and "openWindow" in script
    assert "{%" not in script and "/push/subscribe/" in script


@pytest.mark.parametrize("path", ["/", "article"])
def test_pages_are_the_same_for_every_reader(client, publish_article, path, fresh_limits):
    article = publish_article(title="خبر للقراء جميعاً")
    Subscription.objects.create(endpoint="https://fcm.googleapis.com/fcm/send/abc", p256dh="x", auth="y")
    url = article.url if path == "article" else path
    readers = [
        {"REMOTE_ADDR": "203.0.113.1", "HTTP_USER_AGENT": "Mozilla/5.0 (Android 14) Chrome/130"},
        {"REMOTE_ADDR": "198.51.100.2", "HTTP_USER_AGENT": "Mozilla/5.0 (iPhone) Safari/17", "HTTP_COOKIE": "a=b"},
        {"REMOTE_ADDR": "192.0.2.3", "HTTP_ACCEPT_LANGUAGE": "en-US"},
    ]

    responses = [client.get(url, **reader) for reader in readers]

    assert {response.status_code for response in responses} == {200}
    # The comment form's token carries the second it was issued (the same for everyone in that second).
    bodies = {re.sub(rb'name="token" value="[^"]*"', b"", response.content) for response in responses}
    assert len(bodies) == 1
    html = bodies.pop().decode()
    assert not any("Set-Cookie" in response.headers for response in responses)
    button = re.search(r'<div class="push-alerts" hidden data-push[^>]*>\s*<button[^>]*>نبّهني بالعاجل</button>', html)
    assert button, "the alerts button is on the page, hidden until the script finds push support"
    assert '/static/khabar/js/push.js" defer' in html
    assert "fcm.googleapis.com" not in html

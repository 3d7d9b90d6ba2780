{% load static %}// khabar's service worker: it shows breaking-news pushes and opens the article when one is tapped.
// It has no fetch handler, so it never stands between the reader and the site's pages.
"use strict";

var ICON = "{% static 'khabar/img/logo.png' %}";

self.addEventListener("install", function () { self.skipWaiting(); });

self.addEventListener("push", function (event) {
  var data = {};
  try { data = event.data ? event.data.json() : {}; } catch (error) { data = {}; }
  var url = typeof data.url === "string" ? data.url : "/";
  event.waitUntil(self.registration.showNotification(data.title || "عاجل", {
    body: data.body || "",
    dir: "rtl",
    lang: "ar",
    icon: ICON,
    tag: url,  // a repeated alert for the same article replaces the one shown
    data: { url: url }
  }));
});

function ownAddress(url) {
  // Only this site's pages are opened, whatever a push says.
  try {
    var parsed = new URL(url, self.location.origin);
    if (parsed.origin === self.location.origin) { return parsed.href; }
  } catch (error) { /* not a URL */ }
  return self.location.origin + "/";
}

self.addEventListener("notificationclick", function (event) {
  event.notification.close();
  var target = ownAddress(event.notification.data && event.notification.data.url);
  event.waitUntil(self.clients.matchAll({ type: "window", includeUncontrolled: true }).then(function (windows) {
    for (var i = 0; i < windows.length; i++) {
      if (windows[i].url === target && "focus" in windows[i]) { return windows[i].focus(); }
    }
    return self.clients.openWindow(target);
  }));
});

function base64UrlToBytes(text) {
  var base64 = (text + "===".slice((text.length + 3) % 4)).replace(/-/g, "+").replace(/_/g, "/");
  var raw = atob(base64);
  var bytes = new Uint8Array(raw.length);
  for (var i = 0; i < raw.length; i++) { bytes[i] = raw.charCodeAt(i); }
  return bytes;
}

function postJson(url, body) {
  return fetch(url, {
    method: "POST", credentials: "omit", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body)
  });
}

// The browser renewed the subscription (its push service rotated it): tell the site the new one.
self.addEventListener("pushsubscriptionchange", function (event) {
  var old = event.oldSubscription;
  event.waitUntil(fetch("{% url 'push:key' %}").then(function (response) { return response.json(); }).then(function (key) {
    return event.newSubscription || self.registration.pushManager.subscribe({
      userVisibleOnly: true, applicationServerKey: base64UrlToBytes(key.publicKey)
    });
  }).then(function (subscription) {
    return postJson("{% url 'push:subscribe' %}", subscription.toJSON()).then(function () {
      if (old && old.endpoint !== subscription.endpoint) {
        return postJson("{% url 'push:unsubscribe' %}", { endpoint: old.endpoint });
      }
    });
  }));
});

// The «نبّهني بالعاجل» button: breaking news as browser notifications (web push).
// The button stays hidden where the browser has no service worker or Push API. The service worker
// is registered only when a reader asks for alerts, and nothing about the reader is in the page.
(function () {
  "use strict";

  var TEXT = {
    subscribe: "نبّهني بالعاجل",
    unsubscribe: "إلغاء التنبيهات",
    working: "لحظة…",
    subscribed: "ستصلك الأخبار العاجلة على هذا الجهاز.",
    unsubscribed: "أوقفنا تنبيهات العاجل على هذا الجهاز.",
    denied: "المتصفح يمنع التنبيهات من موقعنا. اسمح بها من إعدادات الموقع في المتصفح ثم أعد المحاولة.",
    failed: "تعذّر تفعيل التنبيهات في هذا المتصفح الآن. أعد المحاولة لاحقاً أو جرّب متصفحاً آخر.",
    offline: "تعذّر الاتصال بالموقع. تحقّق من اتصالك بالإنترنت ثم أعد المحاولة."
  };

  var root = document.querySelector("[data-push]");
  var status = document.querySelector("[data-push-status]");
  if (!root || !status || !("serviceWorker" in navigator) || !("PushManager" in window) ||
      !("Notification" in window) || !window.fetch) {
    return;
  }
  var button = root.querySelector("[data-push-button]");
  var subscription = null;

  function say(message) {
    status.textContent = message || "";
    status.hidden = !message;
  }

  function show(current) {
    subscription = current;
    button.textContent = current ? TEXT.unsubscribe : TEXT.subscribe;
    button.setAttribute("aria-pressed", current ? "true" : "false");
  }

  function base64UrlToBytes(text) {
    var base64 = (text + "===".slice((text.length + 3) % 4)).replace(/-/g, "+").replace(/_/g, "/");
    var raw = window.atob(base64);
    var bytes = new Uint8Array(raw.length);
    for (var i = 0; i < raw.length; i++) { bytes[i] = raw.charCodeAt(i); }
    return bytes;
  }

  function postJson(url, body) {
    return fetch(url, {
      method: "POST",
      credentials: "omit",  // nothing to send: the pages set no cookie for readers
      headers: { "Content-Type": "application/json", "Accept": "application/json" },
      body: JSON.stringify(body)
    }).then(function (response) {
      return response.json().catch(function () { return {}; }).then(function (data) {
        if (!response.ok) { throw new Error(data.message || TEXT.failed); }
        return data;
      });
    }, function () { throw new Error(TEXT.offline); });
  }

  function registration() {
    return navigator.serviceWorker.register(root.getAttribute("data-push-worker"), { scope: "/" })
      .then(function () { return navigator.serviceWorker.ready; });
  }

  function subscribe() {
    return Notification.requestPermission().then(function (permission) {
      if (permission !== "granted") { throw new Error(TEXT.denied); }
      return Promise.all([
        registration(),
        fetch(root.getAttribute("data-push-key")).then(function (response) { return response.json(); })
      ]);
    }).then(function (results) {
      return results[0].pushManager.subscribe({
        userVisibleOnly: true, applicationServerKey: base64UrlToBytes(results[1].publicKey)
      }).catch(function () { throw new Error(TEXT.failed); });  // no push service in this browser, or it refused
    }).then(function (created) {
      return postJson(root.getAttribute("data-push-subscribe"), created.toJSON()).then(function (data) {
        show(created);
        say(data.message || TEXT.subscribed);
      }, function (error) {
        created.unsubscribe();  // the site did not keep it: leave the browser as it was
        throw error;
      });
    });
  }

  function unsubscribe() {
    var endpoint = subscription.endpoint;
    return subscription.unsubscribe().then(function () {
      show(null);
      return postJson(root.getAttribute("data-push-unsubscribe"), { endpoint: endpoint });
    }).then(function (data) { say(data.message || TEXT.unsubscribed); });
  }

  button.addEventListener("click", function () {
    button.disabled = true;
    say(TEXT.working);
    (subscription ? unsubscribe() : subscribe()).catch(function (error) {
      say(error && error.message && /[\u0600-\u06FF]/.test(error.message) ? error.message : TEXT.failed);
    }).then(function () { button.disabled = false; });
  });

  // A reader who subscribed earlier sees «إلغاء التنبيهات»; others never get a service worker until they ask.
  navigator.serviceWorker.getRegistration("/").then(function (existing) {
    return existing ? existing.pushManager.getSubscription() : null;
  }).then(function (current) { show(current); }, function () { show(null); }).then(function () {
    root.hidden = false;
  });
})();

// «الأكثر قراءة»: tells the server once that this article was opened. No cookie, no storage,
// nothing about the reader in the request; a page works the same without this file.
(function () {
  "use strict";

  var script = document.querySelector("script[data-mostread-page]");
  if (!script || !navigator.sendBeacon) return;

  function report() {
    var body = new URLSearchParams();
    body.set("page", script.getAttribute("data-mostread-page"));
    navigator.sendBeacon(script.getAttribute("data-mostread-url"), body);
  }

  // A page the browser prerendered ahead of a click counts only once the reader opens it.
  if (document.prerendering) {
    document.addEventListener("prerenderingchange", report, { once: true });
  } else {
    report();
  }
})();

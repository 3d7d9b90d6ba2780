// Progressive enhancements for readers. Every page works without this file.
(function () {
  "use strict";

  // Font-size control "حجم الخط": scales the article text only, remembered per reader.
  var STORAGE_KEY = "khabar:font-step";
  var MIN_STEP = -2;
  var MAX_STEP = 4;

  function readStep() {
    try {
      var stored = parseInt(window.localStorage.getItem(STORAGE_KEY), 10);
      return isNaN(stored) ? 0 : Math.min(MAX_STEP, Math.max(MIN_STEP, stored));
    } catch (e) {
      return 0; // storage blocked (private mode): the control still works for this page
    }
  }

  function saveStep(step) {
    try { window.localStorage.setItem(STORAGE_KEY, String(step)); } catch (e) { /* not persisted */ }
  }

  function formatStep(step) {
    return step > 0 ? "+" + step : String(step);
  }

  function setupFontSize(control) {
    var body = document.querySelector("[data-article-body]");
    var counter = control.querySelector("[data-font-counter]");
    var down = control.querySelector('[data-font-step="-1"]');
    var up = control.querySelector('[data-font-step="1"]');
    if (!body || !counter || !down || !up) return;

    function apply(step) {
      body.style.setProperty("--font-step", step);
      counter.textContent = formatStep(step);
      down.disabled = step <= MIN_STEP;
      up.disabled = step >= MAX_STEP;
    }

    var step = readStep();
    apply(step);
    control.hidden = false;
    control.addEventListener("click", function (event) {
      var button = event.target.closest("[data-font-step]");
      if (!button || button.disabled) return;
      step = Math.min(MAX_STEP, Math.max(MIN_STEP, step + parseInt(button.getAttribute("data-font-step"), 10)));
      apply(step);
      saveStep(step);
    });
  }

  // "نسخ الرابط": copies the canonical URL; without JavaScript it is a plain link.
  function setupCopyLink(link) {
    var status = link.parentNode.querySelector("[data-copy-status]");
    link.addEventListener("click", function (event) {
      if (!navigator.clipboard) return; // fall back to following the link
      event.preventDefault();
      navigator.clipboard.writeText(link.href).then(function () {
        if (status) status.textContent = "تم نسخ الرابط";
      });
    });
  }

  document.querySelectorAll("[data-font-size]").forEach(setupFontSize);
  document.querySelectorAll("[data-copy-link]").forEach(setupCopyLink);
})();

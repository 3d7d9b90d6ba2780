// Progressive enhancement of the newsletter box: submit without leaving the page.
// Without this file the form posts normally and the server answers with a page.
(function () {
  "use strict";

  function clearErrors(form) {
    form.querySelectorAll("[data-newsletter-error]").forEach(function (node) { node.remove(); });
    form.querySelectorAll("[aria-invalid]").forEach(function (node) { node.removeAttribute("aria-invalid"); });
  }

  function showError(form, field, message) {
    var input = form.querySelector('[name="' + field + '"]');
    var error = document.createElement("p");
    error.className = "newsletter-form__error";
    error.setAttribute("data-newsletter-error", "");
    error.id = "newsletter-" + field + "-error";
    error.textContent = message;
    if (!input) { form.insertBefore(error, form.firstChild); return; }
    var holder = input.closest("fieldset") || input.closest(".newsletter-form__field") || form;
    holder.appendChild(error);
    if (input.type !== "checkbox") {
      input.setAttribute("aria-invalid", "true");
      input.setAttribute("aria-describedby", error.id);
    }
  }

  function enhance(form) {
    var status = form.querySelector("[data-newsletter-status]");
    var button = form.querySelector("button[type=submit]");
    form.addEventListener("submit", function (event) {
      if (!window.fetch || !window.FormData) { return; }
      event.preventDefault();
      clearErrors(form);
      button.disabled = true;
      status.textContent = "جارٍ الإرسال…";
      fetch(form.action, {
        method: "POST",
        body: new FormData(form),
        headers: { "Accept": "application/json" },
        credentials: "same-origin"
      }).then(function (response) {
        return response.json().then(function (data) { return { ok: response.ok, data: data }; });
      }).then(function (result) {
        button.disabled = false;
        if (result.ok) {
          status.textContent = result.data.message;
          form.reset();
          return;
        }
        status.textContent = result.data.message || "لم يكتمل الاشتراك: صحّح ما هو مشار إليه.";
        var errors = result.data.errors || {};
        Object.keys(errors).forEach(function (field) { showError(form, field, errors[field][0]); });
        var firstInvalid = form.querySelector("[aria-invalid=true]");
        if (firstInvalid) { firstInvalid.focus(); }
      }).catch(function () {
        // Network trouble or an unexpected answer: fall back to a normal submission.
        button.disabled = false;
        status.textContent = "";
        form.submit();
      });
    });
  }

  document.querySelectorAll("[data-newsletter-form]").forEach(enhance);
})();

// Comments: replying in place, "remember me" in this browser, a fresh form token.
// The form works without this file; the server never learns what is stored here.
(function () {
  "use strict";

  var STORAGE_KEY = "khabar:commenter";
  var REMEMBERED = ["name", "email", "url"];

  function readCommenter() {
    try {
      return JSON.parse(window.localStorage.getItem(STORAGE_KEY)) || null;
    } catch (e) {
      return null; // storage blocked, or a value we did not write
    }
  }

  function field(form, name) {
    return form.querySelector('[name="' + name + '"]');
  }

  // "احفظ اسمي وبريدي الإلكتروني في هذا المتصفح": stored only while the box is ticked.
  function setupRemember(form) {
    var row = form.querySelector("[data-remember]");
    var box = form.querySelector("[data-remember-input]");
    if (!row || !box) return;
    try {
      window.localStorage.getItem(STORAGE_KEY);
    } catch (e) {
      return; // no storage: do not offer what cannot be kept
    }
    row.hidden = false;
    var saved = readCommenter();
    if (saved) {
      box.checked = true;
      REMEMBERED.forEach(function (name) {
        var input = field(form, name);
        if (input && !input.value && typeof saved[name] === "string") input.value = saved[name];
      });
    }
    form.addEventListener("submit", function () {
      try {
        if (box.checked) {
          var values = {};
          REMEMBERED.forEach(function (name) {
            var input = field(form, name);
            values[name] = input ? input.value.trim() : "";
          });
          window.localStorage.setItem(STORAGE_KEY, JSON.stringify(values));
        } else {
          window.localStorage.removeItem(STORAGE_KEY);
        }
      } catch (e) { /* not kept; the comment is still sent */ }
    });
  }

  // A cached page carries the token of the moment it was rendered; ask for one issued now,
  // so the server's "too fast" and "too old" checks measure this reader.
  function setupToken(form) {
    var url = form.getAttribute("data-token-url");
    var token = field(form, "token");
    if (!url || !token || !window.fetch) return;
    var fetched = false;
    form.addEventListener("focusin", function () {
      if (fetched) return;
      fetched = true;
      window.fetch(url, { credentials: "omit", cache: "no-store" })
        .then(function (response) { return response.ok ? response.json() : null; })
        .then(function (data) { if (data && data.token) token.value = data.token; })
        .catch(function () { /* keep the page's token */ });
    });
  }

  // "رد": move the form under the comment instead of loading the page again.
  function setupReplies(section, respond, form) {
    var parent = field(form, "parent");
    var title = respond.querySelector("[data-reply-title]");
    var cancel = respond.querySelector("[data-cancel-reply]");
    var home = document.createComment("comment-form-home");
    respond.parentNode.insertBefore(home, respond);

    function replyTo(link) {
      var card = link.closest(".comment__card");
      if (!card || !parent) return;
      card.parentNode.insertBefore(respond, card.nextSibling);
      parent.value = link.getAttribute("data-reply-to");
      title.textContent = "رد على " + link.getAttribute("data-reply-name");
      cancel.hidden = false;
      respond.classList.add("comment-respond--reply");
      var first = field(form, "name");
      if (first && first.value) first = field(form, "body");
      if (first) first.focus();
    }

    function cancelReply() {
      home.parentNode.insertBefore(respond, home.nextSibling);
      parent.value = "";
      title.textContent = title.getAttribute("data-default-title");
      cancel.hidden = true;
      respond.classList.remove("comment-respond--reply");
    }

    section.addEventListener("click", function (event) {
      var link = event.target.closest("[data-reply-to]");
      if (link) {
        event.preventDefault();
        replyTo(link);
      } else if (event.target.closest("[data-cancel-reply]")) {
        event.preventDefault();
        cancelReply();
      }
    });
  }

  var section = document.getElementById("comments");
  var respond = section && section.querySelector("[data-comment-respond]");
  var form = respond && respond.querySelector("[data-comment-form]");
  if (!form) return;
  setupRemember(form);
  setupToken(form);
  setupReplies(section, respond, form);
})();

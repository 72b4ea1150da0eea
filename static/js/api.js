/* Lumethic: the browser's small client for /v1 (session auth + CSRF header). */
(function () {
  "use strict";
  function csrfToken() {
    var m = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    if (m) return decodeURIComponent(m[1]);
    var input = document.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }

  // Turn a /v1 error body into one sentence a photographer can act on.
  function errorText(status, body) {
    var detail = body && body.detail;
    if (Array.isArray(detail)) {
      return detail.map(function (item) {
        var field = item.loc && item.loc[item.loc.length - 1];
        var name = { raw: "RAW file", image: "JPEG", email: "E-mail", access_type: "Access" }[field] || field;
        return (name ? name + ": " : "") + item.msg;
      }).join(" ");
    }
    if (status === 401) return "Your session has ended. Log in again.";
    if (status === 413) return (detail || "The upload is too large.") + " Use a smaller file.";
    if (status === 429) return "Too many requests; wait a moment and try again.";
    if (status >= 500 || !status) return "Something went wrong on our side or the network dropped. Try again.";
    return detail || "The request failed (HTTP " + status + ").";
  }

  function request(method, url, body) {
    var headers = { "Accept": "application/json" };
    if (method !== "GET" && method !== "HEAD") headers["X-CSRFToken"] = csrfToken();
    if (body !== undefined) headers["Content-Type"] = "application/json";
    return fetch(url, {
      method: method, headers: headers, credentials: "same-origin",
      body: body === undefined ? undefined : JSON.stringify(body)
    }).then(function (res) {
      return res.text().then(function (text) {
        var data = null;
        try { data = text ? JSON.parse(text) : null; } catch (e) { data = null; }
        if (!res.ok) {
          var err = new Error(errorText(res.status, data));
          err.status = res.status; err.body = data;
          throw err;
        }
        return data;
      });
    });
  }

  function copyText(text, button) {
    function done(ok) {
      if (!button) return;
      var before = button.textContent;
      button.textContent = ok ? "Copied" : "Select and copy";
      setTimeout(function () { button.textContent = before; }, 1800);
    }
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(text).then(function () { done(true); }, function () { done(false); });
    } else {
      done(false);
    }
  }

  window.Lumethic = { csrfToken: csrfToken, errorText: errorText, request: request, copyText: copyText };

  // Any [data-copy-target] button copies the value/text of the element it names.
  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-copy-target]");
    if (!button) return;
    var target = document.getElementById(button.getAttribute("data-copy-target"));
    if (!target) return;
    var text = "value" in target ? target.value : target.textContent;
    if (target.select) target.select();
    else {
      var range = document.createRange(); range.selectNodeContents(target);
      var sel = window.getSelection(); sel.removeAllRanges(); sel.addRange(range);
    }
    copyText(text.trim(), button);
  });
})();

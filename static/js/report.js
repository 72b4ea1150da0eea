/* Report page: live status, comparison modes, dialogs for delete and share. */
(function () {
  "use strict";
  var report = document.getElementById("report");
  if (!report) return;
  var api = window.Lumethic;

  // Still processing: poll /v1 and reload once the verdict is in.
  if (report.hasAttribute("data-pending")) {
    (function poll() {
      api.request("GET", report.getAttribute("data-api")).then(function (v) {
        if (v.status === "completed" || v.status === "failed") window.location.reload();
        else setTimeout(poll, 1500);
      }, function () { setTimeout(poll, 4000); });
    })();
  }

  // Comparison modes.
  var flickerTimer = null;
  var flickerImg = document.getElementById("flicker-img");
  var flickerLabel = document.getElementById("flicker-label");
  var flickerToggle = document.getElementById("flicker-toggle");
  function flickerStep() {
    var showingA = flickerImg.getAttribute("src") === flickerImg.getAttribute("data-a");
    flickerImg.setAttribute("src", flickerImg.getAttribute(showingA ? "data-b" : "data-a"));
    flickerLabel.textContent = "Showing: " + (showingA ? "RAW rendition" : "JPEG");
  }
  function flicker(on) {
    clearInterval(flickerTimer); flickerTimer = null;
    if (on && flickerImg) flickerTimer = setInterval(flickerStep, 700);
    if (flickerToggle) flickerToggle.textContent = on ? "Pause" : "Play";
  }
  document.querySelectorAll(".compare-modes button").forEach(function (button) {
    button.addEventListener("click", function () {
      var mode = button.getAttribute("data-mode");
      document.querySelectorAll(".compare-modes button").forEach(function (b) {
        b.setAttribute("aria-pressed", String(b === button));
      });
      document.querySelectorAll("[data-view]").forEach(function (view) {
        view.hidden = view.getAttribute("data-view") !== mode;
      });
      flicker(mode === "flicker");
    });
  });
  if (flickerToggle) flickerToggle.addEventListener("click", function () { flicker(!flickerTimer); });
  var range = document.getElementById("slider-range");
  var top = document.getElementById("slider-top");
  if (range && top) {
    range.addEventListener("input", function () { top.style.clipPath = "inset(0 " + (100 - range.value) + "% 0 0)"; });
  }

  // Dialogs: [data-close] closes; Esc is native.
  document.querySelectorAll("dialog [data-close]").forEach(function (b) {
    b.addEventListener("click", function () { b.closest("dialog").close(); });
  });
  function opener(buttonId, dialogId, onOpen) {
    var button = document.getElementById(buttonId);
    var dialog = document.getElementById(dialogId);
    if (!button || !dialog || !dialog.showModal) return;
    button.addEventListener("click", function (e) {
      e.preventDefault();
      dialog.showModal();
      if (onOpen) onOpen(dialog);
    });
  }
  opener("delete-open", "delete-dialog");

  // Sharing (the sharing app's /v1 endpoints).
  var shareApi = report.getAttribute("data-share-api");
  var shareError = document.getElementById("share-error");
  function shareFail(err) { shareError.textContent = err.message; shareError.hidden = false; }
  function renderShare(share) {
    shareError.hidden = true;
    var details = document.getElementById("share-details");
    var download = document.getElementById("signed-download");
    var hint = document.getElementById("signed-hint");
    if (download) download.hidden = !share;
    if (hint) hint.hidden = !!share;
    if (!share) { details.hidden = true; document.getElementById("share-save").textContent = "Create link"; return; }
    details.hidden = false;
    document.getElementById("share-save").textContent = "Save";
    document.getElementById("share-url").value = share.share_url;
    document.querySelectorAll("#share-form input[name=access_type]").forEach(function (r) { r.checked = r.value === share.access_type; });
    var list = document.getElementById("invite-list");
    list.innerHTML = "";
    (share.invited_emails || []).forEach(function (email) {
      var li = document.createElement("li");
      li.textContent = email + " ";
      var remove = document.createElement("button");
      remove.type = "button"; remove.className = "link-button"; remove.textContent = "Remove";
      remove.setAttribute("aria-label", "Remove " + email);
      remove.addEventListener("click", function () {
        fetchJson("DELETE", shareApi + "/invites", { email: email }).then(loadShare, shareFail);
      });
      li.appendChild(remove); list.appendChild(li);
    });
    loadViews();
  }
  function fetchJson(method, url, body) { return api.request(method, url, body); }
  function loadShare() {
    return fetchJson("GET", shareApi).then(renderShare, function (err) {
      if (err.status === 404) renderShare(null); else shareFail(err);
    });
  }
  function loadViews() {
    var base = report.getAttribute("data-api");
    fetchJson("GET", base + "/analytics/views").then(function (data) {
      var total = data.total_views || 0;
      document.getElementById("share-views").textContent = total + " view" + (total === 1 ? "" : "s") + " by other people.";
      var bars = document.getElementById("share-bars");
      bars.innerHTML = "";
      var days = (data.daily_views || []).slice(-30);
      var max = Math.max.apply(null, days.map(function (d) { return d.count; }).concat([1]));
      days.forEach(function (d) {
        var bar = document.createElement("span");
        bar.style.height = Math.round(d.count / max * 100) + "%";
        bar.title = d.date + ": " + d.count;
        bars.appendChild(bar);
      });
    }, function () { /* views are a bonus; the share works without them */ });
  }
  if (shareApi) {
    opener("share-open", "share-dialog", loadShare);
    document.getElementById("share-form").addEventListener("submit", function (e) {
      e.preventDefault();
      var access = document.querySelector("#share-form input[name=access_type]:checked").value;
      fetchJson("POST", shareApi, { access_type: access }).then(renderShare, shareFail);
    });
    document.getElementById("invite-form").addEventListener("submit", function (e) {
      e.preventDefault();
      var input = document.getElementById("invite-email");
      fetchJson("POST", shareApi + "/invites", { email: input.value }).then(function () {
        input.value = ""; return loadShare();
      }, shareFail);
    });
    document.getElementById("share-stop").addEventListener("click", function () {
      fetchJson("DELETE", shareApi).then(function () { renderShare(null); }, shareFail);
    });
  }

  // Marketplace listing.
  var listingApi = report.getAttribute("data-listing-api");
  if (listingApi) {
    opener("listing-open", "listing-dialog");
    document.getElementById("listing-form").addEventListener("submit", function (e) {
      e.preventDefault();
      var out = document.getElementById("listing-result");
      var body = {
        title: document.getElementById("listing-name").value,
        description: document.getElementById("listing-description").value,
        currency: "eur",
        price_personal_cents: Math.round(parseFloat(document.getElementById("listing-price").value) * 100)
      };
      fetchJson("POST", listingApi + "?verification_id=" + encodeURIComponent(report.getAttribute("data-id")), body).then(function (listing) {
        out.textContent = "Listed: “" + listing.title + "” is for sale. ";
        var a = document.createElement("a");
        a.href = "/marketplace/listings/" + listing.id + "/"; a.textContent = "Open the listing";
        out.appendChild(a);
      }, function (err) {
        out.textContent = err.status === 402 ? "Selling needs a paid plan. " : err.message;
        if (err.status === 402) {
          var a = document.createElement("a"); a.href = "/plan/"; a.textContent = "Upgrade";
          out.appendChild(a);
        }
      });
    });
  }
})();

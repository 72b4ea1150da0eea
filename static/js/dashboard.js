/* Dashboard: rows still processing update themselves by polling /v1. */
(function () {
  "use strict";
  var DONE = { completed: true, failed: true };
  var LABELS = { pending: "Pending", queued: "Queued", in_progress: "In progress", completed: "Completed", failed: "Failed" };

  function update(row, v) {
    var badge = row.querySelector("[data-field=status]");
    badge.textContent = LABELS[v.status] || v.status;
    badge.className = "badge badge-" + v.status;
    var verdict = row.querySelector("[data-field=verdict]");
    var confidence = row.querySelector("[data-field=confidence]");
    if (v.status === "completed") {
      verdict.textContent = v.result ? "Authentic" : "Not authentic";
      verdict.className = "verdict verdict-" + (v.result ? "ok" : "bad");
      if (v.result_confidence !== null) confidence.textContent = Math.round(v.result_confidence * 100) + " % confidence";
    } else if (v.status === "failed") {
      verdict.textContent = "Could not be verified";
      verdict.className = "verdict verdict-failed";
    }
    var thumb = row.querySelector(".thumb");
    if (v.image_thumbnail_url && thumb && thumb.tagName !== "IMG") {
      var img = document.createElement("img");
      img.className = "thumb"; img.alt = ""; img.width = 96; img.height = 64;
      img.src = v.image_thumbnail_url;
      thumb.replaceWith(img);
    }
  }

  function poll() {
    var rows = document.querySelectorAll(".vrow[data-poll]");
    if (!rows.length) return;
    Promise.all(Array.prototype.map.call(rows, function (row) {
      return window.Lumethic.request("GET", row.getAttribute("data-poll")).then(function (v) {
        update(row, v);
        if (DONE[v.status]) row.removeAttribute("data-poll");
      }, function (err) {
        if (err.status === 404) row.removeAttribute("data-poll");
      });
    })).then(function () { setTimeout(poll, 2000); });
  }
  setTimeout(poll, 1500);
})();

/* Upload: route dropped/chosen files by type, check them, send with a progress
   bar, follow the processing, then open the report. */
(function () {
  "use strict";
  var form = document.getElementById("upload-form");
  if (!form) return;
  var rawExt = form.getAttribute("data-raw-ext").split(",");
  var maxRaw = parseInt(form.getAttribute("data-max-raw"), 10);
  var maxJpeg = parseInt(form.getAttribute("data-max-jpeg"), 10);
  var planUrl = form.getAttribute("data-plan-url");
  var errorsBox = document.getElementById("upload-errors");
  var dropzone = document.getElementById("dropzone");
  var panel = document.getElementById("progress-panel");
  var progress = document.getElementById("upload-progress");
  var percent = document.getElementById("upload-percent");
  var statusText = document.getElementById("processing-status");
  var submit = document.getElementById("upload-submit");
  var chosen = { raw: null, image: null };

  function mb(bytes) { return (bytes / 1048576).toFixed(bytes < 10485760 ? 1 : 0) + " MB"; }
  function ext(name) { var i = name.lastIndexOf("."); return i < 0 ? "" : name.slice(i + 1).toLowerCase(); }
  function kind(file) {
    var e = ext(file.name);
    if (rawExt.indexOf(e) >= 0) return "raw";
    if (e === "jpg" || e === "jpeg" || file.type === "image/jpeg") return "image";
    return null;
  }

  function showErrors(lines, upgrade) {
    errorsBox.innerHTML = "";
    if (!lines.length) return;
    var box = document.createElement("div");
    box.className = "notice notice-error";
    lines.forEach(function (line) { var p = document.createElement("p"); p.textContent = line; box.appendChild(p); });
    if (upgrade) {
      var p = document.createElement("p");
      var a = document.createElement("a");
      a.href = planUrl; a.textContent = "See the plans and upgrade";
      p.appendChild(a); p.appendChild(document.createTextNode(" to keep verifying this month."));
      box.appendChild(p);
    }
    errorsBox.appendChild(box);
  }

  function setSlot(which, file) {
    chosen[which] = file;
    var slot = document.getElementById(which === "raw" ? "slot-raw" : "slot-image");
    slot.classList.toggle("filled", !!file);
    slot.querySelector(".slot-name").textContent = file ? file.name + " · " + mb(file.size) : "Not chosen yet";
  }

  function accept(files) {
    var problems = [];
    Array.prototype.forEach.call(files, function (file) {
      var k = kind(file);
      if (!k) {
        problems.push("“" + file.name + "” is neither a camera RAW (" + rawExt.join(", ").toUpperCase() + ") nor a JPEG.");
        return;
      }
      setSlot(k, file);
    });
    showErrors(problems);
  }

  function check() {
    var problems = [];
    if (!chosen.raw) problems.push("Add the camera RAW file.");
    if (!chosen.image) problems.push("Add the JPEG.");
    if (chosen.raw && chosen.raw.size === 0) problems.push("The RAW file is empty.");
    if (chosen.image && chosen.image.size === 0) problems.push("The JPEG is empty.");
    if (chosen.raw && chosen.raw.size > maxRaw) problems.push("The RAW file is " + mb(chosen.raw.size) + "; the limit is " + mb(maxRaw) + ".");
    if (chosen.image && chosen.image.size > maxJpeg) problems.push("The JPEG is " + mb(chosen.image.size) + "; the limit is " + mb(maxJpeg) + ".");
    return problems;
  }

  function stage(name) {
    var order = ["upload", "queued", "in_progress", "completed"];
    var at = order.indexOf(name);
    panel.querySelectorAll(".stages li").forEach(function (li) {
      var i = order.indexOf(li.getAttribute("data-stage"));
      li.classList.toggle("done", i < at || name === "completed" && i === at);
      li.classList.toggle("active", i === at && name !== "completed");
      if (i === at) li.setAttribute("aria-current", "step"); else li.removeAttribute("aria-current");
    });
  }

  function follow(id) {
    var report = "/verifications/" + id + "/";
    window.Lumethic.request("GET", "/v1/verifications/" + id).then(function (v) {
      if (v.status === "completed" || v.status === "failed") {
        stage("completed");
        statusText.textContent = "Done. Opening the report…";
        window.location.assign(report);
        return;
      }
      stage(v.status === "in_progress" ? "in_progress" : "queued");
      statusText.textContent = v.status === "in_progress"
        ? "Analysing: aligning the RAW, fitting your edits and looking for local changes…"
        : "Uploaded. Waiting for a worker to start the analysis…";
      setTimeout(function () { follow(id); }, 1000);
    }, function (err) {
      statusText.innerHTML = "";
      statusText.appendChild(document.createTextNode(err.message + " "));
      var a = document.createElement("a"); a.href = report; a.textContent = "Open the report";
      statusText.appendChild(a);
    });
  }

  function send() {
    var data = new FormData();
    data.append("raw", chosen.raw, chosen.raw.name);
    data.append("image", chosen.image, chosen.image.name);
    var xhr = new XMLHttpRequest();
    xhr.open("POST", form.getAttribute("data-api"));
    xhr.setRequestHeader("X-CSRFToken", window.Lumethic.csrfToken());
    xhr.setRequestHeader("Accept", "application/json");
    xhr.upload.addEventListener("progress", function (e) {
      if (!e.lengthComputable) return;
      var p = Math.round(e.loaded / e.total * 100);
      progress.value = p; percent.textContent = p + " %";
    });
    xhr.addEventListener("load", function () {
      var body = null;
      try { body = JSON.parse(xhr.responseText); } catch (e) { body = null; }
      if (xhr.status === 201 && body && body.id) {
        progress.value = 100; percent.textContent = "100 %";
        stage("queued");
        statusText.textContent = "Uploaded. Waiting for a worker to start the analysis…";
        follow(body.id);
        return;
      }
      panel.hidden = true; form.hidden = false; submit.disabled = false;
      var msg = window.Lumethic.errorText(xhr.status, body);
      if (xhr.status === 402) msg = (body && body.detail) || "This month's verifications are used up.";
      showErrors([msg], xhr.status === 402);
      errorsBox.focus();
    });
    xhr.addEventListener("error", function () {
      panel.hidden = true; form.hidden = false; submit.disabled = false;
      showErrors(["The upload was interrupted. Check your connection and try again."]);
    });
    panel.hidden = false; form.hidden = true; submit.disabled = true;
    progress.value = 0; percent.textContent = "0 %";
    stage("upload");
    statusText.textContent = "Uploading " + chosen.raw.name + " and " + chosen.image.name + "…";
    xhr.send(data);
  }

  document.getElementById("id_files").addEventListener("change", function (e) { accept(e.target.files); e.target.value = ""; });
  ["raw", "image"].forEach(function (which) {
    document.getElementById("id_" + which).addEventListener("change", function (e) {
      if (!e.target.files.length) return;
      var misplaced = kind(e.target.files[0]) !== which;
      accept(e.target.files);
      // A JPEG picked in the RAW slot (or the reverse) moved to its own slot.
      if (misplaced) e.target.value = "";
    });
  });
  ["dragenter", "dragover"].forEach(function (type) {
    form.addEventListener(type, function (e) { e.preventDefault(); dropzone.classList.add("dragover"); });
  });
  ["dragleave", "drop"].forEach(function (type) {
    form.addEventListener(type, function (e) { e.preventDefault(); dropzone.classList.remove("dragover"); });
  });
  form.addEventListener("drop", function (e) { if (e.dataTransfer) accept(e.dataTransfer.files); });
  form.addEventListener("submit", function (e) {
    e.preventDefault();
    var problems = check();
    if (problems.length) { showErrors(problems); return; }
    showErrors([]);
    send();
  });
  errorsBox.setAttribute("tabindex", "-1");
})();

// Share page: the JPEG / RAW comparison slider. Without JS the divider stays at 50 %.
(function () {
  "use strict";
  document.querySelectorAll("[data-compare]").forEach(function (box) {
    var range = box.querySelector(".sh-compare-range");
    if (!range) return;
    var update = function () { box.style.setProperty("--pos", range.value + "%"); };
    range.addEventListener("input", update);
    update();
  });
})();

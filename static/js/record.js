// The record page: each man's collapsed row says what Save will store, and warns when he
// is marked absent with check-in answers (the server refuses that row; this says so first).
// The page works without it.
(function () {
  "use strict";
  var form = document.querySelector("form[data-record]");
  if (!form) return;
  var text = form.dataset;
  var ATTENDED = ["present", "late"];

  function labelOf(input) {
    var label = input && form.querySelector('label[for="' + input.id + '"]');
    return label ? label.textContent.trim() : "";
  }

  function checked(row, name) {
    return row.querySelector('input[name$="-' + name + '"]:checked');
  }

  function update(row) {
    var status = checked(row, "status");
    var attended = status && ATTENDED.indexOf(status.value) >= 0;
    var violence = checked(row, "violence");
    var kinds = Array.prototype.map.call(row.querySelectorAll('input[name$="-kinds"]:checked'), labelOf);
    var reflection = row.querySelector('textarea[name$="-reflection"]');
    var boxes = row.querySelectorAll('input[type="checkbox"]:not([name$="-kinds"]):checked');
    var parts = [labelOf(status)];
    if (attended) {
      if (!violence || violence.value === "no") parts.push(text.noViolence);
      else if (violence.value === "yes") parts.push(text.violence + " " + (kinds.join(", ") || "?"));
      else parts.push(labelOf(violence));
      if (row.querySelector('input[name$="-safety_flag"]:checked')) parts.push(text.safetyConcern);
    } else {
      parts.push(text.noCheckIn);
    }
    var summary = row.querySelector(".will-save");
    if (summary) summary.textContent = parts.filter(Boolean).join(" · ");
    var answered = (violence && violence.value !== "no") || kinds.length > 0 ||
      (reflection && reflection.value.trim() !== "") || boxes.length > 0;
    var warning = row.querySelector(".absent-warning");
    if (warning) warning.hidden = !status || attended || !answered;
  }

  form.addEventListener("input", function (event) {
    var row = event.target.closest(".record-row");
    if (row) update(row);
  });
})();

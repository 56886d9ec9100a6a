// Progressive enhancement of filter forms marked data-follow: changing a select named in
// data-follow (e.g. "unit centre") empties the selects that depend on it (data-clears) and
// shows the result at once, so the counter list follows the centre. Without JavaScript the
// form's own button does the same.
(function () {
  "use strict";
  document.querySelectorAll("form[data-follow]").forEach(function (form) {
    var names = form.getAttribute("data-follow").split(" ");
    names.forEach(function (name) {
      var field = form.elements[name];
      if (!field) { return; }
      field.addEventListener("change", function () {
        (field.getAttribute("data-clears") || "").split(" ").forEach(function (other) {
          if (other && form.elements[other]) { form.elements[other].value = ""; }
        });
        if (form.requestSubmit) { form.requestSubmit(); } else { form.submit(); }
      });
    });
  });
})();

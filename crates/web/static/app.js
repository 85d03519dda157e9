// The pages' few behaviours, served from this site so the Content-Security-Policy can say
// `script-src 'self'`. Every page works without them; each one starts only where its element is.
(function () {
  "use strict";

  // "全选本页": a checkbox with data-ticks="NAME" ticks or clears every checkbox named NAME.
  document.querySelectorAll("input[type=checkbox][data-ticks]").forEach(function (all) {
    var name = all.getAttribute("data-ticks");
    all.addEventListener("change", function () {
      document.querySelectorAll('input[type=checkbox][name="' + name + '"]').forEach(function (c) {
        c.checked = all.checked;
      });
    });
  });
})();

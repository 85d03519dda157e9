// The pages' few behaviours, served from this site so the Content-Security-Policy can say
// `script-src 'self'` (no inline script anywhere). Every page works without them; each one
// starts only where its element is.
(function () {
  "use strict";

  function byId(id) { return document.getElementById(id); }

  // "全选本页": a checkbox with data-ticks="NAME" ticks or clears every checkbox named NAME.
  document.querySelectorAll("input[type=checkbox][data-ticks]").forEach(function (all) {
    var name = all.getAttribute("data-ticks");
    all.addEventListener("change", function () {
      document.querySelectorAll('input[type=checkbox][name="' + name + '"]').forEach(function (c) {
        c.checked = all.checked;
      });
    });
  });

  // Printed forms (transfer letter, floating notice and application): the 打印 button.
  var print = byId("print-button");
  if (print) {
    print.addEventListener("click", function () { window.print(); });
  }

  // A meeting record: 「全部出席」 ticks every member of the roster.
  var allPresent = byId("all-present");
  if (allPresent) {
    allPresent.addEventListener("click", function () {
      document.querySelectorAll('#roster input[name="present"]').forEach(function (c) { c.checked = true; });
    });
  }

  // A one-time code: the 复制 button (the clipboard where the browser allows it, else the code
  // is selected for Ctrl+C / a long press).
  var copy = byId("copy-code");
  var code = byId("code-value");
  if (copy && code) {
    var status = byId("copy-status");
    var selectCode = function () {
      var range = document.createRange();
      range.selectNodeContents(code);
      var sel = window.getSelection();
      sel.removeAllRanges();
      sel.addRange(range);
    };
    var fallback = function () {
      selectCode();
      var copied = false;
      try { copied = document.execCommand("copy"); } catch (e) { copied = false; }
      status.textContent = copied ? "已复制" : "已选中，请按 Ctrl+C 复制（手机上长按选择“复制”）";
    };
    copy.hidden = false;
    copy.addEventListener("click", function () {
      var text = code.textContent.trim();
      if (navigator.clipboard && window.isSecureContext) {
        navigator.clipboard.writeText(text).then(function () {
          selectCode();
          status.textContent = "已复制";
        }, fallback);
      } else {
        fallback();
      }
    });
  }

  // The import form: a progress key for this upload, then the server's progress while the
  // report is on its way.
  var importForm = byId("import-form");
  if (importForm) {
    importForm.addEventListener("submit", function () {
      var bytes = new Uint8Array(16);
      crypto.getRandomValues(bytes);
      var key = Array.prototype.map.call(bytes, function (b) { return ("0" + b.toString(16)).slice(-2); }).join("");
      byId("progress-key").value = key;
      byId("import-progress").hidden = false;
      byId("start-import").disabled = true;
      var bar = byId("import-bar"), text = byId("import-progress-text");
      // The page stays until the report arrives; meanwhile ask how far the server has got.
      setInterval(function () {
        fetch("/api/v1/imports/progress/" + key, { credentials: "same-origin" })
          .then(function (r) { return r.ok ? r.json() : null; })
          .then(function (p) {
            if (!p) { return; }
            var pct = Math.round(p.fraction * 100);
            bar.value = pct;
            text.textContent = "已读取 " + pct + "%，已检查 " + p.rows.toLocaleString("zh-CN") + " 行……";
          })
          .catch(function () {});
      }, 700);
    });
  }
})();

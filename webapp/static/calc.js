/* Calculated items in our expression language, computed live as the relative types; the
   server computes them again on every save. Loaded only on pages with such an item, after
   app.js (whose parser it uses). Each value is mirrored into a disabled input, so that a
   show_if on the same page sees it; disabled inputs are never sent. No eval. */
(function () {
  "use strict";
  var fe = window.fe, form = document.getElementById("answers");
  if (!fe || !form) { return; }
  function isNum(x) { return typeof x === "number" && isFinite(x); }
  fe.FN.round = function (x, n) {  /* half away from zero, as the server */
    n = n === undefined ? 0 : n;
    if (!isNum(x) || !isNum(n) || n !== Math.floor(n) || n < 0 || n > 10) { return null; }
    var f = Math.pow(10, n), r = Math.round(Math.abs(x) * f + 1e-9) / f;
    return x < 0 ? -r : r;
  };
  var outside = JSON.parse(form.getAttribute("data-answers") || "{}");
  function valueOf(name) {
    var els = form.querySelectorAll("[name='" + name.split(".").join("-").replace(/'/g, "") + "']"), out = [], k, el;
    if (!els.length) { return outside[name] === undefined ? null : outside[name]; }
    for (k = 0; k < els.length; k++) {
      el = els[k];
      var box = el.closest("[data-item]");
      if (box && box.hidden) { return null; }
      if (el.type === "radio") { if (el.checked) { return el.value; } }
      else if (el.type === "checkbox") { if (el.checked) { out.push(el.value); } }
      else if (el.type === "number") { return el.value === "" ? null : parseFloat(el.value.replace(",", ".")); }
      else { return el.value === "" ? null : el.value; }
    }
    return els[0].type === "checkbox" ? (out.length ? out : null) : null;
  }
  var lang = document.documentElement.lang || "nb", calcs = [];
  [].forEach.call(form.querySelectorAll("output[data-calc]"), function (el) {
    try { calcs.push([el, fe.parse(el.getAttribute("data-calc"))]); } catch (e) { return; }
    var note = document.getElementById(el.id + "-note");
    if (note) { note.textContent = note.getAttribute("data-live-note"); }
  });
  if (!calcs.length) { return; }
  function calculate() {
    var changed = false;
    calcs.forEach(function (c) {
      var el = c[0], v = c[1](valueOf), unit = el.getAttribute("data-unit"), text = null;
      if (el.getAttribute("data-type") === "number") {
        v = !isNum(v) ? null : el.getAttribute("data-integer") === "1" ? Math.round(v) : v;
        if (v !== null) { text = v.toLocaleString(lang, { maximumFractionDigits: 3 }) + (unit ? " " + unit : ""); }
      } else if (typeof v === "string" || isNum(v)) { text = String(v); }
      var mirror = form.querySelector("input[data-mirror='" + el.id + "']");
      if (mirror) { mirror.value = text === null ? "" : String(v); }
      text = text === null ? el.getAttribute("data-empty") : text;
      if (el.textContent !== text) { el.textContent = text; changed = true; }
    });
    return changed;
  }
  var busy = false;
  function update() {
    if (busy || !calculate()) { return; }
    busy = true;  // let app.js evaluate the conditions again with the new values
    form.dispatchEvent(new Event("change"));
    busy = false;
  }
  form.addEventListener("input", update);
  form.addEventListener("change", update);
  update();
})();

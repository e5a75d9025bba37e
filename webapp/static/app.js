/* Progressive enhancement: show/hide questions live from data-show-if (the server decides
   again on every save), focus an error summary. No eval. */
(function () {
  "use strict";
  var form = document.getElementById("answers");
  var summary = document.querySelector("[data-focus]");
  if (summary) { summary.focus(); }
  if (!form || !document.querySelectorAll) { return; }

  var TOKEN = /\s*(?:(\d+(?:\.\d*)?)|([A-Za-z_][\w]*(?:\.\w+)*)|'((?:[^'\\]|\\.)*)'|"((?:[^"\\]|\\.)*)"|(==|!=|<=|>=|[<>+\-*\/()\[\],]))/y;
  function tokenize(src) {
    var out = [], m;
    TOKEN.lastIndex = 0;
    while (TOKEN.lastIndex < src.length) {
      if (/^\s*$/.test(src.slice(TOKEN.lastIndex))) { break; }
      m = TOKEN.exec(src);
      if (!m) { throw 0; }
      if (m[1]) { out.push(["v", parseFloat(m[1])]); }
      else if (m[2]) { out.push(["w", m[2]]); }
      else if (m[3] !== undefined || m[4] !== undefined) { out.push(["v", (m[3] !== undefined ? m[3] : m[4]).replace(/\\(.)/g, "$1")]); }
      else { out.push(["o", m[5]]); }
    }
    return out;
  }
  function isNum(x) { return typeof x === "number"; }
  function eq(a, b) {
    if (a === null || b === null) { return a === b; }
    if (Array.isArray(a) && Array.isArray(b)) { return JSON.stringify(a) === JSON.stringify(b); }
    return a === b;
  }
  function has(x, y) {
    if (x === null || y === null) { return false; }
    if (Array.isArray(y)) { return y.some(function (v) { return eq(v, x); }); }
    return typeof y === "string" && typeof x === "string" && y.indexOf(x) >= 0;
  }
  function truthy(x) { return !(x === null || x === false || x === 0 || x === "" || (Array.isArray(x) && !x.length)); }
  var FN = {
    count: function (x) { return x === null ? 0 : (x.length || 0); },
    answered: function (x) { return truthy(x) || x === 0 || x === false; },
    sum: function (x) { return Array.isArray(x) ? x.filter(isNum).reduce(function (a, b) { return a + b; }, 0) : null; },
    min: function () { var v = [].filter.call(arguments, isNum); return v.length ? Math.min.apply(null, v) : null; },
    max: function () { var v = [].filter.call(arguments, isNum); return v.length ? Math.max.apply(null, v) : null; }
  };
  function parse(src) {
    var t = tokenize(src), i = 0;
    function peek(v) { return t[i] && (t[i][0] === "o" || t[i][0] === "w") && t[i][1] === v; }
    function take(v) { if (!peek(v)) { throw 0; } i++; }
    function binary(next, ops, apply) {
      return function () {
        var left = next(), op;
        while (t[i] && ops.indexOf(t[i][1]) >= 0 && t[i][0] !== "v") {
          op = t[i++][1];
          left = apply(op, left, next());
        }
        return left;
      };
    }
    var orExpr = binary(function () { return andExpr(); }, ["or"], function (op, a, b) { return function (r) { return truthy(a(r)) || truthy(b(r)); }; });
    var andExpr = binary(notExpr, ["and"], function (op, a, b) { return function (r) { return truthy(a(r)) && truthy(b(r)); }; });
    function notExpr() {
      if (peek("not")) { i++; var e = notExpr(); return function (r) { return !truthy(e(r)); }; }
      return compare();
    }
    function compare() {
      var a = sum(), op = t[i] && t[i][0] !== "v" ? t[i][1] : null, b;
      if (op === "not" && t[i + 1] && t[i + 1][1] === "in") { i += 2; b = sum(); return function (r) { return !has(a(r), b(r)); }; }
      if (["==", "!=", "<", "<=", ">", ">=", "in"].indexOf(op) < 0) { return a; }
      i++; b = sum();
      return function (r) {
        var x = a(r), y = b(r);
        if (op === "==") { return eq(x, y); }
        if (op === "!=") { return !eq(x, y); }
        if (op === "in") { return has(x, y); }
        if (!(isNum(x) && isNum(y)) && !(typeof x === "string" && typeof y === "string")) { return false; }
        return op === "<" ? x < y : op === "<=" ? x <= y : op === ">" ? x > y : x >= y;
      };
    }
    function arith(op, a, b) {
      return function (r) {
        var x = a(r), y = b(r);
        if (!isNum(x) || !isNum(y)) { return null; }
        return op === "+" ? x + y : op === "-" ? x - y : op === "*" ? x * y : (y ? x / y : null);
      };
    }
    var sum = binary(function () { return product(); }, ["+", "-"], arith);
    var product = binary(unary, ["*", "/"], arith);
    function unary() {
      if (peek("-")) { i++; var e = unary(); return function (r) { var v = e(r); return isNum(v) ? -v : null; }; }
      return primary();
    }
    function list(close) {
      var items = [];
      if (!peek(close)) { do { items.push(orExpr()); } while (peek(",") && ++i); }
      take(close);
      return items;
    }
    function primary() {
      var tok = t[i++], items, name;
      if (!tok) { throw 0; }
      if (tok[0] === "v") { return function () { return tok[1]; }; }
      if (tok[1] === "(") { var e = orExpr(); take(")"); return e; }
      if (tok[1] === "[") { items = list("]"); return function (r) { return items.map(function (f) { return f(r); }); }; }
      if (tok[0] !== "w") { throw 0; }
      name = tok[1];
      if (name === "true" || name === "false" || name === "null") { return function () { return name === "true" ? true : name === "false" ? false : null; }; }
      if (peek("(")) {
        if (!FN[name]) { throw 0; }
        i++; items = list(")");
        return function (r) { return FN[name].apply(null, items.map(function (f) { return f(r); })); };
      }
      return function (r) { return r(name); };
    }
    var root = orExpr();
    if (i < t.length) { throw 0; }
    return root;
  }

  function valueOf(name) {
    var els = form.querySelectorAll("[name='" + name.replace(/'/g, "") + "']"), out = [], el, k;
    if (!els.length) { return undefined; }
    for (k = 0; k < els.length; k++) {
      el = els[k];
      if (off(el)) { return null; }
      if (el.type === "radio") { if (el.checked) { return el.value; } }
      else if (el.type === "checkbox") { if (el.checked) { out.push(el.value); } }
      else if (el.type === "number") { return el.value === "" ? null : parseFloat(el.value.replace(",", ".")); }
      else { return el.value === "" ? null : el.value; }
    }
    return els[0].type === "checkbox" ? (out.length ? out : null) : null;
  }
  var outside = JSON.parse(form.getAttribute("data-answers") || "{}");
  /* hidden, or inside something hidden; a calculated value's mirror input is hidden itself */
  function off(el) { return (el.hasAttribute("data-mirror") ? el.parentElement : el).closest("[hidden]"); }
  function resolver(pre) {
    return function (name) {
      var v, k, n, a = pre.concat("");
      for (k = 0; v === undefined && k < a.length; k++) {
        n = a[k] + name;
        v = valueOf(n.replace(/\./g, "-"));
        if (v === undefined && name.indexOf(".") < 0) {
          n = [].filter.call(form.querySelectorAll("[data-entry]"), function (e) { return e.getAttribute("data-entry").replace(/\d+-$/, "") === n + "-"; });
          if (n.length) { return n; }
        }
      }
      if (v === undefined) { v = outside[name]; }  // answered on another page
      return v === undefined ? null : v;
    };
  }
  function pre(e) {
    for (var out = []; (e = e.parentElement.closest("[data-entry]")); ) { out.push(e.getAttribute("data-entry")); }
    return out;
  }

  window.fe = {parse: parse, FN: FN};
  var rules = [];
  [].forEach.call(form.querySelectorAll("[data-show-if]"), function (el) {
    try { rules.push([el, parse(el.getAttribute("data-show-if"))]); } catch (e) { /* leave it to the server */ }
  });
  var shown = form.querySelector("[name=_shown]"), seen = form.querySelector("[name=_safety_seen]");
  function update() {
    for (var pass = 0; pass < 3; pass++) {
      rules.forEach(function (rule) {
        rule[0].hidden = !truthy(rule[1](resolver(pre(rule[0]))));
      });
    }
    if (shown) {
      shown.value = [].filter.call(form.querySelectorAll("[data-item]"), function (e) { return !off(e); }).map(function (e) {
        return (pre(e)[0] || "") + e.getAttribute("data-item");
      }).join(",");
    }
    /* the live safety box is showing: the server need not show it again on the next page */
    if (seen) { seen.value = [].some.call(form.querySelectorAll(".safety"), function (b) { return !off(b); }) ? "1" : ""; }
  }
  /* An exclusive option ("none of these") is ticked alone: ticking it unticks the others, and
     ticking another unticks it (registered before update, which then closes what they opened). */
  form.addEventListener("change", function (e) {
    var el = e.target, x = el.hasAttribute("data-exclusive");
    if (el.type !== "checkbox" || !el.checked) { return; }
    [].forEach.call(form.querySelectorAll("[name='" + el.name + "']"), function (o) {
      if (o !== el && (x || o.hasAttribute("data-exclusive"))) { o.checked = false; }
    });
  });
  if (rules.length) {
    form.addEventListener("change", update);
    form.addEventListener("input", update);
    update();
  }

  /* Text counters: over the limit they say so. */
  [].forEach.call(form.querySelectorAll("[data-counter]"), function (c) {
    var at = function (n) { return c.getAttribute("data-" + n); };
    var input = document.getElementById(at("counter")), max = +at("max"), timer;
    if (!input) { return; }
    c.setAttribute("aria-live", "polite");
    input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(function () {
        var n = input.value.length, over = n > max;
        c.textContent = over ? at("text-over").replace("{over}", n - max)
          : at("text-of").replace("{count}", n).replace("{max}", max);
        c.classList.toggle("counter--over", over);
      }, 400);
    });
  });
}());

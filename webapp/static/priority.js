/* Priorities in tap order fill the rank boxes (loaded only on a page with a priority question).
   Without JavaScript the relative numbers the choices; the server checks the numbers. */
(function () {
  "use strict";
  var form = document.getElementById("answers");
  if (!form || !document.querySelectorAll) { return; }

  [].forEach.call(form.querySelectorAll("[data-priority]"), function (box) {
    var max = +box.getAttribute("data-max");
    var status = box.querySelector("[data-rank-status]"), how = box.querySelector("[data-js-text]");
    var full = box.querySelector("[data-rank-full]");  /* a refused tap says why, under the option tapped */
    var rows = [].map.call(box.querySelectorAll(".choice--rank"), function (row) {
      var q = function (s) { return row.querySelector(s); };
      return {check: q("input"), select: q("select"), rankLabel: q("label[for$='-rank']"), badge: q("[data-rank-badge]"), label: q("label").firstChild.textContent};
    });
    var order = rows.filter(function (r) { return r.check.checked; }).sort(function (a, b) {
      return (+a.select.value || 99) - (+b.select.value || 99);
    });
    if (how) { how.textContent = how.getAttribute("data-js-text"); }
    function draw() {
      rows.forEach(function (r) {
        var n = order.indexOf(r) + 1;
        r.select.value = r.badge.textContent = n ? String(n) : "";
        r.badge.hidden = !n;
      });
    }
    rows.forEach(function (r) {
      r.select.hidden = true;
      if (r.rankLabel) { r.rankLabel.hidden = true; }  /* the label of a box no longer shown */
      r.check.addEventListener("change", function () {
        var at = order.indexOf(r);
        if (full) { full.hidden = true; }
        if (r.check.checked && at < 0) {
          if (order.length >= max) {
            r.check.checked = false;
            if (full) { r.check.parentNode.after(full); full.hidden = false; }
            status.textContent = full ? full.textContent : (how ? how.textContent : "");
            return;
          }
          order.push(r);
        } else if (!r.check.checked && at >= 0) {
          order.splice(at, 1);
        }
        draw();
        status.textContent = order.map(function (o, i) { return (i + 1) + ". " + o.label; }).join(", ");
      });
    });
    draw();
  });
}());

/* The form editor: line numbers beside the text, and "go to line" links that put the cursor on
   an error's line. Without JavaScript the numbers are still there (drawn by the server for the
   text as sent) and the links lead to the text box. */
(function () {
  "use strict";
  var text = document.querySelector("textarea[data-editor]");
  var gutter = document.getElementById("editor-gutter");
  if (!text || !gutter) { return; }

  function lineCount() { return text.value.split("\n").length; }

  function draw() {
    var n = Math.max(lineCount(), 1), out = [];
    for (var i = 1; i <= n; i++) { out.push(i); }
    gutter.textContent = out.join("\n") + "\n";
    gutter.scrollTop = text.scrollTop;
  }

  function goTo(line) {
    var lines = text.value.split("\n");
    line = Math.min(Math.max(line, 1), lines.length);
    var start = 0;
    for (var i = 0; i < line - 1; i++) { start += lines[i].length + 1; }
    var end = start + lines[line - 1].length;
    var height = parseFloat(window.getComputedStyle(text).lineHeight) || 20;
    text.focus();
    text.setSelectionRange(start, end);
    text.scrollTop = Math.max((line - 4) * height, 0);
    gutter.scrollTop = text.scrollTop;
    text.setAttribute("data-line", String(line));
  }

  text.addEventListener("input", draw);
  text.addEventListener("scroll", function () { gutter.scrollTop = text.scrollTop; });
  document.addEventListener("click", function (event) {
    var link = event.target.closest ? event.target.closest("a[data-line]") : null;
    if (!link) { return; }
    event.preventDefault();
    text.scrollIntoView({block: "start"});
    goTo(parseInt(link.getAttribute("data-line"), 10));
  });
  draw();
}());

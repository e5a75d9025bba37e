"""The in-page scripts of ``bench/independent_walk.py``: answer a page, measure it, leave a page that is not a form page."""

# One pass over the form: answer what is visible and unanswered; return how many groups it touched.
ANSWER_PASS = r"""
() => {
  const form = document.getElementById("answers");
  if (!form) { return 0; }
  const vis = (el) => el.checkVisibility();
  const groups = (selector) => {
    const out = new Map();
    for (const el of form.querySelectorAll(selector)) {
      if (el.name === "_co" || !vis(el)) { continue; }
      if (!out.has(el.name)) { out.set(el.name, []); }
      out.get(el.name).push(el);
    }
    return out;
  };
  let acted = 0;
  for (const [, radios] of groups('input[type="radio"]')) {
    if (!radios.some((r) => r.checked)) { radios[0].click(); acted++; }
  }
  for (const [, boxes] of groups('input[type="checkbox"]')) {
    if (boxes.some((b) => b.checked)) { continue; }
    const perGroup = new Map();
    for (const b of boxes) {
      const g = b.closest("fieldset.option-group");
      if (!perGroup.has(g)) { perGroup.set(g, []); }
      perGroup.get(g).push(b);
    }
    const limit = parseInt((boxes[0].closest("[data-max]") || {dataset: {}}).dataset.max || "99", 10);
    let ticked = 0;
    for (const [, members] of perGroup) {
      for (const b of members.slice(0, 3)) {
        if (ticked < limit) { b.click(); ticked++; }
      }
    }
    acted++;
  }
  for (const el of form.querySelectorAll('input[type="number"], input[type="date"]')) {
    if (vis(el) && el.required && !el.value) {
      el.value = el.type === "date" ? new Date().toISOString().slice(0, 10) : (el.min || "1");
      el.dispatchEvent(new Event("input", {bubbles: true}));
      el.dispatchEvent(new Event("change", {bubbles: true}));
      acted++;
    }
  }
  return acted;
}
"""

MEASURE = r"""
() => {
  const main = document.querySelector("main") || document.body;
  const vis = (el) => el.checkVisibility();
  const names = new Set();
  let answers = 0;
  for (const el of main.querySelectorAll("input, textarea, select")) {
    if (!vis(el) || el.type === "hidden" || el.type === "submit" || el.type === "button") { continue; }
    if (el.name === "_co" || el.name === "csrf_token") { continue; }
    if (el.tagName === "SELECT" && el.classList.contains("rank")) { continue; }
    if (el.type === "radio" || el.type === "checkbox") {
      if (!names.has(el.name)) { names.add(el.name); answers++; }
      continue;
    }
    answers++;
  }
  const text = main.innerText || "";
  const errors = [...document.querySelectorAll(".error-summary li, .error-message")]
    .filter(vis).map((e) => e.innerText.trim());
  return {
    height: document.documentElement.scrollHeight,
    answers: answers,
    words: text.split(/\s+/).filter(Boolean).length,
    title: (document.querySelector("h1") || {innerText: ""}).innerText.trim(),
    progress: (document.getElementById("progress") || {innerText: ""}).innerText.trim(),
    errors: errors,
  };
}
"""

# The main button of a page that is not a form page (intro, choose a municipality, contact).
OTHER_PAGE = r"""
() => {
  const main = document.querySelector("main");
  const form = main && [...main.querySelectorAll("form")].find((f) => f.method.toLowerCase() === "post"
      && f.querySelector('button[type="submit"], button:not([type])'));
  if (!form) { return false; }
  const seen = new Set();
  for (const r of form.querySelectorAll('input[type="radio"]')) {
    if (seen.has(r.name)) { continue; }
    seen.add(r.name);
    const group = [...form.querySelectorAll('input[type="radio"]')].filter((x) => x.name === r.name);
    if (!group.some((x) => x.checked)) { group[0].click(); }
  }
  return true;
}
"""

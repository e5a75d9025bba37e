"""Burden bench: scripted relatives walk the national assessment in Chromium at 390×844.

``python bench/burden.py`` walks the newest active ``parorende-kartlegging`` and 1.1.0 in the
same run, with JavaScript on, as a relative on a phone would: from the invitation link through
the intro, every page ("Save and continue") to the summary. Personas:

* ``light``: a light case: two tasks, little strain, no children, no fear of harm, opens no
  branch it can avoid (an unscored yes/no is answered "no"), writes one sentence in the first
  free-text box;
* ``heavy``: one person, six tasks (one from each task group in turn), high strain (every
  strain area ticked, every rating at its highest), a child
  (every question about children is answered yes, with one child entered), three free texts;
* ``everything``: ticks every box, opens every branch, one entry in every repeat group,
  writes in every text box;
* ``first-option``: the independent walk: every question answered with its first option and
  three boxes ticked per group (per option group where the form has them), no free text.

For each it prints pages, answers shown (questions on screen: a matrix row or a card cell is
one), phone screens (page height / 844, summed over pages), words shown (``main``, hidden text
excluded), and estimated minutes (200 words a minute plus 6 s per answer shown); the summary
page's screens and words and the intro's are printed beside them. Nothing here is a test:
figures are printed, never asserted (``tests/webapp/test_burden_bench.py`` walks a tiny form
to prove the walk works).
"""

from __future__ import annotations

import argparse
import math
import re
import sys
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

FORM = "parorende-kartlegging"
BASELINE = "1.1.0"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]
VIEWPORT = {"width": 390, "height": 844}
WORDS_PER_MINUTE = 200
SECONDS_PER_ANSWER = 6
CHILD = re.compile(r"child|children|barn|minor_sib|siblings", re.I)
SENTENCE = "Det er tungt å få alt til å gå i hop, og jeg er redd for hva som skjer om jeg blir syk."

# What a page shows: the visible answerable controls, grouped by name (JavaScript in the page).
SNAPSHOT = """() => {
  const form = document.getElementById('answers');
  const out = {};
  if (!form) { return out; }
  for (const el of form.querySelectorAll('input, select, textarea')) {
    if (!el.name || el.name.startsWith('_') || el.name === 'csrf_token' || el.type === 'hidden') continue;
    if (el.closest('[hidden]') || el.name.includes('-rank-')) continue;
    const kind = el.tagName === 'INPUT' ? el.type : el.tagName.toLowerCase();
    const group = out[el.name] || (out[el.name] = {kind: kind, values: [], checked: []});
    if (kind === 'radio' || kind === 'checkbox') {
      group.values.push(el.value);
      if (el.checked) group.checked.push(el.value);
    } else if (el.value) { group.checked.push(el.value); }
  }
  return out;
}"""
APPLY = """(actions) => {
  const form = document.getElementById('answers');
  for (const [name, kind, values] of actions) {
    const sel = '[name="' + CSS.escape(name) + '"]';
    if (kind === 'radio' || kind === 'checkbox') {
      for (const v of values) {
        const el = form.querySelector(sel + '[value="' + CSS.escape(v) + '"]');
        if (el && !el.checked) { el.checked = true; el.dispatchEvent(new Event('change', {bubbles: true})); }
      }
    } else {
      const el = form.querySelector(sel);
      if (el) { el.value = values[0]; el.dispatchEvent(new Event('input', {bubbles: true}));
                el.dispatchEvent(new Event('change', {bubbles: true})); }
    }
  }
}"""
MEASURE = r"""() => {
  const main = document.querySelector('main');
  const words = (main.innerText.match(/[\p{L}\p{N}]+(?:[-'’][\p{L}\p{N}]+)*/gu) || []).length;
  return {height: Math.max(document.documentElement.scrollHeight, document.body.scrollHeight), words: words};
}"""


# --------------------------------------------------------------------------- what a question is


@dataclass
class Question:
    """One group of controls on a page, resolved against the definition."""

    name: str
    kind: str  # radio | checkbox | text | textarea | number | date | select-one
    values: list[str]
    item: Any  # the top-level item
    asked: Any  # the item or column whose options these are (a repeat child, a card column)
    opening: set[str]  # values that open another question or page

    @property
    def scores(self) -> dict[str, float]:
        return {o.value: o.score for o in getattr(self.asked, "options", ()) or () if o.score is not None}

    def lowest(self) -> str:
        scores = self.scores
        scored = [v for v in self.values if v in scores]
        return min(scored, key=lambda v: scores[v]) if scored else self.values[0]

    def highest(self) -> str:
        scores = self.scores
        scored = [v for v in self.values if v in scores]
        return max(scored, key=lambda v: scores[v]) if scored else self.values[0]

    def closed(self) -> str:
        """The first value that opens nothing (else the first)."""
        return next((v for v in self.values if v not in self.opening), self.values[0])

    def combinable(self) -> list[str]:
        """The values that may be ticked together: not an exclusive "none of these" option."""
        options = {o.value: o for o in getattr(self.asked, "options", ()) or ()}
        return [v for v in self.values if not getattr(options.get(v), "exclusive", False)]

    def groups(self) -> list[list[str]]:
        """The combinable options by option group (one group when the item declares none)."""
        by_group: dict[str, list[str]] = {}
        options = {o.value: o for o in getattr(self.asked, "options", ()) or ()}
        for value in self.combinable():
            key = str(getattr(options.get(value), "group", None) or "")
            by_group.setdefault(key, []).append(value)
        return list(by_group.values())

    @property
    def limit(self) -> int:
        most = getattr(self.asked, "max_choices", None)
        if getattr(self.asked, "type", "") == "priority":
            return most or 3
        return most or len(self.values)


def round_robin(groups: list[list[str]], count: int) -> list[str]:
    """``count`` values taking one from each group in turn (six tasks from different groups)."""
    out: list[str] = []
    for depth in range(max((len(g) for g in groups), default=0)):
        for group in groups:
            if depth < len(group) and len(out) < count:
                out.append(group[depth])
    return out


# --------------------------------------------------------------------------- personas


@dataclass
class Persona:
    name: str
    description: str
    answer: Callable[[Question, dict], list[str]]
    entries: Callable[[Any], int]  # entries to add to a repeat group


def _is_child(question: Question) -> bool:
    return bool(CHILD.search(question.item.id) or CHILD.search(question.name))


def _texts(question: Question, state: dict, how_many: int) -> list[str]:
    if question.kind not in ("text", "textarea"):
        return []
    state["texts"] = state.get("texts", 0) + 1
    return [SENTENCE[: _max_length(question.asked)]] if state["texts"] <= how_many else []


def _max_length(item: Any) -> int:
    return int(
        getattr(item, "max_length", None) or (4000 if getattr(item, "type", "") == "long_text" else 200)
    )


def _checklist(question: Question, state: dict, count: int, sources: set[str]) -> list[str]:
    if question.item.id in sources:
        return round_robin(question.groups(), min(count, question.limit))
    return question.combinable()[: min(2, question.limit)]


def light(question: Question, state: dict) -> list[str]:
    if question.kind == "radio":
        if question.opening:
            return [question.closed()]
        if not question.scores and "no" in question.values:
            # An unscored yes/no: a light case has no children and fears no harm. Before this,
            # "lowest" fell back to the first option, "Ja", to "Er du redd for at noen kan bli
            # skadet?" and "Har den du hjelper barn under 18 år?", against the description.
            return ["no"]
        return [question.lowest()]
    if question.kind == "checkbox":
        if getattr(question.asked, "type", "") == "priority":
            return question.values[:1]
        return _checklist(question, state, 2, state["sources"])
    return _texts(question, state, 1)


def heavy(question: Question, state: dict) -> list[str]:
    if question.kind == "radio":
        if question.opening:
            if _is_child(question):
                return [sorted(question.opening, key=question.values.index)[0]]
            return [question.closed()]
        return [question.highest()]
    if question.kind == "checkbox":
        if getattr(question.asked, "type", "") == "priority":
            return question.values[: question.limit]
        if _is_child(question):
            return question.values[:1]
        if question.opening and question.item.id not in state["sources"]:
            # a checklist whose ticks open questions ("Hva er tungt for deg nå?"): high strain
            # ticks every area, as the heavy golden answer set does
            return [v for v in question.combinable() if v in question.opening]
        return _checklist(question, state, 6, state["sources"])
    return _texts(question, state, 3)


def everything(question: Question, state: dict) -> list[str]:
    if question.kind == "radio":
        opening = [v for v in question.values if v in question.opening]
        return [opening[0] if opening else question.highest()]
    if question.kind == "checkbox":  # every box that can be ticked with the others
        return question.combinable()[: question.limit]
    if question.kind == "number":
        low = getattr(question.asked, "min", None)
        return [str(int(low) if isinstance(low, (int, float)) and low > 3 else 3)]
    if question.kind == "date":
        return ["2020-02-03"]
    return _texts(question, state, 10_000)


def first_option(question: Question, state: dict) -> list[str]:
    if question.kind == "radio":
        return question.values[:1]
    if question.kind == "checkbox":
        if getattr(question.asked, "type", "") == "priority":
            return question.values[: min(3, question.limit)]
        picked = [v for group in question.groups() for v in group[:3]]
        return picked[: question.limit]
    return []


PERSONAS = [
    Persona("light", "light case: 2 tasks, little strain, no branches", light, lambda item: 0),
    Persona(
        "heavy",
        "heavy case: one person, 6 tasks, high strain, a child",
        heavy,
        lambda item: 1 if CHILD.search(item.id) else 0,
    ),
    Persona("everything", "ticks everything, opens every branch", everything, lambda item: 1),
    Persona("first-option", "first option everywhere, 3 boxes per group", first_option, lambda item: 0),
]


# --------------------------------------------------------------------------- the walk


@dataclass
class Page:
    section: str
    screens: float
    words: int
    answers: int


@dataclass
class Walk:
    version: str
    persona: str
    pages: list[Page] = field(default_factory=list)
    intro: Page | None = None
    review: Page | None = None
    shown: float = 0.0  # formengine.estimate_minutes: what the front page and the intro say

    @property
    def answers(self) -> int:
        return sum(p.answers for p in self.pages)

    @property
    def words(self) -> int:
        return sum(p.words for p in self.pages)

    @property
    def screens(self) -> float:
        return sum(p.screens for p in self.pages)

    @property
    def minutes(self) -> float:
        return self.words / WORDS_PER_MINUTE + self.answers * SECONDS_PER_ANSWER / 60


def opening_values(defn) -> dict[str, set[str]]:
    """For every question a condition compares with a literal: the literals (values that open)."""
    found: dict[str, set[str]] = {}
    expressions = [s.show_if for s in defn.sections]
    for item in defn.iter_items():
        expressions.append(item.show_if)
    for expr in filter(None, expressions):
        if "!=" in expr.source or " not " in f" {expr.source} ":
            continue
        for ref, literal in expr.literal_comparisons():
            values = literal if isinstance(literal, (list, tuple)) else [literal]
            for value in values:
                if isinstance(value, str):
                    found.setdefault(ref.name.replace(".", "-"), set()).add(value)
                    found.setdefault(ref.name.split(".")[0], set()).add(value)
    return found


def resolve(defn, name: str) -> tuple[Any, Any] | None:
    """(top-level item, the item or column whose options the control ``name`` shows)."""
    parts = name.split("-")
    item = defn.items_by_id.get(parts[0])
    if item is None:
        return None
    if item.type == "repeat" and len(parts) >= 3:
        child = next((c for c in item.items if c.id == parts[-1]), None)
        return (item, child) if child is not None else None
    if item.type == "cards" and len(parts) >= 3:
        column = next((c for c in getattr(item, "columns", ()) if c.id == parts[-1]), None)
        return (item, column) if column is not None else None
    return item, item


def checklist_sources(defn) -> set[str]:
    """The checklists task cards are built from (``cards`` with ``rows_from``)."""
    return {str(getattr(i, "rows_from", "")) for i in defn.iter_items() if getattr(i, "rows_from", None)}


def measure_page(page, section: str, answers: int) -> Page:
    found = page.evaluate(MEASURE)
    return Page(section, found["height"] / VIEWPORT["height"], int(found["words"]), answers)


def _section_of(url: str) -> str | None:
    path = url.split("?")[0].split("#")[0]
    return path.rsplit("/del/", 1)[1] if "/del/" in path else None


def answer_page(page, defn, persona: Persona, state: dict, opening: dict[str, set[str]]) -> int:
    """Answer what the persona answers on this page; return the questions shown at the end."""
    done: set[str] = set()
    added: set[str] = set()
    for _pass in range(8):
        shown = page.evaluate(SNAPSHOT)
        actions = []
        for name, group in shown.items():
            if name in done:
                continue
            done.add(name)
            found = resolve(defn, name)
            if found is None:
                continue
            item, asked = found
            question = Question(
                name,
                group["kind"],
                group["values"],
                item,
                asked,
                opening.get(name, set()) | (opening.get(item.id, set()) if item is asked else set()),
            )
            values = persona.answer(question, state)
            if values:
                actions.append([name, group["kind"], values])
        if actions:
            page.evaluate(APPLY, actions)
        grew = _add_entries(page, defn, persona, added)
        if not actions and not grew:
            return len(page.evaluate(SNAPSHOT))
    return len(page.evaluate(SNAPSHOT))


def _add_entries(page, defn, persona: Persona, added: set[str]) -> bool:
    """Press "Add" for repeat groups the persona fills (a page reload, as without JavaScript)."""
    for button in page.locator("button[name='_add']").all():
        group = button.get_attribute("value") or ""
        if group in added or not button.is_visible():
            continue
        added.add(group)
        item = defn.items_by_id.get(group)
        if item is not None and persona.entries(item) > 0:
            button.click()
            page.wait_for_load_state()
            return True
    return False


def walk(browser, base_url: str, token: str, defn, persona: Persona) -> Walk:
    context = browser.new_context(
        viewport=VIEWPORT, locale="nb-NO", extra_http_headers={"Accept-Language": "nb-NO"}
    )
    page = context.new_page()
    try:
        from formengine import estimate_minutes

        result = Walk(defn.version, persona.name, shown=estimate_minutes(defn))
        page.goto(f"{base_url}/r/{token}")
        result.intro = measure_page(page, "intro", 0)
        page.locator("main form button[type=submit]").last.click()
        page.wait_for_load_state()
        state: dict = {"sources": checklist_sources(defn)}
        opening = opening_values(defn)
        visits: dict[str, int] = {}
        while (section := _section_of(page.url)) is not None:
            visits[section] = visits.get(section, 0) + 1
            if visits[section] > 3:
                raise RuntimeError(f"{persona.name}: stuck on {section} ({page.url})")
            answers = answer_page(page, defn, persona, state, opening)
            if visits[section] == 1:
                result.pages.append(measure_page(page, section, answers))
            else:  # shown again (a new question without JavaScript): the last look counts
                result.pages[-1] = measure_page(page, section, answers)
            page.locator("button[name='_nav'][value='next']").click()
            page.wait_for_load_state()
        result.review = measure_page(page, "review", 0)
        return result
    finally:
        context.close()


# --------------------------------------------------------------------------- running it


def invitation(app, defn) -> str:
    from webapp import responses

    with app.app_context():
        return responses.create_response(defn, origin="invite", with_token=True).token


def walk_all(
    versions: list[str] | None = None,
    forms: Path | None = None,
    form_id: str = FORM,
    personas: list[Persona] | None = None,
) -> list[Walk]:
    """Walk ``versions`` (default: the newest active version and 1.1.0) with every persona."""
    from playwright.sync_api import sync_playwright

    import formengine
    from bench.liveserver import LiveServer
    from webapp import create_app

    forms = forms or REPO / "forms"
    registry = formengine.load_registry(forms)
    if versions is None:
        newest = registry.latest_active(form_id)
        versions = list(dict.fromkeys([newest.version, BASELINE]))
    walks: list[Walk] = []
    with tempfile.TemporaryDirectory(prefix="burden-") as tmp:
        url = f"sqlite:///{Path(tmp) / 'burden.sqlite3'}"
        app = create_app(
            {
                "DATABASE_URL": url,
                "FORMS": str(forms),
                "SECRET_KEY": "burden",
                "ACCESS_LOG": False,
                "MUNICIPAL_FORMS": str(Path(tmp) / "municipal"),
            }
        )
        server = LiveServer(
            url, forms=forms, workers=1, env={"FORMENGINE_MUNICIPAL_FORMS": str(Path(tmp) / "municipal")}
        )
        server.start()
        try:
            with sync_playwright() as pw:
                browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
                try:
                    for version in versions:
                        defn = registry.get(form_id, version)
                        for persona in personas or PERSONAS:
                            walks.append(walk(browser, server.url, invitation(app, defn), defn, persona))
                finally:
                    browser.close()
        finally:
            server.stop()
            app.extensions["formengine_db"].engine.dispose()
    return walks


def minutes_range(minutes: float) -> tuple[int, int]:
    from formengine import minutes_range as shown_range

    return shown_range(minutes)


def rows(walks: list[Walk]) -> Iterator[list[str]]:
    yield [
        "version",
        "persona",
        "pages",
        "answers",
        "screens",
        "words",
        "minutes",
        "review scr",
        "review words",
        "intro scr",
        "intro words",
        "time shown",
    ]
    for w in walks:
        review, intro = w.review or Page("", 0, 0, 0), w.intro or Page("", 0, 0, 0)
        yield [
            w.version,
            w.persona,
            str(len(w.pages)),
            str(w.answers),
            f"{w.screens:.1f}",
            str(w.words),
            f"{w.minutes:.1f}",
            f"{review.screens:.1f}",
            str(review.words),
            f"{intro.screens:.1f}",
            str(intro.words),
            "{:.1f} ({}–{})".format(w.shown, *minutes_range(w.shown)),
        ]


def table(walks: list[Walk]) -> str:
    lines = list(rows(walks))
    widths = [max(len(line[i]) for line in lines) for i in range(len(lines[0]))]
    out = [
        "  ".join(
            c.rjust(w) if n > 1 else c.ljust(w) for n, (c, w) in enumerate(zip(line, widths, strict=True))
        )
        for line in lines
    ]
    out.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(out)


def targets(walk_: Walk) -> list[tuple[str, str, str, bool | None]]:
    """(measure, figure, target, met) rows for bench/run.py, with issue 11's limits."""
    review = walk_.review.screens if walk_.review else math.nan
    label = f"{walk_.version} {walk_.persona}"
    off = (walk_.shown - walk_.minutes) / walk_.minutes if walk_.minutes else math.nan
    shown = ("time shown to the relative vs this walk", f"{walk_.shown:.1f} min, {off:+.0%}")
    if walk_.version == BASELINE:
        figure = f"{walk_.minutes:.1f} / {walk_.screens:.1f} / {review:.1f}"
        rows_ = [(f"{label}: minutes / screens / summary screens", figure, "", None)]
        return rows_ + ([(f"{label}: {shown[0]}", shown[1], "", None)] if walk_.persona == "heavy" else [])
    if walk_.persona == "light":
        return [(f"{label}: estimated minutes", f"{walk_.minutes:.1f}", "<= 8", walk_.minutes <= 8)]
    if walk_.persona == "everything":  # issue 11 sets no limit for ticking every box: shown only
        figure = f"{walk_.minutes:.1f} / {walk_.screens:.1f} / {review:.1f}"
        return [(f"{label}: minutes / screens / summary screens (no limit)", figure, "", None)]
    found = [
        (f"{label}: estimated minutes", f"{walk_.minutes:.1f}", "<= 15", walk_.minutes <= 15),
        (f"{label}: phone screens (form)", f"{walk_.screens:.1f}", "<= 30", walk_.screens <= 30),
        (f"{label}: phone screens (summary)", f"{review:.1f}", "<= 8", review <= 8),
    ]
    if walk_.persona == "heavy":
        found.append((f"{label}: {shown[0]}", shown[1], "within 30 %", abs(off) <= 0.3))
    return found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--version", action="append", help="form version(s) to walk (default: newest and 1.1.0)"
    )
    args = parser.parse_args(argv)
    walks = walk_all(args.version)
    print(
        f"Burden of {FORM}: 200 words a minute + {SECONDS_PER_ANSWER} s per answer shown; "
        f"screens = page height / {VIEWPORT['height']} px at {VIEWPORT['width']}×{VIEWPORT['height']}"
    )
    print(table(walks))
    return 0


if __name__ == "__main__":
    sys.exit(main())

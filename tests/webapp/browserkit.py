"""A real server in a subprocess and a form-filling robot for Playwright tests and screenshots."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]
VIEWPORT = {"width": 390, "height": 844}
SERVER_CODE = (
    "import sys; from webapp import create_app; "
    "create_app().run(host='127.0.0.1', port=int(sys.argv[1]), threaded=True, use_reloader=False)"
)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class Server:
    """The web app in its own process (so it can be SIGKILLed and started again)."""

    db_path: Path
    port: int = field(default_factory=free_port)
    proc: subprocess.Popen | None = None
    log_path: Path | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> Server:
        env = dict(
            os.environ,
            FORMENGINE_DATABASE_URL=f"sqlite:///{self.db_path}",
            FORMENGINE_SECRET_KEY="browser-test-secret",
            FORMENGINE_ACCESS_LOG="0",
            PYTHONPATH=str(ROOT),
        )
        self.log_path = self.db_path.with_suffix(".log")
        with self.log_path.open("ab") as log:
            self.proc = subprocess.Popen(
                [sys.executable, "-c", SERVER_CODE, str(self.port)],
                cwd=ROOT,
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        self._wait_ready()
        return self

    def _wait_ready(self) -> None:
        # Readiness poll, not a timing assertion: a slow machine only makes it wait longer.
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"server exited: {self.log_path.read_text()[-2000:]}")
            try:
                with urllib.request.urlopen(self.url + "/", timeout=5):
                    return
            except OSError:
                time.sleep(0.2)
        raise RuntimeError("server did not start")

    def kill(self) -> None:
        """SIGKILL: no clean shutdown, no chance to flush anything."""
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGKILL)
            self.proc.wait()

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.kill()


def launch(playwright):
    return playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)


def new_context(browser, *, lang: str = "nb", js: bool = True, bypass_csp: bool = False):
    locale = {"nb": "nb-NO", "nn": "nn-NO", "en": "en-GB"}[lang]
    return browser.new_context(
        viewport=VIEWPORT,
        locale=locale,
        java_script_enabled=js,
        bypass_csp=bypass_csp,
        extra_http_headers={"Accept-Language": locale},
    )


class Robot:
    """Fills a form page by page from its definition, choosing answers that open branches."""

    def __init__(self, page, defn, lang: str = "nb"):
        self.page, self.defn, self.lang = page, defn, lang
        self.filled: set[str] = set()
        self.preferred = self._branch_values()
        self.sections_done: list[str] = []

    def _branch_values(self) -> dict[str, str]:
        """For every show_if comparing an item with a literal, the literal (so branches open)."""
        wanted: dict[str, str] = {}
        for item in self.defn.iter_items():
            expressions = [item.show_if] + [s.show_if for s in self.defn.sections]
            for expr in filter(None, expressions):
                for ref, literal in expr.literal_comparisons():
                    if isinstance(literal, str) and "!=" not in expr.source:
                        wanted.setdefault(ref.name, literal)
        return wanted

    def section_id(self) -> str | None:
        path = self.page.url.split("?")[0].split("#")[0]
        return path.rsplit("/del/", 1)[1] if "/del/" in path else None

    def fill_page(self) -> None:
        """Answer every visible, not yet answered question on the current section page."""
        sid = self.section_id()
        section = self.defn.section(sid)
        for item in section.items:
            if item.type == "note" or self._hidden(f"[data-item='{item.id}']"):
                continue
            if item.type == "repeat":
                self._fill_repeat(item)
            elif item.id not in self.filled:
                self._fill(item, item.id)
                self.filled.add(item.id)

    def _hidden(self, selector: str) -> bool:
        loc = self.page.locator(selector).first
        return loc.count() == 0 or loc.get_attribute("hidden") is not None

    def _fill(self, item, name: str) -> None:
        page, kind = self.page, item.type
        if kind in ("single_choice", "scale", "yes_no", "support_need"):
            value = self.preferred.get(item.id) or page.locator(f"input[name='{name}']").first.get_attribute(
                "value"
            )
            page.check(f"input[name='{name}'][value='{value}']")
        elif kind == "multi_choice":
            page.locator(f"input[name='{name}']").first.check()
        elif kind == "priority":
            boxes = page.locator(f"input[type=checkbox][name='{name}']")
            picked = min(2, boxes.count())
            if page.locator(f"select[name^='{name}-rank-']").first.is_visible():
                for n in range(picked):  # without JavaScript: a number per choice
                    value = boxes.nth(n).get_attribute("value")
                    boxes.nth(n).check()
                    page.select_option(f"select[name='{name}-rank-{value}']", str(picked - n))
            else:  # with JavaScript the order tapped is the order: the second first
                for n in reversed(range(picked)):
                    boxes.nth(n).check()
        elif kind == "number":
            low = int(item.min) if isinstance(item.min, (int, float)) else 0
            page.fill(f"input[name='{name}']", str(max(low, min(3, int(item.max or 3)))))
        elif kind in ("text", "long_text"):
            page.fill(f"[name='{name}']", "Svar fra robot" if self.lang != "en" else "Robot answer")
        elif kind == "date":
            page.fill(f"input[name='{name}']", "2020-02-03")
        elif kind == "matrix":
            for row in item.rows:
                page.locator(f"input[name='{name}-{row.id}']").first.check()
        elif kind == "cards":  # every card shown; each question until the card ends
            for row in item.rows:
                if self._hidden(f"[data-item='{item.id}.{row.id}']"):
                    continue
                for column in item.columns:
                    if self._hidden(f"[data-item='{item.id}.{row.id}.{column.id}']"):
                        break
                    page.locator(f"input[name='{name}-{row.id}-{column.id}']").first.check()

    def _fill_repeat(self, item) -> None:
        if item.id in self.filled:
            return
        self.page.click(f"button[name='_add'][value='{item.id}']")
        self.page.wait_for_load_state()
        for child in item.items:
            if child.type != "note" and not self._hidden(f"#{item.id}-0 [data-item='{child.id}']"):
                self._fill(child, f"{item.id}-0-{child.id}")
        self.filled.add(item.id)

    def next(self) -> None:
        self.page.click("button[name='_nav'][value='next']")
        self.page.wait_for_load_state()

    def run_sections(self, stop_after: int | None = None) -> None:
        """Fill and move on until the review page (or after ``stop_after`` sections)."""
        guard = 0
        while self.section_id() is not None:
            guard += 1
            assert guard < 200, "robot is going round in circles"
            sid = self.section_id()
            self.fill_page()
            self.next()
            if self.section_id() != sid:
                self.sections_done.append(sid)
                if stop_after is not None and len(self.sections_done) >= stop_after:
                    return


def page_tour(page, server, defn, lang: str = "nb"):
    """Visit every page type once; yield (name, page) at each so callers can check or photograph it.

    Names: start, municipality, consent, choose (national forms), section, section-branch,
    section-errors, section-repeat, review, pause, contact, resume-code, resume-code-error,
    receipt, copy, error-404.
    """
    page.goto(server.url + "/")
    yield "start", page
    page.goto(server.url + "/fortsett")
    yield "resume-code", page
    page.fill("#code", "AAAA-AAAA")
    page.click("form button[type=submit]")
    page.wait_for_load_state()
    yield "resume-code-error", page
    page.goto(server.url + "/finnes-ikke")
    yield "error-404", page
    page.goto(server.url + "/")
    page.click(f"form[action='/start/{defn.id}'] button")
    page.wait_for_load_state()
    yield "consent", page
    page.click("form button[type=submit]")
    page.wait_for_load_state()
    if page.url.endswith("/hvem"):  # a national form: who gets the answers (issue 12)
        yield "choose", page
        page.check("input[name=where] >> nth=0")
        page.click("form button[type=submit]")
        page.wait_for_load_state()
    yield "section", page
    robot = Robot(page, defn, lang)
    repeat_section = next(s for s in defn.sections if any(i.type == "repeat" for i in s.items))
    page.goto(page.url.rsplit("/del/", 1)[0] + f"/del/{repeat_section.id}")
    robot.fill_page()
    if page.locator(".entry").count() == 0:  # without JavaScript the group opens after a save
        robot.next()
        robot.fill_page()
    page.locator(".entry").first.scroll_into_view_if_needed()
    yield "section-repeat", page
    base = page.url.split("#")[0].rsplit("/del/", 1)[0]
    section, name, limit = _limited_number(defn)
    page.goto(f"{base}/del/{section.id}")
    if page.locator(f"input[name='{name}']").count() == 0:  # a repeat child: open an entry first
        add = page.locator(f"button[name='_add'][value='{name.split('-')[0]}']")
        if not add.is_visible():  # the repeat opens with an answer (e.g. "children at home: yes")
            _open_repeat(page, defn, name.split("-")[0])
            if not add.is_visible():  # without JavaScript: save, and the page comes back opened
                page.click("button[name='_nav'][value='next']")
                page.wait_for_load_state()
                page.goto(f"{base}/del/{section.id}")
        add.click()
        page.wait_for_load_state()
    page.fill(f"input[name='{name}']", str(int(limit) + 1000))
    page.click("button[name='_nav'][value='next']")
    page.wait_for_load_state()
    yield "section-errors", page
    page.goto(f"{base}/oppsummering")
    yield "review", page
    page.goto(f"{base}/pause")
    yield "pause", page
    page.goto(f"{base}/kontakt")
    if page.url.endswith("/kontakt"):
        yield "contact", page
    page.goto(f"{base}/oppsummering")
    page.click("form[action$='/send'] button")
    page.wait_for_load_state()
    yield "receipt", page
    page.goto(f"{base}/kopi")
    yield "copy", page


def _open_repeat(page, defn, repeat_id: str) -> None:
    """Give the answers a repeat group's condition compares with (``x == 'v'`` / ``x in [...]``)."""
    condition = defn.items_by_id[repeat_id].show_if
    for ref, literal in condition.literal_comparisons() if condition is not None else ():
        value = literal[0] if isinstance(literal, (list, tuple)) else literal
        page.check(f"input[name='{ref.name}'][value='{value}']")


def _limited_number(defn):
    """(section, field name, max) of the first number with a maximum, top level or in a repeat."""
    for section in defn.sections:
        for item in section.items:
            if item.type == "number" and item.max is not None:
                return section, item.id, item.max
            for child in item.items:
                if child.type == "number" and child.max is not None:
                    return section, f"{item.id}-0-{child.id}", child.max
    raise LookupError("no number with a maximum in the form")


def _section_with(defn, kind: str):
    """(section, item) of the first top-level item of type ``kind``."""
    for section in defn.sections:
        for item in section.items:
            if item.type == kind:
                return section, item
    raise LookupError(f"no {kind} item in {defn.key}")


def branch_on_one_page(defn):
    """(section, controlling item id, literal) of a question opened by an answer on the same page."""
    for section in defn.sections:
        ids = {i.id for i in section.items}
        for item in section.items:
            for ref, literal in item.show_if.literal_comparisons() if item.show_if else []:
                if ref.name in ids and isinstance(literal, str) and "!=" not in item.show_if.source:
                    return section, ref.name, literal
    raise LookupError(f"no branch on one page in {defn.key}")


def relative_tour(page, server, defn, *, js: bool = True):
    """The pages of issue 11 (length, ranking, text limits, removing, new questions); yield (name, page).

    Names: municipality, section-priority, section-priority-error (no JavaScript: the same
    number twice), section-cards (when the form has task cards), section-scale (a rating question), section-text-over, section-remove-confirm, section-branch (no JavaScript:
    the new question named and focused).
    """
    municipal = next((d for d in defn_registry(defn) if d.municipality), None)
    if municipal is not None:
        page.goto(f"{server.url}/kommune/{municipal.municipality.id}")
        yield "municipality", page
    page.goto(server.url + "/")
    page.click(f"form[action='/start/{defn.id}'] button")
    page.wait_for_load_state()
    page.click("main form button[type=submit]")
    page.wait_for_load_state()
    choose_recipient(page)
    base = page.url.split("#")[0].rsplit("/del/", 1)[0]
    section, item = _section_with(defn, "priority")
    page.goto(f"{base}/del/{section.id}")
    boxes = page.locator(f"input[type=checkbox][name='{item.id}']")
    if js:  # tap the third, the first, then the second: the numbers show that order
        for n in (2, 0, 1):
            boxes.nth(n).check()
    else:
        for n, rank in ((2, "1"), (0, "2"), (1, "3")):
            boxes.nth(n).check()
            page.select_option(f"select[name='{item.id}-rank-{boxes.nth(n).get_attribute('value')}']", rank)
    page.locator(f"[data-item='{item.id}']").scroll_into_view_if_needed()
    yield "section-priority", page
    if not js:
        page.select_option(f"select[name='{item.id}-rank-{boxes.nth(0).get_attribute('value')}']", "1")
        page.click("button[name='_nav'][value='next']")
        page.wait_for_load_state()
        yield "section-priority-error", page
    cards = next((i for i in defn.iter_items() if i.type == "cards" and i.rows_from), None)
    if cards is not None:
        source = defn.item(cards.rows_from)
        page.goto(f"{base}/del/{defn.section_of[source.id]}")
        boxes = page.locator(f"input[type=checkbox][name='{source.id}']")
        for n in range(3):
            boxes.nth(n).check()
        page.click("button[name='_nav'][value='next']")
        page.wait_for_load_state()
        page.goto(f"{base}/del/{defn.section_of[cards.id]}")
        first = cards.columns[0]
        na = next((o.value for o in first.options if o.not_applicable), None)
        shown = page.locator(f"fieldset.taskcard[data-item^='{cards.id}.']:not([hidden])")
        if na:
            shown.nth(0).locator(f"input[name$='-{first.id}'][value='{na}']").check()
        for column in cards.columns:
            question = shown.nth(1).locator(f"fieldset.taskcard__q[data-item$='.{column.id}']")
            if question.get_attribute("hidden") is not None:  # not asked: its show_if does not hold
                continue
            radios = question.locator("input[type=radio]")
            radios.nth(min(1, radios.count() - 1)).check()
        if not js:  # the card ends when the page is saved and shown again
            page.click("button[name='_nav'][value='next']")
            page.wait_for_load_state()
            page.goto(f"{base}/del/{defn.section_of[cards.id]}")
        shown.nth(0).scroll_into_view_if_needed()
        yield "section-cards", page
    scale = next((i for i in defn.iter_items() if i.type == "scale"), None)
    if scale is not None:  # a rating question: the compact scale row (issue 11)
        section = defn.section_of[scale.id]
        page.goto(f"{base}/del/{section}")
        if scale.show_if is not None:  # behind a question on the same page: open it
            _section, control, literal = _branch_for(defn, section, scale)
            page.check(f"input[name='{control}'][value='{literal}']")
            if not js:
                page.click("button[name='_nav'][value='next']")
                page.wait_for_load_state()
                page.goto(f"{base}/del/{section}")
        page.locator(f"input[name='{scale.id}']").nth(2).check()
        page.locator(f"[data-item='{scale.id}']").scroll_into_view_if_needed()
        yield "section-scale", page
    section, text_item = _section_with(defn, "long_text")
    page.goto(f"{base}/del/{section.id}")
    limit = text_item.max_length or 4000
    page.fill(f"[name='{text_item.id}']", ("Det er mye å holde styr på. " * (limit // 28 + 2))[: limit + 25])
    page.click("button[name='_nav'][value='next']")
    page.wait_for_load_state()
    yield "section-text-over", page
    section, group = _section_with(defn, "repeat")
    page.goto(f"{base}/del/{section.id}")
    if page.locator(f"button[name='_add'][value='{group.id}']").is_hidden():
        opened, control, literal = _branch_for(defn, section, group)
        page.check(f"input[name='{control}'][value='{literal}']")
        if not js:
            page.click("button[name='_nav'][value='next']")
            page.wait_for_load_state()
    page.click(f"button[name='_add'][value='{group.id}']")
    page.wait_for_load_state()
    page.click(f"button[name='_remove'][value='{group.id}:0']")
    page.wait_for_load_state()
    yield "section-remove-confirm", page
    if not js:
        section, control, literal = branch_on_one_page(defn)
        page.goto(f"{base}/del/{section.id}")
        page.check(f"input[name='{control}'][value='{literal}']")
        page.click("button[name='_nav'][value='next']")
        page.wait_for_load_state()
        yield "section-branch", page


def past_contact(page) -> None:
    """On "How can we reach you?" (after the last page of a self-started form) give nothing."""
    if "/kontakt" in page.url:
        page.click("main form button[type=submit]")
        page.wait_for_load_state()


def choose_recipient(page) -> None:
    """On "Who should get your answers?" (a self-started form) choose the first place."""
    if "/hvem" in page.url:
        page.locator("input[name='where']").first.check()
        page.click("main form button[type=submit]")
        page.wait_for_load_state()


def defn_registry(defn):
    import formengine

    return formengine.load_registry(ROOT / "forms").active_forms()


def _branch_for(defn, section, group):
    """(section, control, literal) opening the repeat ``group`` (or another item with ``show_if``)."""
    for ref, literal in group.show_if.literal_comparisons():
        return section, ref.name, literal
    raise LookupError(group.id)

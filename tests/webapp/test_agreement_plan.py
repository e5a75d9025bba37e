"""The agreement beside the assessment, with the real forms (kartlegging 1.1.0 under the newest
samarbeidsavtale, whose task rows are cards): the relative's answers beside every task row, nothing pre-selected, one tap from their
wishes, flags handled, actions with owner and due date, and «Avtalt» refused until it holds."""

from __future__ import annotations

import datetime as dt
import html
import re
from types import SimpleNamespace

import pytest
from argon2 import PasswordHasher

from formengine import sample_answers
from webapp import create_app, db, responses
from webapp.db import Response, utcnow
from webapp.staff import auth, plan
from webapp.staff.auth import hash_password
from webapp.staff.models import AccessLog, StaffUser

from .conftest import csrf
from .helpers import post_page, section_url

PASSWORD = "correct horse battery staple"
TODAY = dt.date.today()


@pytest.fixture
def app(tmp_path, monkeypatch):
    monkeypatch.setattr(auth, "hasher", PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1))
    auth._dummy_hash.cache_clear()
    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "test",
            "ACCESS_LOG": False,
            "DATABASE_URL": f"sqlite:///{tmp_path / 'plan.sqlite3'}",
        }
    )
    with app.app_context(), db.session() as s:
        s.add(
            StaffUser(
                email="k@eksempel.no",
                password_hash=hash_password(PASSWORD),
                role="coordinator",
                municipality="0301",
                active=True,
            )
        )
        s.commit()
    yield app
    app.extensions["formengine_db"].engine.dispose()


def heavy_answers(defn) -> dict:
    """The heavy case: every task answered, children at home (a high flag), wants to stop a lot."""
    answers = sample_answers(defn, 1)
    answers["has_minor_children"] = "yes"
    return answers


@pytest.fixture
def case(app):
    # a 1.x assessment (matrix rows) under the newest agreement (2.x, cards rows)
    defn = app.config["FORM_REGISTRY"].get("parorende-kartlegging", "1.1.0")
    with app.app_context():
        created = responses.create_response(defn, origin="invite", municipality="0301", case_ref="2026/77")
        with db.session() as s:
            r = s.get(Response, created.response.id)
            r.answers, r.status = heavy_answers(defn), "submitted"
            r.consent_at = r.submitted_at = utcnow()
            s.commit()
    return created.response.id


@pytest.fixture
def coord(app):
    client = app.test_client()
    page = client.get("/staff/login").get_data(as_text=True)
    resp = client.post(
        "/staff/login", data={"csrf_token": csrf(page), "email": "k@eksempel.no", "password": PASSWORD}
    )
    assert resp.status_code == 303
    return client


def open_plan(client, rid: str) -> str:
    detail = client.get(f"/staff/a/{rid}").get_data(as_text=True)
    resp = client.post(f"/staff/a/{rid}/avtale", data={"csrf_token": csrf(detail)})
    assert resp.headers["Location"] == f"/staff/a/{rid}/avtale/plan"
    return client.get(resp.headers["Location"]).get_data(as_text=True)


def selects(page: str) -> dict[str, str]:
    """Each task select and its selected value ('' when none)."""
    out = {}
    for name, body in re.findall(
        r'<select class="input" id="(t-[^"]+)" name="[^"]+"[^>]*>(.*?)</select>', page, re.S
    ):
        chosen = re.search(r'<option value="([^"]*)" selected', body)
        out[name] = chosen.group(1) if chosen else ""
    return out


def page_form(page: str) -> dict[str, str]:
    data = {"csrf_token": csrf(page)}
    data.update(selects(page))
    for name, value in re.findall(
        r'<input class="input[^"]*" type="(?:text|date)" id="[^"]+" name="([^"]+)"'
        r'[^>]*?value="([^"]*)"',
        page,
    ):
        data[name] = html.unescape(value)
    data["action_rows"] = re.search(r'name="action_rows" value="(\d+)"', page).group(1)
    data["suggested"] = re.search(r'name="suggested" value="([^"]*)"', page).group(1)
    return data


def errors(page: str) -> list[str]:
    return [html.unescape(t) for t in re.findall(r'<li><a href="#[^"]+">([^<]+)</a></li>', page)]


def stored(app, rid: str) -> Response:
    with app.app_context(), db.session() as s:
        return s.query(Response).filter(Response.assessment_id == rid).one()


def log(app) -> list[tuple[str, str]]:
    with app.app_context(), db.session() as s:
        return [(e.action, e.detail) for e in s.query(AccessLog).order_by(AccessLog.id)]


def test_every_task_row_shows_the_relatives_answers_and_nothing_is_preselected(app, coord, case):
    page = open_plan(coord, case)
    rows = selects(page)
    assert len(rows) >= 29 and set(rows.values()) == {""}
    defn = app.config["FORM_REGISTRY"].get("parorende-kartlegging", "1.1.0")
    with app.app_context(), db.session() as s:
        answers = s.get(Response, case).answers
    now = defn.item("personal_now")
    for row in now.rows:
        key = next(k for k in rows if k.endswith(f"-{row.id}"))
        block = page[page.index(f'for="{key}"') : page.index(f'id="{key}"')]
        for side, item_id in (
            ("Nå", "personal_now"),
            ("Fra nå av", "personal_keep"),
            ("Venter", "personal_expect"),
        ):
            label = defn.item(item_id).option(answers[item_id][row.id]).label.get("nb")
            assert f"{side}:</span> {html.escape(label)}" in block.replace("&#39;", "'"), (key, side)
    assert "Send svarene" not in page


def test_one_tap_takes_the_wishes_as_suggestions_marked_for_checking(app, coord, case):
    page = open_plan(coord, case)
    resp = coord.post(f"/staff/a/{case}/avtale/plan", data={**page_form(page), "do": "wish"})
    page = resp.get_data(as_text=True)
    chosen = {k: v for k, v in selects(page).items() if v}
    assert len(chosen) >= 10
    assert page.count("Forslag ut fra den pårørendes svar") == len(chosen)
    assert "er merket «forslag»" in page
    assert stored(app, case).status == "open"  # a suggestion is not an agreement


@pytest.mark.parametrize(
    "change,message",
    [
        ({"a-1-by": (TODAY - dt.timedelta(days=1)).isoformat()}, "Tiltak 1: fristen har gått ut"),
        ({"a-1-who": ""}, "Tiltak 1 mangler ansvarlig"),
        ({"f-minor_children-note": ""}, "er merket viktig og er ikke fulgt opp"),
    ],
)
def test_avtalt_is_refused_with_a_message_and_the_typed_text_stays(app, coord, case, change, message):
    page = open_plan(coord, case)
    review = (TODAY + dt.timedelta(days=90)).isoformat()
    data = {
        **page_form(page),
        "a-1-what": "Avlastning hver fjerde helg",
        "a-1-who": "Koordinator",
        "a-1-by": (TODAY + dt.timedelta(days=14)).isoformat(),
        "f-minor_children-note": "Barna får tilbud",
        "next_review_date": review,
        "do": "agree",
    }
    data.update(change)
    resp = coord.post(f"/staff/a/{case}/avtale/plan", data=data)
    page = resp.get_data(as_text=True)
    assert resp.status_code == 422
    assert any(message in e for e in errors(page)), errors(page)
    assert "Avtalen er ikke satt til «Avtalt» ennå" in page
    assert 'value="Avlastning hver fjerde helg"' in page  # what was typed is still there
    assert stored(app, case).status == "open"
    with app.app_context(), db.session() as s:
        assert s.get(Response, case).agreed_at is None


def test_avtalt_with_flags_handled_records_the_agreement(app, coord, case):
    page = open_plan(coord, case)
    resp = coord.post(f"/staff/a/{case}/avtale/plan", data={**page_form(page), "do": "flag-minor_children"})
    page = resp.get_data(as_text=True)
    data = page_form(page)
    assert data["a-1-what"]  # the flag's suggested action, as action 1
    assert re.search(r'<option value="1" selected>Tiltak 1', page)
    data.update(
        {
            "a-1-who": "Koordinator",
            "a-1-by": TODAY.isoformat(),
            "f-minor_children-action": "1",
            "next_review_date": (TODAY + dt.timedelta(days=180)).isoformat(),
            "do": "agree",
        }
    )
    resp = coord.post(f"/staff/a/{case}/avtale/plan", data=data)
    assert resp.status_code == 303 and resp.headers["Location"] == f"/staff/a/{case}"
    agreement = stored(app, case)
    assert agreement.status == "submitted"
    assert agreement.answers["agreed_actions"][0]["action_who"] == "Koordinator"
    assert agreement.staff_marks["flags"]["minor_children"]["action"] == "1"
    with app.app_context(), db.session() as s:
        assessment = s.get(Response, case)
        assert assessment.agreed_at is not None and assessment.review_due == TODAY + dt.timedelta(days=180)
    assert ("agreement_done", f"review={(TODAY + dt.timedelta(days=180)).isoformat()}") in log(app)
    assert not [a for a, _d in log(app) if a == "agreement_flag_reason"]


def test_a_reason_lets_a_high_flag_stay_open_and_is_logged(app, coord, case):
    page = open_plan(coord, case)
    resp = coord.post(
        f"/staff/a/{case}/avtale/plan",
        data={
            **page_form(page),
            "flag_reason": "Barnevernet følger opp; avtalt med mor",
            "do": "agree",
            "next_review_date": (TODAY + dt.timedelta(days=30)).isoformat(),
        },
    )
    assert resp.status_code == 303
    agreement = stored(app, case)
    assert agreement.status == "submitted"
    assert agreement.staff_marks["flag_reason"] == "Barnevernet følger opp; avtalt med mor"
    reasons = [d for a, d in log(app) if a == "agreement_flag_reason"]
    assert reasons and "minor_children" in reasons[0]


def test_sending_through_the_section_pages_is_held_to_the_same_checks(app, coord, case):
    open_plan(coord, case)
    detail = coord.get(f"/staff/a/{case}").get_data(as_text=True)
    resp = coord.post(f"/staff/a/{case}/avtale/flere-deler", data={"csrf_token": csrf(detail)})
    aid = stored(app, case).id
    assert resp.headers["Location"].startswith(f"/svar/{aid}/")
    resp = post_page(
        coord,
        section_url(aid, "review"),
        {"next_review_date": (TODAY + dt.timedelta(days=60)).isoformat(), "_nav": "next"},
    )
    page = coord.get(f"/svar/{aid}/oppsummering").get_data(as_text=True)
    assert "Lagre avtalen" in page and "Send svarene" not in page
    resp = coord.post(f"/svar/{aid}/send", data={"csrf_token": csrf(page)})
    resp = coord.get(resp.headers["Location"])
    resp = coord.get(resp.headers["Location"])  # /staff/utfylt/<aid>
    assert resp.headers["Location"] == f"/staff/a/{case}/avtale/plan?refused=1"
    page = coord.get(resp.headers["Location"]).get_data(as_text=True)
    assert any("er merket viktig og er ikke fulgt opp" in e for e in errors(page))
    assert stored(app, case).status == "open"
    assert "agreement_refused" in [a for a, _d in log(app)]


# -- the rules on their own, for both shapes of task rows --------------------------------------


def test_wish_points_to_who_takes_over():
    assert plan.wish("me", "stop", "take_over") == "municipality"
    assert plan.wish("me", "less", "some_help") == "shared"
    assert plan.wish("me", "keep", "nothing") == "relative"
    assert plan.wish("me", "keep", "dont_know") is None  # no guess where the relative did not say
    assert plan.wish(None, None, None) is None
    assert plan.wish("not_relevant", None, None) == "not_relevant"


def test_actions_need_owner_and_a_date_today_or_later():
    actions = [
        plan.Action("Ring fastlegen", "Koordinator", TODAY.isoformat()),
        plan.Action(),
        plan.Action("Søke avlastning", "", "2001-01-01"),
        plan.Action("", "Kari", "ikke en dato"),
    ]
    codes = [(p.number, p.code) for p in plan.check_actions(actions, TODAY)]
    assert codes == [
        (3, "action_owner_missing"),
        (3, "action_date_past"),
        (4, "action_what_missing"),
        (4, "action_date_invalid"),
    ]


def _text(nb: str):
    return SimpleNamespace(get=lambda _lang: nb)


def _opt(value: str):
    return SimpleNamespace(value=value, label=_text(value.upper()))


def _options(values):
    options = [_opt(v) for v in values]
    return options, (lambda v: next((o for o in options if o.value == v), None))


def test_cards_rows_work_for_the_agreement_and_the_assessment():
    """Agreement 2.x with a `cards` item (first column: who is responsible) over a 2.0 assessment."""
    resp_opts, resp_find = _options(plan.RESPONSIBILITY)
    who_col = SimpleNamespace(id="responsible", options=resp_opts, option=resp_find)
    rows = [
        SimpleNamespace(id="shopping", label=_text("Handle")),
        SimpleNamespace(id="driving", label=_text("Kjøre")),
    ]
    agreement_item = SimpleNamespace(
        id="tasks_agreed",
        type="cards",
        label=_text("Oppgaver: hvem"),
        rows=rows,
        columns=[who_col],
        options=(),
    )
    agreement = SimpleNamespace(sections=[SimpleNamespace(items=[agreement_item])])
    cols = []
    for cid, values in (
        ("who_now", ["me", "services"]),
        ("from_now", ["keep", "stop"]),
        ("expects", ["nothing", "take_over"]),
    ):
        opts, find = _options(values)
        cols.append(SimpleNamespace(id=cid, options=opts, option=find))
    assessment_item = SimpleNamespace(id="tasks", type="cards", columns=cols)
    assessment = SimpleNamespace(sections=[SimpleNamespace(items=[assessment_item])])
    answers = {"tasks": {"shopping": {"who_now": "me", "from_now": "stop", "expects": "take_over"}}}
    groups = plan.task_groups(
        agreement, {"tasks_agreed": {"driving": {"responsible": "relative"}}}, assessment, answers, "nb"
    )
    (group,) = groups
    shopping, driving = group.rows
    assert shopping.relative == {
        "now": ("me", "ME"),
        "keep": ("stop", "STOP"),
        "expect": ("take_over", "TAKE_OVER"),
    }
    assert shopping.wish == "municipality" and shopping.value is None
    assert driving.value == "relative" and driving.relative == {}
    shopping.value = "shared"
    out = plan.store_tasks(groups, {})
    assert out == {
        "tasks_agreed": {"shopping": {"responsible": "shared"}, "driving": {"responsible": "relative"}}
    }


# -- reviews that check -----------------------------------------------------------------------


def agree(app, coord, rid: str) -> None:
    page = open_plan(coord, rid)
    data = {
        **page_form(page),
        "a-1-what": "Søke avlastning",
        "a-1-who": "Koordinator",
        "a-1-by": TODAY.isoformat(),
        "a-2-what": "Kurs for pårørende",
        "a-2-who": "Den pårørende",
        "a-2-by": (TODAY + dt.timedelta(days=30)).isoformat(),
        "f-minor_children-note": "Barna får tilbud",
        "next_review_date": (TODAY + dt.timedelta(days=5)).isoformat(),
        "do": "agree",
    }
    assert coord.post(f"/staff/a/{rid}/avtale/plan", data=data).status_code == 303


def later(app, rid: str, form_id: str) -> str:
    """A later submitted response in the same case: a re-assessment or a follow-up."""
    defn = app.config["FORM_REGISTRY"].latest_active(form_id)
    with app.app_context():
        created = responses.create_response(defn, origin="invite", municipality="0301", case_ref="2026/77")
        with db.session() as s:
            r = s.get(Response, created.response.id)
            r.answers = sample_answers(defn, 2)
            if form_id == "parorende-kartlegging":
                r.previous_id = rid
            r.status, r.consent_at = "submitted", utcnow()
            r.submitted_at = utcnow() + dt.timedelta(seconds=5)
            s.commit()
    return created.response.id


@pytest.mark.parametrize("form_id", ["parorende-kartlegging", "parorende-oppfolging"])
def test_a_later_review_shows_the_last_agreements_actions_to_mark(app, coord, case, form_id):
    agree(app, coord, case)
    new = later(app, case, form_id)
    page = coord.get(f"/staff/a/{new}").get_data(as_text=True)
    section = page[
        page.index('id="h-last-actions"') : page.index("</section>", page.index('id="h-last-actions"'))
    ]
    assert "Har det vi ble enige om sist, blitt gjort?" in section
    assert "Søke avlastning" in section and "Kurs for pårørende" in section
    for label in ("Gjort", "Delvis", "Ikke gjort", "Ikke lenger aktuelt"):
        assert label in section
    assert "0 av 2 er merket" in section
    resp = coord.post(
        f"/staff/a/{new}/tiltak", data={"csrf_token": csrf(page), "m-1": "done", "m-2": "partly"}
    )
    assert resp.status_code == 303
    page = coord.get(f"/staff/a/{new}").get_data(as_text=True)
    assert 'name="m-1" value="done" checked' in page and 'name="m-2" value="partly" checked' in page
    assert "2 av 2 er merket" in page
    with app.app_context(), db.session() as s:
        assert s.get(Response, new).staff_marks["actions"] == {"1": "done", "2": "partly"}
    assert ("review_marks", "marked=2/2") in log(app)


def test_the_case_page_opens_with_flags_then_change_then_the_rest(app, coord, case):
    agree(app, coord, case)
    new = later(app, case, "parorende-kartlegging")
    page = coord.get(f"/staff/a/{new}").get_data(as_text=True)
    order = [
        page.index(f'id="{h}"')
        for h in ("h-flags", "h-last-actions", "h-change", "h-prio", "h-scales", "h-answers")
    ]
    assert order == sorted(order)
    scales = page[page.index('id="h-scales"') : page.index("</section>", page.index('id="h-scales"'))]
    assert re.search(r"<td>\d(,\d)? av 4</td>", scales)  # the score with its range, decimal comma
    gaps = page[page.index('id="h-gaps"') : page.index("</section>", page.index('id="h-gaps"'))]
    assert "<caption>" in gaps and "<thead>" in gaps  # expectations as a table
    old = coord.get(f"/staff/a/{case}").get_data(as_text=True)
    assert "Barna får tilbud" in old  # each flag shows what handles it


def test_the_agreement_pdf_says_how_each_flag_is_handled(app, coord, case):
    from io import BytesIO

    from pypdf import PdfReader

    agree(app, coord, case)
    data = coord.get(f"/staff/a/{case}/avtale.pdf").data
    text = " ".join(" ".join(p.extract_text().split()) for p in PdfReader(BytesIO(data)).pages)
    assert "Slik følges kartleggingen opp" in text
    assert "Det bor barn under 18 år i hjemmet." in text and "Barna får tilbud" in text
    assert bool(PdfReader(BytesIO(data)).trailer["/Root"]["/MarkInfo"]["/Marked"])

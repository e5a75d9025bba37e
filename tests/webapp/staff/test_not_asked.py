"""The staff case page of a 2.0.0 assessment with areas the relative did not tick: «Ikke spurt», not
«For få svar», in the scores table, and such areas named, not compared, in "change since"."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import pytest
from argon2 import PasswordHasher

from formengine.definition.registry import load_registry
from webapp import create_app
from webapp.staff import auth

from .conftest import A, add_user, login, submitted

ROOT = Path(__file__).resolve().parents[3]
ANSWERS = ROOT / "tests" / "data" / "answers"


@pytest.fixture
def app(tmp_path, monkeypatch):
    monkeypatch.setattr(auth, "hasher", PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1))
    auth._dummy_hash.cache_clear()
    registry = load_registry(ROOT / "forms")
    assert registry.errors == [], [p.format() for p in registry.errors]
    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "test",
            "ACCESS_LOG": False,
            "DATABASE_URL": f"sqlite:///{tmp_path / 'staff.sqlite3'}",
            "FORM_REGISTRY": registry,
        }
    )
    yield app
    app.extensions["formengine_db"].engine.dispose()


def golden(name: str) -> dict:
    return json.loads((ANSWERS / f"{name}.json").read_text("utf-8"))["answers"]


def store(app, name: str, when: dt.datetime, **extra) -> str:
    return submitted(
        app,
        form_id="parorende-kartlegging",
        form_version="2.0.0",
        case_ref="2026/55",
        answers=golden(name),
        when=when,
        **extra,
    )


def page(app, rid: str) -> str:
    add_user(app, "coord@a.no", "coordinator", A)
    client = app.test_client()
    assert login(client, "coord@a.no").status_code == 303
    return client.get(f"/staff/a/{rid}", headers={"Accept-Language": "nb"}).get_data(as_text=True)


def section(html: str, heading_id: str) -> str:
    return html.split(f'aria-labelledby="{heading_id}"', 1)[1].split("</section>", 1)[0]


def row(html: str, label: str) -> str:
    return html.split(f'<th scope="row">{label}</th>', 1)[1].split("</tr>", 1)[0]


def test_the_scores_table_says_not_asked_for_an_area_she_did_not_tick(app):
    rid = store(app, "core_2_0_0_light", dt.datetime(2026, 11, 1, 10, 0))
    scores = section(page(app, rid), "h-scales")
    assert "For få svar" not in scores and "too few answers" not in scores.lower()
    assert "for få svar" not in scores.lower()
    time = row(scores, "Tid og å være på vakt")
    assert re.fullmatch(r'<td colspan="2" class="muted">Ikke spurt</td>', time.strip())
    feelings = row(scores, "Følelser")
    assert "1 av 4" in feelings and "Lite belastning" in feelings


def test_the_change_table_names_not_asked_areas_instead_of_comparing_them(app):
    before = store(app, "core_2_0_0_heavy", dt.datetime(2026, 6, 1, 10, 0))
    rid = store(app, "core_2_0_0_light", dt.datetime(2026, 11, 1, 10, 0), previous_id=before)
    change = section(page(app, rid), "h-change")
    compared = change.split("</table>", 1)[0]
    assert "Tid og å være på vakt" not in compared and "Kamp med systemet" not in compared
    assert "Følelser" in compared  # ticked both times: compared
    assert re.search(
        r"Ikke spurt denne gangen:</strong> Tid og å være på vakt, Egen helse, Søvn og hvile", change
    )


def test_an_answer_to_a_question_not_asked_now_says_so_not_a_dash(app):
    before = store(app, "core_2_0_0_heavy", dt.datetime(2026, 6, 1, 10, 0))
    rid = store(app, "core_2_0_0_light", dt.datetime(2026, 11, 1, 10, 0), previous_id=before)
    answers = section(page(app, rid), "h-change").split("</table>", 2)[1]
    sleep = row(answers, "Jeg får for lite søvn og hvile.")
    assert re.fullmatch(r'<td>Svært mye</td><td><span class="muted">Ikke spurt</span></td>', sleep.strip())
    assert "Ikke spurt" not in row(answers, "Jeg er bekymret for den jeg hjelper.")  # ticked both times

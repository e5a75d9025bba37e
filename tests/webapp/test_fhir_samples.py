"""The third-party FHIR samples, imported as forms, render in the web app and save answers.

Issue 6: "The samples in shared/interop/fhir-samples/ import, render in the web app, and score".
Each sample is imported with the real importer into a forms folder the app is pointed at; a
relative starts it, passes the consent page, sees every section, answers the first choice
question, and the stored answer scores.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from formengine.fhir.importer import import_questionnaire
from formengine.scoring.engine import score
from webapp import create_app

from .conftest import csrf

DATA = Path(__file__).resolve().parents[1] / "data" / "fhir"
SAMPLES = ["helsenorge-section-score.json", "helsenorge-choice-check-box-score.json", "argonaut-phq9.json"]


def _installed(tmp_path: Path, name: str) -> tuple[dict, Path]:
    data, text = import_questionnaire(
        json.loads((DATA / name).read_text("utf-8")), report=lambda message: None
    )
    data["status"] = "active"  # the samples are drafts; a municipality would publish its copy
    text = re.sub(r"(?m)^status: \w+$", "status: active", text)
    path = tmp_path / "forms" / data["id"] / f"{data['version']}.yaml"
    path.parent.mkdir(parents=True)
    path.write_text(text, "utf-8")
    return data, tmp_path / "forms"


@pytest.mark.parametrize("name", SAMPLES)
def test_imported_sample_renders_and_scores_in_the_web_app(name, tmp_path):
    data, forms = _installed(tmp_path, name)
    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "test",
            "ACCESS_LOG": False,
            "FORMS": str(forms),
            "MUNICIPAL_FORMS": str(tmp_path / "municipal"),
            "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        }
    )
    client = app.test_client()
    registry = app.config["FORM_REGISTRY"]
    assert registry.errors == []
    defn = registry.get(data["id"], data["version"])
    front = client.get("/").get_data(as_text=True)
    assert defn.title.get() in front
    started = client.post(f"/start/{defn.id}", data={"csrf_token": csrf(front)})
    rid = started.headers["Location"].split("/")[2]
    consent = client.get(f"/svar/{rid}/om").get_data(as_text=True)
    client.post(f"/svar/{rid}/om", data={"csrf_token": csrf(consent)})
    for section in defn.sections:
        page = client.get(f"/svar/{rid}/del/{section.id}")
        assert page.status_code == 200, section.id
        html = page.get_data(as_text=True)
        for item in section.fields:  # groups opened: every question on the page
            if item.type != "note":
                assert item.label.get().split("\n")[0][:40].replace("&", "&amp;") in html.replace(
                    "&#39;", "'"
                )
    section = next(s for s in defn.sections if any(i.options and i.type != "matrix" for i in s.fields))
    questions = [i for i in section.fields if i.options and i.type != "matrix"]
    chosen = {i.id: max(i.options, key=lambda o: o.score or 0) for i in questions}
    page = client.get(f"/svar/{rid}/del/{section.id}").get_data(as_text=True)
    if any(i.required for i in questions):  # the sample's own required flags hold in the web app
        partial = client.post(
            f"/svar/{rid}/del/{section.id}",
            data={"csrf_token": csrf(page), questions[0].id: chosen[questions[0].id].value},
        )
        assert partial.status_code == 400 and "error-summary" in partial.get_data(as_text=True)
    saved = client.post(
        f"/svar/{rid}/del/{section.id}",
        data={"csrf_token": csrf(page), **{k: o.value for k, o in chosen.items()}},
    )
    assert saved.status_code == 303
    with app.app_context():
        from webapp import db
        from webapp.db import Response

        with db.session() as s:
            answers = s.get(Response, rid).answers
    for item_id, option in chosen.items():
        assert answers[item_id] in (option.value, [option.value])
    if defn.scoring.scales and any(o.score for o in chosen.values()):
        report = score(defn, answers).as_json()
        assert any(s["value"] for s in report["scales"])  # the web app's answer scores
    app.extensions["formengine_db"].engine.dispose()

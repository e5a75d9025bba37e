"""XSS payloads in form texts (YAML) and in answers are shown literally: HTML pages and the PDF."""

from __future__ import annotations

import io
import json
import re

import pytest
from markupsafe import escape

from formengine.summary import render_summary_pdf
from webapp import create_app

from ..webapp.conftest import csrf
from ..webapp.helpers import post_page
from .conftest import started
from .inert import PAYLOADS, problems


def test_corpus_has_at_least_30_payloads():
    assert len(PAYLOADS) >= 30


def xss_form(payloads=PAYLOADS) -> dict:
    """A form whose every text (title, description, section titles, labels, help, options) is a payload."""
    texts = [{"nb": p} for p in payloads]
    return {
        "id": "xss",
        "version": "1.0.0",
        "status": "active",
        "languages": ["nb"],
        "default_language": "nb",
        "title": texts[0],
        "description": texts[1],
        "sections": [
            {
                "id": "texts",
                "title": texts[2],
                "items": [
                    {"id": f"t{i}", "type": "long_text", "label": t, "help": t} for i, t in enumerate(texts)
                ],
            },
            {
                "id": "choices",
                "title": texts[3],
                "items": [
                    {
                        "id": f"c{i}",
                        "type": "single_choice",
                        "label": t,
                        "options": [{"value": "a", "label": t}, {"value": "b", "label": {"nb": "B"}}],
                    }
                    for i, t in enumerate(texts)
                ],
            },
        ],
    }


def _write(root, payloads) -> None:
    forms = root / "xss"
    forms.mkdir(parents=True, exist_ok=True)
    # JSON is YAML: no quoting mistakes in a corpus full of quotes and brackets
    (forms / "1.0.0.yaml").write_text(json.dumps(xss_form(payloads), indent=1), "utf-8")


def loadable_payloads(root) -> tuple[list[str], list]:
    """The payloads the form validator accepts in form texts, and its problems with the others."""
    import formengine

    _write(root, PAYLOADS)
    problems_ = formengine.load_registry(root).problems
    refused = {str(p.args.get("url")) for p in problems_ if p.args.get("url")}
    # a refused text is replaced (not dropped), so item t<i> always exists for answer payload i
    return [("refused" if any(url in p for url in refused) else p) for p in PAYLOADS], problems_


def test_links_with_script_or_data_urls_in_form_texts_are_refused_at_load(tmp_path):
    accepted, problems_ = loadable_payloads(tmp_path / "forms")
    assert problems_ and {p.code for p in problems_} == {"FE128"}, problems_
    for payload, kept in zip(PAYLOADS, accepted, strict=True):
        if kept == "refused":
            assert re.search(r"(?i)(javascript|data):", payload), payload


@pytest.fixture
def xss_app(tmp_path):
    accepted, _ = loadable_payloads(tmp_path / "forms")
    _write(tmp_path / "forms", accepted)
    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "xss",
            "ACCESS_LOG": False,
            "FORMS": str(tmp_path / "forms"),
            "DATABASE_URL": f"sqlite:///{tmp_path / 'xss.sqlite3'}",
        }
    )
    assert app.config["FORM_REGISTRY"].latest_active("xss") is not None, app.config["FORM_REGISTRY"].problems
    yield app
    app.extensions["formengine_db"].engine.dispose()


def _check(page: str, where: str) -> None:
    found = problems(page)
    assert not found, f"{where}: {found[:5]}"


def test_form_texts_are_inert_on_every_page(xss_app):
    client = xss_app.test_client()
    _check(client.get("/").get_data(as_text=True), "front page")
    rid = started(client, "xss")
    for url in (
        f"/svar/{rid}/om",
        f"/svar/{rid}/del/texts",
        f"/svar/{rid}/del/choices",
        f"/svar/{rid}/oppsummering",
        f"/svar/{rid}/pause",
    ):
        resp = client.get(url)
        assert resp.status_code == 200, url
        page = resp.get_data(as_text=True)
        _check(page, url)
        if url.endswith("/del/texts"):
            assert "{{ 7*7 }}" in page  # no template evaluation of form texts


def test_answers_are_shown_literally_on_section_review_receipt_and_copy(xss_app):
    client = xss_app.test_client()
    rid = started(client, "xss")
    answers = {f"t{i}": p for i, p in enumerate(PAYLOADS)}
    resp = post_page(client, f"/svar/{rid}/del/texts", {**answers, "_nav": "review"})
    assert resp.status_code == 303, resp.get_data(as_text=True)[:500]
    pages = {
        "section": client.get(f"/svar/{rid}/del/texts").get_data(as_text=True),
        "review": client.get(f"/svar/{rid}/oppsummering").get_data(as_text=True),
    }
    review = pages["review"]
    assert client.post(f"/svar/{rid}/send", data={"csrf_token": csrf(review)}).status_code == 303
    pages["receipt"] = client.get(f"/svar/{rid}/kvittering").get_data(as_text=True)
    pages["copy"] = client.get(f"/svar/{rid}/kopi").get_data(as_text=True)
    for where, page in pages.items():
        _check(page, where)
    for where in ("section", "review", "copy"):
        missing = [p for p in PAYLOADS if str(escape(p)) not in pages[where]]
        assert not missing, f"{where}: answers not shown literally: {missing[:3]}"


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def test_answers_and_form_texts_are_literal_in_the_pdf(xss_app):
    from pypdf import PdfReader

    defn = xss_app.config["FORM_REGISTRY"].latest_active("xss")
    answers = {f"t{i}": p for i, p in enumerate(PAYLOADS)}
    pdf = render_summary_pdf(defn, answers, lang="nb")
    text = _squash("".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(pdf)).pages))
    missing = [p for p in PAYLOADS if _squash(p) not in text]
    assert not missing, f"not literal in the PDF text: {missing[:5]}"

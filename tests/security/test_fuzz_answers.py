"""Fuzzing the answer paths: random answer sets end in coded problems or a result, never a crash;
random form fields posted to a section page end in a page (2xx/3xx/4xx), never a 500."""

from __future__ import annotations

import datetime as dt
import warnings
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import formengine
from formengine.errors.problems import AnswerError, Problem

from ..webapp.conftest import csrf

REGISTRY = formengine.load_registry(Path(__file__).resolve().parents[2] / "forms")
CORE = REGISTRY.latest_active("parorende-kartlegging")
ITEMS = [i for s in CORE.sections for i in s.items]
ITEM_IDS = [i.id for i in ITEMS]
OPTION_VALUES = sorted({o.value for i in ITEMS for o in (i.options or ())})
ROW_IDS = sorted({r.id for i in ITEMS for r in (i.rows or ())})

scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(10**12), 10**12),
    st.floats(allow_nan=True),
    st.text(max_size=30),
    st.sampled_from(OPTION_VALUES),
    st.dates().map(dt.date.isoformat),
    st.sampled_from(["", "  ", "2024-02-30", "today", "NaN", "1e309", "-0"]),
)
json_ish = st.recursive(
    scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=5),
        st.dictionaries(
            st.one_of(st.sampled_from(ROW_IDS + ITEM_IDS), st.text(max_size=10)), inner, max_size=5
        ),
    ),
    max_leaves=15,
)
answer_sets = st.dictionaries(
    st.one_of(st.sampled_from(ITEM_IDS), st.text(max_size=12)), json_ish, max_size=12
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(answers=answer_sets)
def test_validate_answers_returns_coded_problems(answers):
    problems = formengine.validate_answers(CORE, answers, today=dt.date(2025, 1, 1))
    assert isinstance(problems, list)
    for problem in problems:
        assert isinstance(problem, Problem) and problem.code.startswith("FE5"), problem


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    document=st.one_of(
        json_ish,
        st.fixed_dictionaries(
            {
                "form": st.sampled_from([CORE.id, "other", 7]),
                "version": st.sampled_from([CORE.version, "9.9.9", None]),
                "answers": st.one_of(answer_sets, json_ish),
            }
        ),
    )
)
def test_answer_documents_end_in_a_result_or_a_coded_error(document):
    try:
        formengine.check_answers(CORE, formengine.answers.check.check_envelope(document))
    except AnswerError as error:
        assert error.problems and all(p.code.startswith("FE5") for p in error.problems)


@pytest.fixture(scope="module")
def fuzz_client(tmp_path_factory):
    from webapp import create_app

    folder = tmp_path_factory.mktemp("fuzz")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        app = create_app(
            {
                "TESTING": True,
                "SECRET_KEY": "fuzz",
                "ACCESS_LOG": False,
                "DATABASE_URL": f"sqlite:///{folder / 'fuzz.sqlite3'}",
                "PROPAGATE_EXCEPTIONS": False,
            }
        )
    client = app.test_client()
    page = client.get("/").get_data(as_text=True)
    consent = client.post("/start/parorende-kartlegging", data={"csrf_token": csrf(page)}).headers["Location"]
    client.post(consent, data={"csrf_token": csrf(client.get(consent).get_data(as_text=True))})
    rid = consent.split("/")[2]
    yield app, client, rid, csrf(client.get(f"/svar/{rid}/del/about_you").get_data(as_text=True))
    app.extensions["formengine_db"].engine.dispose()


def _field_names():
    names = list(ITEM_IDS) + ["_nav", "_base", "_shown", "_add", "_remove", "_co", "_lang"]
    for item in ITEMS:
        names += [f"{item.id}-{r.id}" for r in (item.rows or ())]
        names += [f"{item.id}-rank-{o.value}" for o in (item.options or ())]
        names += [f"{item.id}-{n}-{c.id}" for n in (0, 1, 11) for c in (item.items or ())]
    return sorted(set(names))


form_values = st.one_of(
    st.text(max_size=40),
    st.sampled_from(OPTION_VALUES),
    st.integers(-5, 10**9).map(str),
    st.sampled_from(
        [
            "next",
            "back",
            "review",
            "pause",
            "{}",
            '{"relation": 5}',
            "[1]",
            "children",
            "children:0",
            "children:99",
            "x:y",
            "nn",
            "ø" * 3,
            "\x00",
        ]
    ),
)
posts = st.lists(
    st.tuples(st.one_of(st.sampled_from(_field_names()), st.text(max_size=12)), form_values), max_size=25
)


@settings(
    max_examples=120,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(section=st.sampled_from([s.id for s in CORE.sections]), fields=posts)
def test_random_form_posts_never_give_a_500(fuzz_client, section, fields):
    app, client, rid, token = fuzz_client
    from werkzeug.datastructures import MultiDict

    resp = client.post(f"/svar/{rid}/del/{section}", data=MultiDict([("csrf_token", token), *fields]))
    assert resp.status_code < 500, (section, fields, resp.status_code)
    assert resp.status_code in (200, 303, 400, 404, 409, 413), resp.status_code

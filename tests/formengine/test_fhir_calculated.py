"""Calculated items: the format (``calculated``, ``read_only``), server-side evaluation, FHIR both ways.

Fixtures: tests/data/fhir/lhc-weight-height-bmi.json has the LHC-Forms weight/height/BMI
items and their FHIRPath as LHC-Forms and the FHIRPath specification write them (variables
``%weight`` and ``%height`` (inches → metres), ``(%weight/(%height.power(2))).round(1)``);
the PHQ-9 total is the Argonaut PHQ-9 sample with a total item whose calculatedExpression
sums the answers' weights the way the SDC guide's PHQ-9 example does.
"""

from __future__ import annotations

import copy
import json
import textwrap
from pathlib import Path

from formengine.answers.conditions import effective_answers
from formengine.definition.builder.validation import Builder
from formengine.definition.loader import load_text
from formengine.definition.registry import load_registry
from formengine.fhir.export import export_questionnaire
from formengine.fhir.importer import import_questionnaire
from formengine.scoring.engine import score

DATA = Path(__file__).resolve().parent.parent / "data" / "fhir"
CALC = "http://hl7.org/fhir/uv/sdc/StructureDefinition/sdc-questionnaire-calculatedExpression"


def sample(name: str) -> dict:
    return json.loads((DATA / name).read_text("utf-8"))


def install(q: dict, root: Path, warnings: list | None = None):
    data, text = import_questionnaire(q, report=(warnings.append if warnings is not None else lambda m: None))
    path = root / "forms" / data["id"] / f"{data['version']}.yaml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, "utf-8")
    registry = load_registry(root / "forms")
    assert registry.errors == []
    return data, registry.definitions[(data["id"], data["version"])]


def build(items: str):
    head = "id: t\nversion: 1.0.0\nstatus: draft\ntitle: T\nlanguages: [nb]\ndefault_language: nb\n"
    body = textwrap.indent(textwrap.dedent(items).strip("\n"), "      ")
    doc = load_text(head + "sections:\n  - id: s1\n    title: S\n    items:\n" + body + "\n", "t.yaml")
    builder = Builder(doc)
    defn = builder.build()
    return defn, [f"{p.code}@{p.location.line}:{p.location.column}" for p in doc.problems + builder.problems]


def phq9_with_total() -> dict:
    q = sample("argonaut-phq9.json")
    group = q["item"][0]
    group["item"].append(
        {
            "linkId": "g1.total",
            "text": "PHQ-9 total score",
            "type": "integer",
            "readOnly": True,
            "extension": [
                {
                    "url": CALC,
                    "valueExpression": {
                        "language": "text/fhirpath",
                        "expression": "%resource.item.where(linkId='g1').item.answer.value.weight().sum()",
                    },
                }
            ],
        }
    )
    return q


# ---------------------------------------------------------------------------------------
# The format


NUMBERS = """
- id: weight
  type: number
  integer: false
  label: Vekt
- id: height
  type: number
  label: Høyde (cm)
"""


def test_calculated_in_our_language_is_computed_and_never_trusted():
    defn, problems = build(
        NUMBERS
        + """
- id: bmi
  type: number
  integer: false
  label: KMI
  calculated: weight / ((height / 100) * (height / 100))
"""
    )
    assert problems == []
    bmi = defn.item("bmi")
    assert bmi.read_only and bmi.calculated is not None and not bmi.calculated.is_fhirpath
    assert effective_answers(defn, {"weight": 70, "height": 175})["bmi"] == 22.85714286
    # a stored (typed or tampered) value is replaced, and removed when it cannot be computed
    assert effective_answers(defn, {"weight": 70, "height": 175, "bmi": 99})["bmi"] == 22.85714286
    assert "bmi" not in effective_answers(defn, {"weight": 70, "bmi": 99})


def test_fhirpath_calculation_with_variables():
    defn, problems = build(
        NUMBERS
        + """
- id: bmi
  type: number
  integer: false
  label: KMI
  calculated:
    fhirpath: "(%w / ((%h / 100).power(2))).round(1)"
    variables:
      - name: w
        expression: "%resource.repeat(item).where(linkId='weight').answer.value"
      - name: h
        expression: "%resource.repeat(item).where(linkId='height').answer.value"
"""
    )
    assert problems == []
    assert effective_answers(defn, {"weight": 70, "height": 175})["bmi"] == 22.9


def test_calculation_problems_are_located():
    _defn, problems = build(
        NUMBERS
        + """
- id: bmi
  type: number
  label: KMI
  required: true
  calculated:
    fhirpath: "%resource.repeat(item).where(linkId='heigth').answer.value"
- id: broken
  type: number
  label: X
  calculated:
    fhirpath: "(1 +* 2"
- id: ours
  type: number
  label: Y
  calculated: wieght * 2
- id: pick
  type: single_choice
  label: Z
  options: [{value: a, label: A}]
  calculated: weight
"""
    )
    # FE152 required on a calculated item; FE210 unknown linkId (at the literal); FE211 syntax;
    # FE202 unknown reference; FE119 a choice cannot be calculated
    assert sorted(problems) == ["FE119@38:9", "FE152@22:9", "FE202@33:21", "FE210@24:59", "FE211@29:26"]


# ---------------------------------------------------------------------------------------
# FHIR import and export


def test_lhc_bmi_imports_as_a_calculated_read_only_item(tmp_path):
    warnings: list[str] = []
    data, defn = install(sample("lhc-weight-height-bmi.json"), tmp_path, warnings)
    assert not [w for w in warnings if "calculat" in w or "readOnly" in w or "variable" in w], warnings
    bmi = defn.item("q_39156_5")
    assert bmi.read_only and bmi.calculated is not None and not bmi.calculated.is_fhirpath
    # FHIRPath arithmetic on number answers is said in our language: the browser computes it live
    assert bmi.calculated.source == (
        "round(((q_29463_7) / (((q_8302_2 * 0.0254) * (q_8302_2 * 0.0254)))), 1)"
    )
    answers = {"q_29463_7": 70, "q_8302_2": 69}
    # LHC-Forms: 69 in = 1.7526 m; 70 / 1.7526² = 22.789… → 22.8
    assert effective_answers(defn, answers)["q_39156_5"] == 22.8


def test_phq9_total_equals_the_sum_of_the_answer_weights(tmp_path):
    _data, defn = install(phq9_with_total(), tmp_path)
    ids = [f"g1_q{n}" for n in range(1, 10)]
    item = defn.item(ids[0])
    codes = [o.value for o in item.options]
    answers = {ident: codes[n % 4] for n, ident in enumerate(ids)}
    expected = sum(item.option(answers[i]).score for i in ids)
    shown = effective_answers(defn, answers)
    assert shown["g1_total"] == expected == 12
    # the imported total scale agrees with the calculated item
    report = score(defn, answers, "en").as_json()
    assert {s["id"]: s["value"] for s in report["scales"]}["total"] == expected


def test_export_writes_calculated_expression_and_read_only_and_imports_back(tmp_path):
    _data, defn = install(phq9_with_total(), tmp_path)
    total = defn.item("g1_total")
    assert total.calculated.is_fhirpath  # weight().sum(): FHIRPath only
    q = export_questionnaire(defn)
    # an imported form exports with its source's linkIds (g1.total, not g1_total)
    item = next(i for i in q["item"][0]["item"] if i["linkId"] == "g1.total")
    assert item["readOnly"] is True
    calc = next(e for e in item["extension"] if e["url"] == CALC)["valueExpression"]
    assert calc == {"language": "text/fhirpath", "expression": total.calculated.source}
    again = copy.deepcopy(q)
    again["version"] = "1.0.1"
    _data2, defn2 = install(again, tmp_path / "again")
    assert defn2.item("g1_total").calculated == total.calculated
    answers = {f"g1_q{n}": "la6569_3" for n in range(1, 10)}  # "Several days" (1) nine times
    assert effective_answers(defn2, answers)["g1_total"] == effective_answers(defn, answers)["g1_total"] == 9


def test_our_language_exports_as_fhirpath_that_computes_the_same(tmp_path):
    from formengine.answers.fhirpath import evaluate, response_for
    from formengine.definition.calculation import FHIRPATH, Calculation

    defn, problems = build(
        NUMBERS
        + """
- id: bmi
  type: number
  integer: false
  label: KMI
  calculated: weight / ((height / 100) * (height / 100))
"""
    )
    assert problems == []
    q = export_questionnaire(defn)
    bmi = next(i for i in q["item"][0]["item"] if i["linkId"] == "bmi")
    source = next(e for e in bmi["extension"] if e["url"] == CALC)["valueExpression"]["expression"]
    answers = {"weight": 70, "height": 175}
    value = evaluate(Calculation(FHIRPATH, source), response_for(defn, answers), None)
    assert abs(value - effective_answers(defn, answers)["bmi"]) < 1e-6


def test_read_only_without_calculation_is_imported(tmp_path):
    q = sample("lhc-weight-height-bmi.json")
    q["item"][0]["readOnly"] = True
    _data, defn = install(q, tmp_path)
    assert defn.item("q_29463_7").read_only and defn.item("q_29463_7").calculated is None


def test_read_only_and_calculated_are_refused_inside_a_repeat_group():
    _defn, problems = build(
        """
- id: people
  type: repeat
  label: Personer
  items:
    - id: age
      type: number
      label: Alder
      read_only: true
    - id: double
      type: number
      label: Dobbel
      calculated: age * 2
"""
    )
    assert sorted(problems) == ["FE149@18:13", "FE149@22:13"]


def test_refero_sdf_calculated_expression_sums(tmp_path):
    """Helsenorge Refero's own extension (``sdf-calculatedExpression``, valueString or valueExpression),
    with FHIRPath as Refero writes it (``QuestionnaireResponse.descendants()…sum()``; the structure of
    Refero's scoring/fhirpath-score test fixture)."""
    warnings: list[str] = []
    _data, defn = install(sample("refero-fhirpath-sum.json"), tmp_path, warnings)
    assert not [w for w in warnings if "calculat" in w], warnings
    assert defn.item("q_4").calculated.source == (
        "QuestionnaireResponse.descendants().where(linkId='q_1' or linkId='q_2').answer.value.sum()"
    )
    shown = effective_answers(defn, {"q_1": 1.5, "q_2": 2})
    assert shown["q_4"] == 3.5 and shown["q_6"] == 2
    assert effective_answers(defn, {})["q_4"] == 0  # FHIRPath: the sum of nothing is 0
    assert "q_6" not in effective_answers(defn, {})


# ---------------------------------------------------------------------------------------
# initial and initialExpression


def test_initial_values_are_checked_and_start_a_response():
    from formengine.answers.calculate import initial_answers

    defn, problems = build(
        NUMBERS.replace("label: Vekt", "label: Vekt\n  initial: 70")
        + """
- id: when
  type: date
  label: Dato
  initial: today
- id: who
  type: single_choice
  label: Hvem
  options: [{value: me, label: Meg}, {value: other, label: Annen}]
  initial: me
- id: bmi
  type: number
  integer: false
  label: KMI
  calculated: weight / 4
"""
    )
    assert problems == []
    import datetime as dt

    start = initial_answers(defn, dt.date(2026, 11, 27))
    assert start == {"weight": 70, "when": "2026-11-27", "who": "me"}
    assert effective_answers(defn, start)["bmi"] == 17.5
    _defn, problems = build(
        """
- id: n
  type: number
  label: N
  max: 10
  initial: 11
- id: c
  type: single_choice
  label: C
  options: [{value: a, label: A}]
  initial: b
- id: d
  type: date
  label: D
  initial: yesterday
- id: k
  type: number
  label: K
  calculated: n
  initial: 1
"""
    )
    assert sorted(problems) == ["FE150@15:18", "FE150@20:18", "FE150@24:18", "FE152@29:9"]


def test_initial_and_initial_expression_import_and_export(tmp_path):
    q = sample("lhc-weight-height-bmi.json")
    q["item"][0]["initial"] = [{"valueDecimal": 70}]
    q["item"][1]["extension"].append(
        {
            "url": "http://hl7.org/fhir/uv/sdc/StructureDefinition/sdc-questionnaire-initialExpression",
            "valueExpression": {"language": "text/fhirpath", "expression": "60 + 9"},
        }
    )
    q["item"].append(
        {
            "linkId": "seen",
            "type": "date",
            "text": "Seen",
            "extension": [
                {
                    "url": "http://hl7.org/fhir/uv/sdc/StructureDefinition/sdc-questionnaire-initialExpression",
                    "valueExpression": {"language": "text/fhirpath", "expression": "today()"},
                }
            ],
        }
    )
    q["item"].append(
        {
            "linkId": "age",
            "type": "integer",
            "text": "Age",
            "extension": [
                {
                    "url": "http://hl7.org/fhir/uv/sdc/StructureDefinition/sdc-questionnaire-initialExpression",
                    "valueExpression": {"language": "text/fhirpath", "expression": "%patient.birthDate"},
                }
            ],
        }
    )
    warnings: list[str] = []
    _data, defn = install(q, tmp_path, warnings)
    assert defn.item("q_29463_7").initial == 70 and defn.item("q_8302_2").initial == 69
    assert defn.item("seen").initial == "today" and defn.item("age").initial is None
    assert [w for w in warnings if "initial" in w] == [
        "item 'age': its initial value is not carried over "
        "(it needs %patient, which is not known when a response starts)"
    ]
    flat = export_questionnaire(defn)["item"]  # loose items of the source stay top-level items
    weight = next(i for i in flat if i["linkId"] == "/29463-7")  # and keep the source's linkIds
    assert weight["initial"] == [{"valueDecimal": 70}]
    seen = next(i for i in flat if i["linkId"] == "seen")
    assert any(e.get("valueExpression", {}).get("expression") == "today()" for e in seen["extension"])


def test_the_paper_form_does_not_ask_for_calculated_or_read_only_answers():
    from formengine.summary.documents import blank_item

    defn, problems = build(
        NUMBERS
        + """
- id: bmi
  type: number
  label: KMI
  calculated: weight * 2
- id: case_no
  type: text
  label: Saksnummer
  read_only: true
"""
    )
    assert problems == []
    bmi, case_no = blank_item(defn, defn.item("bmi"), "nb"), blank_item(defn, defn.item("case_no"), "nb")
    assert bmi["type"] == case_no["type"] == "read_only"  # no box, no line
    assert bmi["instruction"] == "Dette fyller du ikke ut: det regnes ut fra svarene dine."
    assert case_no["instruction"] == "Dette fyller du ikke ut."
    assert blank_item(defn, defn.item("weight"), "nb")["type"] == "number"


LHC_PHQ9 = [
    "/44250-9",
    "/44255-8",
    "/44259-0",
    "/44254-1",
    "/44251-7",
    "/44258-2",
    "/44252-5",
    "/44253-3",
    "/44260-8",
]
ORDINAL = "http://hl7.org/fhir/StructureDefinition/ordinalValue"


def lhc_phq9() -> dict:
    """The PHQ-9 as LHC-Forms ships it: nine top-level questions and a total whose FHIRPath the
    LHC Rule Editor writes (one variable per question reading the answer's ordinalValue from
    %questionnaire, ``any_questions_answered``, and ``iif(…, iif(%a.exists(), %a, 0) + …, {})``);
    the answer list is the Argonaut sample's PHQ-9 value set."""
    argonaut = sample("argonaut-phq9.json")
    names = "abcdefghi"
    variables = [
        {
            "url": "http://hl7.org/fhir/StructureDefinition/variable",
            "valueExpression": {
                "name": name,
                "language": "text/fhirpath",
                "expression": f"%questionnaire.item.where(linkId = '{link}').answerOption"
                f".where(valueCoding.code=%resource.item.where(linkId = '{link}').answer.valueCoding.code)"
                f".extension.where(url='{ORDINAL}').valueDecimal",
            },
        }
        for name, link in zip(names, LHC_PHQ9, strict=True)
    ]
    variables.append(
        {
            "url": "http://hl7.org/fhir/StructureDefinition/variable",
            "valueExpression": {
                "name": "any_questions_answered",
                "language": "text/fhirpath",
                "expression": " or ".join(f"%{n}.exists()" for n in names),
            },
        }
    )
    total = " + ".join(f"iif(%{n}.exists(), %{n}, 0)" for n in names)
    contains = argonaut["contained"][0]["expansion"]["contains"]
    options = [
        {"valueCoding": {k: c[k] for k in ("system", "code", "display")}, "extension": c["extension"]}
        for c in contains
    ]
    items = [
        {"linkId": link, "type": "choice", "text": f"PHQ-9 question {n + 1}", "answerOption": options}
        for n, link in enumerate(LHC_PHQ9)
    ]
    items.append(
        {
            "linkId": "/44261-6",
            "type": "integer",
            "text": "Patient health questionnaire 9 item total score",
            "readOnly": True,
            "extension": variables
            + [
                {
                    "url": CALC,
                    "valueExpression": {
                        "description": "Total score calculation",
                        "language": "text/fhirpath",
                        "expression": f"iif(%any_questions_answered, {total}, {{}})",
                    },
                }
            ],
        }
    )
    return {
        "resourceType": "Questionnaire",
        "id": "phq-9",
        "version": "1.0.0",
        "status": "active",
        "title": "PHQ-9 (LHC-Forms)",
        "item": items,
    }


def test_lhc_rule_editor_phq9_total(tmp_path):
    warnings: list[str] = []
    _data, defn = install(lhc_phq9(), tmp_path, warnings)
    assert not [w for w in warnings if "calculat" in w], warnings
    ids = [f"q_{link[1:].replace('-', '_')}" for link in LHC_PHQ9]
    total = defn.item("q_44261_6")
    assert total.calculated.is_fhirpath and len(total.calculated.variables) == 10
    # the score look-up in %questionnaire is said directly (same value, a search less per option)
    assert dict(total.calculated.variables)["a"] == (
        "%resource.repeat(item).where(linkId='q_44250_9').answer.value.ordinal()"
    )
    first = defn.item(ids[0])
    codes = [o.value for o in first.options]
    answers = {ident: codes[(n * 2) % 4] for n, ident in enumerate(ids)}
    expected = sum(first.option(answers[i]).score for i in ids)
    assert effective_answers(defn, answers)["q_44261_6"] == expected == 8
    assert effective_answers(defn, {ids[3]: codes[3]})["q_44261_6"] == 3  # the others count 0
    assert "q_44261_6" not in effective_answers(defn, {})  # nothing answered: no total, as LHC shows


def test_an_exported_response_carries_the_computed_value(tmp_path):
    from formengine.fhir.response import export_response

    _data, defn = install(sample("lhc-weight-height-bmi.json"), tmp_path)
    qr = export_response(defn, {"answers": {"q_29463_7": 70, "q_8302_2": 69, "q_39156_5": 1}})
    flat = {i["linkId"]: i for i in qr["item"]}  # the source's top-level items and linkIds
    assert flat["/39156-5"]["answer"] == [{"valueDecimal": 22.8}]  # computed, not the stored 1


def test_a_flag_reads_a_calculated_value():
    """A calculated number counts in scoring rules like any answer (a flag's ``when``)."""
    head = "id: t\nversion: 1.0.0\nstatus: draft\ntitle: T\nlanguages: [nb]\ndefault_language: nb\n"
    body = textwrap.indent(
        textwrap.dedent(
            NUMBERS + "- id: bmi\n  type: number\n  integer: false\n  label: KMI\n"
            "  calculated: round(weight / ((height / 100) * (height / 100)), 1)\n"
        ).strip("\n"),
        "      ",
    )
    text = (
        head + "sections:\n  - id: s1\n    title: S\n    items:\n" + body + "\n"
        'scoring:\n  flags:\n    - id: high_bmi\n      when: "bmi >= 30"\n      severity: info\n'
        "      message: Høy KMI\n      action: Snakk om det\n"
    )
    doc = load_text(text, "t.yaml")
    builder = Builder(doc)
    defn = builder.build()
    assert builder.problems == [] and defn is not None
    flags = lambda answers: [f["id"] for f in score(defn, answers, "nb").as_json()["flags"]]  # noqa: E731
    assert flags({"weight": 100, "height": 175}) == ["high_bmi"]  # 32.7
    assert flags({"weight": 70, "height": 175, "bmi": 40}) == []  # 22.9: a stored value is not trusted


def test_sdc_answers_and_a_total_that_never_counts_itself():
    """SDC ``answers()`` (every answer at any depth); a stored (or its own) value never counts."""
    defn, problems = build(
        """
- id: a
  type: scale
  label: A
  options: [{value: lo, label: Lo, score: 1}, {value: hi, label: Hi, score: 2}]
- id: b
  type: scale
  label: B
  options: [{value: lo, label: Lo, score: 1}, {value: hi, label: Hi, score: 2}]
- id: n
  type: number
  label: N
- id: total
  type: number
  label: Sum
  calculated:
    fhirpath: "%resource.answers().value.weight().sum() + %resource.answers().value.ofType(integer).sum()"
"""
    )
    assert problems == []
    assert effective_answers(defn, {"a": "hi", "b": "lo", "n": 4, "total": 99})["total"] == 7

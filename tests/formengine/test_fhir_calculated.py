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
    assert bmi.read_only and bmi.calculated is not None and bmi.calculated.is_fhirpath
    assert "linkId='q_29463_7'" in dict(bmi.calculated.variables)["weight"]
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
    _data, defn = install(sample("lhc-weight-height-bmi.json"), tmp_path)
    q = export_questionnaire(defn)
    # an imported form exports as its source was: loose items at the top level, the source's
    # linkIds in its items and in its FHIRPath
    bmi = next(i for i in q["item"] if i["linkId"] == "/39156-5")
    assert bmi["readOnly"] is True
    calc = next(e for e in bmi["extension"] if e["url"] == CALC)["valueExpression"]
    ours = defn.item("q_39156_5").calculated.source
    assert calc == {"language": "text/fhirpath", "expression": ours.replace("q_29463_7", "/29463-7")}
    assert "q_29463_7" not in json.dumps(q) and "linkId='/29463-7'" in json.dumps(q)
    again = copy.deepcopy(q)
    again["version"] = "1.0.1"
    _data2, defn2 = install(again, tmp_path / "again")
    assert defn2.item("q_39156_5").calculated == defn.item("q_39156_5").calculated
    assert effective_answers(defn2, {"q_29463_7": 70, "q_8302_2": 69})["q_39156_5"] == 22.8


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

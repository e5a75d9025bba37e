"""Municipal variants: resolution, provenance, and refusals that keep national answers comparable."""

from __future__ import annotations

import shutil
import textwrap
from pathlib import Path

from formengine import load_registry

SHIPPED_FORMS = Path(__file__).resolve().parents[2] / "forms"

VARIANT = """\
id: lokal
version: 1.0.0
status: active
extends: parorende-kartlegging@1.0.0
municipality: {{id: lokal, name: Lokal kommune}}
changes:
{changes}
"""


def variant(shipped_forms, changes: str):
    folder = shipped_forms / "lokal"
    folder.mkdir(exist_ok=True)
    body = VARIANT.format(changes=textwrap.indent(textwrap.dedent(changes).strip("\n"), "  "))
    (folder / "1.0.0.yaml").write_text(body, "utf-8")
    shutil.rmtree(shipped_forms / "eksempel-kommune")
    registry = load_registry(shipped_forms)
    return registry, [(p.code, p.location.file.rsplit("/", 1)[-1], p.location.line) for p in registry.errors]


def test_shipped_variant_resolves_with_provenance():
    registry = load_registry(SHIPPED_FORMS)
    variant = registry.get("eksempel-kommune", "1.0.0")
    core = registry.get("parorende-kartlegging", "1.0.0")
    assert variant.extends == "parorende-kartlegging@1.0.0"
    assert variant.municipality.name == "Eksempel kommune"
    assert variant.offers and variant.contacts

    # an origin is "FILE:LINE", FILE relative to the working directory when it lies below it
    def source(item) -> Path:
        return Path(item.origin.rsplit(":", 1)[0]).resolve()

    local = [i for i in variant.iter_items() if source(i).is_relative_to(SHIPPED_FORMS / "eksempel-kommune")]
    inherited = [
        i for i in variant.iter_items() if source(i).is_relative_to(SHIPPED_FORMS / "parorende-kartlegging")
    ]
    assert local and inherited
    assert set(core.items_by_id) - set(variant.items_by_id)  # the hidden item is gone
    for scale in core.scoring.scales:  # national scoring untouched
        assert scale in variant.scoring.scales
    assert variant.hash != core.hash


def test_hiding_a_scored_item_is_refused(shipped_forms):
    _, errors = variant(shipped_forms, "- {op: hide, target: strain_sleep_1}")
    assert errors == [("FE304", "1.0.0.yaml", 7)]


def test_unknown_target_and_op_are_located(shipped_forms):
    _, errors = variant(
        shipped_forms,
        """
        - {op: set_text, target: no_such_item, label: X}
        - {op: remove, target: strain_sleep_1}
        - {op: add_items, items: []}
    """,
    )
    assert errors == [("FE303", "1.0.0.yaml", 7), ("FE307", "1.0.0.yaml", 8), ("FE308", "1.0.0.yaml", 9)]


def test_rescoring_a_core_scale_is_refused(shipped_forms):
    folder = shipped_forms / "lokal"
    folder.mkdir()
    (folder / "1.0.0.yaml").write_text(
        VARIANT.format(changes="  []")
        + textwrap.dedent("""\
        scoring:
          scales:
            - {id: strain_sleep, label: X, items: [strain_sleep_1]}
            - {id: local_scale, label: Y, items: [strain_sleep_1]}
        """),
        "utf-8",
    )
    errors = [(p.code, p.location.line) for p in load_registry(shipped_forms).errors]
    assert errors == [("FE305", 10), ("FE305", 11)]


def test_added_item_errors_point_into_the_variant_file(shipped_forms):
    _, errors = variant(
        shipped_forms,
        """
        - op: add_items
          after: strain_sleep_1
          items:
            - {id: lokal_q, type: singel_choice, label: Q}
    """,
    )
    assert errors == [("FE104", "1.0.0.yaml", 10)]


def test_variant_of_missing_base_is_refused(shipped_forms):
    folder = shipped_forms / "lokal"
    folder.mkdir()
    (folder / "1.0.0.yaml").write_text(VARIANT.format(changes="  []").replace("@1.0.0", "@7.0.0"), "utf-8")
    assert [(p.code, p.location.line) for p in load_registry(shipped_forms).errors] == [("FE302", 4)]


def test_overlay_and_item_errors_are_reported_together(shipped_forms):
    registry, errors = variant(
        shipped_forms,
        """
        - {op: set_text, target: no_such_item, label: X}
        - op: add_items
          after: strain_sleep_1
          items:
            - {id: lokal_q, type: singel_choice, label: Q}
    """,
    )
    assert errors == [("FE303", "1.0.0.yaml", 7), ("FE104", "1.0.0.yaml", 11)]
    assert ("lokal", "1.0.0") not in registry.definitions


def test_items_of_a_misplaced_insert_are_still_checked(shipped_forms):
    _, errors = variant(
        shipped_forms,
        """
        - op: add_items
          after: strain_slep_1
          items:
            - {id: lokal_q, type: singel_choice, label: Q}
    """,
    )
    assert errors == [("FE303", "1.0.0.yaml", 8), ("FE104", "1.0.0.yaml", 10)]

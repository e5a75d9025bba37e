"""The WTForms builder: validators follow the (form, field) contract and tolerate empty answers."""

from __future__ import annotations

from werkzeug.datastructures import MultiDict

from formengine import load_registry
from formengine.render.wtforms_builder import build_section_form, validate_section


def test_an_empty_date_with_limits_is_valid_when_optional(write_items, forms_root):
    write_items("- {id: when, type: date, label: Dato for møtet, min: '2020-01-01', max: today}")
    defn = load_registry(forms_root).get("test", "1.0.0")
    section = defn.sections[0]
    form_class = build_section_form(defn, section, "nb")
    form = form_class(MultiDict({"when": ""}), meta={"csrf": False})
    assert validate_section(form, defn, section, {}, "nb"), form.errors
    late = form_class(MultiDict({"when": "2999-01-01"}), meta={"csrf": False})
    assert not validate_section(late, defn, section, {}, "nb") and "when" in late.errors


def test_blank_optional_number_and_date_are_unanswered_but_garbage_is_an_error(write_items, forms_root):
    write_items("""
        - {id: age, type: number, label: Alder}
        - {id: born, type: date, label: Født}
    """)
    defn = load_registry(forms_root).get("test", "1.0.0")
    section = defn.sections[0]
    form_class = build_section_form(defn, section, "nb")
    blank = form_class(MultiDict({"age": "", "born": ""}), meta={"csrf": False})
    assert validate_section(blank, defn, section, {}, "nb"), blank.errors
    bad = form_class(MultiDict({"age": "tolv", "born": "i fjor"}), meta={"csrf": False})
    assert not validate_section(bad, defn, section, {}, "nb")
    assert set(bad.errors) == {"age", "born"}

"""The .po round trip: export a form's texts, translate, import them back into the YAML in place."""

from __future__ import annotations

import json
import re
from pathlib import Path

import yaml
from babel.messages.pofile import read_po, write_po

from formengine.cli.main import main
from formengine.definition.loader import load_file
from formengine.translate.po import text_entries

CORE = "parorende-kartlegging@1.1.0"


def export(root: Path, ref: str, lang: str, out: Path) -> dict:
    assert main(["--forms", str(root), "i18n", "export", ref, "--lang", lang, "-o", str(out)]) == 0
    with out.open("rb") as handle:
        return {m.context: m for m in read_po(handle) if m.id}


def import_po(root: Path, ref: str, po: Path, *extra: str) -> int:
    return main(["--forms", str(root), "i18n", "import", ref, str(po), *extra])


def strip_lang(text: str, lang: str) -> str:
    """Remove every ``lang:`` text (block lines, block scalars, flow entries) from YAML text."""
    out, lines, i = [], text.split("\n"), 0
    while i < len(lines):
        match = re.match(rf"^(\s*){lang}: ?(.*)$", lines[i])
        if match:
            indent, i = len(match.group(1)), i + 1
            if match.group(2).strip() in ("|", ">", "|-", ">-"):
                while i < len(lines) and (
                    not lines[i].strip() or len(lines[i]) - len(lines[i].lstrip()) > indent
                ):
                    i += 1
            continue
        out.append(re.sub(rf', {lang}: "[^"]*"', "", lines[i]))
        i += 1
    return "\n".join(out)


def comments(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip().startswith("#")]


def test_export_entries_have_stable_contexts_locations_and_notes(shipped_forms: Path, tmp_path: Path):
    messages = export(shipped_forms, CORE, "nn", tmp_path / "nn.po")
    option = messages["items.relation.options.parent.label"]
    assert (option.id, option.string) == ("Jeg er forelder", "Eg er forelder")
    assert option.auto_comments == ["Answer option of: Hva er du for den du hjelper?"]
    path = shipped_forms / "parorende-kartlegging" / "1.1.0.yaml"
    ((file, line),) = option.locations
    assert Path(file).resolve() == path.resolve()
    assert "label:" in path.read_text("utf-8").splitlines()[line - 1]
    for ctxt in (
        "title",
        "sections.about_you.title",
        "items.relation.label",
        "domains.time.label",
        "option_sets.strain.not_relevant.label",
        "scoring.scales.strain_time.bands.high.label",
        "scoring.flags.minor_children.action",
        "items.personal_now.rows.washing.label",
        "items.child_age.unit",
        "items.people_helped.add_label",
    ):
        assert ctxt in messages, ctxt
    assert not any(re.search(r"\.\d+\.", c) or "#" in c for c in messages), "contexts use ids, not indexes"
    doc = load_file(path)
    assert len(messages) == len(text_entries(doc.data))


def test_export_to_stdout_and_missing_translations_are_empty(shipped_forms: Path, capsys):
    path = shipped_forms / "parorende-kartlegging" / "1.1.0.yaml"
    path.write_text(path.read_text("utf-8").replace("  nn: Kartlegging for pårørande\n", ""), "utf-8")
    assert main(["--forms", str(shipped_forms), "i18n", "export", CORE, "--lang", "nn"]) == 0
    out = capsys.readouterr().out
    assert 'msgctxt "title"\nmsgid "Kartlegging for pårørende"\nmsgstr ""' in out
    assert '"Language: nn\\n"' in out


def test_export_refuses_a_language_the_form_does_not_have(shipped_forms: Path, capsys):
    assert main(["--forms", str(shipped_forms), "i18n", "export", CORE, "--lang", "se"]) == 1
    assert "add it to 'languages'" in capsys.readouterr().err


def test_round_trip_restores_blanked_translations(shipped_forms: Path, tmp_path: Path, capsys):
    po = tmp_path / "nn.po"
    export(shipped_forms, CORE, "nn", po)
    path = shipped_forms / "parorende-kartlegging" / "1.1.0.yaml"
    original = path.read_text("utf-8")
    path.write_text(strip_lang(original, "nn"), "utf-8")
    assert main(["check", "-q", "--strict", str(path)]) == 1  # FE110 for every missing nn text
    capsys.readouterr()
    assert import_po(shipped_forms, CORE, po) == 0
    restored = path.read_text("utf-8")
    assert main(["check", "-q", "--strict", str(path)]) == 0, capsys.readouterr().out
    assert yaml.safe_load(restored) == yaml.safe_load(original)
    assert comments(restored) == comments(original)
    assert restored == original  # the core's block and flow maps come back byte for byte
    assert import_po(shipped_forms, CORE, po) == 0  # a second import changes nothing
    assert path.read_text("utf-8") == original
    assert "0 'nn' text(s) written" in capsys.readouterr().err


def test_round_trip_of_a_variant_with_folded_texts(shipped_forms: Path, tmp_path: Path, capsys):
    po = tmp_path / "en.po"
    messages = export(shipped_forms, "eksempel-kommune@1.0.0", "en", po)
    assert "changes.set_text.support_contact_person.label" in messages
    assert (
        "offers.avlastning_dag.description" in messages
        and "items.local_callback_time.options.morning.label" in messages
    )
    path = shipped_forms / "eksempel-kommune" / "1.0.0.yaml"
    original = path.read_text("utf-8")
    path.write_text(strip_lang(original, "en"), "utf-8")
    assert import_po(shipped_forms, "eksempel-kommune@1.0.0", po) == 0
    restored = path.read_text("utf-8")
    assert yaml.safe_load(restored) == yaml.safe_load(original)
    assert comments(restored) == comments(original)
    assert main(["check", "-q", "--strict", str(path)]) == 0, capsys.readouterr().out


PLAIN = """\
# yaml-language-server: $schema=../../formengine/schema/form.schema.json
id: t
version: 1.0.0
status: draft
title: Test   # the title
languages: [nb, nn]
default_language: nb
sections:
  - id: s1
    title: 'Del: én'
    items:
      - id: intro
        type: note
        text: |
          Linje én.

          Linje to.

      - id: q
        type: single_choice
        label: Spørsmål?
        options:
          - {value: a, label: "A-svar"}
          - {value: b, label: B}
scoring:
  flags:
    - id: f
      when: "q == 'a'"
      severity: info
      message: >-
        Lang melding som
        er brettet.
"""
NN = {
    "title": "Test nn",
    "sections.s1.title": "Del: éin",
    "items.intro.text": "Linje éin.\n\nLinje to.\n",
    "items.q.label": "Spørsmål nn?",
    "items.q.options.a.label": "A-svar nn",
    "items.q.options.b.label": "B",
    "scoring.flags.f.message": "Lang melding som er bretta.",
}


def translate(po: Path, table: dict, fuzzy: set = frozenset(), extra: dict | None = None) -> None:
    with po.open("rb") as handle:
        catalog = read_po(handle)
    for message in catalog:
        if message.id:
            message.string = table.get(message.context, "")
            if message.context in fuzzy:
                message.flags.add("fuzzy")
    for ctxt, (msgid, msgstr) in (extra or {}).items():
        catalog.add(msgid, msgstr, context=ctxt)
    with po.open("wb") as handle:
        write_po(handle, catalog)


def test_plain_strings_become_block_maps_and_block_scalars_survive(
    write_form, forms_root: Path, tmp_path, capsys
):
    path = write_form(PLAIN, "t")
    po = tmp_path / "t.po"
    export(forms_root, "t@1.0.0", "nn", po)
    translate(po, NN)
    assert import_po(forms_root, "t@1.0.0", po) == 0
    text = path.read_text("utf-8")
    assert main(["check", "-q", "--strict", str(path)]) == 0, capsys.readouterr().out
    data = yaml.safe_load(text)
    assert data["title"] == {"nb": "Test", "nn": "Test nn"}
    assert data["sections"][0]["items"][0]["text"] == {
        "nb": "Linje én.\n\nLinje to.\n",
        "nn": NN["items.intro.text"],
    }
    assert data["scoring"]["flags"][0]["message"] == {
        "nb": "Lang melding som er brettet.",
        "nn": "Lang melding som er bretta.",
    }
    assert "title: # the title\n  nb: Test\n  nn: Test nn\n" in text
    assert "        text:\n          nb: |\n            Linje én.\n" in text
    assert '          - {value: a, label: {nb: "A-svar", nn: "A-svar nn"}}' in text
    assert "      message:\n        nb: >-\n          Lang melding som\n          er brettet.\n" in text
    assert comments(text) == comments(PLAIN)


def test_fuzzy_stale_and_unplaced_entries_are_not_imported(write_form, forms_root: Path, tmp_path, capsys):
    path = write_form(PLAIN, "t")
    po = tmp_path / "t.po"
    export(forms_root, "t@1.0.0", "nn", po)
    translate(
        po,
        NN,
        fuzzy={"items.q.label"},
        extra={"items.gone.label": ("Borte", "Vekke"), "title~": ("Test", "x")},
    )
    with po.open("rb") as handle:
        catalog = read_po(handle)
    catalog.delete("B", context="items.q.options.b.label")  # msgid no longer matches the form
    catalog.add("Old B", "B nn", context="items.q.options.b.label")
    with po.open("wb") as handle:
        write_po(handle, catalog)
    assert import_po(forms_root, "t@1.0.0", po) == 1
    err = capsys.readouterr().err
    assert "cannot place msgctxt 'items.gone.label'" in err and "cannot place msgctxt 'title~'" in err
    assert "skipped 'items.q.options.b.label'" in err and "1 fuzzy" in err
    data = yaml.safe_load(path.read_text("utf-8"))
    item = data["sections"][0]["items"][1]
    assert item["label"] == "Spørsmål?" and item["options"][1]["label"] == "B"
    assert data["title"] == {"nb": "Test", "nn": "Test nn"}


def test_long_contexts_with_the_section_are_accepted(write_form, forms_root: Path, tmp_path):
    path = write_form(PLAIN, "t")
    po = tmp_path / "t.po"
    export(forms_root, "t@1.0.0", "nn", po)
    translate(po, {}, extra={"sections.s1.items.q.label": ("Spørsmål?", "Spørsmål nn?")})
    assert import_po(forms_root, "t@1.0.0", po) == 0
    assert yaml.safe_load(path.read_text("utf-8"))["sections"][0]["items"][1]["label"]["nn"] == "Spørsmål nn?"


def test_import_refuses_a_published_version(shipped_forms: Path, tmp_path: Path, capsys):
    po = tmp_path / "nn.po"
    export(shipped_forms, CORE, "nn", po)
    (shipped_forms / "published.lock").write_text(json.dumps({CORE: "sha256:x"}), "utf-8")
    before = (shipped_forms / "parorende-kartlegging" / "1.1.0.yaml").read_text("utf-8")
    assert import_po(shipped_forms, CORE, po) == 1
    assert "Create a new version first" in capsys.readouterr().err
    assert (shipped_forms / "parorende-kartlegging" / "1.1.0.yaml").read_text("utf-8") == before


def test_import_needs_a_language_other_than_the_default(write_form, forms_root: Path, tmp_path, capsys):
    write_form(PLAIN, "t")
    po = tmp_path / "t.po"
    export(forms_root, "t@1.0.0", "nn", po)
    assert import_po(forms_root, "t@1.0.0", po, "--lang", "nb") == 1
    assert "default language" in capsys.readouterr().err
    assert main(["--forms", str(forms_root), "i18n", "import", "t@2.0.0", str(po)]) == 1
    assert "FE309" in capsys.readouterr().err

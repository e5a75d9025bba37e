"""The .po round trip covers card rows, card questions (columns) and their options, and option groups."""

from __future__ import annotations

import re
from pathlib import Path

import yaml
from babel.messages.pofile import read_po

from formengine.cli.main import main
from tests.formengine.cards_form import cards_form


def test_cards_and_group_texts_round_trip_through_po(forms_root: Path, tmp_path: Path, capsys):
    path = forms_root / "kort" / "1.0.0.yaml"
    path.parent.mkdir(parents=True)
    original = cards_form()
    path.write_text(original, "utf-8")
    po = tmp_path / "nn.po"
    assert (
        main(["--forms", str(forms_root), "i18n", "export", "kort@1.0.0", "--lang", "nn", "-o", str(po)]) == 0
    )
    with po.open("rb") as handle:
        messages = {m.context: m for m in read_po(handle) if m.id}
    for ctxt, nn in {
        "items.helps_with.groups.personal.label": "Personleg stell",
        "items.burden.rows.sleep.label": "Søvn",
        "items.tasks.columns.who_now.label": "Kven gjer dette no?",
        "items.tasks.columns.from_now.options.less.label": "Mindre",
        "items.tasks.columns.expects.options.take_over.label": "At dei tek over",
        "items.burden.columns.level.options.na.label": "Ikkje aktuelt",
    }.items():
        assert messages[ctxt].string == nn, ctxt
    assert messages["items.tasks.columns.who_now.label"].auto_comments == [
        "Question on every card of: Oppgavene du hjelper med"
    ]
    stripped = re.sub(r', nn: ("[^"]*"|[^,}]*)', "", original)
    assert "nn:" not in stripped.split("languages")[1]
    path.write_text(stripped, "utf-8")
    assert main(["--forms", str(forms_root), "i18n", "import", "kort@1.0.0", str(po)]) == 0
    assert yaml.safe_load(path.read_text("utf-8")) == yaml.safe_load(original)
    assert main(["check", "-q", "--strict", str(path)]) == 0, capsys.readouterr().out

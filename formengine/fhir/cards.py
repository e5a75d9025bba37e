"""The ``cards`` item type in FHIR: a group per card (row), one choice item per column.

Questionnaire: the cards item is a ``group`` (formengine item-type extension ``cards``) with one
``group`` per row (linkId ``cards.row``, text = the row label) holding one ``choice`` per column
(linkId ``cards.row.column``). A row of a ``rows_from`` item is enabled when its option is
ticked (``enableWhen`` on the multi_choice item, operator ``=``); a column after a column with
a not-applicable option is enabled only while that answer is not given (operator ``!=``,
``enableBehavior: all``), and a column with ``show_if`` only while it holds (see
:mod:`formengine.fhir.card_conditions`), so other FHIR tools ask the same path as our page.

QuestionnaireResponse: a group per answered card, an item per answered cell.

Import reads both back: a Questionnaire group with the ``cards`` extension becomes a cards
item (``rows_from`` when every row is enabled by the same multi_choice item on its own code,
otherwise fixed rows); anything that does not fit is a warning naming the linkId.
"""

from __future__ import annotations

from typing import Any, Protocol

from formengine.answers.conditions import card_columns_asked
from formengine.definition.model import FormDefinition, Item
from formengine.fhir.card_conditions import column_enable_when, column_show_if
from formengine.fhir.common import questionnaire_url
from formengine.fhir.options import read_options
from formengine.i18n import N_

CARDS = "cards"


# -- export ----------------------------------------------------------------------------------


class Exporting(Protocol):
    """What the cards export uses of the Questionnaire exporter (explicit inputs, no import back)."""

    system: str

    def text(self, *args: Any, **kwargs: Any) -> Any: ...
    def option(self, *args: Any, **kwargs: Any) -> Any: ...
    def help(self, *args: Any, **kwargs: Any) -> Any: ...
    def choices(self, *args: Any, **kwargs: Any) -> Any: ...


class ReadingResponse(Protocol):
    """What reading a cards answer uses of the QuestionnaireResponse reader."""

    def warn(self, *args: Any, **kwargs: Any) -> None: ...


class ReadingItems(Protocol):
    """What reading a cards item uses of the Questionnaire item reader."""

    lang: str
    sets: dict[str, dict[str, Any]]
    codes: dict[str, dict[str, str]]
    links: dict[str, Any]

    def base(self, *args: Any, **kwargs: Any) -> dict[str, Any]: ...
    def text(self, *args: Any, **kwargs: Any) -> Any: ...
    def warn(self, *args: Any, **kwargs: Any) -> None: ...


def questionnaire_cards(exporter: Exporting, item: Item, out: dict[str, Any]) -> list[dict[str, Any]]:
    """Fill ``out`` (the cards item) with one group per row; return extra extensions (none)."""
    out["type"] = "group"
    rows = []
    for row in item.rows:
        group: dict[str, Any] = {"linkId": f"{item.id}.{row.id}", "type": "group"}
        exporter.text(group, "text", row.label)
        if item.rows_from is not None:
            group["enableWhen"] = [
                {
                    "question": item.rows_from,
                    "operator": "=",
                    "answerCoding": {"system": exporter.system, "code": row.id},
                }
            ]
        cells = []
        ended: list[dict[str, Any]] = []  # the not-applicable answers of the columns so far
        for column in item.columns:
            cell: dict[str, Any] = {"linkId": f"{item.id}.{row.id}.{column.id}", "type": "choice"}
            exporter.text(cell, "text", column.label)
            cell.update(column_enable_when(item, f"{group['linkId']}.", column, ended, exporter.system))
            exporter.choices(f"{item.id}.{column.id}", list(column.options), cell)
            cell_help = exporter.help(cell["linkId"], column.help)
            if cell_help:
                cell["item"] = cell_help
            cells.append(cell)
            ended += [
                {
                    "question": cell["linkId"],
                    "operator": "!=",
                    "answerCoding": {"system": exporter.system, "code": o.value},
                }
                for o in column.options
                if o.not_applicable
            ]
        group["item"] = cells
        rows.append(group)
    out["item"] = rows
    return []


def response_cards(defn: FormDefinition, item: Item, value: Any) -> list[dict[str, Any]]:
    """The QuestionnaireResponse item of a cards answer (empty when unanswered)."""
    if not isinstance(value, dict):
        return []
    system = questionnaire_url(defn.id) + "/options"
    rows = []
    for row in item.rows:
        cells = value.get(row.id)
        if not isinstance(cells, dict):
            continue
        answered = []
        asked = card_columns_asked(item, cells)  # never an answer to a disabled cell
        for column in item.columns:
            code = cells.get(column.id)
            if not isinstance(code, str) or column.id not in asked:
                continue
            coding = {"system": system, "code": code}
            option = column.option(code)
            if option is not None and option.label:
                coding["display"] = option.label.get(defn.default_language)
            answered.append(
                {"linkId": f"{item.id}.{row.id}.{column.id}", "answer": [{"valueCoding": coding}]}
            )
        if answered:
            rows.append({"linkId": f"{item.id}.{row.id}", "item": answered})
    return [{"linkId": item.id, "item": rows}] if rows else []


# -- import ----------------------------------------------------------------------------------
def read_response_cards(reader: ReadingResponse, item: Item, rows: list[Any], out: dict[str, Any]) -> None:
    """Read a cards group of a QuestionnaireResponse into ``out[item.id]``; warn about the rest."""
    values: dict[str, dict[str, str]] = {}
    for row in rows:
        if not isinstance(row, dict):
            continue
        row_link = str(row.get("linkId", ""))
        row_id = row_link.rpartition(".")[2]
        if item.row(row_id) is None:
            reader.warn(N_("cards '{item}': no card '{link}'; left out"), item=item.id, link=row_link)
            continue
        for cell in row.get("item") or []:
            if not isinstance(cell, dict):
                continue
            cell_link = str(cell.get("linkId", ""))
            column = item.column(cell_link.rpartition(".")[2])
            if column is None:
                reader.warn(
                    N_("cards '{item}': no question '{link}'; left out"), item=item.id, link=cell_link
                )
                continue
            for answer in cell.get("answer") or []:
                coding = answer.get("valueCoding") if isinstance(answer, dict) else None
                code = coding.get("code") if isinstance(coding, dict) else None
                if isinstance(code, str) and column.option(code) is not None:
                    values.setdefault(row_id, {})[column.id] = code
                else:
                    reader.warn(
                        N_("cards '{item}': answer {answer} to '{link}' is not one of its options; left out"),
                        item=item.id,
                        answer=answer,
                        link=cell_link,
                    )
                break
    if values:
        out[item.id] = values


def read_questionnaire_cards(reader: ReadingItems, item: dict[str, Any]) -> dict[str, Any]:
    """Read a Questionnaire cards group back into a cards item (YAML-ready dict)."""
    out = reader.base(item, CARDS, "c")
    link = str(item.get("linkId", ""))
    rows: list[dict[str, Any]] = []
    columns: list[dict[str, Any]] = []
    sources: set[str | None] = set()
    for group in item.get("item") or []:
        if not isinstance(group, dict) or group.get("type") != "group":
            continue
        row_link = str(group.get("linkId", ""))
        row_id = row_link.rpartition(".")[2]
        rows.append({"id": row_id, "label": reader.text(group, "text") or row_id})
        enable = group.get("enableWhen") or []
        first = enable[0] if len(enable) == 1 and isinstance(enable[0], dict) else {}
        coding = first.get("answerCoding")
        coding = coding if isinstance(coding, dict) else {}
        sources.add(
            str(first.get("question"))
            if first.get("operator") == "=" and coding.get("code") == row_id
            else None
        )
        endings: dict[str, set[str]] = {}  # this card's earlier cells: linkId -> not-applicable codes
        for cell in group.get("item") or []:
            if not isinstance(cell, dict) or cell.get("type") != "choice":
                continue
            column_id = str(cell.get("linkId", "")).rpartition(".")[2]
            options, codes = read_options(cell, reader.sets, reader.lang, reader.warn)
            reader.codes[str(cell.get("linkId", ""))] = codes
            if not any(c["id"] == column_id for c in columns):
                column = {
                    "id": column_id,
                    "label": reader.text(cell, "text") or column_id,
                    "options": options,
                }
                condition = column_show_if(
                    cell, f"{row_link}.", endings, lambda link, fhir: reader.codes.get(link, {}).get(fhir)
                )
                if condition is not None:
                    column["show_if"] = condition
                columns.append(column)
            endings[str(cell.get("linkId", ""))] = {
                fhir
                for fhir, value in codes.items()
                if any(o["value"] == value and o.get("not_applicable") for o in options)
            }
    if not rows or not columns:
        reader.warn(N_("cards '{link}' has no rows or no questions; read as a note"), link=link)
        return {"id": out["id"], "type": "note", "text": out["label"]}
    source = next(iter(sources)) if len(sources) == 1 else None
    found = reader.links.get(source) if source else None
    if found is not None and found[1] == "multi_choice":
        out["rows_from"] = found[0]
    else:
        if source:
            reader.warn(
                N_(
                    "cards '{link}': its rows depend on '{source}', which is not a multi_choice item read "
                    "before it; imported with fixed rows"
                ),
                link=link,
                source=source,
            )
        out["rows"] = rows
    out.pop("required", None)
    out["columns"] = columns
    return out

"""Edit one text value in YAML source in place, keeping comments, order and formatting.

Positions come from the YAML parser's node marks; a plain string becomes a language map when
a translation is added. Used by the .po import (:mod:`formengine.translate.po`).
"""

from __future__ import annotations

import json
import textwrap
from typing import Any

import yaml

from formengine.definition.loader import load_text

WRAP = 88


def _node(root: yaml.Node, path: tuple[Any, ...]) -> tuple[Any, Any, Any]:
    """Return (parent mapping node, key node, value node) for a data path."""
    parent: yaml.Node | None = None
    key_node: yaml.Node | None = None
    node = root
    for key in path:
        if isinstance(node, yaml.MappingNode):
            parent = node
            key_node, node = next((k, v) for k, v in node.value if k.value == key)
        else:
            parent, key_node, node = node, None, node.value[key]
    return parent, key_node, node


def edit_text(
    text: str, root: yaml.Node, path: tuple[Any, ...], new: str, lang: str, langs: tuple[Any, ...]
) -> tuple[int, int, str]:
    """Return one (start, end, replacement) edit that sets ``lang`` of the text at ``path``."""
    default = langs[0]  # the order puts the default language first
    parent, key_node, value = _node(root, path)
    flow = bool(getattr(parent, "flow_style", False))
    if isinstance(value, yaml.MappingNode):
        pairs = value.value
        mine = next((v for k, v in pairs if k.value == lang), None)
        if mine is not None:  # replace the existing translation
            indent = next(k for k, v in pairs if v is mine).start_mark.column
            return _replace(text, mine, indent, new, value.flow_style)
        hint = next((v for k, v in pairs if k.value == default), pairs[-1][1])
        indent = pairs[0][0].start_mark.column
        rendered, _ = _render(new, indent, hint.style, value.flow_style, _fold_width(text, hint))
        rank = {code: i for i, code in enumerate(langs)}
        before = [v for k, v in pairs if rank.get(k.value, -1) < rank[lang]]
        if value.flow_style:
            at = before[-1].end_mark.index if before else value.start_mark.index + 1
            return at, at, f", {lang}: {rendered}" if before else f"{lang}: {rendered}, "
        at = _line_end(text, before[-1]) if before else pairs[0][0].start_mark.index - indent
        return at, at, " " * indent + f"{lang}: {rendered}" + ("" if rendered.endswith("\n") else "\n")
    return _to_map(text, key_node, value, new, lang, default, flow)


def _to_map(
    text: str, key_node: Any, value: Any, new: str, lang: str, default: str, flow: bool
) -> tuple[int, int, str]:
    """Turn a plain-string text into a map holding the old text (source kept) and the new one."""
    old_src = text[value.start_mark.index : value.end_mark.index]
    if flow:
        new_r, _ = _render(new, 0, value.style, True)
        return value.start_mark.index, value.end_mark.index, f"{{{default}: {old_src}, {lang}: {new_r}}}"
    pad = " " * (key_node.start_mark.column + 2)
    start = text.index(":", key_node.end_mark.index) + 1
    _, end, tail = _span(text, value)
    comment = ""
    if value.style in ("|", ">"):
        old_src = text[value.start_mark.index : end - len(tail)].removesuffix("\n")
    else:
        line_end = text.find("\n", end)
        rest = text[end : len(text) if line_end < 0 else line_end]
        comment = " " + rest.strip() if rest.strip().startswith("#") else ""
        end += len(rest) if comment else 0
    head, *more = old_src.split("\n")
    old_block = head + "".join("\n" + ("  " + line if line else "") for line in more) + "\n"
    rendered, block = _render(new, len(pad), value.style, False, _fold_width(text, value) + 2)
    body = f"{comment}\n{pad}{default}: {old_block}{pad}{lang}: {rendered}" + ("" if block else "\n")
    return start, end, body + tail if value.style in ("|", ">") else body.removesuffix("\n")


def _replace(text: str, node: yaml.ScalarNode, indent: int, new: str, flow: bool) -> tuple[int, int, str]:
    """Return an edit that replaces an existing translation's value."""
    start, end, tail = _span(text, node)
    rendered, block = _render(new, indent, node.style, flow, _fold_width(text, node))
    if node.style in ("|", ">"):
        return start, end, rendered + (tail if block else "\n" + tail)
    return start, end, rendered.removesuffix("\n")


def _span(text: str, node: yaml.ScalarNode) -> tuple[int, int, str]:
    """Return start, end and trailing blank lines of a scalar node's source."""
    start, end = node.start_mark.index, node.end_mark.index
    if node.style not in ("|", ">"):
        return start, end, ""
    body = text[start:end]
    stripped = body.rstrip(" \n")
    cut = body.find("\n", len(stripped))
    cut = len(body) if cut < 0 else cut + 1
    return start, end, body[cut:]


def _line_end(text: str, node: yaml.ScalarNode) -> int:
    """Return the index just after the last content line of ``node``'s value."""
    start, end, tail = _span(text, node)
    if node.style in ("|", ">"):
        return end - len(tail)
    newline = text.find("\n", end)
    return len(text) if newline < 0 else newline + 1


def _fold_width(text: str, node: yaml.Node) -> int:
    """Return the longest source line of a folded scalar, to wrap a new one alike."""
    if getattr(node, "style", None) != ">":
        return WRAP
    lines = text[node.start_mark.index : node.end_mark.index].split("\n")[1:]
    return max((len(line) for line in lines if line.strip()), default=WRAP)


def _render(value: str, indent: int, style: str | None, flow: bool, width: int = WRAP) -> tuple[str, bool]:
    """Render a string as YAML after ``key: ``; return (text, is_block_scalar)."""
    body = value.rstrip("\n")
    if not flow and "\n" in body and not value.startswith((" ", "\n")) and "\t" not in value:
        trailing = len(value) - len(body)
        chomp = {0: "-", 1: ""}.get(trailing, "+")
        pad = " " * (indent + 2)
        content = (value if trailing == 0 else value[:-1]).split("\n")
        return f"|{chomp}\n" + "".join((pad + line if line else "") + "\n" for line in content), True
    if not flow and style == ">" and "\n" not in body and body == body.strip() and "  " not in body:
        wrapped = textwrap.wrap(
            body, max(width - indent - 2, 30), break_long_words=False, break_on_hyphens=False
        )
        if " ".join(wrapped) == body and not any(w.startswith(("#", "-", " ")) for w in wrapped):
            pad = " " * (indent + 2)
            chomp = "" if value.endswith("\n") else "-"
            return f">{chomp}\n" + "".join(pad + line + "\n" for line in wrapped), True
    if style in ('"', "'") or not plain_ok(value, flow):
        return json.dumps(value, ensure_ascii=False), False
    return value, False


def plain_ok(value: str, flow: bool) -> bool:
    """Return True if ``value`` reads back unchanged as a plain (unquoted) YAML scalar."""
    if not value or value != value.strip() or "\n" in value or "#" in value:
        return False
    probe = f"{{k: {value}}}" if flow else f"k: {value}"
    try:
        data = load_text(probe).data
    except Exception:  # noqa: BLE001 - any failure means "quote it"
        return False
    return bool(data == {"k": value})

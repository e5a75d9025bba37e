"""Read a YAML form file into plain data plus a map of source locations.

Only a safe subset of YAML is accepted: no tags, a bounded number of aliases, no duplicate
keys, no tabs in indentation, UTF-8, bounded size and depth. Every refusal is a coded
:class:`~formengine.errors.problems.Problem` with a line and column; nothing here raises on input.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, cast

import yaml

from formengine.definition.prescan import MAX_DEPTH, find_deep_nesting, find_indent_tab
from formengine.errors.problems import Location, Problem

MAX_BYTES = 1024 * 1024
MAX_ALIASES = 50
MAX_NODES = 200_000
MAX_NUMBER = 10**15  # no number in a form definition is larger; beyond it floats lose whole numbers

Path_ = tuple[str | int, ...]  # a path into the data: ("sections", 0, "items", 2, "label")


try:
    from yaml import CSafeLoader as _BASE  # libyaml composes ~10x faster
except ImportError:  # PyYAML built without libyaml
    from yaml import SafeLoader as _BASE  # type: ignore[assignment]


class _Loader(_BASE):
    """SafeLoader with YAML 1.2-like scalars: yes/no/on/off stay strings, no octal or sexagesimal."""


_Loader.yaml_implicit_resolvers = {
    key: [
        (tag, rx)
        for tag, rx in resolvers
        if tag
        not in (
            "tag:yaml.org,2002:bool",
            "tag:yaml.org,2002:int",
            "tag:yaml.org,2002:float",
            "tag:yaml.org,2002:timestamp",
        )
    ]
    for key, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_Loader.add_implicit_resolver(
    "tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
)
_Loader.add_implicit_resolver("tag:yaml.org,2002:int", re.compile(r"^[-+]?[0-9]+$"), list("-+0123456789"))
_Loader.add_implicit_resolver(
    "tag:yaml.org,2002:float",
    re.compile(r"^[-+]?(?:[0-9]+\.[0-9]*|\.[0-9]+)(?:[eE][-+]?[0-9]+)?$|^[-+]?[0-9]+[eE][-+]?[0-9]+$"),
    list("-+0123456789."),
)

_ALLOWED_TAGS = {
    "tag:yaml.org,2002:str",
    "tag:yaml.org,2002:int",
    "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:bool",
    "tag:yaml.org,2002:null",
    "tag:yaml.org,2002:map",
    "tag:yaml.org,2002:seq",
}


@dataclass
class Document:
    """Parsed YAML data with the location of every key and value."""

    file: str
    data: Any = None
    values: dict[Path_, Location] = field(default_factory=dict)  # path -> Location of the value
    keys: dict[Path_, Location] = field(default_factory=dict)  # path -> Location of the mapping key
    problems: list[Problem] = field(default_factory=list)
    text: str = ""

    def loc(self, path: Path_) -> Location:
        """Return the location of the value at ``path`` (or of its nearest parent)."""
        path = tuple(path)
        while path:
            if path in self.values:
                return self.values[path]
            path = path[:-1]
        return self.values.get((), Location(self.file, 1, 1))

    def key_loc(self, path: Path_) -> Location:
        """Return the location of the key naming ``path`` (falls back to the value)."""
        path = tuple(path)
        return self.keys.get(path) or self.loc(path)

    @property
    def ok(self) -> bool:
        return self.data is not None and not any(p.severity == "error" for p in self.problems)

    @property
    def content_hash(self) -> str:
        return content_hash(self.data)


def content_hash(data: Any) -> str:
    """Return ``sha256:…`` over the canonical JSON of parsed data (comments do not count)."""
    canonical = json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return "sha256:" + hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def load_file(path: str | Path, display: str | None = None) -> Document:
    """Load a form file; problems are collected on the returned document, never raised."""
    name = display or str(path)
    try:
        size = Path(path).stat().st_size
        if size > MAX_BYTES:
            return _fail(name, "FE003", 1, 1, size=size, limit=MAX_BYTES)
        raw = Path(path).read_bytes()
    except OSError as exc:
        return _fail(name, "FE001", 1, 1, reason=exc.strerror or str(exc))
    return load_bytes(raw, name)


def load_bytes(raw: bytes, name: str = "<text>") -> Document:
    """Load YAML from bytes (an upload, a test snippet)."""
    if len(raw) > MAX_BYTES:
        return _fail(name, "FE003", 1, 1, size=len(raw), limit=MAX_BYTES)
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        col = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        return _fail(name, "FE002", line, col, byte=f"0x{raw[exc.start]:02x}", offset=exc.start)
    return load_text(text.lstrip("\ufeff"), name)


def load_text(text: str, name: str = "<text>") -> Document:
    """Load YAML from a string."""
    doc = Document(file=name, text=text)
    if len(text.encode("utf-8", "surrogatepass")) > MAX_BYTES:
        return _fail(name, "FE003", 1, 1, size=len(text), limit=MAX_BYTES)
    tab = find_indent_tab(text)
    if tab:
        doc.problems.append(Problem("FE005", Location(name, *tab)))
        return doc
    if not text.strip() or all(not ln.strip() or ln.lstrip().startswith("#") for ln in text.splitlines()):
        doc.problems.append(Problem("FE010", Location(name, 1, 1)))
        return doc
    deep = find_deep_nesting(text)
    if deep:
        doc.problems.append(
            Problem("FE012", Location(name, *deep), {"depth": f"> {MAX_DEPTH}", "limit": MAX_DEPTH})
        )
        return doc
    crowded = _too_many_nodes(text, name)
    if crowded is not None:
        doc.problems.append(crowded)
        return doc
    node = _compose(text, doc)
    if node is None:
        return doc
    converter = _Converter(doc)
    try:
        data = converter.convert(node, ())
    except _Abort:
        return doc
    if not isinstance(data, dict):
        doc.problems.append(Problem("FE009", _mark(name, node.start_mark)))
        return doc
    doc.data = data
    return doc


def _too_many_nodes(text: str, name: str) -> Problem | None:
    """FE014 when the file has more than MAX_NODES values, found before anything is built.

    Every value needs a separator (a comma, a newline, a colon, a dash or a bracket), so most
    files are cleared by counting those; only a file that could be over the limit is scanned,
    event by event (no node graph), stopping at the first value over the limit.
    """
    if sum(text.count(ch) for ch in ",\n:-[{") <= MAX_NODES:
        return None
    loader = _Loader(text)
    count = 0
    try:
        while loader.check_event():
            event = loader.get_event()
            if isinstance(
                event, (yaml.ScalarEvent, yaml.AliasEvent, yaml.MappingStartEvent, yaml.SequenceStartEvent)
            ):
                count += 1
                if count > MAX_NODES:
                    mark = cast(
                        "yaml.Mark | None", event.start_mark
                    )  # libyaml's Mark has line and column too
                    return Problem(
                        "FE014", _mark(name, mark), {"count": f"> {MAX_NODES}", "limit": MAX_NODES}
                    )
    except yaml.YAMLError:
        return None  # _compose reports the syntax error with its place
    finally:
        loader.dispose()
    return None


def _compose(text: str, doc: Document) -> yaml.Node | None:
    try:
        loader = _Loader(text)
        try:
            node = loader.get_single_node()
        finally:
            loader.dispose()
    except yaml.composer.ComposerError as exc:
        mark = exc.problem_mark or exc.context_mark
        code = "FE011" if "single document" in str(exc.context or "") else "FE004"
        doc.problems.append(Problem(code, _mark(doc.file, mark), {"problem": exc.problem or str(exc)}))
        return None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        problem = exc.problem or "unreadable YAML"
        if exc.context:
            problem = f"{problem} ({exc.context})"
        doc.problems.append(Problem("FE004", _mark(doc.file, mark), {"problem": problem}))
        return None
    except RecursionError:
        doc.problems.append(
            Problem("FE012", Location(doc.file, 1, 1), {"depth": "> 900", "limit": MAX_DEPTH})
        )
        return None
    except yaml.YAMLError as exc:  # reader errors: control characters and the like
        mark = getattr(exc, "problem_mark", None)
        line, col = (mark.line + 1, mark.column + 1) if mark else _reader_position(text, exc)
        doc.problems.append(Problem("FE004", Location(doc.file, line, col), {"problem": _short(exc)}))
        return None
    if node is None:
        doc.problems.append(Problem("FE010", Location(doc.file, 1, 1)))
    return node


class _Abort(Exception):
    pass


class _Converter:
    """Turn a composed node graph into plain data, recording locations and refusing bombs."""

    def __init__(self, doc: Document):
        self.doc = doc
        self.nodes = 0
        self.aliases_seen: set[int] = set()
        self.alias_uses = 0

    def convert(self, node: yaml.Node, path: Path_, depth: int = 0) -> Any:
        self.nodes += 1
        if id(node) in self.aliases_seen:
            self.alias_uses += 1
        if self.alias_uses > MAX_ALIASES:
            self.doc.problems.append(
                Problem(
                    "FE007",
                    _mark(self.doc.file, node.start_mark),
                    {"count": f"> {MAX_ALIASES}", "limit": MAX_ALIASES},
                )
            )
            raise _Abort
        if self.nodes > MAX_NODES:  # (aliases expanding to many values; a plain long file stops earlier)
            self.doc.problems.append(
                Problem(
                    "FE014",
                    _mark(self.doc.file, node.start_mark),
                    {"count": f"> {MAX_NODES}", "limit": MAX_NODES},
                )
            )
            raise _Abort
        if depth > MAX_DEPTH:
            self.doc.problems.append(
                Problem("FE012", _mark(self.doc.file, node.start_mark), {"depth": depth, "limit": MAX_DEPTH})
            )
            raise _Abort
        self.aliases_seen.add(id(node))
        self.doc.values[path] = _mark(self.doc.file, node.start_mark)
        if node.tag not in _ALLOWED_TAGS:
            self.doc.problems.append(
                Problem("FE008", _mark(self.doc.file, node.start_mark), {"tag": node.tag})
            )
            raise _Abort
        if isinstance(node, yaml.MappingNode):
            return self._mapping(node, path, depth)
        if isinstance(node, yaml.SequenceNode):
            return [self.convert(child, path + (i,), depth + 1) for i, child in enumerate(node.value)]
        return self._scalar(node)

    def _mapping(self, node: yaml.MappingNode, path: Path_, depth: int) -> dict[str, Any]:
        out: dict[str, Any] = {}
        first: dict[str, Any] = {}
        for key_node, value_node in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":
                self.doc.problems.append(
                    Problem("FE008", _mark(self.doc.file, key_node.start_mark), {"tag": "<<"})
                )
                raise _Abort
            key = self._scalar(key_node) if isinstance(key_node, yaml.ScalarNode) else None
            key_loc = _mark(self.doc.file, key_node.start_mark)
            if not isinstance(key, str):
                self.doc.problems.append(
                    Problem(
                        "FE103",
                        key_loc,
                        {"key": str(key), "expected": "a name (text)", "actual": type(key).__name__},
                    )
                )
                continue
            if key in first:
                self.doc.problems.append(
                    Problem("FE006", key_loc, {"key": key, "first_line": first[key].line})
                )
                continue
            first[key] = key_loc
            self.doc.keys[path + (key,)] = key_loc
            out[key] = self.convert(value_node, path + (key,), depth + 1)
        return out

    def _scalar(self, node: yaml.Node) -> Any:
        tag = node.tag
        if tag in ("tag:yaml.org,2002:int", "tag:yaml.org,2002:float"):
            return self._number(node)
        if tag == "tag:yaml.org,2002:bool":
            return node.value.lower() == "true"
        if tag == "tag:yaml.org,2002:null":
            return None
        if tag not in _ALLOWED_TAGS:
            self.doc.problems.append(Problem("FE008", _mark(self.doc.file, node.start_mark), {"tag": tag}))
            raise _Abort
        return node.value

    def _number(self, node: yaml.Node) -> int | float | None:
        """An int or float scalar; a non-finite or absurdly large one is FE015 (and read as empty)."""
        text = str(node.value)
        digits = len(text.lstrip("+-").split(".")[0].split("e")[0].split("E")[0].lstrip("0"))
        value: int | float | None = None
        if digits <= 16:  # never hand int() a string of thousands of digits
            value = int(text) if node.tag == "tag:yaml.org,2002:int" else float(text)
        if value is None or value != value or abs(value) > MAX_NUMBER:
            shown = text if len(text) <= 24 else f"{text[:20]}…"
            self.doc.problems.append(
                Problem(
                    "FE015",
                    _mark(self.doc.file, node.start_mark),
                    {"value": shown, "limit": f"{MAX_NUMBER:.0e}"},
                )
            )
            return None
        return value


def _mark(name: str, mark: yaml.Mark | None) -> Location:
    if mark is None:
        return Location(name, 1, 1)
    return Location(name, mark.line + 1, mark.column + 1)


def _reader_position(text: str, exc: yaml.YAMLError) -> tuple[int, int]:
    position = getattr(exc, "position", 0) or 0
    line = text.count("\n", 0, position) + 1
    return line, position - (text.rfind("\n", 0, position) + 1) + 1


def _short(exc: Exception) -> str:
    return str(exc).splitlines()[0][:200]


def _fail(name: str, code: str, line: int, col: int, **args: object) -> Document:
    doc = Document(file=name)
    doc.problems.append(Problem(code, Location(name, line, col), args))
    return doc

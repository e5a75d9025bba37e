"""Shared helpers for validating located values: texts, ids, typed values.

A :class:`Checker` walks a :class:`~formengine.definition.loader.Document` by path and records coded
problems at the exact line and column of the offending key or value.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable
from typing import Any

from formengine.definition.loader import Document
from formengine.definition.model import EMPTY_TEXT, LANGUAGES, Text
from formengine.errors.problems import ERROR, WARNING, Location, Problem, suggest

ITEM_ID = re.compile(r"^[a-z][a-z0-9_]*$")
FORM_ID = re.compile(r"^[a-z][a-z0-9-]*$")
OPTION_VALUE = re.compile(r"^[a-z0-9_]+$")
_LINK = re.compile(r"\[[^\]]*\]\(([^)\s]*)\)")
_SAFE_URL = ("https://", "http://", "mailto:")
NUMBER_LIMIT = 1_000_000_000  # scores, weights, limits and bands: no sensible form goes beyond this
_TYPE_NAMES = {
    str: "text",
    int: "a whole number",
    float: "a number",
    bool: "true or false",
    list: "a list",
    dict: "a mapping (key: value)",
    type(None): "empty",
}


class Checker:
    """Collects located problems while reading a document."""

    def __init__(
        self, doc: Document, languages: tuple[str, ...] = ("nb",), default: str = "nb", strict: bool = False
    ):
        self.doc = doc
        self.languages = languages
        self.default = default
        self.strict = strict
        self.problems: list[Problem] = []

    # -- reporting -------------------------------------------------------------------
    def error(self, code: str, path: tuple[Any, ...], *, at_key: bool = False, **args: object) -> None:
        loc = self.doc.key_loc(path) if at_key else self.doc.loc(path)
        self.problems.append(Problem(code, loc, args, ERROR))

    def warn(self, code: str, path: tuple[Any, ...], *, at_key: bool = False, **args: object) -> None:
        loc = self.doc.key_loc(path) if at_key else self.doc.loc(path)
        self.problems.append(Problem(code, loc, args, ERROR if self.strict else WARNING))

    def expr_loc(self, path: tuple[Any, ...], offset: int) -> Location:
        """Locate a character inside an expression written as a one-line YAML scalar."""
        loc = self.doc.loc(path)
        lines = self.doc.text.splitlines()
        if 0 < loc.line <= len(lines):
            quoted = lines[loc.line - 1][loc.column - 1 : loc.column] in ("'", '"')
            return Location(loc.file, loc.line, loc.column + offset + (1 if quoted else 0))
        return loc

    @property
    def has_errors(self) -> bool:
        return any(p.severity == ERROR for p in self.problems)

    # -- typed reads -----------------------------------------------------------------
    def keys(
        self,
        mapping: dict[str, Any],
        path: tuple[Any, ...],
        allowed: Collection[str],
        where: str,
        required: Iterable[str] = (),
    ) -> None:
        """Report unknown keys (with a suggestion) and missing required keys."""
        for key in mapping:
            if key not in allowed:
                self.error(
                    "FE102",
                    path + (key,),
                    at_key=True,
                    key=key,
                    where=where,
                    suggestion=suggest(key, allowed),
                )
        for key in required:
            if key not in mapping:
                self.error("FE101", path, key=key, where=where)

    def typed(
        self, value: Any, path: tuple[Any, ...], types: tuple[Any, ...], expected: str, key: str
    ) -> bool:
        """Return True if value has one of ``types``; report FE103 otherwise."""
        if isinstance(value, bool) and bool not in types:
            ok = False
        else:
            ok = isinstance(value, types)
        if not ok:
            self.error(
                "FE103",
                path,
                key=key,
                expected=expected,
                actual=_TYPE_NAMES.get(type(value), type(value).__name__),
            )
        return ok

    def mapping(self, value: Any, path: tuple[Any, ...], key: str) -> dict[str, Any] | None:
        return value if self.typed(value, path, (dict,), "a mapping (key: value)", key) else None

    def sequence(self, value: Any, path: tuple[Any, ...], key: str) -> list[Any] | None:
        return value if self.typed(value, path, (list,), "a list", key) else None

    def boolean(
        self, mapping: dict[str, Any], key: str, path: tuple[Any, ...], default: bool = False
    ) -> bool:
        if key not in mapping:
            return default
        value = mapping[key]
        return value if self.typed(value, path + (key,), (bool,), "true or false", key) else default

    def number(self, mapping: dict[str, Any], key: str, path: tuple[Any, ...]) -> float | None:
        if key not in mapping or mapping[key] is None:
            return None
        value = mapping[key]
        if not self.typed(value, path + (key,), (int, float), "a number", key):
            return None
        return value if self.in_range(value, path + (key,), key) else None

    def in_range(self, value: int | float, path: tuple[Any, ...], key: str) -> bool:
        """True for a finite number within ±NUMBER_LIMIT; FE131 at ``path`` otherwise."""
        if value != value or abs(value) > NUMBER_LIMIT:
            self.error("FE131", path, key=key, value=value, limit=f"{NUMBER_LIMIT:,}".replace(",", " "))
            return False
        return True

    def ident(
        self, value: Any, path: tuple[Any, ...], pattern: re.Pattern[str] = ITEM_ID, sep: str = "_"
    ) -> str | None:
        if not self.typed(value, path, (str,), "an id (text)", "id"):
            return None
        if not pattern.match(value):
            rule = (
                "must start with a lower-case letter"
                if value[:1] and not value[:1].islower()
                else "contains characters that are not allowed"
            )
            self.error("FE106", path, id=value, rule=rule, sep=sep)
            return None
        return str(value)

    def list_of_maps(
        self, data: dict[str, Any], key: str, path: tuple[Any, ...] = ()
    ) -> list[tuple[tuple[Any, ...], dict[str, Any]]]:
        """The mappings listed under ``key`` with their paths; anything else is reported and skipped."""
        value = data.get(key)
        if value is None or self.sequence(value, path + (key,), key) is None:
            return []
        out = []
        for i, entry in enumerate(value):
            if self.mapping(entry, path + (key, i), key) is not None:
                out.append((path + (key, i), entry))
        return out

    def origin(self, path: tuple[Any, ...]) -> str:
        """``file:line`` of a path, kept on built objects so that later problems can point back."""
        loc = self.doc.loc(path)
        return f"{loc.file}:{loc.line}"

    def text(
        self, mapping: dict[str, Any], key: str, path: tuple[Any, ...], where: str, required: bool = False
    ) -> Text:
        """Read a text (plain string or language map), checking languages and links."""
        full = path + (key,)
        if key not in mapping or mapping[key] is None:
            if required:
                self.error("FE101", path, key=key, where=where)
            return EMPTY_TEXT
        value = mapping[key]
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            value = str(value)
        if isinstance(value, str):
            pairs = {self.default: value}
        elif isinstance(value, dict):
            pairs = {}
            for lang, text in value.items():
                if lang not in LANGUAGES:
                    self.error("FE121", full + (lang,), at_key=True, lang=lang)
                elif lang not in self.languages:
                    self.error(
                        "FE109", full + (lang,), at_key=True, lang=lang, languages=list(self.languages)
                    )
                elif self.typed(text, full + (lang,), (str,), "text", f"{key}.{lang}"):
                    pairs[lang] = text
        else:
            self.typed(value, full, (str, dict), "a text or a map of languages", key)
            return EMPTY_TEXT
        for lang, text in pairs.items():
            spot = full + (lang,) if isinstance(value, dict) else full
            if not text.strip():
                self.error("FE120", spot, where=f"{where} ({lang})")
            for url in _LINK.findall(text):
                if not url.lower().startswith(_SAFE_URL):
                    self.error("FE128", spot, url=url)
        for lang in self.languages:
            if lang not in pairs and pairs:
                self.warn("FE110", full, lang=lang, where=f"{where} '{key}'")
        ordered = tuple((lang, pairs[lang]) for lang in self.languages if lang in pairs)
        return Text(ordered, self.default)

"""Bokmål and nynorsk texts of the error catalogue in :mod:`formengine.errors.problems`.

The readers are municipal form administrators, not programmers: each message says what is wrong,
each hint says what to do. Technical names (YAML keys such as ``options``, codes, ``FORM@VERSION``,
values such as ``draft``) stay as they are written in the form file.

The texts are in the gettext domain "formengine" (``locales/<lang>/LC_MESSAGES/formengine.po``;
the English templates of ``CATALOGUE`` are the message ids), loaded by :mod:`formengine.i18n`.
Problems are shown in bokmål or nynorsk when asked for, in English otherwise. The phrases the
checks put into ``{where}``, ``{expected}`` and ``{actual}`` are translated by :func:`phrase_in`;
``{suggestion}`` is rendered per language by :meth:`formengine.errors.problems.Problem.message_in`
with :func:`suggestion_in`. tests/formengine/test_errors_i18n.py checks that every code has both
texts with exactly the same ``{placeholders}`` as English.
"""

from __future__ import annotations

import re

from formengine.i18n import N_, translations

TRANSLATED = ("nb", "nn")  # the languages problems are shown in; any other gets English

# How a :class:`formengine.errors.problems.Suggestion` reads (English: this text).
SUGGESTION = N_(" (did you mean '{candidate}'?)")
# Prefix of a warning in Problem.format_in.
WARNING_PREFIX = N_("warning: ")

# Phrases the checks put into {where}, {expected} and {actual} (English in the code). Ids inside
# quotes are kept as written.
PHRASES = frozenset(
    {
        N_("the form"),
        N_("a section"),
        N_("an item"),
        N_("a matrix item"),
        N_("a matrix row"),
        N_("an option"),
        N_("a domain"),
        N_("a contact"),
        N_("an offer"),
        N_("an offer trigger"),
        N_("a scale"),
        N_("a band"),
        N_("a flag"),
        N_("a gap"),
        N_("a variant"),
        N_("a list"),
        N_("a number"),
        N_("a whole number"),
        N_("text"),
        N_("empty"),
        N_("true or false"),
        N_("a mapping (key: value)"),
        N_("a text or a map of languages"),
        N_("an id (text)"),
        N_("an expression (text)"),
        N_("a name (text)"),
        N_("sum or mean"),
        N_("high, medium or info"),
        N_("a cards item"),
        N_("a card row"),
        N_("a column"),
        N_("an option group"),
        N_("a prefill source"),
        N_("column"),
        N_("group"),
        N_("row"),
    }
)
# "item 'x' …" → "spørsmålet 'x' …"
ENTITIES: dict[str, str] = {
    "item": N_("item {name}"),
    "section": N_("section {name}"),
    "option": N_("option {name}"),
    "row": N_("row {name}"),
    "domain": N_("domain {name}"),
    "contact": N_("contact {name}"),
    "offer": N_("offer {name}"),
    "scale": N_("scale {name}"),
    "band": N_("band {name}"),
    "flag": N_("flag {name}"),
    "gap": N_("gap {name}"),
    "column": N_("column {name}"),
    "group": N_("group {name}"),
}
TYPED_ITEM = N_("a {type} item")
CHANGE = N_("a {change} change")
_ENTITY = re.compile(r"^(" + "|".join(ENTITIES) + r") ('[^']*')(.*)$", re.S)
_TYPED_ITEM = re.compile(r"^a (\w+) item$")
_CHANGE = re.compile(r"^a ('[^']*') change$")


def language_of(lang: str | None) -> str | None:
    """The language problems are shown in for ``lang`` ('nb-NO' and 'no' count as 'nb'), None for English."""
    primary = str(lang or "").lower().replace("_", "-").split("-")[0]
    primary = "nb" if primary == "no" else primary
    return primary if primary in TRANSLATED else None


def translation(template: str, lang: str | None) -> str | None:
    """An English catalogue text in ``lang``, or None when problems are shown in English there."""
    code = language_of(lang)
    return translations(code).gettext(template) if code else None


def suggestion_in(candidate: str, lang: str) -> str | None:
    """ " (did you mean 'x'?)" in ``lang``, or None for English."""
    found = translation(SUGGESTION, lang)
    return found.format(candidate=candidate) if found is not None else None


def warning_prefix(lang: str) -> str:
    return translation(WARNING_PREFIX, lang) or WARNING_PREFIX


def phrase_in(text: str, lang: str) -> str:
    """Return an English phrase from a check in bokmål or nynorsk (unchanged if unknown)."""
    if language_of(lang) is None or not isinstance(text, str):
        return text
    if text in PHRASES:
        return translation(text, lang) or text
    if match := _ENTITY.match(text):
        template = translation(ENTITIES[match.group(1)], lang) or ENTITIES[match.group(1)]
        return template.format(name=match.group(2)) + match.group(3)
    if match := _TYPED_ITEM.match(text):
        return (translation(TYPED_ITEM, lang) or TYPED_ITEM).format(type=match.group(1))
    if match := _CHANGE.match(text):
        return (translation(CHANGE, lang) or CHANGE).format(change=match.group(1))
    return yaml_problem_in(text, lang)


# What the YAML parser (PyYAML) says, in plain words: the English texts are message ids, their
# bokmål and nynorsk are in formengine.po. A problem not listed stays as the parser wrote it.
YAML_PROBLEMS: tuple[tuple[re.Pattern[str], str], ...] = (
    (
        re.compile(r"^mapping values are not allowed"),
        N_("a colon stands where it cannot (a text with a colon needs quotes, or the indentation is wrong)"),
    ),
    (re.compile(r"^expected <block end>"), N_("the indentation does not match the lines above")),
    (
        re.compile(r"^found unexpected end of stream"),
        N_("the file ends before the text does (a closing quote is missing?)"),
    ),
    (re.compile(r"^could not find expected ':'"), N_("a colon is missing after a key")),
    (
        re.compile(r"^did not find expected key"),
        N_("a key (name: value) with the same indentation as the lines above should stand here"),
    ),
    (
        re.compile(r"^did not find expected '-' indicator"),
        N_("a new list entry starting with “-” should stand here"),
    ),
    (re.compile(r"^(did not find )?expected ',' or"), N_("a list or mapping in brackets is not closed")),
    (
        re.compile(r"^found character .*that cannot start any token"),
        N_(
            "a character cannot start a value here (put the text in quotes, and indent with spaces, not tabs)"
        ),
    ),
    (
        re.compile(r"^found unknown escape character"),
        N_("a backslash is not allowed here in a text in double quotes (use single quotes)"),
    ),
    (re.compile(r"^found undefined alias"), N_("an alias (*name) refers to something that is not defined")),
    (re.compile(r"^found duplicate anchor"), N_("the same anchor (&name) is used twice")),
)


def yaml_problem_in(text: str, lang: str) -> str:
    """A PyYAML problem (``problem`` or ``problem (context)``) in ``lang`` (unchanged in English)."""
    for pattern, template in YAML_PROBLEMS:
        if pattern.match(text):
            return translation(template, lang) or text
    return text

"""The bokmål and nynorsk error texts: complete, same placeholders as English, render cleanly."""

from __future__ import annotations

import copy
import pickle
import re
import string

import pytest

from formengine.errors.problems import CATALOGUE, WARNING, Location, Problem, Suggestion, suggest
from formengine.errors.translations import SUGGESTION, suggestion_in, translation

LANGS = ("nb", "nn")
LOC = Location("forms/x/1.0.0.yaml", 3, 5)


def placeholders(template: str) -> set[str]:
    return {name for _text, name, _spec, _conv in string.Formatter().parse(template) if name is not None}


def texts(lang: str, code: str) -> tuple[str, str]:
    """The (message, hint) of ``code`` in the gettext catalogue of ``lang`` (English if untranslated)."""
    message, hint = CATALOGUE[code]
    return translation(message, lang), translation(hint, lang)


def sample_args(code: str) -> dict:
    message, hint = CATALOGUE[code]
    args = {name: f"<{name}>" for name in placeholders(message) | placeholders(hint)}
    if "suggestion" in args:
        args["suggestion"] = suggest("typ", ["type", "items"])
    return args


@pytest.mark.parametrize("lang", LANGS)
def test_every_code_has_a_translation(lang):
    for code, (en_message, _en_hint) in CATALOGUE.items():
        message, hint = texts(lang, code)
        assert message.strip() and hint.strip(), code
        assert message != en_message, f"{lang} {code}: not translated"


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("code", sorted(CATALOGUE))
def test_placeholders_match_the_english_template(lang, code):
    en_message, en_hint = CATALOGUE[code]
    message, hint = texts(lang, code)
    assert placeholders(message) == placeholders(en_message), f"{lang} {code} message"
    assert placeholders(hint) == placeholders(en_hint), f"{lang} {code} hint"


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("code", sorted(CATALOGUE))
def test_every_text_renders_with_sample_args_without_leftover_braces(lang, code):
    problem = Problem(code, LOC, sample_args(code))
    for text in (problem.message_in(lang), problem.hint_in(lang), problem.format_in(lang)):
        assert "{" not in text and "}" not in text, f"{lang} {code}: {text}"
    assert problem.message_in(lang) != problem.message  # really translated
    for name, value in problem.args.items():
        if name != "suggestion" and name in placeholders(texts(lang, code)[0]):
            assert value in problem.message_in(lang)


def test_suggestion_is_localized_and_english_is_unchanged():
    hint = suggest("yes_or_no", ["yes_no", "text", "number"])
    assert isinstance(hint, Suggestion) and hint.candidate == "yes_no"
    assert hint == " (did you mean 'yes_no'?)"
    problem = Problem("FE104", LOC, {"type": "yes_or_no", "suggestion": hint, "known": "text, yes_no"})
    assert problem.message == "unknown item type 'yes_or_no' (did you mean 'yes_no'?)"
    assert problem.message_in("nb") == "Spørsmålstypen 'yes_or_no' finnes ikke (mente du 'yes_no'?)"
    assert problem.message_in("nn") == "Spørsmålstypen 'yes_or_no' finst ikkje (meinte du 'yes_no'?)"
    assert problem.hint_in("nb") == "Bruk en av disse typene: text, yes_no"
    assert problem.format_in("nn").startswith("forms/x/1.0.0.yaml:3:5: FE104 Spørsmålstypen")
    assert suggest("zzz", ["yes_no"]) == ""
    # a suggestion survives copying and pickling (problems travel between processes)
    for copied in (copy.deepcopy(hint), pickle.loads(pickle.dumps(hint))):  # noqa: S301  our own bytes
        assert isinstance(copied, Suggestion) and copied == hint and copied.candidate == "yes_no"
    assert SUGGESTION == " (did you mean '{candidate}'?)"  # the English text is the message id
    assert all(suggestion_in("x", lang) != " (did you mean 'x'?)" for lang in LANGS)


def test_a_plain_string_suggestion_is_kept_as_it_is():
    problem = Problem("FE102", LOC, {"key": "typ", "where": "an item", "suggestion": ""})
    assert problem.message_in("nb") == "Nøkkelen 'typ' finnes ikke her (et spørsmål)"


def test_unknown_language_falls_back_to_english_and_old_output_is_unchanged():
    problem = Problem("FE110", LOC, {"lang": "nn", "where": "label 'q1'"}, WARNING)
    english = "forms/x/1.0.0.yaml:3:5: FE110 warning: missing 'nn' text for label 'q1' — add the translation"
    assert problem.format() == english
    for lang in ("en", "de", "", None):
        assert problem.message_in(lang) == problem.message
        assert problem.hint_in(lang) == problem.hint
        assert problem.format_in(lang) == english
    assert problem.format_in("nb") == (
        "forms/x/1.0.0.yaml:3:5: FE110 advarsel: Teksten på 'nn' mangler (label 'q1') — Skriv oversettelsen"
    )
    assert problem.format_in("nn").split(": FE110 ")[1].startswith("åtvaring: Teksten på 'nn' manglar")
    assert problem.message_in("nb-NO") == problem.message_in("nb") == problem.message_in("no")


def test_missing_or_odd_args_never_raise():
    bare = Problem("FE104", LOC, {})
    assert bare.message_in("nb") == texts("nb", "FE104")[0]
    assert bare.hint_in("nn") == texts("nn", "FE104")[1]
    assert "FE104" in bare.format_in("nb")
    assert (
        Problem("FE003", LOC, {"size": "x", "limit": object()})
        .message_in("nb")
        .startswith("Filen er for stor")
    )


def test_nynorsk_is_nynorsk_and_bokmal_is_bokmal():
    bokmal_words = re.compile(r"\b(ikke|hva|hvordan|hvor|hvis|hver|noen|bare|eksempel|finnes)\b", re.I)
    nynorsk_words = re.compile(r"\b(ikkje|kva|korleis|kvar|berre|nokre|dømes|finst|eit|ein)\b", re.I)
    for code in CATALOGUE:
        assert not bokmal_words.search(" ".join(texts("nn", code))), code
        assert not nynorsk_words.search(" ".join(texts("nb", code))), code


@pytest.mark.parametrize(
    "english, nb, nn",
    [
        ("an item", "et spørsmål", "eit spørsmål"),
        ("item 'relation' 'label'", "spørsmålet 'relation' 'label'", "spørsmålet 'relation' 'label'"),
        ("row 'washing' (nn)", "raden 'washing' (nn)", "rada 'washing' (nn)"),
        ("a scale item", "et spørsmål av typen scale", "eit spørsmål av typen scale"),
        ("a 'hide' change", "en 'hide'-endring", "ei 'hide'-endring"),
        ("a whole number", "et heltall", "eit heiltal"),
        ("something new", "something new", "something new"),  # unknown phrases pass through
    ],
)
def test_phrases_from_the_checks_are_translated(english, nb, nn):
    from formengine.errors.translations import phrase_in

    assert (phrase_in(english, "nb"), phrase_in(english, "nn"), phrase_in(english, "en")) == (nb, nn, english)


def test_a_real_problem_reads_in_norwegian_without_english_phrases():
    from formengine.definition.builder.validation import Builder
    from formengine.definition.loader import load_text

    doc = load_text(
        "id: t\nversion: 1.0.0\nstatus: active\ntitle: T\nlanguages: [nb]\ndefault_language: nb\n"
        "sections:\n  - id: s\n    title: S\n    items:\n      - {id: q, typ: text, label: Hei}\n"
        "      - {id: r, type: text, label: Hei, required: ja}\n",
        "f.yaml",
    )
    builder = Builder(doc)
    builder.build()
    lines = [p.format_in("nb") for p in builder.problems]
    assert lines == [
        "f.yaml:11:17: FE102 Nøkkelen 'typ' finnes ikke her (et spørsmål) (mente du 'type'?) — "
        "Fjern den, eller rett skrivefeilen",
        "f.yaml:12:51: FE103 'required' må være true eller false, ikke tekst — Endre verdien til true eller false",
    ]
    assert [p.format() for p in builder.problems][0].startswith(
        "f.yaml:11:17: FE102 unknown key 'typ' in an item"
    )

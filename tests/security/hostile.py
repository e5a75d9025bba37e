"""A generator of hostile and malformed form definitions (issue #14).

``generate()`` returns (name, bytes) pairs: bombs, deep nesting, huge scalars, non-finite and
absurd numbers, impossible limits, show_if circles, impossible constraints, bad encodings and
YAML syntax tricks. They are versions of municipality 3403 (the upload tests' author's), so the
upload page runs them through the whole validation. Every one must be refused with a coded, located problem, by
``formengine check FILE`` and by the upload page, without a traceback. Deterministic: the
same list every run.
"""

from __future__ import annotations

import textwrap

HEAD = """\
id: hostile
version: 1.0.0
status: draft
title: Fiendtlig skjema
languages: [nb]
default_language: nb
municipality: {id: "3403", name: Testby}
"""


def _form(items: str, extra: str = "", section_extra: str = "") -> str:
    body = textwrap.indent(textwrap.dedent(items).strip("\n"), "      ")
    return HEAD + f"sections:\n  - id: s1\n    title: Del 1\n{section_extra}    items:\n{body}\n" + extra


def _choice(option_extra: str = "", item_extra: str = "", kind: str = "single_choice") -> str:
    return _form(f"""
        - id: q1
          type: {kind}
          label: Spørsmål
          {item_extra}
          options:
            - {{value: a, label: A{option_extra}}}
            - {{value: b, label: B, score: 1}}
        """)


def _scored(scale_extra: str, band_max: str = "5") -> str:
    return _form(
        """
        - id: q1
          type: single_choice
          label: Spørsmål
          options:
            - {value: a, label: A, score: 0}
            - {value: b, label: B, score: 1}
        """,
        f"""scoring:
  scales:
    - id: sc
      label: Skala
      items: [q1]
{scale_extra}      bands:
        - {{id: low, label: Lav, max: {band_max}}}
        - {{id: high, label: Høy}}
""",
    )


def _number(limits: str) -> str:
    return _form(f"""
        - id: n1
          type: number
          label: Tall
          {limits}
        """)


def bombs() -> list[tuple[str, str]]:
    out = []
    for width, depth in ((9, 9), (10, 6), (3, 25), (50, 3), (2, 60)):
        lines = ["a0: &a0 [" + ", ".join(['"lol"'] * width) + "]"]
        for level in range(1, depth):
            lines.append(f"a{level}: &a{level} [" + ", ".join([f"*a{level - 1}"] * width) + "]")
        out.append((f"billion_laughs_w{width}_d{depth}", "\n".join(lines) + "\n"))
    out.append(
        ("quadratic_blowup", 'x: &x "' + "A" * 50_000 + '"\n' + "y: [" + ", ".join(["*x"] * 2000) + "]\n")
    )
    out.append(
        ("alias_chain_in_form", HEAD + "title: &t Tittel\n" + "\n".join(f"k{i}: *t" for i in range(200)))
    )
    out.append(("merge_key_bomb", "base: &b {a: 1}\n" + "\n".join(f"m{i}: {{<<: *b}}" for i in range(60))))
    return out


def nesting() -> list[tuple[str, str]]:
    out = []
    for depth in (61, 200, 1000, 5000):
        out.append((f"flow_list_depth_{depth}", "x: " + "[" * depth + "]" * depth + "\n"))
        out.append((f"flow_map_depth_{depth}", "x: " + "{a: " * depth + "1" + "}" * depth + "\n"))
    block = "".join("  " * i + f"k{i}:\n" for i in range(80)) + "  " * 80 + "v: 1\n"
    out.append(("block_map_depth_80", block))
    out.append(("block_list_depth_80", "".join("  " * i + "-\n" for i in range(80)) + "  " * 80 + "- 1\n"))
    return out


def huge() -> list[tuple[str, str]]:
    return [
        ("file_over_1mb_comment", HEAD + "# " + "x" * (1024 * 1024) + "\n"),
        ("file_over_1mb_label", _form(f"- {{id: q1, type: text, label: '{'y' * (1100 * 1024)}'}}")),
        ("flow_list_300k", "id: x\nitems: [" + ",".join(["1"] * 300_000) + "]\n"),
        ("mapping_250k_keys", "".join(f"k{i}: 1\n" for i in range(250_000))[: 1024 * 1024 - 10]),
        ("int_5000_digits_as_score", _choice(", score: " + "9" * 5000)),
        ("int_29_digits_as_max", _number("max: " + "9" * 29)),
        ("int_20_digits_as_min", _number("min: -" + "1" * 20)),
        ("long_key", HEAD + "k" * 60_000 + ": 1\n"),
    ]


NON_FINITE = ("1e999", "-1e999", "1e400", "1.7976931348623159e308", "9e15", "1.0e16")


def non_finite() -> list[tuple[str, str]]:
    out = []
    for n, value in enumerate(NON_FINITE):
        out.append((f"score_{n}", _choice(f", score: {value}")))
        out.append((f"max_{n}", _number(f"max: {value}")))
        out.append((f"weight_{n}", _scored(f"      weights: {{q1: {value}}}\n")))
        out.append((f"band_max_{n}", _scored("", value)))
    out += [
        ("min_answered_inf", _scored("      min_answered: 1e999\n")),
        ("max_length_inf", _form("- {id: t1, type: text, label: T, max_length: 1e999}")),
        ("max_choices_inf", _choice(item_extra="max_choices: 1e999", kind="multi_choice")),
        ("score_2e9", _choice(", score: 2000000000")),
        ("weight_2e9", _scored("      weights: {q1: -2000000000}\n")),
    ]
    return out


def impossible() -> list[tuple[str, str]]:
    return [
        ("min_over_max", _number("min: 10\n          max: 1")),
        ("max_length_minus_1", _form("- {id: t1, type: text, label: T, max_length: -1}")),
        ("max_length_0", _form("- {id: t1, type: long_text, label: T, max_length: 0}")),
        ("max_choices_0", _choice(item_extra="max_choices: 0", kind="multi_choice")),
        ("max_choices_minus_3", _choice(item_extra="max_choices: -3", kind="multi_choice")),
        (
            "repeat_max_0",
            _form("""
            - id: r1
              type: repeat
              label: R
              max: 0
              items:
                - {id: c1, type: text, label: C}
            """),
        ),
        ("date_month_13", _form("- {id: d1, type: date, label: D, min: 2024-13-45}")),
        ("date_feb_30", _form("- {id: d1, type: date, label: D, max: 2023-02-30}")),
        ("date_all_nines", _form("- {id: d1, type: date, label: D, min: 9999-99-99}")),
        ("date_not_a_date", _form("- {id: d1, type: date, label: D, min: soon}")),
        (
            "matrix_no_rows",
            _form("""
            - id: m1
              type: matrix
              label: M
              rows: []
              options:
                - {value: a, label: A}
            """),
        ),
        ("choice_no_options", _form("- {id: q1, type: single_choice, label: Q, options: []}")),
        ("multi_no_options", _form("- {id: q1, type: multi_choice, label: Q, options: []}")),
        ("scale_unknown_key", _scored("      bands_note: x\n")),
        (
            "band_limits_decrease",
            _scored("", "-1").replace(
                "{id: high, label: Høy}", "{id: mid, label: Mid, max: -5}\n        - {id: high, label: Høy}"
            ),
        ),
        ("min_answered_zero", _scored("      min_answered: 0\n")),
        ("min_answered_fraction_over_1", _scored("      min_answered: 1.5\n")),
    ]


def cycles() -> list[tuple[str, str]]:
    def chain(n: int) -> str:
        items = [
            f"- {{id: q{i}, type: text, label: Q{i}, show_if: 'answered(q{(i + 1) % n})'}}" for i in range(n)
        ]
        return _form("\n".join(items))

    return [
        ("show_if_self", _form("- {id: q1, type: text, label: Q, show_if: 'answered(q1)'}")),
        ("show_if_cycle_2", chain(2)),
        ("show_if_cycle_3", chain(3)),
        ("show_if_cycle_7", chain(7)),
        (
            "section_show_if_on_own_item",
            _form("- {id: q1, type: yes_no, label: Q}", section_extra="    show_if: \"q1 == 'yes'\"\n"),
        ),
        (
            "show_if_cycle_with_extra_refs",
            _form("""
            - {id: a1, type: text, label: A}
            - {id: q1, type: text, label: Q1, show_if: 'answered(a1) and answered(q2)'}
            - {id: q2, type: text, label: Q2, show_if: 'answered(q1) or answered(a1)'}
            """),
        ),
    ]


def expressions() -> list[tuple[str, str]]:
    out = []
    for n, expr in enumerate(
        ("value / 0 > 1", "value / 0.0 < 3", "(value + 1) / (0) == 2", "value * 2 / 0 >= 1")
    ):
        out.append((f"constraint_div_zero_{n}", _number(f"constraint: '{expr}'")))
    out += [
        ("expression_nested_parens", _number("constraint: '" + "(" * 300 + "value" + ")" * 300 + " > 1'")),
        ("expression_too_long", _number("constraint: 'value > " + " + ".join(["1"] * 3000) + "'")),
        ("expression_unknown_function", _number("constraint: '__import__(value)'")),
        ("expression_dunder_attribute", _number("constraint: 'value.__class__ > 1'")),
        ("expression_unknown_ref", _form("- {id: q1, type: text, label: Q, show_if: 'answered(nope)'}")),
    ]
    return out


def encodings() -> list[tuple[str, bytes]]:
    valid = _form("- {id: q1, type: text, label: Blåbær}").encode("utf-8")
    return [
        ("latin1_letters", valid.decode("utf-8").encode("latin-1")),
        ("utf16_with_bom", valid.decode("utf-8").encode("utf-16")),
        ("utf32", valid.decode("utf-8").encode("utf-32")),
        ("invalid_byte_ff", valid.replace(b"Del 1", b"Del \xff")),
        ("overlong_slash", valid.replace(b"Del 1", b"Del \xc0\xaf")),
        ("cesu_surrogate", valid.replace(b"Del 1", b"Del \xed\xa0\x80")),
        ("truncated_sequence", valid.replace(b"Del 1", b"Del \xe2\x82")),
        ("nul_byte", valid.replace(b"Del 1", b"Del \x00")),
        ("control_character", valid.replace(b"Del 1", b"Del \x07")),
        ("bom_then_invalid", b"\xef\xbb\xbf" + valid.replace(b"Fiendtlig", b"Fi\x80ndtlig")),
    ]


def syntax() -> list[tuple[str, str]]:
    return [
        ("unclosed_flow", HEAD + "sections: [\n"),
        ("unclosed_quote", HEAD + 'title: "open\n'),
        ("tab_indent", HEAD + "sections:\n\t- id: s1\n"),
        ("duplicate_key", HEAD + "id: twice\n"),
        ("python_tag", HEAD + "x: !!python/object/apply:os.system ['true']\n"),
        ("custom_tag", HEAD + "x: !secret value\n"),
        ("binary_tag", HEAD + "x: !!binary aGVsbG8=\n"),
        ("two_documents", HEAD + "---\nid: other\n"),
        ("empty_file", ""),
        ("only_comments", "# nothing here\n# at all\n"),
        ("top_level_list", "- id: x\n- version: 1.0.0\n"),
        ("top_level_scalar", "just text\n"),
        ("mapping_as_key", HEAD + "? {a: 1}\n: value\n"),
        ("null_key", HEAD + "~: value\n"),
        ("directive_yaml_1_1", "%YAML 1.1\n---\n" + HEAD),
        ("anchor_without_alias_target", HEAD + "x: *nowhere\n"),
    ]


def generate() -> list[tuple[str, bytes]]:
    """Every hostile definition, named, as the bytes of a file."""
    groups = [
        bombs(),
        nesting(),
        huge(),
        non_finite(),
        impossible(),
        cycles(),
        expressions(),
        encodings(),
        syntax(),
    ]
    out: list[tuple[str, bytes]] = []
    for group in groups:
        for name, content in group:
            out.append((name, content if isinstance(content, bytes) else content.encode("utf-8")))
    names = [name for name, _ in out]
    assert len(names) == len(set(names)), "hostile definition names must be unique"
    return out

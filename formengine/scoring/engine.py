"""Score an answer set with the exact form version it was filled in (docs/format.md, "Scoring").

Public API::

    report = score(definition, answers, lang="nb")     # -> ScoreReport (frozen)
    json.dumps(report.as_json(), sort_keys=True)       # deterministic

Rules, in the order they are applied:

- Answers first go through ``effective_answers``: hidden items count as unanswered.
- An item gives its option's score; a ``multi_choice`` item the sum of its selected options'
  scores (an unscored option adds 0). ``reverse`` maps a score s to min + max - s over the
  item's scored, non-"not applicable" options (per selected option for ``multi_choice``); the
  weight applies after reversing.
- "Not applicable" answers (a multi_choice selection of only such options, too) are removed
  from the scale: they count neither as answered nor in the item count used for proration
  and for ``min_answered``. A scale whose answered items are all "not applicable" is null
  with reason ``not_applicable``.
- A single-choice answer whose option has no score counts as unanswered (it stays in the
  item count): "don't know" is not a 0.
- ``min_answered``: an int is a count, capped at the remaining item count (so saying "not
  relevant" never makes a scale impossible); a float is a fraction of the remaining items,
  rounded up. No scored answer → null, reason ``no_answers``, or ``not_asked`` when a
  condition hid every one of the scale's items (and none of its card cells was asked): the
  relative was not asked, e.g. she did not tick that area. ``not_asked`` changes only the
  reason (never a value, an item count or a band); an empty answer set gives ``no_answers``.
  Fewer than required → null, reason ``too_few_answers``. Never 0. A scale that cannot be computed (a non-finite score or
  weight in a definition from before such numbers were refused) is null with reason
  ``not_scorable``: scoring never raises.
- ``sum``: total, times items / answered when ``prorate``; ``mean``: weighted mean. Exact
  decimal arithmetic, rounded to 2 decimals half away from zero; bands on the rounded value.
- Flags see ``score.<scale>`` (null when the scale is null, and null compares false).

Everything that does not depend on the answers is prepared once per definition hash
(``compile_scorer``), so scoring a full assessment takes well under a millisecond.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

from formengine.answers.conditions import card_rows_shown, effective_view, resolver
from formengine.definition.model import FormDefinition, Gap, Item
from formengine.scoring.report import (
    BandResult,
    ContactResult,
    FlagResult,
    GapResult,
    OfferResult,
    PriorityResult,
    ScaleResult,
    ScoreReport,
)
from formengine.scoring.tally import MEMO_LIMIT, Memo, ScaleSpec, round_cents, tally  # the Scorer's parts

__all__ = ["score", "compile_scorer", "Scorer", "ScoreReport"]

_CACHE_LIMIT = 256
_CACHE: dict[tuple[str, str], Scorer] = {}


def score(defn: FormDefinition, answers: dict[str, Any], lang: str | None = None) -> ScoreReport:
    """Score ``answers`` (item id → answer) with ``defn``; labels in ``lang`` or the default language."""
    return compile_scorer(defn).score(answers, lang)


def clear_scorer_cache() -> None:
    """Forget every compiled scorer (the next :func:`score` of each form compiles again)."""
    _CACHE.clear()


def compile_scorer(defn: FormDefinition) -> Scorer:
    """Return the prepared scorer for ``defn``, built once per definition hash."""
    if not defn.hash:  # an unhashed, hand-built definition: nothing safe to cache on
        return Scorer(defn)
    key = (defn.key, defn.hash)
    scorer = _CACHE.get(key)
    if scorer is None:
        if len(_CACHE) >= _CACHE_LIMIT:
            _CACHE.clear()
        scorer = _CACHE[key] = Scorer(defn)
    return scorer


class Scorer:
    """Everything about one definition's scoring that does not depend on the answers."""

    def __init__(self, defn: FormDefinition):
        self.defn = defn
        scoring = defn.scoring
        index = {}
        for item in defn.iter_items():
            index[item.id] = item
            for row in item.rows:
                index[f"{item.id}.{row.id}"] = item
                for column in item.columns:
                    index[f"{item.id}.{row.id}.{column.id}"] = item
        self.scales = tuple(ScaleSpec(s, index) for s in scoring.scales)
        self.flags = tuple((f, Memo(f.when)) for f in scoring.flags)
        self.triggers = tuple((frozenset(t.domains), Memo(t.when)) for t in scoring.offer_triggers)
        self.gaps = tuple(self._gap_spec(g, index) for g in scoring.gaps)
        self.priority_item = index.get(scoring.priorities) if scoring.priorities else None
        self.offers = tuple((o, frozenset(o.domains)) for o in defn.offers)
        self._texts: dict[str, dict[str, Any]] = {}

    @staticmethod
    def _gap_spec(gap: Gap, index: dict[str, Item]) -> tuple[Any, ...]:
        if gap.cards is not None:  # per card: the column ids are the names
            card = index[gap.cards]
            card_names = tuple(c.id for c in card.columns)
            card_memo = Memo(gap.when)
            return (
                gap,
                card_names,
                (gap.cards,),
                tuple(r.id for r in card.rows),
                card_memo,
                (card, set(card_memo.names) <= set(card_names)),
            )
        names = tuple(name for name, _ in gap.bind)
        matrices = tuple(matrix for _, matrix in gap.bind)
        rows = tuple(r.id for r in index[matrices[0]].rows) if matrices else ()
        memo = Memo(gap.when)
        # a rule that reads only its bound names depends on nothing but the row's values
        return gap, names, matrices, rows, memo, set(memo.names) <= set(names)

    def language(self, lang: str | None) -> str:
        """Return ``lang`` if the form has it, else the form's default language."""
        return lang if lang in self.defn.languages else self.defn.default_language

    def texts(self, lang: str) -> dict[str, Any]:
        """Return the answer-independent parts of a report in ``lang`` (built once per language)."""
        found = self._texts.get(lang)
        if found is None:
            found = self._texts[lang] = _prepare_texts(self, lang)
        return found

    def score(self, answers: dict[str, Any], lang: str | None = None) -> ScoreReport:
        """Score one answer set; see the module docstring for the rules."""
        lang = self.language(lang)
        texts = self.texts(lang)
        shown, hidden = effective_view(self.defn, answers) if answers else ({}, set())
        scales, values = self._scales(shown, hidden, texts)
        resolve = resolver(shown, extra=values)
        flags = tuple(texts["flags"][i] for i, (_, memo) in enumerate(self.flags) if memo.truthy(resolve))
        defn = self.defn
        return ScoreReport(
            defn.id,
            defn.version,
            defn.hash,
            lang,
            scales,
            flags,
            self._priorities(shown, texts),
            self._gaps(shown, values, texts),
            self._offers(scales, resolve, texts),
        )

    def _scales(
        self, answers: dict[str, Any], hidden: set[str], texts: dict[str, Any]
    ) -> tuple[tuple[ScaleResult, ...], dict[str, Any]]:
        results, values = [], {}
        for i, spec in enumerate(self.scales):
            try:
                result, value = self._scale(i, spec, answers, hidden, texts)
            except (ArithmeticError, ValueError, TypeError):  # e.g. a non-finite score in an old definition
                result, value = (
                    ScaleResult(
                        spec.scale.id,
                        texts["scales"][i],
                        None,
                        None,
                        0,
                        len(spec.entries),
                        0,
                        False,
                        "not_scorable",
                        None,
                        spec.scale.domain,
                    ),
                    None,
                )
            values["score." + spec.scale.id] = value
            results.append(result)
        return tuple(results), values

    def _scale(
        self, i: int, spec: ScaleSpec, answers: dict[str, Any], hidden: set[str], texts: dict[str, Any]
    ) -> tuple[ScaleResult, float | None]:
        """One scale's result; raises ArithmeticError for a value that is not finite."""
        total, weight_sum, answered, na, skipped = tally(spec, answers)
        n_items = len(spec.entries) - na - skipped
        value: float | None = None
        raw: float | None = None
        reason: str | None = None
        band: BandResult | None = None
        prorated = False
        if n_items == 0:
            reason = "not_applicable"
        elif answered == 0 and spec.not_asked(hidden, skipped):
            reason = "not_asked"
        elif answered == 0 or not weight_sum:
            reason = "no_answers"
        elif answered < spec.required(n_items):
            reason = "too_few_answers"
        else:
            raw = float(round_cents(total))
            if spec.mean:
                exact = total / weight_sum
            elif spec.scale.prorate and answered < n_items:
                exact, prorated = total * n_items / answered, True
            else:
                exact = total
            rounded = round_cents(exact)
            value = float(rounded)
            for j, (upper, _) in enumerate(spec.bands):
                if upper is None or rounded <= upper:
                    band = texts["bands"][i][j]
                    break
        if value is not None and not math.isfinite(value):
            raise ArithmeticError("not a finite score")
        return ScaleResult(
            spec.scale.id,
            texts["scales"][i],
            value,
            raw,
            answered,
            n_items,
            na,
            prorated,
            reason,
            band,
            spec.scale.domain,
        ), value

    def _priorities(self, answers: dict[str, Any], texts: dict[str, Any]) -> tuple[PriorityResult, ...]:
        item = self.priority_item
        chosen = answers.get(item.id) if item is not None else None
        if not isinstance(chosen, list):
            return ()
        labels = texts["priorities"]
        return tuple(PriorityResult(v, labels.get(v, v)) for v in chosen if isinstance(v, str))

    def _gaps(
        self, answers: dict[str, Any], values: dict[str, Any], texts: dict[str, Any]
    ) -> tuple[GapResult, ...]:
        out = []
        for i, (gap, names, matrices, rows, memo, only_bound) in enumerate(self.gaps):
            if gap.cards is not None:
                out.extend(self._card_gaps(i, gap, names, rows, memo, only_bound, answers, values, texts))
                continue
            tables = [t if isinstance(t, dict) else {} for t in map(answers.get, matrices)]
            results = memo.results
            label, row_labels = texts["gaps"][i]
            for j, row in enumerate(rows):
                bound = tuple([t.get(row) for t in tables])
                try:
                    hit = (
                        results[bound] if only_bound else self._gap_rule(memo, names, bound, answers, values)
                    )
                except KeyError:  # first time these values are seen: evaluate and remember
                    hit = memo.expr.truthy(dict(zip(names, bound, strict=True)).get)
                    if len(results) < MEMO_LIMIT and all(v is None or v.__class__ is str for v in bound):
                        results[bound] = hit
                except TypeError:  # an unhashable (invalid) answer: just evaluate
                    hit = memo.expr.truthy(dict(zip(names, bound, strict=True)).get)
                if hit:
                    out.append(
                        GapResult(gap.id, row, row_labels[j], tuple(zip(names, bound, strict=True)), label)
                    )
        return tuple(out)

    @staticmethod
    def _card_gaps(
        i: int,
        gap: Any,
        names: tuple[str, ...],
        rows: tuple[str, ...],
        memo: Memo,
        spec: tuple[Item, bool],
        answers: dict[str, Any],
        values: dict[str, Any],
        texts: dict[str, Any],
    ) -> list[GapResult]:
        """A gap rule on every answered card, in row order, with the card's column ids bound.

        A rule that reads only the column ids depends on nothing but the card's answers, so its
        results are remembered by those answers (like a matrix gap rule's)."""
        card, only_bound = spec
        table = answers.get(card.id)
        if not isinstance(table, dict):
            return []
        label, row_labels = texts["gaps"][i]
        out = []
        for row in card_rows_shown(card, answers):
            cells = table.get(row)
            if not isinstance(cells, dict):
                continue
            bound = tuple(cells.get(name) for name in names)
            plain = only_bound and all(v is None or v.__class__ is str for v in bound)  # hashable, exact
            hit = memo.results.get(bound) if plain else None
            if hit is None:
                hit = memo.expr.truthy(
                    resolver(answers, extra={**values, **dict(zip(names, bound, strict=True))})
                )
                if plain and len(memo.results) < MEMO_LIMIT:
                    memo.results[bound] = hit
            if hit:
                out.append(
                    GapResult(
                        gap.id, row, row_labels[rows.index(row)], tuple(zip(names, bound, strict=True)), label
                    )
                )
        return out

    @staticmethod
    def _gap_rule(
        memo: Memo,
        names: tuple[Any, ...],
        bound: tuple[Any, ...],
        answers: dict[str, Any],
        values: dict[str, Any],
    ) -> bool:
        """Evaluate a gap rule that also reads names beyond its bound matrices."""
        return memo.expr.truthy(resolver(answers, extra={**values, **dict(zip(names, bound, strict=True))}))

    def _offers(
        self, scales: tuple[ScaleResult, ...], resolve: Callable[[str], object], texts: dict[str, Any]
    ) -> tuple[OfferResult, ...]:
        if not self.offers:
            return ()
        suggesting = [
            (s.id, s.domain)
            for s, spec in zip(scales, self.scales, strict=True)
            if s.band is not None and s.domain and _suggests(spec, s.band.id)
        ]
        triggered: set[str] = set()
        for domains, memo in self.triggers:
            if memo.truthy(resolve):
                triggered |= domains
        out = []
        for i, (offer, domains) in enumerate(self.offers):
            because = [sid for sid, domain in suggesting if domain in domains]
            if triggered & domains:
                because.append("trigger")
            if because:
                title, description, contact = texts["offers"][i]
                out.append(
                    OfferResult(
                        offer.id, title, description, contact, offer.domains, offer.url, tuple(because)
                    )
                )
        return tuple(out)


def _suggests(spec: ScaleSpec, band_id: str) -> bool:
    return any(b.id == band_id and b.suggest_offers for _, b in spec.bands)


def _prepare_texts(scorer: Scorer, lang: str) -> dict[str, Any]:
    """Build the labels and the immutable pieces of a report in one language."""
    defn = scorer.defn
    contacts: dict[str | None, ContactResult] = {
        c.id: ContactResult(c.id, c.name.get(lang), c.phone, c.email, c.hours.get(lang))
        for c in defn.contacts
    }
    item = scorer.priority_item
    return {
        "scales": [spec.scale.label.get(lang) for spec in scorer.scales],
        "bands": [
            [BandResult(b.id, b.label.get(lang), b.colour) for _, b in spec.bands] for spec in scorer.scales
        ],
        "flags": [
            FlagResult(f.id, f.severity, f.message.get(lang), f.action.get(lang)) for f, _ in scorer.flags
        ],
        "priorities": {o.value: o.label.get(lang) for o in item.options} if item is not None else {},
        "gaps": [
            (g[0].label.get(lang), [_row_label(defn, g[2][0], row, lang) for row in g[3]])
            for g in scorer.gaps
        ],
        "offers": [
            (o.title.get(lang), o.description.get(lang), contacts.get(o.contact)) for o, _ in scorer.offers
        ],
    }


def _row_label(defn: FormDefinition, matrix_id: str, row_id: str, lang: str) -> str:
    for row in defn.items_by_id[matrix_id].rows:
        if row.id == row_id:
            return row.label.get(lang)
    return row_id

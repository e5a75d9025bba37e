"""A small form exercising grouped options, ``cards`` (rows_from and fixed rows), card scales,
per-card gap rules and a follow-up scale with ``compares_to`` — shared by the cards tests."""

from __future__ import annotations

import json

CARDS_FORM = """\
id: {form_id}
version: {version}
status: active
title: {{nb: Kort, nn: Kort, en: Cards}}
languages: [nb, nn, en]
default_language: nb
option_sets:
  who_does:
    - {{value: me, label: {{nb: Jeg, nn: Eg, en: Me}}}}
    - {{value: self, label: {{nb: Han/hun selv, nn: Han/ho sjølv, en: They do it themselves}}}}
    - {{value: services, label: {{nb: Tjenestene, nn: Tenestene, en: The services}}}}
    - {{value: not_applicable, label: {{nb: Ikke aktuelt, nn: Ikkje aktuelt, en: Not relevant}}, not_applicable: true}}
sections:
  - id: what
    title: {{nb: Hva du gjør, nn: Kva du gjer, en: What you do}}
    items:
      - id: helps_with
        type: multi_choice
        label: {{nb: "Hva hjelper du med?", nn: "Kva hjelper du med?", en: "What do you help with?"}}
        groups:
          - {{id: personal, label: {{nb: Personlig stell, nn: Personleg stell, en: Personal care}}}}
          - {{id: practical, label: {{nb: Praktiske oppgaver, nn: Praktiske oppgåver, en: Practical tasks}}}}
        options:
          - {{value: hygiene, group: personal, label: {{nb: Vask og stell, nn: Vask og stell, en: Washing}}}}
          - {{value: medicine, group: personal, label: {{nb: Medisiner, nn: Medisinar, en: Medicine}}}}
          - {{value: shopping, group: practical, label: {{nb: Innkjøp, nn: Innkjøp, en: Shopping}}}}
          - {{value: transport, group: practical, label: {{nb: Transport, nn: Transport, en: Transport}}}}
  - id: cards
    title: {{nb: Oppgavene, nn: Oppgåvene, en: The tasks}}
    items:
      - id: tasks
        type: cards
        label: {{nb: Oppgavene du hjelper med, nn: Oppgåvene du hjelper med, en: The tasks you help with}}
        help: {{nb: Ett kort per oppgave., nn: Eitt kort per oppgåve., en: One card per task.}}
        rows_from: helps_with
        columns:
          - id: who_now
            label: {{nb: "Hvem gjør dette nå?", nn: "Kven gjer dette no?", en: "Who does this now?"}}
            options: who_does
          - id: from_now
            label: {{nb: "Hvor mye vil du gjøre fra nå av?", nn: "Kor mykje vil du gjere frå no av?", en: "How much will you do from now on?"}}
            options:
              - {{value: same, label: {{nb: Som nå, nn: Som no, en: As now}}, score: 0}}
              - {{value: more, label: {{nb: Mer, nn: Meir, en: More}}, score: 0}}
              - {{value: less, label: {{nb: Mindre, nn: Mindre, en: Less}}, score: 1}}
              - {{value: stop, label: {{nb: Vil slutte, nn: Vil slutte, en: Stop}}, score: 2}}
          - id: expects
            label: {{nb: "Hva venter du av tjenestene?", nn: "Kva ventar du av tenestene?", en: "What do you expect of the services?"}}
{expects_if}            options:
              - {{value: nothing, label: {{nb: Ingenting, nn: Ingenting, en: Nothing}}}}
              - {{value: help, label: {{nb: Hjelp, nn: Hjelp, en: Help}}}}
              - {{value: take_over, label: {{nb: At de tar over, nn: At dei tek over, en: That they take over}}}}
      - id: burden
        type: cards
        label: {{nb: Belastning, nn: Belastning, en: Strain}}
        rows:
          - {{id: sleep, label: {{nb: Søvn, nn: Søvn, en: Sleep}}}}
          - {{id: work, label: {{nb: Arbeid, nn: Arbeid, en: Work}}}}
        columns:
          - id: level
            label: {{nb: "Hvor mye?", nn: "Kor mykje?", en: "How much?"}}
            options:
              - {{value: low, label: {{nb: Lite, nn: Lite, en: Little}}, score: 0}}
              - {{value: high, label: {{nb: Mye, nn: Mykje, en: Much}}, score: 2}}
              - {{value: na, label: {{nb: Ikke aktuelt, nn: Ikkje aktuelt, en: Not relevant}}, not_applicable: true}}
      - id: many_tasks_note
        type: note
        show_if: "count(tasks) >= 2 and tasks.shopping.who_now == 'me'"
        text: {{nb: Du gjør mye., nn: Du gjer mykje., en: You do a lot.}}
scoring:
  scales:
    - id: wants_less
      label: {{nb: Vil gjøre mindre, nn: Vil gjere mindre, en: Wants to do less}}
      items: ["tasks[*].from_now"]
      method: mean
    - id: strain
      label: {{nb: Belastning, nn: Belastning, en: Strain}}
      items: [burden.sleep.level, burden.work.level]
  flags:
    - id: shopping_alone
      severity: medium
      when: "answered(tasks.shopping) and tasks.shopping.who_now == 'me'"
      message: {{nb: Handler alene, nn: Handlar åleine, en: Shops alone}}
  gaps:
    - id: wants_out
      cards: tasks
      when: "who_now == 'me' and from_now in ['less', 'stop']"
      label: {{nb: Vil gjøre mindre, nn: Vil gjere mindre, en: Wants to do less}}
"""


# asked only where it matters: the relative wants to do less, or nobody does the task now
EXPECTS_IF = "from_now in ['less', 'stop'] or who_now == 'services'"


def cards_form(form_id: str = "kort", version: str = "1.0.0", expects_if: str | None = None) -> str:
    """The cards test form as YAML text; ``expects_if`` becomes the ``expects`` column's show_if."""
    line = f"            show_if: {json.dumps(expects_if)}\n" if expects_if is not None else ""
    return CARDS_FORM.format(form_id=form_id, version=version, expects_if=line)


ANSWERS = {
    "helps_with": ["medicine", "shopping", "transport"],
    "tasks": {
        "medicine": {"who_now": "me", "from_now": "stop", "expects": "take_over"},
        "shopping": {"who_now": "me", "from_now": "less"},
        "transport": {"who_now": "not_applicable"},
    },
    "burden": {"sleep": {"level": "high"}, "work": {"level": "na"}},
}

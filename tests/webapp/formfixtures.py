"""A small form built in code (independent of forms/ on disk) and a minimal registry around it."""

from __future__ import annotations

from formengine.definition.model import (
    Contact,
    FormDefinition,
    Item,
    Municipality,
    Option,
    Row,
    Section,
    Text,
)
from formengine.expressions.parser import parse


def t(nb: str, en: str | None = None, nn: str | None = None) -> Text:
    values = [("nb", nb)]
    if nn:
        values.append(("nn", nn))
    if en:
        values.append(("en", en))
    return Text(tuple(values), "nb")


def opts(*pairs) -> tuple[Option, ...]:
    return tuple(Option(v, t(nb, en)) for v, nb, en in pairs)


YES_NO = opts(("yes", "Ja", "Yes"), ("no", "Nei", "No"))


def sample_form(form_id: str = "testskjema", version: str = "1.0.0", municipality=None) -> FormDefinition:
    relation = Item(
        "relation",
        "single_choice",
        t("Hvem er du pårørende til?", "Who do you care for?"),
        options=opts(
            ("parent", "Forelder", "Parent"), ("child", "Barn", "Child"), ("other", "Annen", "Other")
        ),
    )
    relation_other = Item(
        "relation_other",
        "text",
        t("Beskriv", "Describe"),
        show_if=parse("relation == 'other'"),
        max_length=80,
    )
    has_children = Item(
        "has_children",
        "yes_no",
        t("Bor det barn under 18 år hos deg?", "Do children under 18 live with you?"),
        options=YES_NO,
    )
    children = Item(
        "children",
        "repeat",
        t("Barn", "Children"),
        show_if=parse("has_children == 'yes'"),
        add_label=t("Legg til barn", "Add a child"),
        max=5,
        items=(
            Item("child_age", "number", t("Alder", "Age"), min=0, max=17, parent="children"),
            Item(
                "child_knows",
                "yes_no",
                t("Vet barnet om sykdommen?", "Does the child know?"),
                options=YES_NO,
                parent="children",
            ),
        ),
    )
    hours = Item(
        "hours", "number", t("Timer per uke", "Hours per week"), min=0, max=168, unit=t("timer", "hours")
    )
    tasks = Item(
        "tasks",
        "matrix",
        t("Hvem gjør dette nå?", "Who does this now?"),
        rows=(Row("shopping", t("Handling", "Shopping")), Row("money", t("Økonomi", "Money"))),
        options=opts(
            ("me", "Jeg", "Me"), ("service", "Tjenesten", "The service"), ("nobody", "Ingen", "Nobody")
        ),
    )
    worries = Item(
        "worries",
        "multi_choice",
        t("Hva bekymrer deg?", "What worries you?"),
        max_choices=2,
        options=opts(("sleep", "Søvn", "Sleep"), ("money", "Penger", "Money"), ("work", "Jobb", "Work")),
    )
    strain = Item(
        "strain",
        "long_text",
        t("Fortell med egne ord", "In your own words"),
        conversation_only=True,
        help=t("Du kan hoppe over dette. **Frivillig**.", "You may skip this."),
    )
    priority = Item(
        "what_matters",
        "priority",
        t("Hva er viktigst for deg?", "What matters most to you?"),
        max_choices=2,
        options=opts(
            ("rest", "Hvile", "Rest"), ("info", "Informasjon", "Information"), ("work", "Jobb", "Work")
        ),
    )
    since = Item("since", "date", t("Siden når?", "Since when?"), max="today")
    sections = (
        Section("relation", t("Om deg", "About you"), (relation, relation_other, has_children, children)),
        Section("tasks", t("Oppgaver", "Tasks"), (hours, tasks, since)),
        Section("strain", t("Belastning", "Strain"), (worries, strain)),
        Section(
            "parent_extra",
            t("For foreldre", "For parents"),
            (Item("parent_note", "text", t("Noe mer?", "Anything else?")),),
            show_if=parse("relation == 'parent'"),
        ),
        Section("priorities", t("Det viktigste", "What matters most"), (priority,)),
    )
    return FormDefinition(
        id=form_id,
        version=version,
        status="active",
        title=t("Testskjema", "Test form"),
        languages=("nb", "nn", "en"),
        default_language="nb",
        sections=sections,
        municipality=municipality,
        hash="sha256:test",
        contacts=(
            Contact(
                "koord",
                t("Pårørendekoordinator", "Relatives' coordinator"),
                phone="+47 00 00 00 00",
                email="parorende@eksempel.kommune.no",
            ),
        ),
    )


class StubRegistry:
    def __init__(self, *defs: FormDefinition):
        self.defs = {(d.id, d.version): d for d in defs}
        self.problems = []

    def get(self, form_id, version):
        return self.defs[(form_id, version)]

    def latest_active(self, form_id):
        found = [d for (i, _v), d in self.defs.items() if i == form_id and d.status == "active"]
        return found[-1] if found else None

    def active_forms(self):
        return [d for d in self.defs.values() if d.status == "active"]


def sample_registry() -> StubRegistry:
    return StubRegistry(
        sample_form(), sample_form("testkommune-skjema", municipality=Municipality("0301", "Testkommune"))
    )

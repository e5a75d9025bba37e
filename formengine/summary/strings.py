"""The printed documents' own texts (labels, headings, notes), in the ``formengine`` gettext domain.

Message ids are English; the bokmål, nynorsk and English texts are in
``locales/<lang>/LC_MESSAGES/formengine.po`` (see :mod:`formengine.i18n`). A language without a
catalogue gets bokmål. Templates read them by key: ``t.summary_title``.
"""

from __future__ import annotations

from formengine.i18n import N_, catalogue_language, translations

TEXTS: dict[str, str] = {
    "summary_title": N_("Summary for the conversation"),
    "agreement_title": N_("Collaboration agreement"),
    "record_title": N_("Copy for the record (Journalkopi)"),
    "running_meeting": N_("For the conversation – not for the record"),
    "running_record": N_("Copy for the record (Journalkopi)"),
    "handling": N_("How the assessment is followed up"),
    "handled_how": N_("How it is followed up"),
    "handled_action": N_("Action {n}: {what}"),
    "handled_reason": N_("Agreed without an action for now. Reason: {reason}"),
    "handled_none": N_("Not yet clear"),
    "blank_title": N_("Paper form"),
    "version": N_("Version"),
    "definition": N_("Form ID"),
    "date": N_("Date"),
    "submitted": N_("Submitted"),
    "case_ref": N_("Case number"),
    "relative": N_("Relative"),
    "language": N_("Language"),
    "page": N_("page"),
    "of": N_("of"),
    "keep_copy": N_("The relative may keep this copy."),
    "copy_meeting": N_(
        "Copy for the conversation. Includes answers the relative marked “for the conversation only”. Not for the patient's record."
    ),
    "copy_record": N_(
        "Copy for the record. Answers the relative marked “for the conversation only” are left out ({n})."
    ),
    "copy_record_none": N_("Copy for the record. No answers are marked “for the conversation only”."),
    "conversation_only": N_("for the conversation only"),
    "conversation_only_box": N_("This answer is for the conversation only (not for the record)."),
    "conversation_only_default_box": N_(
        "This answer may go into the record. Without a tick it is for the conversation only."
    ),
    "co_column": N_("For the conversation only"),
    "co_default_column": N_("May go into the record (no tick: for the conversation only)"),
    "priorities": N_("What matters most to the relative"),
    "priorities_none": N_("The relative has not chosen what matters most."),
    "questions": N_("Questions and thoughts for the conversation"),
    "flags": N_("Needs follow-up"),
    "flag_high": N_("Important"),
    "flag_medium": N_("Follow up"),
    "flag_info": N_("For information"),
    "action": N_("What we do"),
    "who": N_("About the relative"),
    "domains": N_("How the relative is doing, area by area"),
    "domains_intro": N_(
        "The bars sum up the answers per area. A longer bar means more strain or a greater need, unless it says otherwise."
    ),
    "scores_footnote": N_(
        "The numbers help the conversation; they do not decide who gets help. Use them to ask, not to rank relatives."
    ),
    "no_value": N_("Too few answers"),
    "not_asked": N_("Not asked"),
    "not_asked_now": N_("Not asked this time"),
    "not_asked_before": N_("Not asked last time"),
    "not_asked_note": N_(
        "“Not asked”: the relative did not get these questions; they are shown only after certain earlier answers."
    ),
    "left_out": N_("Left out (conversation only)"),
    "value_of": N_("{value} of {max}"),
    "value_range": N_("{value} (from {low} to {max})"),
    "gaps": N_("Expectations: who does what"),
    "gaps_intro": N_("Tasks where the relative wants to do less, or expects more from the services."),
    "task": N_("Task"),
    "why": N_("Why this is listed"),
    "offers": N_("Local offers that may fit"),
    "because": N_("Suggested because"),
    "because_answer": N_("answers about support wanted"),
    "contact": N_("Contact"),
    "contacts": N_("Contact points"),
    "phone": N_("Phone"),
    "email": N_("Email"),
    "hours": N_("Open"),
    "information": N_("Information in both directions"),
    "info_to_relative": N_("The relative wants to know more about"),
    "info_from_relative": N_("The relative wants the services to know"),
    "info_services_want": N_("The services would like to know"),
    "at_a_glance": N_("Other answers"),
    "own_words": N_("In the relative's own words"),
    "change": N_("Change since last time"),
    "before": N_("Last time"),
    "after": N_("Now"),
    "band_change": N_("Change"),
    "unchanged": N_("unchanged"),
    "unchanged_list": N_("Unchanged since last time"),
    "after_meeting": N_("After the meeting"),
    "attendees": N_("Attended"),
    "absentees": N_("Absent, will get the summary"),
    "actions": N_("Actions"),
    "what": N_("What"),
    "owner": N_("Who"),
    "by_date": N_("By"),
    "crisis_plan": N_("Crisis plan"),
    "next_review": N_("Next review"),
    "nothing": N_("Nothing to show."),
    "answer_if": N_("Answer only if you answered “{answer}” to “{question}”."),
    "answer_if_generic": N_("Skip this if it does not apply to you."),
    "column_if": N_("Only if you answered {answers} on the row."),
    "column_if_generic": N_("Only if it applies to the row."),
    "pick_up_to": N_("Choose up to {n}. Write 1 by the most important, 2 by the next."),
    "pick_many": N_("Tick all that apply."),
    "pick_alone": N_("If you tick “{answer}”, tick nothing else."),
    "calculated_paper": N_("You do not fill this in: it is calculated from your answers."),
    "read_only_paper": N_("You do not fill this in."),
    "cards_from": N_(
        "Answer only for what you ticked in “{question}”. When you answer “{na}”, you can skip the rest of the row."
    ),
    "cards_na": N_("When you answer “{na}”, you can skip the rest of the row."),
    "pick_one": N_("Tick one answer."),
    "entry": N_("No."),
    "blank_intro": N_(
        "You may skip any question. Write as much or as little as you like. Bring the form to the conversation, or hand it in to the municipality."
    ),
    "name_line": N_("Name of the relative"),
    "yes": N_("Yes"),
    "no": N_("No"),
}
_BY_LANGUAGE: dict[str, dict[str, str]] = {}


def strings(lang: str) -> dict[str, str]:
    """Return the documents' texts for ``lang`` by key (bokmål when the language has no catalogue)."""
    code = catalogue_language(lang)
    found = _BY_LANGUAGE.get(code)
    if found is None:
        catalogue = translations(code)
        found = _BY_LANGUAGE[code] = {key: catalogue.gettext(text) for key, text in TEXTS.items()}
    return found

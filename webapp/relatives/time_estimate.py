"""What the relative is told about length: the expected time of a form and how much is left.

Computed by :mod:`formengine.definition.burden` from the definition (never typed by hand) and
cached per form version and language.
"""

from __future__ import annotations

from flask_babel import gettext, ngettext

from formengine import TimeEstimate, estimate_time, minutes_range


def _estimate(defn, lang: str) -> TimeEstimate:
    key = ("time_estimate", lang)
    found = defn.runtime.get(key)
    if found is None:
        found = defn.runtime[key] = estimate_time(defn, lang)
    return found


def expected_time(defn, lang: str) -> str:
    """Return "It takes about 10–15 minutes." for the front page, the municipality page and the intro."""
    low, high = minutes_range(_estimate(defn, lang).minutes)
    text = gettext("It takes about %(low)d–%(high)d minutes.", low=low, high=high)
    if _grows(defn):  # one card per task ticked: the estimate is for a typical few
        text += " " + gettext("It takes longer if you help with a lot.")
    return text


def _grows(defn) -> bool:
    key = ("time_grows", "")
    found = defn.runtime.get(key)
    if found is None:
        found = defn.runtime[key] = any(item.type == "cards" for item in defn.iter_items())
    return bool(found)


def time_left(defn, lang: str, section_ids: list[str], answers: dict | None = None) -> str:
    """Return "About 8 minutes left" for the pages ``section_ids`` (this one and the visible ones after it)."""
    minutes = round(_estimate(defn, lang).remaining_minutes(section_ids, answers))
    if minutes < 1:
        return gettext("less than a minute left")
    return ngettext("about %(num)d minute left", "about %(num)d minutes left", minutes)

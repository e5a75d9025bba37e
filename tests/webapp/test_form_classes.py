"""The web app's cache of WTForms classes: keyed by everything a class is built from, kept in the web app."""

from __future__ import annotations

from webapp.relatives import pages

from .formfixtures import sample_form


def test_a_class_is_reused_while_the_repeat_sizes_are_the_same() -> None:
    defn = sample_form()
    section = defn.section("relation")
    first = pages.form_class(defn, section, "nb", {"children": [{}], "relation": "parent"})
    again = pages.form_class(defn, section, "nb", {"children": [{"child_age": 4}], "relation": "other"})
    assert first is again


def test_repeat_sizes_language_and_definition_each_make_their_own_class() -> None:
    defn = sample_form()
    section = defn.section("relation")
    one = pages.form_class(defn, section, "nb", {"children": [{}]})
    two = pages.form_class(defn, section, "nb", {"children": [{}, {}]})
    english = pages.form_class(defn, section, "en", {"children": [{}]})
    reloaded = sample_form()  # a reload builds a new, equal definition object
    fresh = pages.form_class(reloaded, reloaded.section("relation"), "nb", {"children": [{}]})
    assert len({one, two, english, fresh}) == 4
    assert two.children.kwargs["min_entries"] == 2  # an unbound field: no request needed


def test_the_cache_does_not_live_on_the_definition() -> None:
    defn = sample_form()
    pages.form_class(defn, defn.section("relation"), "nb", {})
    assert not any(isinstance(key, tuple) and key[:1] == ("form_class",) for key in defn.runtime)

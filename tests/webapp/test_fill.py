"""Filling in: consent, sections, conditions, repeat groups, validation, conflicts, review, submit."""

from __future__ import annotations

import re

import pytest

from webapp import responses

from .conftest import csrf
from .helpers import post_page, section_url


def stored(app, rid):
    with app.app_context():
        return responses.get(rid)


def test_consent_is_shown_first_and_stored(app, client):
    page = client.get("/").get_data(as_text=True)
    resp = client.post("/start/testskjema", data={"csrf_token": csrf(page)})
    rid = resp.headers["Location"].split("/")[2]
    assert client.get(section_url(rid, "relation")).status_code == 303  # no questions before consent
    page = client.get(f"/svar/{rid}/om").get_data(as_text=True)
    assert "journalen" in page and "hoppe over" in page and re.search(r"[A-Z0-9]{4}-[A-Z0-9]{4}", page)
    assert stored(app, rid).consent_at is None
    client.post(f"/svar/{rid}/om", data={"csrf_token": csrf(page)})
    assert stored(app, rid).consent_at is not None


def test_section_page_has_progress_and_labels(client, started):
    page = client.get(section_url(started, "relation")).get_data(as_text=True)
    assert "Del 1 av 4" in page
    assert "<legend>Hvem er du pårørende til?</legend>" in page
    assert 'data-show-if="relation == &#39;other&#39;"' in page
    assert re.search(r'data-item="relation_other"[^>]*hidden', page)


def test_answers_are_saved_and_branch_opens_without_js(app, client, started):
    url = section_url(started, "relation")
    resp = post_page(client, url, {"relation": "other", "has_children": "no", "_nav": "next"})
    # the page comes back naming the new question, and the fragment moves focus to it
    assert resp.status_code == 303 and resp.headers["Location"].endswith(
        "?mer=relation_other#q-relation_other"
    )
    page = client.get(resp.headers["Location"]).get_data(as_text=True)
    assert not re.search(r'data-item="relation_other"[^>]*hidden', page)
    assert re.search(r'<a href="#q-relation_other">Beskriv</a>', page)
    assert re.search(r'id="q-relation_other"[^>]*tabindex="-1"', page)
    resp = post_page(client, url, {"relation": "other", "relation_other": "nabo", "has_children": "no"}, page)
    assert resp.headers["Location"] == section_url(started, "tasks")
    assert stored(app, started).answers == {
        "relation": "other",
        "relation_other": "nabo",
        "has_children": "no",
    }
    assert stored(app, started).revision == 2


def test_hidden_section_is_skipped(client, started):
    post_page(client, section_url(started, "relation"), {"relation": "child"})
    resp = post_page(client, section_url(started, "strain"), {"_nav": "next"})
    assert resp.headers["Location"] == section_url(started, "priorities")
    post_page(client, section_url(started, "relation"), {"relation": "parent"})
    resp = post_page(client, section_url(started, "strain"), {"_nav": "next"})
    assert resp.headers["Location"] == section_url(started, "parent_extra")
    page = client.get(section_url(started, "strain")).get_data(as_text=True)
    assert "Del 3 av 5" in page


def test_repeat_group_add_fill_remove_without_js(app, client, started):
    url = section_url(started, "relation")
    post_page(client, url, {"has_children": "yes"})
    resp = post_page(client, url, {"has_children": "yes", "_add": "children"})
    assert resp.headers["Location"].endswith("#children-0")
    resp = post_page(client, url, {"has_children": "yes", "children-0-E": "1", "_add": "children"})
    page = client.get(url).get_data(as_text=True)
    assert 'name="children-1-child_age"' in page and "Legg til barn" in page
    post_page(
        client,
        url,
        {
            "has_children": "yes",
            "children-0-E": "1",
            "children-0-child_age": "7",
            "children-1-E": "1",
            "children-1-child_age": "12",
            "children-1-child_knows": "yes",
        },
    )
    assert stored(app, started).answers["children"] == [
        {"child_age": 7},
        {"child_age": 12, "child_knows": "yes"},
    ]
    page_data = {
        "has_children": "yes",
        "children-0-E": "1",
        "children-0-child_age": "7",
        "children-1-E": "1",
        "children-1-child_age": "12",
    }
    # "Remove" asks first: the page is saved, the entry stays, the question is focused
    resp = post_page(client, url, {**page_data, "_remove": "children:0"})
    assert resp.headers["Location"].endswith("?fjern=children:0#children-0-confirm")
    assert stored(app, started).answers["children"] == [{"child_age": 7}, {"child_age": 12}]
    page = client.get(resp.headers["Location"]).get_data(as_text=True)
    assert "Fjerne «Barn, nr. 1» og svarene i den?" in page and 'id="children-0-confirm"' in page
    assert 'name="_remove_confirmed" value="children:0"' in page
    # "No, keep it" keeps it
    resp = post_page(client, url, {**page_data, "_keep": "children:0"}, page)
    assert resp.headers["Location"].endswith("#children-0")
    assert stored(app, started).answers["children"] == [{"child_age": 7}, {"child_age": 12}]
    # "Yes, remove" removes it
    post_page(client, url, {**page_data, "_remove_confirmed": "children:0"})
    assert stored(app, started).answers["children"] == [{"child_age": 12}]


def test_validation_errors_in_page_language_linked_from_summary(app, client, started):
    client.get("/?lang=en")
    url = section_url(started, "tasks")
    post_page(client, url, {"hours": "5"})
    resp = post_page(client, url, {"hours": "500", "since": "2099-01-01", "tasks-shopping": "me"})
    page = resp.get_data(as_text=True)
    assert resp.status_code == 400
    assert 'role="alert"' in page and 'href="#hours"' in page and 'href="#since"' in page
    assert "The number must be 168 or less." in page
    assert 'aria-invalid="true"' in page and 'aria-describedby="hours-error"' in page
    assert 'value="500"' in page  # what was typed is shown again
    answers = stored(app, started).answers
    assert answers["hours"] == 5 and answers["tasks"] == {"shopping": "me"}  # valid parts saved, old kept


def test_a_decimal_in_a_whole_number_field_is_explained_not_a_crash(app, client, started):
    client.get("/?lang=en")
    url = section_url(started, "tasks")
    post_page(client, url, {"hours": "5"})
    resp = post_page(client, url, {"hours": "7,5", "tasks-shopping": "me"})
    page = resp.get_data(as_text=True)
    assert resp.status_code == 400 and 'href="#hours"' in page and 'value="7,5"' in page
    answers = stored(app, started).answers
    assert answers["hours"] == 5 and answers["tasks"] == {"shopping": "me"}  # the rest of the page is saved


def test_phone_attributes_from_validators(client, started):
    page = client.get(section_url(started, "tasks")).get_data(as_text=True)
    field = re.search(r'<input[^>]*name="hours"[^>]*>', page).group(0)
    assert 'inputmode="numeric"' in field and 'min="0"' in field and 'max="168"' in field
    page = client.get(section_url(started, "relation")).get_data(as_text=True)
    field = re.search(r'<input[^>]*name="relation_other"[^>]*>', page).group(0)
    assert "maxlength" not in field  # a browser would cut a pasted text silently
    assert 'data-max="80"' in page and "Høyst 80 tegn." in page


def test_matrix_is_fieldset_per_row(client, started):
    page = client.get(section_url(started, "tasks")).get_data(as_text=True)
    assert "<table" not in page
    assert page.count('class="fieldset fieldset--row"') == 2 and 'name="tasks-money"' in page


def test_priority_order_without_js(app, client, started):
    url = section_url(started, "priorities")
    post_page(
        client,
        url,
        {"what_matters": ["rest", "info"], "what_matters-rank-rest": "2", "what_matters-rank-info": "1"},
    )
    assert stored(app, started).answers["what_matters"] == ["info", "rest"]
    resp = post_page(client, url, {"what_matters": ["rest", "info", "work"]})
    assert resp.status_code == 400 and "Velg høyst 2." in resp.get_data(as_text=True)


def test_conversation_only_marking_is_stored(app, client, started):
    url = section_url(started, "strain")
    post_page(client, url, {"strain": "Jeg er sliten", "_co": "strain"})
    assert stored(app, started).conversation_only == ["strain"]
    assert 'value="strain" checked' in client.get(url).get_data(as_text=True)
    post_page(client, url, {"strain": "Jeg er sliten"})
    assert stored(app, started).conversation_only == []


def test_stale_tab_conflict_shows_both_values_and_keeps_both(app, client, started):
    url = section_url(started, "tasks")
    old_page = client.get(url).get_data(as_text=True)
    post_page(client, url, {"hours": "10"})  # tab A saves
    resp = post_page(client, url, {"hours": "20", "since": "2020-01-01"}, old_page)  # tab B is stale
    page = resp.get_data(as_text=True)
    assert resp.status_code == 409
    assert "Lagret et annet sted" in page and "10" in page and 'value="20"' in page
    assert stored(app, started).answers["hours"] == 10  # nothing overwritten silently
    resp = post_page(client, url, {"hours": "20", "since": "2020-01-01"}, page)  # confirm
    assert resp.status_code == 303
    assert stored(app, started).answers["hours"] == 20
    assert stored(app, started).answers["since"] == "2020-01-01"


def test_stale_tab_other_items_merge_without_conflict(app, client, started):
    url = section_url(started, "tasks")
    old_page = client.get(url).get_data(as_text=True)
    post_page(client, url, {"hours": "10"})
    resp = post_page(client, url, {"since": "2020-01-01"}, old_page)
    assert resp.status_code == 303
    assert stored(app, started).answers == {"hours": 10, "since": "2020-01-01"}


def test_double_submit_of_a_page_is_harmless(app, client, started):
    url = section_url(started, "tasks")
    page = client.get(url).get_data(as_text=True)
    first = post_page(client, url, {"hours": "3"}, page)
    second = post_page(client, url, {"hours": "3"}, page)
    assert first.status_code == second.status_code == 303
    assert stored(app, started).answers == {"hours": 3}


def test_language_switch_on_section_keeps_answers(app, client, started):
    url = section_url(started, "tasks")
    page = client.get(url).get_data(as_text=True)
    assert 'form="answers" name="_lang" value="en"' in page
    resp = post_page(client, url, {"hours": "4", "_lang": "en"}, page)
    assert resp.headers["Location"] == url
    page = client.get(url).get_data(as_text=True)
    assert '<html lang="en">' in page and "Hours per week" in page and 'value="4"' in page


def test_review_submit_receipt_copy(app, client, started):
    post_page(client, section_url(started, "relation"), {"relation": "parent"})
    post_page(client, section_url(started, "tasks"), {"hours": "12", "tasks-money": "me"})
    page = client.get(f"/svar/{started}/oppsummering").get_data(as_text=True)
    assert "Forelder" in page and "12 timer" in page and "Økonomi: Jeg" in page
    assert f'href="{section_url(started, "tasks")}"' in page
    token = csrf(page)
    first = client.post(f"/svar/{started}/send", data={"csrf_token": token})
    second = client.post(f"/svar/{started}/send", data={"csrf_token": token})
    assert first.headers["Location"] == second.headers["Location"] == f"/svar/{started}/kvittering"
    submitted = stored(app, started)
    assert submitted.status == "submitted" and submitted.submitted_at is not None
    page = client.get(f"/svar/{started}/kvittering").get_data(as_text=True)
    assert "Pårørendekoordinator" in page and f"/svar/{started}/kopi" in page
    assert "Forelder" in client.get(f"/svar/{started}/kopi").get_data(as_text=True)
    # after submit, editing is closed: pages lead to the receipt
    assert client.get(section_url(started, "tasks")).headers["Location"].endswith("/kvittering")


@pytest.mark.parametrize("url", ["/svar/{rid}/pause", "/svar/{rid}/oppsummering"])
def test_pause_and_review_show(client, started, url):
    assert client.get(url.format(rid=started)).status_code == 200


def test_invalid_value_in_a_repeat_entry_is_not_stored(app, client, started):
    url = section_url(started, "relation")
    post_page(client, url, {"has_children": "yes", "_add": "children"})
    post_page(client, url, {"has_children": "yes", "children-0-E": "1", "children-0-child_age": "7"})
    resp = post_page(
        client,
        url,
        {
            "has_children": "yes",
            "children-0-E": "1",
            "children-0-child_age": "70",
            "children-0-child_knows": "no",
        },
    )
    assert resp.status_code == 400 and 'href="#children-0-child_age"' in resp.get_data(as_text=True)
    assert stored(app, started).answers["children"] == [{"child_age": 7, "child_knows": "no"}]


def test_bad_and_blank_dates(app, client, started):
    url = section_url(started, "tasks")
    resp = post_page(client, url, {"since": "31.12.2020"})
    assert resp.status_code == 400 and "Skriv datoen som dag, måned og år." in resp.get_data(as_text=True)
    assert post_page(client, url, {"since": ""}).status_code == 303  # every question may be skipped

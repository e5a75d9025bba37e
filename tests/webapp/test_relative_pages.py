"""Honest about length and kind pages: expected time, progress, the way to the summary,
priorities in the relative's order, text never cut, removing asks first (issue 11)."""

from __future__ import annotations

import re
from pathlib import Path

from formengine import estimate_time, minutes_range
from webapp import responses

from .formfixtures import sample_form
from .helpers import post_page, section_url

ROOT = Path(__file__).resolve().parents[2]


def stored(app, rid):
    with app.app_context():
        return responses.get(rid)


def expected_text(lang: str = "nb") -> str:
    low, high = minutes_range(estimate_time(sample_form(), lang).minutes)
    word = {"nb": "Tar omtrent", "nn": "Tek om lag", "en": "It takes about"}[lang]
    unit = {"nb": "minutter", "nn": "minutt", "en": "minutes"}[lang]
    return f"{word} {low}–{high} {unit}."


def test_expected_time_on_front_municipality_and_intro_pages(client):
    assert expected_text() in client.get("/").get_data(as_text=True)
    page = client.get("/kommune/0301").get_data(as_text=True)
    assert expected_text() in page and "20 minutter" not in page
    client.get("/?lang=en")
    assert expected_text("en") in client.get("/").get_data(as_text=True)
    client.get("/?lang=nn")
    assert expected_text("nn") in client.get("/").get_data(as_text=True)


def test_expected_time_on_the_intro(client):
    from .conftest import csrf

    page = client.get("/").get_data(as_text=True)
    consent = client.post("/start/testskjema", data={"csrf_token": csrf(page)}).headers["Location"]
    page = client.get(consent).get_data(as_text=True)
    assert expected_text() in page and "sende det du har" in page


def test_the_intro_states_the_corrected_rule_on_sharing(client):
    """REVIEW gap 2: the person decides "as a rule"; under 16 or unable to decide, other rules."""
    from .conftest import csrf

    page = client.get("/").get_data(as_text=True)
    consent = client.post("/start/testskjema", data={"csrf_token": csrf(page)}).headers["Location"]
    page = client.get(consent).get_data(as_text=True)
    assert "Som regel er det den du er pårørende til, som bestemmer" in page
    assert "under 16 år" in page and "gjelder andre regler" in page


def test_no_hand_typed_duration_left_in_templates():
    for path in (ROOT / "webapp").rglob("*.html"):
        assert not re.search(r"\d+ (minutes|minutter|minutt)", path.read_text("utf-8")), path


def test_each_page_says_where_the_relative_is_and_what_is_left(client, started):
    page = client.get(section_url(started, "relation")).get_data(as_text=True)
    progress = re.search(r'<p class="progress" id="progress">(.*?)</p>', page, re.S).group(1)
    assert "Del 1 av 4" in progress
    assert re.search(r"omtrent \d+ minutt(er)? igjen|under ett minutt igjen", progress)
    last = client.get(section_url(started, "priorities")).get_data(as_text=True)
    assert "Del 4 av 4" in last and "igjen" in last


def test_time_left_counts_this_page_and_the_visible_ones_after_it(app, started):
    from webapp.relatives.time_estimate import time_left

    defn = sample_form()
    with app.test_request_context("/"):
        found = estimate_time(defn, "nb")
        seconds = sum(s.seconds for s in found.sections if s.section_id in ("strain", "priorities"))
        expected = "under ett minutt igjen" if round(seconds / 60) < 1 else f"omtrent {round(seconds / 60)}"
        assert time_left(defn, "nb", ["strain", "priorities"]).startswith(expected)


def test_from_any_page_to_the_summary_keeping_the_page(app, client, started):
    url = section_url(started, "tasks")
    page = client.get(url).get_data(as_text=True)
    assert 'name="_nav" value="review"' in page
    resp = post_page(client, url, {"hours": "12", "_nav": "review"}, page)
    assert resp.headers["Location"] == f"/svar/{started}/oppsummering"
    assert stored(app, started).answers["hours"] == 12
    # a question opened by this page's answer does not hold the relative back
    resp = post_page(client, section_url(started, "relation"), {"relation": "other", "_nav": "review"})
    assert resp.headers["Location"] == f"/svar/{started}/oppsummering"
    review = client.get(resp.headers["Location"]).get_data(as_text=True)
    assert "Send svarene" in review


def test_priority_duplicate_rank_is_refused_and_shown_again(app, client, started):
    url = section_url(started, "priorities")
    post_page(
        client,
        url,
        {"what_matters": ["rest", "info"], "what_matters-rank-rest": "1", "what_matters-rank-info": "2"},
    )
    resp = post_page(
        client,
        url,
        {"what_matters": ["rest", "info"], "what_matters-rank-rest": "1", "what_matters-rank-info": "1"},
    )
    page = resp.get_data(as_text=True)
    assert resp.status_code == 400
    assert "Du ga nummer 1 til mer enn ett valg. Gi hvert valg sitt eget tall" in page
    assert 'href="#what_matters-0"' in page  # linked from the error summary
    assert len(re.findall(r'<option value="1" selected>', page)) == 2  # what was sent is shown
    assert stored(app, started).answers["what_matters"] == ["rest", "info"]  # nothing guessed


def test_priority_several_ticks_without_numbers_are_not_ordered_silently(app, client, started):
    url = section_url(started, "priorities")
    resp = post_page(client, url, {"what_matters": ["work", "rest"]})
    assert resp.status_code == 400
    assert "Gi hvert valg du krysset av et tall" in resp.get_data(as_text=True)
    assert "what_matters" not in stored(app, started).answers
    # one tick needs no number; numbers decide the order, not the list
    post_page(client, url, {"what_matters": ["work"]})
    assert stored(app, started).answers["what_matters"] == ["work"]
    post_page(
        client,
        url,
        {"what_matters": ["rest", "work"], "what_matters-rank-work": "1", "what_matters-rank-rest": "2"},
    )
    assert stored(app, started).answers["what_matters"] == ["work", "rest"]


def test_priority_page_carries_what_the_script_needs(client, started):
    page = client.get(section_url(started, "priorities")).get_data(as_text=True)
    assert 'data-priority="what_matters" data-max="2"' in page
    assert page.count("data-rank-badge") == 3 and 'role="status" data-rank-status' in page
    assert "/static/priority.js" in page  # the ranking script loads here …
    other = client.get(section_url(started, "relation")).get_data(as_text=True)
    assert "/static/app.js" in other and "/static/priority.js" not in other  # … and only here


def test_too_long_text_is_refused_with_a_message_and_kept(app, client, started):
    url = section_url(started, "relation")
    post_page(client, url, {"relation": "other", "relation_other": "nabo"})
    long_text = ("Naboen min " * 8).strip() + "!"  # 88 characters, the limit is 80
    resp = post_page(client, url, {"relation": "other", "relation_other": long_text})
    page = resp.get_data(as_text=True)
    assert resp.status_code == 400
    assert "Teksten er for lang: 88 tegn, og det er plass til høyst 80" in page
    assert "gjør den 8 tegn kortere" in page
    assert f'value="{long_text}"' in page  # kept in full on the page, not cut
    assert "8 tegn for mye – ingenting blir kuttet" in page  # the counter says so too
    assert stored(app, started).answers["relation_other"] == "nabo"  # the saved text is not cut either


def test_counter_shows_the_count_of_a_saved_text(client, started):
    url = section_url(started, "strain")
    post_page(client, url, {"strain": "Det er tungt"})
    page = client.get(url).get_data(as_text=True)
    assert "12 av 4000 tegn" in page
    assert re.search(r'<textarea[^>]*aria-describedby="[^"]*strain-count', page)
    assert re.search(r'data-text-of="\{count\} av \{max\} tegn"', page)


def test_conditions_on_earlier_pages_reach_the_browser_script():
    """Without them the script would hide a question the server shows (and the page loops)."""
    from formengine.definition.model import Item, Section
    from formengine.expressions.parser import parse
    from webapp.relatives.pages import answers_from_other_pages

    from .formfixtures import t

    work = Item(
        "work_hours", "number", t("Timer"), show_if=parse("work_status in ['work', 'study'] and hours > 2")
    )
    here = Item("hours", "number", t("Timer"))
    cell = Item("note_cell", "text", t("Mer"), show_if=parse("tasks.shopping.who_now == 'me'"))
    section = Section("s", t("Side"), (here, work, cell))
    answers = {"work_status": "work", "hours": 5, "tasks": {"shopping": {"who_now": "me"}}}
    assert answers_from_other_pages(section, answers) == {
        "work_status": "work",
        "tasks.shopping.who_now": "me",
    }


def test_section_page_carries_answers_from_other_pages(client, started):
    post_page(client, section_url(started, "relation"), {"relation": "parent"})
    page = client.get(section_url(started, "strain")).get_data(as_text=True)
    assert 'data-answers="' not in page  # nothing on this page depends on another page


def test_the_form_name_once_on_the_first_part_and_in_every_title(client, started):
    """Later parts say "Del N av M" under the section heading; the tab title names the form."""
    first = client.get(section_url(started, "relation")).get_data(as_text=True)
    assert '<p class="eyebrow">Testskjema</p>' in first and "Del 1 av 4" in first
    last = client.get(section_url(started, "priorities")).get_data(as_text=True)
    assert 'class="eyebrow"' not in last and "Del 4 av 4" in last
    for page in (first, last):
        title = re.search(r"<title>(.*?)</title>", page, re.S).group(1)
        assert "Testskjema" in title, title


def test_short_review_button_and_priority_help_in_each_language(client, started):
    wanted = {
        "nb": (
            "Se over og send",
            "Trykk på opptil 2, det viktigste først. Fjern et kryss for å endre rekkefølgen.",
            "Kryss av for opptil 2. Gi hvert et tall: 1 er det viktigste.",
        ),
        "nn": (
            "Sjå over og send",
            "Trykk på opptil 2, det viktigaste først. Fjern eit kryss for å endre rekkjefølgja.",
            "Kryss av for opptil 2. Gi kvart eit tal: 1 er det viktigaste.",
        ),
        "en": (
            "Check and send",
            "Tap up to 2, the most important first. Untick one to change the order.",
            "Tick up to 2. Give each a number: 1 is the most important.",
        ),
    }
    for lang, (button, with_js, without_js) in wanted.items():
        client.get(f"/?lang={lang}")
        page = client.get(section_url(started, "priorities")).get_data(as_text=True)
        assert f'name="_nav" value="review">{button}</button>' in page, lang
        # the script swaps in the tap-order text; without it the relative numbers the choices
        assert f'data-js-text="{with_js}">{without_js}</p>' in page, lang
        assert "det du har" not in page.split('class="actions"')[1]

"""Double submits, two tabs and two app processes never lose an answer (real server processes)."""

from __future__ import annotations

import threading

import pytest

from bench.filler import Relative, answers_for

from .helpers import PAGE, TEXT_ITEM, marked_save, stored_answers


def _post_together(rel: Relative, forms: list[dict], bases: list[str] | None = None) -> list[int]:
    """Post several forms of the same page at the same moment (one browser session, two tabs)."""
    url = f"/svar/{rel.rid}/del/{PAGE}"
    barrier = threading.Barrier(len(forms))
    statuses: list[int] = [0] * len(forms)

    def post(i: int) -> None:
        barrier.wait()
        base = bases[i] if bases else rel.base
        statuses[i] = rel.http.post(base + url, data=forms[i], timeout=60, allow_redirects=False).status_code

    threads = [threading.Thread(target=post, args=(i,)) for i in range(len(forms))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return statuses


def _tab(rel: Relative) -> dict:
    page = rel.get(f"/svar/{rel.rid}/del/{PAGE}").text
    form = answers_for(page, rel.rng)
    form["_nav"] = "next"
    return form


def test_double_submit_and_two_tabs(db_url, live_server):
    server = live_server(db_url, workers=2)
    rel = Relative(server.url, seed=3)
    rel.start()
    for round_ in range(5):
        # double submit: the same form twice at once -> both fine, the answer stored
        form = _tab(rel)
        form[TEXT_ITEM] = f"double {round_}"
        statuses = _post_together(rel, [form, dict(form)])
        assert all(s == 303 for s in statuses), statuses
        assert stored_answers(db_url)[rel.rid][TEXT_ITEM] == f"double {round_}"

        # two tabs, different answers to the same question at once -> one saved, one conflict (409)
        one, two = _tab(rel), _tab(rel)
        one[TEXT_ITEM], two[TEXT_ITEM] = f"tab one {round_}", f"tab two {round_}"
        statuses = _post_together(rel, [one, two])
        assert sorted(statuses) == [303, 409], statuses
        winner = one if statuses[0] == 303 else two
        assert stored_answers(db_url)[rel.rid][TEXT_ITEM] == winner[TEXT_ITEM]


def test_two_tabs_changing_different_questions_keep_both(db_url, live_server):
    server = live_server(db_url, workers=2)
    rel = Relative(server.url, seed=4)
    rel.start()
    items = ["strain_time_1", "strain_time_2"]
    for round_ in range(4):
        base_form = _tab(rel)
        one, two = dict(base_form), dict(base_form)
        # each tab changes only its own question away from what the page showed
        stored = stored_answers(db_url)[rel.rid]
        choices = {}
        for form, item in ((one, items[0]), (two, items[1])):
            page = rel.get(f"/svar/{rel.rid}/del/{PAGE}").text
            values = sorted(set(__import__("re").findall(rf'name="{item}" value="([^"]+)"', page)))
            new = next(v for v in values if v != stored.get(item))
            form[item] = choices[item] = new
            other = items[1] if item == items[0] else items[0]
            if stored.get(other) is not None:
                form[other] = stored[other]
            else:
                form.pop(other, None)
        one[TEXT_ITEM] = two[TEXT_ITEM] = stored.get(TEXT_ITEM, "")
        statuses = _post_together(rel, [one, two])
        assert statuses == [303, 303], (round_, statuses, one, two, stored)
        now = stored_answers(db_url)[rel.rid]
        assert {i: now.get(i) for i in items} == choices, round_


@pytest.mark.postgres
def test_two_app_processes_on_one_postgres_database_lose_no_write(pg_database, live_server):
    servers = [live_server(pg_database, workers=2) for _ in range(2)]
    relatives = [Relative(servers[0].url, seed=i) for i in range(6)]
    for rel in relatives:
        rel.start()
    acked: dict[str, int] = {}
    lock = threading.Lock()

    def fill(n_rel: int, rel: Relative) -> None:
        for n in range(1, 9):
            base = servers[(n + n_rel) % 2].url  # alternate between the two processes
            resp = marked_save(rel, f"{rel.rid}:{n}", base=base)
            assert resp.status_code == 303, resp.text[:300]
            with lock:
                acked[rel.rid] = n

    threads = [threading.Thread(target=fill, args=(i, r)) for i, r in enumerate(relatives)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(acked) == len(relatives) and set(acked.values()) == {8}
    stored = stored_answers(pg_database)
    for rel in relatives:
        assert stored[rel.rid][TEXT_ITEM] == f"{rel.rid}:8"

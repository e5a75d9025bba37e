"""SIGKILL of the app server during concurrent filling loses no acknowledged save."""

from __future__ import annotations

import threading
import time

import pytest

from bench.filler import Relative

from .helpers import TEXT_ITEM, marked_save, stored_answers

FILLERS = 6


@pytest.mark.parametrize("kind", ["gunicorn", "flask"])
def test_sigkill_during_filling_loses_no_acknowledged_save(db_url, live_server, kind):
    from bench.liveserver import have_gunicorn

    if kind == "gunicorn" and not have_gunicorn():
        pytest.skip("gunicorn is not installed (pip install -e '.[test]')")
    server = live_server(db_url, workers=2, kind=kind)
    relatives = [Relative(server.url, seed=i) for i in range(FILLERS)]
    for rel in relatives:
        rel.start()
    acked: dict[str, int] = {}  # response id -> highest save number that got a 303
    stop = threading.Event()
    total = [0]
    lock = threading.Lock()

    def fill(rel: Relative) -> None:
        n = 0
        while not stop.is_set():
            n += 1
            try:
                resp = marked_save(rel, f"{rel.rid}:{n}")
            except OSError:  # requests' ConnectionError is an OSError: the server is gone
                return
            if resp.status_code in (200, 301, 302, 303):
                with lock:
                    acked[rel.rid] = n
                    total[0] += 1
            else:
                assert resp.status_code < 500, resp.text[:300]

    threads = [threading.Thread(target=fill, args=(r,)) for r in relatives]
    for t in threads:
        t.start()
    deadline = time.monotonic() + 60
    while total[0] < 40 and time.monotonic() < deadline:  # kill mid-stream, whatever the speed
        time.sleep(0.05)
    server.kill()
    stop.set()
    for t in threads:
        t.join(timeout=60)
    assert total[0] >= 10, "too few saves before the kill to say anything"

    stored = stored_answers(db_url)
    for rid, last in acked.items():
        text = stored[rid].get(TEXT_ITEM, "")
        got = int(text.split(":")[1]) if text.startswith(rid + ":") else 0
        # a save in flight at the kill may have committed without its answer reaching us: >=
        assert got >= last, f"{rid}: save {last} was acknowledged but the database has {text!r}"

    again = live_server(db_url, workers=2, kind=kind)
    for rel in relatives:
        rel.base = again.url
        page = rel.get(f"/svar/{rel.rid}/del/strain_time_health")
        assert page.status_code == 200
        if rel.rid in acked:
            assert f"{rel.rid}:" in page.text

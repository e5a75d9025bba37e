"""Lock-outs cannot be raced (issue #14, defect 8).

40 requests sent at once to several gunicorn workers evaluated 10 wrong codes (limit 5) and
11 wrong passwords (limit 5). The counting is now one conditional UPDATE … RETURNING per try
(``webapp.lockout``): at most the limit is evaluated, on SQLite and on PostgreSQL.
"""

from __future__ import annotations

import re
import threading

import requests
from argon2 import PasswordHasher
from sqlalchemy import create_engine, func, select
from sqlalchemy.orm import Session

from webapp.db import CodeAttempt
from webapp.staff.models import LoginAttempt, StaffUser

CONCURRENT = 40
LIMIT = 5
WORKERS = 4


def _csrf(html: str) -> str:
    match = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html)
    assert match, "no csrf token"
    return match.group(1)


def _count(url: str, model) -> int:
    engine = create_engine(url)
    try:
        with Session(engine) as s:
            return int(s.scalar(select(func.count()).select_from(model)))
    finally:
        engine.dispose()


def _at_once(base: str, path: str, data: dict) -> list[int]:
    """``CONCURRENT`` browsers each load ``path`` (for their CSRF token), then all post at the same moment."""
    sessions = []
    for _ in range(CONCURRENT):
        http = requests.Session()
        http.trust_env = False
        token = _csrf(http.get(base + path, timeout=60).text)
        sessions.append((http, token))
    barrier = threading.Barrier(CONCURRENT)
    statuses: list[int] = []
    lock = threading.Lock()

    def post(http, token):
        barrier.wait()
        resp = http.post(base + path, data={**data, "csrf_token": token}, timeout=120, allow_redirects=False)
        with lock:
            statuses.append(resp.status_code)

    threads = [threading.Thread(target=post, args=pair) for pair in sessions]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return statuses


def test_concurrent_wrong_passwords_and_codes_evaluate_at_most_the_limit(db_url, live_server):
    env = {
        "FORMENGINE_STAFF_MAX_ATTEMPTS": str(LIMIT),
        "FORMENGINE_CODE_MAX_ATTEMPTS": str(LIMIT),
        "FORMENGINE_CODE_GLOBAL_MAX_FAILURES": "1000",
    }
    server = live_server(db_url, workers=WORKERS, env=env)
    engine = create_engine(db_url)
    with Session(engine) as s:
        s.add(
            StaffUser(
                email="coord@race.no",
                password_hash=PasswordHasher().hash("the right passphrase 1"),
                role="coordinator",
                municipality="race",
                active=True,
            )
        )
        s.commit()
    engine.dispose()

    statuses = _at_once(server.url, "/staff/login", {"email": "coord@race.no", "password": "wrong"})
    evaluated = _count(db_url, LoginAttempt)
    print(
        f"{server.description}: 40 wrong passwords at once → {evaluated} evaluated, statuses {sorted(statuses)}"
    )
    assert len(statuses) == CONCURRENT and all(code == 400 for code in statuses)
    assert 1 <= evaluated <= LIMIT

    statuses = _at_once(server.url, "/fortsett", {"code": "AAAA-AAAA"})
    evaluated = _count(db_url, CodeAttempt)
    print(
        f"{server.description}: 40 wrong codes at once → {evaluated} evaluated, statuses {sorted(statuses)}"
    )
    assert len(statuses) == CONCURRENT and all(code in (400, 429) for code in statuses)
    assert 1 <= evaluated <= LIMIT and statuses.count(429) >= CONCURRENT - LIMIT

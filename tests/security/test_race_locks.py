"""The row locks of issue 19, shown step by step on PostgreSQL (SQLite's BEGIN IMMEDIATE serialises anyway).

A first transaction holds what a use case checks — the round, the user — the way a first request does; the same use
case sent from a second connection must then wait for it (seen in pg_stat_activity as a backend waiting on a lock)
and decide on what the first one committed. Before the locks the second one did not wait: it stored the other entry
under the same teller's name, and let a right password in after the fifth wrong one had locked the account.
The burst version of the same, against gunicorn, is test_race_harness.py.
"""
from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from sqlalchemy import select, text
from sqlalchemy.orm import Session

from tests.security import conftest as sec
from tests.security import race_seed


@pytest.fixture(scope="module")
def seeded(request, tmp_path_factory):
    from election.core.db import make_engine

    url = sec.fresh_database("postgresql", request, tmp_path_factory.mktemp("locks"), "election_race_locks")
    ids = race_seed.seed(url)
    engine = make_engine(url)
    yield engine, ids
    engine.dispose()


def _second_request(engine, work) -> tuple[threading.Thread, dict]:
    """Run WORK(session) in another connection; its outcome (a value or the Chinese message of a refusal) lands in
    the returned dict."""
    from election.core.exceptions import ServiceError

    out: dict = {}

    def run():
        with Session(engine) as s:
            try:
                out["value"] = work(s)
            except ServiceError as exc:
                out["refused"] = exc.message

    thread = threading.Thread(target=run)
    thread.start()
    return thread, out


def _waits_on_a_lock(engine, thread: threading.Thread) -> bool:
    """True once a backend of this database waits on a lock; False if the second request ended without waiting."""
    # autocommit: pg_stat_activity is read afresh by each statement, not once per transaction
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        while thread.is_alive():
            waiting = conn.execute(text("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                                        "AND wait_event_type = 'Lock'")).scalar()
            if waiting:
                return True
            thread.join(0.02)
    return False


def test_the_other_entry_waits_for_the_round_and_is_refused_to_the_same_teller(seeded):
    from election.accounts.models import User
    from election.core.clock import utcnow
    from election.voting.models import BallotRound, TellerEntry
    from election.voting.services import enter_totals, totals_from_json

    engine, ids = seeded
    round_id, teller_id = ids["page"]["round_entry_same"], ids["users"]["rh_teller1"]
    totals = totals_from_json(race_seed.TOTALS)
    with Session(engine) as first:
        # the first request (entry 1) holds the round
        first.scalar(select(BallotRound).where(BallotRound.id == round_id).with_for_update(of=BallotRound))
        thread, out = _second_request(engine, lambda s: enter_totals(s, s.get(User, teller_id), round_id, 2, totals,
                                                                     utcnow()).entry_no)
        waited = _waits_on_a_lock(engine, thread)
        first.add(TellerEntry(round_id=round_id, entry_no=1, teller_id=teller_id, totals=dict(race_seed.TOTALS)))
        first.commit()
    thread.join(60)
    assert waited, f"第2次录入没有等待本轮的行锁：{out}"
    assert "两位计票人员" in out.get("refused", ""), out
    with Session(engine) as s:
        assert [e.teller_id for e in s.scalars(select(TellerEntry).where(TellerEntry.round_id == round_id))] == [teller_id]


def test_a_login_waits_for_the_user_and_sees_the_lockout(seeded):
    from election.accounts.models import User
    from election.accounts.services import authenticate
    from election.core.clock import utcnow

    engine, _ids = seeded
    username = "rh_victim_page"
    with Session(engine) as first:  # the fifth wrong password, locking the account
        user = first.scalar(select(User).where(User.username == username).with_for_update(of=User))
        thread, out = _second_request(engine, lambda s: authenticate(s, username, sec.SERVER_PASSWORD, utcnow()))
        waited = _waits_on_a_lock(engine, thread)
        user.failed_logins, user.locked_until = 0, utcnow() + timedelta(minutes=15)
        first.commit()
    thread.join(60)
    assert waited, f"登录没有等待账户的行锁：{out}"
    result = out["value"]
    assert not result.ok, "账户已锁定，正确的密码也不能登录"
    from election.accounts.services import login_refused_message

    assert result.message == login_refused_message()

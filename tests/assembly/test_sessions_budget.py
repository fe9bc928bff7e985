"""The sign-in page and its API read the roll in a fixed number of statements whatever its size (issue 20): a
congress of 20 and of 400 delegates, half signed in, counted with tests/fixtures/costs.py. The statements are the
same at both sizes and under budget; the ORM objects loaded are the roll and its sign-ins (one each), no more.
No timings."""
from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import insert, select

from election.api import credentials as api_tokens
from election.assembly.models import AssemblySession, Attendance
from election.core.clock import today_local, utcnow
from election.directory.models import Organisation
from election.duties.models import TermDelegate
from tests.fixtures.costs import cost

SMALL, BIG = 20, 400
BUDGETS = {"page GET attendance": 6, "API GET attendance": 7, "page GET groups": 6}


def _world(session, make_user, size: int):
    org = Organisation(code=f"BUD-{size}", name=f"预算区委{size}", category="党委")
    session.add(org)
    session.flush()
    congress = f"预算党代会{size}"
    session.execute(insert(TermDelegate), [
        {"name": f"代表{i:04d}", "gender": "男", "level": "区", "congress": congress, "group_name": f"第{i % 5}组",
         "term_start": date(2022, 1, 1), "term_end": date(2027, 12, 31)} for i in range(size)])
    ids = list(session.scalars(select(TermDelegate.id).where(TermDelegate.congress == congress)))
    meeting = AssemblySession(organisation_id=org.id, congress=congress, meeting_no=1, title=f"预算年会{size}",
                              opens_on=today_local(), closes_on=today_local() + timedelta(days=1), status="open")
    session.add(meeting)
    session.flush()
    session.execute(insert(Attendance), [{"session_id": meeting.id, "delegate_id": d, "status": "present"}
                                         for d in ids[: size // 2]])
    office = make_user("office", organisation_id=org.id)
    token = api_tokens.create_token(session, office, "预算", 30, utcnow()).secret
    session.commit()
    return meeting.id, office.username, {"Authorization": f"Bearer {token}"}


def _calls(client, auth, count_queries, sid, username, headers):
    assert auth.login(username).status_code == 302
    counts = {
        "page GET attendance": cost(count_queries, lambda: client.get(f"/assembly/sessions/{sid}/attendance"), 200),
        "API GET attendance": cost(count_queries, lambda: client.get(
            f"/api/v1/assembly/sessions/{sid}/attendance", headers=headers), 200),
        "page GET groups": cost(count_queries, lambda: client.get(f"/assembly/sessions/{sid}/groups"), 200),
    }
    auth.logout()
    return counts


def test_the_roll_costs_the_same_statements_at_both_sizes(client, auth, session, make_user, count_queries):
    small = _calls(client, auth, count_queries, *_world(session, make_user, SMALL))
    big = _calls(client, auth, count_queries, *_world(session, make_user, BIG))
    print(f"\nstatements (objects loaded) at {SMALL} / {BIG}: {small} / {big}")
    for name, budget in BUDGETS.items():
        assert small[name][0] == big[name][0], (name, small[name], big[name])
        assert big[name][0] <= budget, (name, big[name])
    # the roll and its sign-ins, one object each (plus the session, the user and the like)
    for name in ("page GET attendance", "API GET attendance"):
        assert big[name][1] - small[name][1] == (BIG - SMALL) * 3 // 2, (name, small[name], big[name])

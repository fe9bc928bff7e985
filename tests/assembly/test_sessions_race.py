"""Sign-in and 确认召开 sent K times at once against gunicorn on PostgreSQL (4 workers): the same delegate signed in
six times is one Attendance row and one audit entry, never a 500; the session recorded as held once (one audit
entry), the repeats refused cleanly (409 with a Chinese message). The session's row lock serialises them."""
from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from datetime import date, timedelta

import pytest
import requests
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from tests.security import conftest as sec

pytestmark = pytest.mark.slow
K = 6


def _seed(url: str) -> dict:
    from election.accounts.models import User
    from election.api import credentials as api_tokens
    from election.assembly.models import AssemblySession, Attendance
    from election.core.clock import today_local, utcnow
    from election.core.db import make_engine
    from election.directory.models import Organisation
    from election.duties.models import TermDelegate

    engine = make_engine(url)
    ids: dict = {}
    with Session(engine) as s:
        org = Organisation(code="AR-D", name="竞态区委", category="党委")
        s.add(org)
        s.flush()
        congress = "竞态区第十二次党代会"
        people = [TermDelegate(name=f"竞态代表{i}", gender="男", level="区", congress=congress,
                               term_start=date(2022, 1, 1), term_end=date(2027, 12, 31)) for i in range(12)]
        s.add_all(people)
        today = today_local()
        sessions = [AssemblySession(organisation_id=org.id, congress=congress, meeting_no=n, title=f"竞态年会{n}",
                                    opens_on=today, closes_on=today + timedelta(days=1), status="open",
                                    opened_at=utcnow()) for n in (1, 2)]
        s.add_all(sessions)
        s.flush()
        s.add_all([Attendance(session_id=sessions[1].id, delegate_id=d.id, status="present") for d in people[:10]])
        office = User(username="ar_office", display_name="竞态选举办", role="office", organisation_id=org.id,
                      password_hash=sec.cheap_hash())
        s.add(office)
        s.flush()
        ids.update(sign=sessions[0].id, hold=sessions[1].id, delegate=people[0].id,
                   token=api_tokens.create_token(s, office, "竞态", 30, utcnow()).secret)
        s.commit()
    engine.dispose()
    return ids


@pytest.fixture(scope="module")
def server(request, tmp_path_factory):
    from election.core.db import make_engine

    tmp = tmp_path_factory.mktemp("assembly-race")
    url = sec.fresh_database("postgresql", request, tmp, "election_assembly_race")
    ids = _seed(url)
    srv = sec.start_server(url, tmp, workers=4)
    engine = make_engine(url)
    yield srv, ids, engine
    srv.stop()
    engine.dispose()


def _burst(url: str, token: str, body: dict | None) -> list[requests.Response]:
    headers = {"Authorization": f"Bearer {token}"}
    with ThreadPoolExecutor(K) as pool:
        return list(pool.map(lambda _: requests.post(url, json=body, headers=headers, timeout=60), range(K)))


def test_the_same_delegate_signed_in_six_times_at_once_is_one_row(server):
    from election.assembly.models import Attendance
    from election.audit.models import AuditEntry

    srv, ids, engine = server
    answers = _burst(f"{srv.url}/api/v1/assembly/sessions/{ids['sign']}/attendance/sign-in", ids["token"],
                     {"delegate_ids": [ids["delegate"]]})
    codes = sorted(r.status_code for r in answers)
    assert all(c in (200, 409) for c in codes) and 200 in codes, codes
    sec.FIGURES["concurrent_requests"] += K
    with Session(engine) as s:
        assert s.scalar(select(func.count()).select_from(Attendance).where(Attendance.session_id == ids["sign"])) == 1
        assert s.scalar(select(func.count()).select_from(AuditEntry).where(
            AuditEntry.action == "assembly.attendance.sign_in", AuditEntry.object_id == str(ids["sign"]))) == 1


def test_held_six_times_at_once_is_held_once(server):
    from election.assembly.models import AssemblySession
    from election.audit.models import AuditEntry

    srv, ids, engine = server
    answers = _burst(f"{srv.url}/api/v1/assembly/sessions/{ids['hold']}/hold", ids["token"], None)
    codes = sorted(r.status_code for r in answers)
    assert codes.count(200) == 1 and all(c == 409 for c in codes if c != 200), codes
    for r in answers:
        if r.status_code != 200:
            assert "已确认召开" in r.json()["error"]["message"]
    sec.FIGURES["concurrent_requests"] += K
    with Session(engine) as s:
        held = s.get(AssemblySession, ids["hold"])
        assert (held.status, held.roll_count, held.present_count) == ("held", 12, 10)
        assert s.scalar(select(func.count()).select_from(AuditEntry).where(
            AuditEntry.action == "assembly.session.hold")) == 1

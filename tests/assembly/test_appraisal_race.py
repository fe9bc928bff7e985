"""Appraisal entries and confirms sent at once against gunicorn on PostgreSQL (4 workers): two tellers entering
entry 1 at the same moment make one entry (the other refused cleanly), six confirms make one confirmation and one
audit entry; never a 500. SQLite serialises anyway; PostgreSQL shows whether the appraisal's row lock holds."""
from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from datetime import date, datetime

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
    from election.assembly.models import Appraisal, AppraisalEntry, AppraisalObject, AssemblySession
    from election.core.clock import utcnow
    from election.core.db import make_engine
    from election.directory.models import Organisation

    engine = make_engine(url)
    ids: dict = {}
    with Session(engine) as s:
        org = Organisation(code="RC-AS", name="竞态区委", category="党委")
        s.add(org)
        s.flush()
        meeting = AssemblySession(organisation_id=org.id, congress="竞态党代会", meeting_no=1, title="竞态年会",
                                  opens_on=date(2026, 12, 15), closes_on=date(2026, 12, 16), status="open")
        s.add(meeting)
        s.flush()
        tellers = []
        for i in range(1, 3):
            t = User(username=f"rc_teller{i}", display_name=f"竞态计票员{i}", role="teller",
                     password_hash=sec.cheap_hash())
            s.add(t)
            tellers.append(t)
        s.flush()
        for what in ("enter", "confirm"):
            a = Appraisal(session_id=meeting.id, kind="rating", title=f"竞态测评{what}", grades=["好", "较好", "一般", "差"],
                          settings={}, status="open", ballots_issued=10, ballots_collected=10,
                          opened_at=datetime(2026, 12, 15, 2, 0))
            a.objects.append(AppraisalObject(seq=1, kind="unit", name="竞态班子"))
            s.add(a)
            s.flush()
            ids[what], ids[f"{what}_object"] = a.id, a.objects[0].id
            if what == "confirm":
                figures = {"invalid": 0, "objects": {str(a.objects[0].id): {"好": 10}}}
                s.add_all([AppraisalEntry(appraisal_id=a.id, entry_no=n, teller_id=tellers[n - 1].id, figures=figures)
                           for n in (1, 2)])
        ids["tellers"] = [api_tokens.create_token(s, t, "竞态", 30, utcnow()).secret for t in tellers]
        s.commit()
    engine.dispose()
    return ids


@pytest.fixture(scope="module")
def server(request, tmp_path_factory):
    from election.core.db import make_engine

    tmp = tmp_path_factory.mktemp("appraisal-race")
    url = sec.fresh_database("postgresql", request, tmp, "election_appraisal_race")
    ids = _seed(url)
    srv = sec.start_server(url, tmp, workers=4)
    engine = make_engine(url)
    yield srv, ids, engine
    srv.stop()
    engine.dispose()


def _refused_cleanly(answers: list[requests.Response]) -> None:
    codes = sorted(r.status_code for r in answers)
    assert codes.count(200) == 1 and all(c == 422 for c in codes if c != 200), codes
    for r in answers:
        if r.status_code != 200:
            assert any("\u4e00" <= ch <= "\u9fff" for ch in r.json()["error"]["message"])


def test_two_tellers_entering_entry_1_at_once_make_one_entry(server):
    from election.assembly.models import AppraisalEntry

    srv, ids, engine = server
    url = f"{srv.url}/api/v1/assembly/appraisals/{ids['enter']}/entries/1"
    body = {"invalid": 0, "objects": [{"object_id": ids["enter_object"], "votes": [6, 4, 0, 0]}]}
    with ThreadPoolExecutor(2) as pool:
        answers = list(pool.map(lambda token: requests.put(url, json=body, timeout=60,
                                                           headers={"Authorization": f"Bearer {token}"}),
                                ids["tellers"]))
    _refused_cleanly(answers)
    sec.FIGURES["concurrent_requests"] += 2
    with Session(engine) as s:
        assert s.scalar(select(func.count()).select_from(AppraisalEntry)
                        .where(AppraisalEntry.appraisal_id == ids["enter"])) == 1


def test_six_confirms_at_once_make_one_confirmation(server):
    from election.assembly.models import Appraisal
    from election.audit.models import AuditEntry

    srv, ids, engine = server
    url = f"{srv.url}/api/v1/assembly/appraisals/{ids['confirm']}/confirm"
    headers = {"Authorization": f"Bearer {ids['tellers'][0]}"}
    with ThreadPoolExecutor(K) as pool:
        answers = list(pool.map(lambda _: requests.post(url, headers=headers, timeout=60), range(K)))
    _refused_cleanly(answers)
    sec.FIGURES["concurrent_requests"] += K
    with Session(engine) as s:
        assert s.get(Appraisal, ids["confirm"]).status == "confirmed"
        assert s.scalar(select(func.count()).select_from(AuditEntry).where(
            AuditEntry.action == "assembly.appraisal.confirm", AuditEntry.object_id == str(ids["confirm"]))) == 1

"""Two 组织部 reviewers deciding the same 提案 at once (K requests from two tokens, against gunicorn on PostgreSQL
with 4 workers): one decision wins, every other request gets a Chinese 409 (the state it saw has changed), never a
500, and exactly one audit entry. SQLite's BEGIN IMMEDIATE serialises anyway; PostgreSQL shows whether the
proposal's row lock and the seen-state check hold."""
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
    from election.assembly.models import AssemblySession
    from election.core.clock import utcnow
    from election.core.db import make_engine
    from election.directory.models import Organisation
    from election.duties.models import Proposal, TermDelegate

    engine = make_engine(url)
    ids: dict = {}
    with Session(engine) as s:
        district = Organisation(code="PR-D", name="竞态区委", category="党委")
        s.add(district)
        s.flush()
        meeting = AssemblySession(organisation_id=district.id, congress="竞态党代会", meeting_no=1, title="竞态年会",
                                  opens_on=date(2026, 12, 20), closes_on=date(2026, 12, 21))
        lead = TermDelegate(name="王芳", gender="女", congress="竞态党代会", level="区", term_start=date(2022, 1, 1),
                            term_end=date(2027, 12, 31))
        s.add_all([meeting, lead])
        s.flush()
        p = Proposal(lead_delegate_id=lead.id, title="竞态提案", grounds="g", solution="s", submitted_on=date(2026, 12, 1),
                     session_id=meeting.id, filing="pending")
        office = User(username="pr_office", display_name="竞态选举办", role="office", organisation_id=district.id,
                      password_hash=sec.cheap_hash())
        admin = User(username="pr_admin", display_name="竞态管理员", role="admin", password_hash=sec.cheap_hash())
        s.add_all([p, office, admin])
        s.flush()
        ids.update(session=meeting.id, proposal=p.id,
                   tokens=[api_tokens.create_token(s, u, "竞态", 30, utcnow()).secret for u in (office, admin)])
        s.commit()
    engine.dispose()
    return ids


@pytest.fixture(scope="module")
def server(request, tmp_path_factory):
    from election.core.db import make_engine

    tmp = tmp_path_factory.mktemp("proposals-race")
    url = sec.fresh_database("postgresql", request, tmp, "election_proposals_race")
    ids = _seed(url)
    srv = sec.start_server(url, tmp, workers=4)
    engine = make_engine(url)
    yield srv, ids, engine
    srv.stop()
    engine.dispose()


def test_two_reviewers_deciding_at_once_one_wins(server):
    from election.audit.models import AuditEntry
    from election.core.clock import today_local
    from election.duties.models import Proposal

    srv, ids, engine = server
    due = (today_local() + timedelta(days=30)).isoformat()
    bodies = [{"proposal_id": ids["proposal"], "decision": "filed", "handling_unit": "区住建局", "reply_due_on": due},
              {"proposal_id": ids["proposal"], "decision": "not_filed", "reason": "不属于党委职责"}]
    url = f"{srv.url}/api/v1/assembly/sessions/{ids['session']}/proposals/review"

    def send(i: int) -> requests.Response:
        headers = {"Authorization": f"Bearer {ids['tokens'][i % 2]}"}
        return requests.post(url, json=bodies[i % 2], headers=headers, timeout=60)

    with ThreadPoolExecutor(K) as pool:
        answers = list(pool.map(send, range(K)))
    codes = sorted(r.status_code for r in answers)
    assert codes.count(200) == 1 and all(c == 409 for c in codes if c != 200), codes
    for r in answers:
        if r.status_code == 409:
            assert "请刷新页面核对后再决定" in r.json()["error"]["message"]
    winner = next(r.json() for r in answers if r.status_code == 200)
    sec.FIGURES["concurrent_requests"] += K
    with Session(engine) as s:
        assert s.get(Proposal, ids["proposal"]).filing == winner["filing"]
        assert s.scalar(select(func.count()).select_from(AuditEntry)
                        .where(AuditEntry.action == "assembly.proposal.review")) == 1

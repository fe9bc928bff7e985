"""Query budgets of the lists of resolutions and follow-ups, 列席 and 询问/质询: the same number of statements
with 2 rows and with 8 (no query per row), within a budget."""
from __future__ import annotations

from datetime import date, timedelta

from election.accounts.models import User
from election.assembly.services import between as bsvc
from election.assembly.services import followup as svc
from tests.assembly.test_followup import NOW, OPENS, _open

BUDGET = 25


def _grow(session, ids: dict, n: int) -> None:
    """N more resolutions, follow-ups and inquiries, and N more invitees (by id)."""
    office = session.get(User, ids["office"])
    for i in range(n):
        svc.add_resolution(session, office, ids["session"], f"关于第{i}事项的决议", "正文", OPENS, NOW)
        svc.create_followup(session, office, ids["session"], "other", f"问题{i}", f"单位{i}", OPENS + timedelta(days=i),
                            NOW)
        bsvc.register_inquiry(session, office, "inquiry", ids["delegates"][i], "区教育局", f"事由{i}", "内容",
                              date(2026, 11, 1), None, NOW)
    invited = {x.delegate_id for x in bsvc.sitin_or_404(session, office, ids["meeting"]).invitees}
    bsvc.invite_delegates(session, office, ids["meeting"], [d for d in ids["delegates"] if d not in invited][:n], NOW)


def _statements(session, client, count_queries, url: str) -> int:
    session.expire_all()  # nothing read for free from an earlier request
    with count_queries() as q:
        assert client.get(url).status_code == 200
    return q.count


def test_the_lists_do_not_grow_with_their_rows(client, auth, session, assembly_world, count_queries):
    w = assembly_world
    _open(session, w)
    meeting = bsvc.create_sitin(session, w.office, w.congress, "plenary", "全会", date(2026, 11, 20), "", NOW).id
    for i in range(3):
        bsvc.create_sitin(session, w.office, w.congress, "standing", f"常委会{i}", date(2026, 11, 20), "", NOW)
    ids = {"office": w.office.id, "session": w.session.id, "meeting": meeting, "delegates": [d.id for d in w.delegates]}
    auth.login(w.office.username)
    pages = {"resolutions": f"/assembly/sessions/{w.session.id}/resolutions", "followups": "/assembly/followups",
             "sitins": "/assembly/sitins", "sitin": f"/assembly/sitins/{meeting}", "inquiries": "/assembly/inquiries"}
    counts = []
    for n in (2, 6):
        _grow(session, ids, n)
        counts.append({name: _statements(session, client, count_queries, url) for name, url in pages.items()})
    assert counts[0] == counts[1], counts
    assert max(counts[1].values()) <= BUDGET, counts

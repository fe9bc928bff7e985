"""A call on one election, one 推荐单位 or one person costs the same whatever the election's size (issue 20).

Each call is counted (SQL statements and ORM objects loaded, tests/fixtures/costs.py) in an election whose OTHER
推荐单位 holds 50 and then 2,000 推荐人选 (bulk-inserted), while the unit acted on keeps the same three people: the
election's detail, one unit's status and list, the unit's upload (JSON), its submission, and the nominee edit page
(GET and POST). The same count at both sizes and under a stated budget. No timings.
"""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import insert, select

from election.directory.models import ElectionUnit
from election.nominations.models import Nominee
from tests.api.test_api import person
from tests.fixtures.costs import compare, cost

SMALL, BIG = 50, 2000
NOW = datetime(2026, 2, 15, 2, 0)
BUDGETS = {  # call: (statements, ORM objects loaded); PostgreSQL adds the audit chain's lock to each write
    "API GET /elections/<id>": (7, 4),
    "API GET /election-units/<id>": (4, 9),
    "API GET /election-units/<id>/nominees": (4, 8),
    "API PUT /election-units/<id>/nominees": (19, 15),
    "API POST /election-units/<id>/submit": (13, 13),
    "page GET units.edit": (4, 6),
    "page POST units.edit": (14, 10),
}


def _election_of(session, make_election, size: int):
    """An election in 推荐提名: unit 0 (acted on) is empty and wants 3 人选 for 2 seats; unit 1 holds SIZE people.
    (election id, unit 0's election-unit id, its unit id)."""
    election = make_election(stage="nominate", units=2)
    eu, other = sorted(election.units, key=lambda e: e.id)
    eu.quota, eu.report_count = 2, 3
    session.flush()
    session.execute(insert(Nominee), [
        {"election_id": election.id, "election_unit_id": other.id, "position": i + 1, "name": f"填{i:04d}",
         "gender": "男" if i % 2 else "女", "ethnicity": "汉族", "id_number": f"F{i:017d}",
         "birth_date": date(1970, 1, 1), "category": "专业技术人员", "step": "nominated", "created_at": NOW}
        for i in range(size)])
    session.commit()
    return election.id, eu.id, eu.unit_id  # ids: each counted call starts with an empty identity map


def _calls(client, auth, login_as, token_for, count_queries, session, election_id, eu_id, unit_id) -> dict:
    counts = {}
    _, office = token_for("office")
    _, unit = token_for("unit", unit_id=unit_id)

    def count(name, send, status):
        counts[name] = cost(count_queries, send, status, name)

    count("API PUT /election-units/<id>/nominees", lambda: client.put(
        f"/api/v1/election-units/{eu_id}/nominees", headers=unit, json={"nominees": [person(i) for i in range(3)]}),
        200)
    count("API GET /elections/<id>", lambda: client.get(f"/api/v1/elections/{election_id}", headers=office), 200)
    count("API GET /election-units/<id>", lambda: client.get(f"/api/v1/election-units/{eu_id}", headers=unit), 200)
    count("API GET /election-units/<id>/nominees",
          lambda: client.get(f"/api/v1/election-units/{eu_id}/nominees", headers=unit), 200)
    first = session.scalar(select(Nominee.id).where(Nominee.election_unit_id == eu_id).order_by(Nominee.position))
    login_as("unit", unit_id=unit_id)
    url = f"/units/{eu_id}/nominees/{first}/edit"
    count("page GET units.edit", lambda: client.get(url), 200)
    form = {k: v for k, v in person(0, workplace_title="某街道党工委书记").items()}
    count("page POST units.edit", lambda: client.post(url, data=form), 302)
    auth.logout()
    count("API POST /election-units/<id>/submit",
          lambda: client.post(f"/api/v1/election-units/{eu_id}/submit", headers=unit), 200)
    return counts


def test_single_unit_calls_cost_the_same_whatever_the_other_units_hold(
        client, auth, login_as, token_for, session, make_election, count_queries):
    small = _election_of(session, make_election, SMALL)
    big = _election_of(session, make_election, BIG)
    at_small = _calls(client, auth, login_as, token_for, count_queries, session, *small)
    at_big = _calls(client, auth, login_as, token_for, count_queries, session, *big)
    compare(at_small, at_big, BUDGETS, (SMALL, BIG))
    for _, eu_id, _ in (small, big):  # the calls did their work at both sizes
        assert session.scalar(select(ElectionUnit.status).where(ElectionUnit.id == eu_id)) == "submitted"
        assert session.scalar(select(Nominee.workplace_title).where(Nominee.election_unit_id == eu_id,
                                                                    Nominee.position == 1)) == "某街道党工委书记"

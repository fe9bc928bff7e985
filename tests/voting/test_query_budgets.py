"""One tally sheet or one ballot costs the same whatever the election's size (issue 20): a teller's entry of a
round's totals (PUT /rounds/{id}/entries/{n}, first and second) and one ballot as marked (POST /rounds/{id}/ballots),
counted (statements and ORM objects loaded, tests/fixtures/costs.py) in an election with the same three candidates
on the ballot and 50, then 2,000 推荐人选 who never reached it (bulk-inserted). The cost may grow with the
candidates on the ballot, never with the nominees of the election. No timings.
"""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import insert, select

from election.directory.models import ElectionUnit
from election.elections.services import MEETING_RULES
from election.nominations.models import Nominee
from election.voting import services as svc
from election.voting.models import BallotPaper
from tests.fixtures.costs import compare, cost

SMALL, BIG = 50, 2000
NOW = datetime(2019, 4, 10, 2, 0)
NAMES = ["王芳", "李娜", "张伟"]
BUDGETS = {  # call: (statements, ORM objects loaded); PostgreSQL adds the audit chain's lock to each write
    "API PUT /rounds/<id>/entries/1": (14, 10),
    "API PUT /rounds/<id>/entries/2": (14, 14),
    "API POST /rounds/<id>/ballots": (12, 8),
}


def _round(session, make_election, office, size: int, mode: str) -> int:
    """An open round (MODE) for 2 seats among NAMES, in an election that also holds SIZE nominees off the ballot."""
    election = make_election(stage="ballot", units=1, seats=2, preset="地方组织", voters=10,
                             settings={"meeting_rules": MEETING_RULES["地方组织"], "margins": {"final_ballot": "1/5"}})
    eu = session.scalar(select(ElectionUnit).where(ElectionUnit.election_id == election.id))
    people = [{"name": name, "step": "confirmed", "id_number": f"C{election.id:08d}{i:09d}"}
              for i, name in enumerate(NAMES)]
    people += [{"name": f"填{i:04d}", "step": ("nominated", "shortlisted", "preliminary")[i % 3],
                "id_number": f"F{election.id:08d}{i:09d}"} for i in range(size)]
    session.execute(insert(Nominee), [
        {"election_id": election.id, "election_unit_id": eu.id, "position": i + 1, "gender": "男",
         "ethnicity": "汉族", "birth_date": date(1975, 3, 1), "category": "其他一线", "created_at": NOW, **p}
        for i, p in enumerate(people)])
    session.commit()
    return svc.open_round(session, office, election.id, svc.RoundInput(10, 10, 10, 10, mode), NOW).id  # an id: each
    # counted call starts with an empty identity map


def _calls(client, token_for, count_queries, totals_round, ballots_round) -> dict:
    counts = {}

    def count(name, send, status):
        counts[name] = cost(count_queries, send, status, name)

    _, first = token_for("teller")
    _, second = token_for("teller")
    sheet = {"valid": 10, "invalid": 0, "for": {"王芳": 8, "李娜": 7, "张伟": 3}}
    for n, headers in ((1, first), (2, second)):
        count(f"API PUT /rounds/<id>/entries/{n}", lambda: client.put(
            f"/api/v1/rounds/{totals_round}/entries/{n}", headers=headers, json=sheet), 200)
    count("API POST /rounds/<id>/ballots", lambda: client.post(
        f"/api/v1/rounds/{ballots_round}/ballots", headers=first, json={"for": ["王芳", "张伟"]}), 201)
    return counts


def test_one_tally_sheet_or_ballot_costs_the_same_at_50_and_2000_nominees(
        client, token_for, session, make_election, make_user, count_queries):
    office = make_user("office")
    small = [_round(session, make_election, office, SMALL, mode) for mode in ("totals", "ballots")]
    big = [_round(session, make_election, office, BIG, mode) for mode in ("totals", "ballots")]
    at_small = _calls(client, token_for, count_queries, *small)
    at_big = _calls(client, token_for, count_queries, *big)
    compare(at_small, at_big, BUDGETS, (SMALL, BIG))
    for totals_round, ballots_round in (small, big):  # the calls did their work at both sizes
        assert svc.compare_entries(session, totals_round).agree
        paper = session.scalars(select(BallotPaper).where(BallotPaper.round_id == ballots_round)).one()
        assert (paper.seq, paper.for_names, paper.void) == (1, ["王芳", "张伟"], False)

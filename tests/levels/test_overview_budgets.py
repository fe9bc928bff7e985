"""The upper committee's overview costs the same whatever the size of the 选举单位' lists: the overview page, the
roster page and the structure API, counted (statements and ORM objects loaded, tests/fixtures/costs.py) on the
hand-checked city with 0 and with 60 more people in 乙区's lists. The same count at both sizes, under a budget."""
from __future__ import annotations

from datetime import date

from tests.fixtures.costs import compare, cost
from tests.levels.overview_world import build_city

SMALL, BIG = 0, 60
BUDGETS = {  # call: (statements, ORM objects loaded)
    "page GET /levels/congresses/<id>": (13, 12),
    "page GET /levels/congresses/<id>/roster": (12, 12),
    "API GET /congresses/<id>/structure": (16, 15),
}


def _calls(client, auth, login_as, token_for, count_queries, ids):
    counts = {}

    def count(name, send, status):
        counts[name] = cost(count_queries, send, status, name)

    _, headers = token_for("upper", organisation_id=ids["city"])
    count("API GET /congresses/<id>/structure",
          lambda: client.get(f"/api/v1/congresses/{ids['congress']}/structure", headers=headers), 200)
    login_as("upper", organisation_id=ids["city"])
    count("page GET /levels/congresses/<id>", lambda: client.get(f"/levels/congresses/{ids['congress']}"), 200)
    count("page GET /levels/congresses/<id>/roster",
          lambda: client.get(f"/levels/congresses/{ids['congress']}/roster"), 200)
    auth.logout()
    return counts


def test_overview_costs_the_same_at_two_list_sizes(client, auth, login_as, token_for, session, count_queries,
                                                   monkeypatch):
    monkeypatch.setattr("election.levels.views.overview.today_local", lambda: date(2019, 4, 15))
    small = build_city(session, code="SMALL", extra_people=SMALL)
    big = build_city(session, code="BIG", extra_people=BIG)
    at_small = _calls(client, auth, login_as, token_for, count_queries, small)
    at_big = _calls(client, auth, login_as, token_for, count_queries, big)
    compare(at_small, at_big, BUDGETS, (SMALL, BIG))

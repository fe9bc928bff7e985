"""Two 选举单位 on one installation: each one's staff reach only their own elections — on the pages, in the API, in
lists, dashboards and reminders — while the upper committee's part holds both and the whole-installation 管理员
everything. 来源: docs/rules.md §8 (上下级之间)."""
from __future__ import annotations

from datetime import date, datetime

import pytest
from sqlalchemy import select

from election.directory.models import ElectionUnit, Organisation
from election.directory.scope import path_in_scope, subtree_ids
from election.nominations.models import Nominee
from election.notifications.models import Notification
from election.notifications.services import run_daily_reminders


@pytest.fixture
def two_parts(session, make_election):
    """市委 → 甲区委 (→ 甲区街道党工委) and 乙区委; one election in each district."""
    city = Organisation(code="T-SW", name="中共测试市委员会", category="党委")
    session.add(city)
    session.flush()
    a = Organisation(code="T-A", name="中共甲区委员会", category="党委", parent_id=city.id)
    b = Organisation(code="T-B", name="中共乙区委员会", category="党委", parent_id=city.id)
    session.add_all([a, b])
    session.flush()
    street = Organisation(code="T-A1", name="甲区街道党工委", category="党工委", parent_id=a.id)
    session.add(street)
    session.flush()
    ea = make_election(title="甲区出席市党代会代表选举", organisation_id=a.id, stage="nominate")
    eb = make_election(title="乙区出席市党代会代表选举", organisation_id=b.id, stage="nominate")
    eua = session.scalars(select(ElectionUnit).where(ElectionUnit.election_id == ea.id)).first()
    eub = session.scalars(select(ElectionUnit).where(ElectionUnit.election_id == eb.id)).first()
    nb = Nominee(election_id=eb.id, election_unit_id=eub.id, name="乙区人选", gender="女", ethnicity="汉族",
                 birth_date=date(1980, 1, 1), id_number="110101198001010027", category="",
                 workplace_title="乙区某局")
    session.add(nb)
    session.commit()
    return {"city": city.id, "a": a.id, "b": b.id, "street": street.id, "ea": ea.id, "eb": eb.id,
            "eua": eua.id, "eub": eub.id, "nb": nb.id}


def test_subtree_holds_the_organisation_and_everything_under_it(session, two_parts):
    p = two_parts
    assert subtree_ids(session, p["city"]) == {p["city"], p["a"], p["b"], p["street"]}
    assert subtree_ids(session, p["a"]) == {p["a"], p["street"]}
    assert subtree_ids(session, p["street"]) == {p["street"]}


def test_a_districts_office_reaches_only_its_own_election_pages(session, two_parts, login_as, client):
    p = two_parts
    login_as("office", organisation_id=p["a"])
    assert client.get(f"/elections/{p['ea']}").status_code == 200
    for url in (f"/elections/{p['eb']}", f"/units/{p['eub']}", f"/elections/{p['eb']}/timeline",
                f"/directory/{p['b']}/edit"):
        assert client.get(url).status_code == 404, url
    listing = client.get("/elections/").get_data(as_text=True)
    assert "甲区出席市党代会代表选举" in listing and "乙区出席市党代会代表选举" not in listing
    home = client.get("/").get_data(as_text=True)
    assert "乙区出席市党代会代表选举" not in home
    # a write naming the other district's election is "not found" too, and changes nothing
    assert client.post(f"/elections/{p['eb']}/advance", data={}).status_code == 404


def test_the_upper_part_and_the_whole_installation_reach_both(session, two_parts, login_as, client, auth):
    p = two_parts
    login_as("office", organisation_id=p["city"])
    assert client.get(f"/elections/{p['ea']}").status_code == 200
    assert client.get(f"/elections/{p['eb']}").status_code == 200
    auth.logout()
    login_as("admin")
    listing = client.get("/elections/").get_data(as_text=True)
    assert "甲区出席市党代会代表选举" in listing and "乙区出席市党代会代表选举" in listing


def test_an_election_from_before_levels_is_only_for_the_whole_installation(session, two_parts, make_election,
                                                                           make_user):
    old = make_election(title="旧选举")
    session.commit()
    scoped = make_user("office", organisation_id=two_parts["city"])
    whole = make_user("office")
    assert not path_in_scope(scoped, {"election_id": old.id})
    assert path_in_scope(whole, {"election_id": old.id})


def test_the_api_answers_not_found_outside_the_callers_part(session, two_parts, token_for, client):
    p = two_parts
    _user, headers = token_for("office", organisation_id=p["a"])
    listed = client.get("/api/v1/elections?per_page=100", headers=headers).get_json()
    assert [e["id"] for e in listed["items"]] == [p["ea"]]
    assert client.get(f"/api/v1/elections/{p['ea']}", headers=headers).status_code == 200
    for url in (f"/api/v1/elections/{p['eb']}", f"/api/v1/election-units/{p['eub']}",
                f"/api/v1/election-units/{p['eub']}/nominees"):
        response = client.get(url, headers=headers)
        assert response.status_code == 404, url
        assert "乙区" not in response.get_data(as_text=True)


def test_reminders_go_to_the_staff_of_the_elections_own_part(session, two_parts, make_user, make_election):
    p = two_parts
    office_a = make_user("office", organisation_id=p["a"])
    office_b = make_user("office", organisation_id=p["b"])
    whole = make_user("office")
    session.commit()
    # both elections overdue on their current stage: every reachable staff member is reminded
    from election.elections.models import StageDue

    for eid in (p["ea"], p["eb"]):
        session.add(StageDue(election_id=eid, stage="nominate", due_date=date(2026, 1, 5)))
    session.commit()
    run_daily_reminders(session, date(2026, 1, 8), datetime(2026, 1, 8, 1, 0))
    seen = {}
    for n in session.scalars(select(Notification)):
        seen.setdefault(n.user_id, set()).add(n.election_id)
    assert seen.get(office_a.id) == {p["ea"]}
    assert seen.get(office_b.id) == {p["eb"]}
    assert seen.get(whole.id) == {p["ea"], p["eb"]}


def test_a_districts_office_creates_its_own_districts_election(session, two_parts, make_user):
    from election.core.clock import utcnow
    from election.elections.services import ElectionSetup, create_election

    office_a = make_user("office", organisation_id=two_parts["a"])
    session.commit()
    election = create_election(session, office_a, ElectionSetup(title="甲区新选举", seats=10), utcnow())
    assert election.organisation_id == two_parts["a"]
    assert path_in_scope(office_a, {"election_id": election.id})


def test_the_unit_directory_in_the_api_lists_only_the_callers_part(session, two_parts, token_for, client,
                                                                    make_unit):
    p = two_parts
    mine = make_unit("甲区街道党工委单位", organisation_id=p["street"])
    make_unit("乙区某单位", organisation_id=p["b"])
    session.commit()
    _user, headers = token_for("office", organisation_id=p["a"])
    listed = client.get("/api/v1/units?per_page=100", headers=headers).get_json()
    assert [u["name"] for u in listed["items"]] == [mine.name]

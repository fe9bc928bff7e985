"""The 推荐单位 of a 选举单位 under a city (docs/rules.md §8.4): an election allocates seats only to the 推荐单位 of
its own 选举单位 (the page lists no other's, the service refuses one), and creating the city's congress links the
推荐单位 of a tree imported before it."""
from __future__ import annotations

from datetime import datetime

import pytest
from sqlalchemy import func, select

from election.audit.models import AuditEntry
from election.core.exceptions import ServiceError
from election.directory import queries
from election.directory.models import ElectionUnit, Organisation, Unit
from election.directory.services import import_organisations
from election.elections import services as elections
from election.levels.models import Congress
from election.levels.services import setup as st
from tests.conftest import TEST_PASSWORD
from workflow.directory.tree import OrgRecord

NOW = datetime(2026, 12, 1, 2, 0)
TREE = [OrgRecord("SW", "中共某市委员会", "党委"), OrgRecord("QW", "中共某区委员会", "党委", "SW"),
        OrgRecord("XQ", "中共某新区工作委员会", "党工委", "SW"), OrgRecord("GW01", "城关街道党工委", "党工委", "QW"),
        OrgRecord("XQ01", "新区机关党委", "党委", "XQ")]


def _orgs(session) -> dict[str, Organisation]:
    return {o.code: o for o in session.scalars(select(Organisation))}


def _unit(session, code: str) -> Unit:
    return session.scalar(select(Unit).where(Unit.code == code))


@pytest.fixture
def city(session):
    top = Organisation(code="SW", name="中共某市委员会", category="党委")
    session.add(top)
    session.flush()
    session.add(Congress(title="出席市第十二次党代会代表选举", organisation_id=top.id, seats=760))
    session.flush()
    import_organisations(session, None, TREE, NOW)
    return _orgs(session)


def test_the_allocation_page_lists_only_the_units_of_the_elections_own_body(client, session, city, make_election,
                                                                            make_user):
    election = make_election(stage="plan", units=0, title="某区出席市党代会代表选举", organisation_id=city["QW"].id)
    office = make_user("office", organisation_id=city["QW"].id)
    session.commit()
    assert client.post("/login", data={"username": office.username, "password": TEST_PASSWORD}).status_code == 302
    page = client.get(f"/elections/{election.id}/allocations").get_data(as_text=True)
    assert "城关街道党工委" in page and "新区机关党委" not in page


def test_a_unit_of_another_body_is_refused_and_nothing_is_written(session, city, make_election, make_user):
    election = make_election(stage="plan", units=0, title="某区出席市党代会代表选举", organisation_id=city["QW"].id)
    office = make_user("office", organisation_id=city["QW"].id)
    session.commit()
    audits = session.scalar(select(func.count()).select_from(AuditEntry))
    rows = [elections.AllocationRow(_unit(session, "GW01").id, 5, 8, {}),
            elections.AllocationRow(_unit(session, "XQ01").id, 5, 8, {})]
    with pytest.raises(ServiceError, match="推荐单位“新区机关党委”不属于本选举单位"):
        elections.set_allocations(session, office, election.id, rows, NOW)
    assert session.scalar(select(func.count()).select_from(ElectionUnit)
                          .where(ElectionUnit.election_id == election.id)) == 0
    assert session.scalar(select(func.count()).select_from(AuditEntry)) == audits
    elections.set_allocations(session, office, election.id, rows[:1], NOW)  # its own unit: allowed
    assert [eu.unit.code for eu in session.scalars(select(ElectionUnit)
                                                   .where(ElectionUnit.election_id == election.id))] == ["GW01"]


def test_an_election_without_an_organisation_allocates_as_before(session, city, make_election, make_user):
    election = make_election(stage="plan", units=0)
    office = make_user("office")
    session.commit()
    elections.set_allocations(session, office, election.id,
                              [elections.AllocationRow(_unit(session, "XQ01").id, 5, 8, {})], NOW)
    assert session.scalar(select(func.count()).select_from(ElectionUnit)
                          .where(ElectionUnit.election_id == election.id)) == 1


def test_creating_the_congress_links_the_units_of_a_tree_imported_before_it(session, make_user):
    import_organisations(session, None, TREE, NOW)  # the city on top, no congress yet: its 选举单位 are its units
    orgs = _orgs(session)
    upper = make_user("upper", organisation_id=orgs["SW"].id)
    session.commit()
    assert _unit(session, "GW01") is None and _unit(session, "XQ01") is None
    st.create_congress(session, upper, st.CongressInput(title="出席市第十二次党代会代表选举",
                                                        organisation_id=orgs["SW"].id, seats=760), NOW)
    assert queries.electing_bodies(session) == {orgs["QW"].id, orgs["XQ"].id}
    assert _unit(session, "GW01").organisation_id == orgs["GW01"].id
    assert _unit(session, "XQ01").organisation_id == orgs["XQ01"].id
    assert [u.code for u in queries.active_units(session)] == ["GW01", "XQ01"]

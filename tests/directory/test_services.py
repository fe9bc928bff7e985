"""Organisation directory use cases: add, edit, move, retire, reinstate, delete; the 推荐单位 and 党代表工作室 kept in
step with the tree; every refusal writes nothing."""
from __future__ import annotations

from datetime import datetime

import pytest
from sqlalchemy import func, select

from election.accounts.services import authenticate
from election.audit.models import AuditEntry
from election.core.exceptions import PermissionDenied, ServiceError
from election.directory import queries
from election.directory.models import DelegateOffice, ElectionUnit, Organisation, Unit
from election.directory.services import (
    DirectoryRejected,
    create_organisation,
    delete_organisation,
    import_organisations,
    reinstate_organisation,
    retire_organisation,
    update_organisation,
)
from election.elections.models import Election
from tests.conftest import TEST_PASSWORD
from workflow.directory.tree import STUDIO, OrgRecord

NOW = datetime(2026, 12, 1, 2, 0)
TOP = OrgRecord("100", "中共某区委员会", "党委")
GW = OrgRecord("101", "城关街道党工委", "党工委", "100", 12, 340, "王芳", "0917-1234567")
BRANCH = OrgRecord("10101", "城关第一社区党支部", "党支部", "101", 0, 45)
STUDIO_1 = OrgRecord("10199", "城关街道党代表工作室", STUDIO, "101")


@pytest.fixture
def office(make_user):
    return make_user("office")


@pytest.fixture
def tree(session, office):
    import_organisations(session, office, [TOP, GW, BRANCH, STUDIO_1], NOW)
    return {o.code: o for o in session.scalars(select(Organisation))}


def _audits(session) -> int:
    return session.scalar(select(func.count()).select_from(AuditEntry))


def test_units_and_offices_follow_the_tree(session, tree):
    unit = session.scalar(select(Unit).where(Unit.organisation_id == tree["101"].id))
    assert (unit.code, unit.name, unit.kind, unit.grassroots_orgs, unit.members) == ("101", "城关街道党工委", "党工委", 12, 340)
    office = session.scalar(select(DelegateOffice).where(DelegateOffice.organisation_id == tree["10199"].id))
    assert office.name == "城关街道党代表工作室"
    # the top and a 基层党组织 are neither
    assert session.scalar(select(func.count()).select_from(Unit)) == 1
    assert [u.code for u in queries.active_units(session)] == ["101"]


def test_rename_flows_to_the_unit(session, office, tree):
    update_organisation(session, office, tree["101"].id, OrgRecord("101", "城关街道党工委（新）", "党工委", "100", 13, 350,
                                                                "王芳", "0917-1234567"), NOW)
    unit = session.scalar(select(Unit).where(Unit.organisation_id == tree["101"].id))
    assert (unit.name, unit.grassroots_orgs, unit.members) == ("城关街道党工委（新）", 13, 350)
    entry = session.scalars(select(AuditEntry).order_by(AuditEntry.seq.desc())).first()
    assert entry.action == "directory.update" and entry.before == {"name": "城关街道党工委", "grassroots_orgs": 12,
                                                                   "members": 340}


def test_moving_under_a_studio_or_into_a_cycle_is_refused(session, office, tree):
    audits = _audits(session)
    with pytest.raises(DirectoryRejected, match="党代表工作室下不能再设组织"):
        update_organisation(session, office, tree["10101"].id, OrgRecord("10101", "城关第一社区党支部", "党支部", "10199"), NOW)
    with pytest.raises(DirectoryRejected, match="循环"):
        update_organisation(session, office, tree["101"].id, OrgRecord("101", "城关街道党工委", "党工委", "10101", 12, 340,
                                                                    "王芳", "0917-1234567"), NOW)
    assert _audits(session) == audits
    assert session.get(Organisation, tree["101"].id).parent_id == tree["100"].id


def test_a_second_top_and_a_duplicate_code_are_refused(session, office, tree):
    with pytest.raises(DirectoryRejected, match="上级编码为空的只能是最上级的选举单位"):
        create_organisation(session, office, OrgRecord("200", "另一个区委", "党委"), NOW)
    with pytest.raises(DirectoryRejected, match="编码“101”已被“城关街道党工委”使用"):
        create_organisation(session, office, OrgRecord("101", "重复", "党支部", "101"), NOW)


def test_changing_a_code_carries_the_children(session, office, tree):
    update_organisation(session, office, tree["101"].id, OrgRecord("G01", "城关街道党工委", "党工委", "100", 12, 340,
                                                                "王芳", "0917-1234567"), NOW)
    assert session.get(Organisation, tree["10101"].id).parent.code == "G01"
    assert session.scalar(select(Unit.code).where(Unit.organisation_id == tree["101"].id)) == "G01"


def test_retire_needs_a_reason_and_no_active_children(session, office, tree):
    with pytest.raises(ServiceError, match="须写明原因"):
        retire_organisation(session, office, tree["10101"].id, " ", NOW)
    with pytest.raises(ServiceError, match="还有2个在用的下属组织"):
        retire_organisation(session, office, tree["101"].id, "撤并", NOW)
    retire_organisation(session, office, tree["10101"].id, "撤并", NOW)
    retire_organisation(session, office, tree["10199"].id, "撤并", NOW)
    retire_organisation(session, office, tree["101"].id, "街道撤并", NOW)
    assert queries.active_units(session) == [] and queries.active_offices(session) == []
    with pytest.raises(ServiceError, match="上级“城关街道党工委”已撤销"):
        reinstate_organisation(session, office, tree["10101"].id, NOW)
    reinstate_organisation(session, office, tree["101"].id, NOW)
    assert [u.code for u in queries.active_units(session)] == ["101"]


def test_a_user_of_a_retired_unit_is_told_why_he_cannot_log_in(session, office, tree, make_user):
    unit = session.scalar(select(Unit).where(Unit.organisation_id == tree["101"].id))
    handler = make_user("unit", unit_id=unit.id)
    assert authenticate(session, handler.username, TEST_PASSWORD, NOW).ok
    for code in ("10101", "10199", "101"):
        retire_organisation(session, office, tree[code].id, "撤并", NOW)
    result = authenticate(session, handler.username, TEST_PASSWORD, NOW)
    assert not result.ok and result.message.startswith("该账户所属的推荐单位“城关街道党工委”已撤销，不能再登录")


def test_delete_only_what_nothing_refers_to(session, office, tree):
    with pytest.raises(ServiceError, match="已被下属组织2条引用，不能删除"):
        delete_organisation(session, office, tree["101"].id, NOW)
    unit = session.scalar(select(Unit).where(Unit.organisation_id == tree["101"].id))
    election = Election(title="测试选举", seats=16)
    session.add(election)
    session.flush()
    session.add(ElectionUnit(election_id=election.id, unit_id=unit.id, quota=3, report_count=5))
    session.flush()
    delete_organisation(session, office, tree["10101"].id, NOW)
    delete_organisation(session, office, tree["10199"].id, NOW)
    assert session.scalar(select(func.count()).select_from(DelegateOffice)) == 0
    with pytest.raises(ServiceError, match="已被选举中的推荐单位1条引用，不能删除；不再使用时请撤销"):
        delete_organisation(session, office, tree["101"].id, NOW)


def test_only_admin_and_office_maintain_it(session, tree, make_user):
    with pytest.raises(PermissionDenied):
        create_organisation(session, make_user("teller"), OrgRecord("102", "东城街道党工委", "党工委", "100"), NOW)
    with pytest.raises(PermissionDenied):
        retire_organisation(session, make_user("auditor"), tree["10101"].id, "撤并", NOW)


def test_a_unit_from_before_the_directory_is_linked_not_duplicated(session, office):
    legacy = Unit(code="101", name="城关街道党工委", kind="党工委")
    session.add(legacy)
    session.flush()
    import_organisations(session, office, [TOP, GW], NOW)
    assert session.scalar(select(func.count()).select_from(Unit)) == 1
    assert legacy.organisation is not None and legacy.organisation.code == "101"


def test_import_twice_changes_nothing_the_second_time(session, office):
    first = import_organisations(session, office, [TOP, GW, BRANCH, STUDIO_1], NOW)
    audits = _audits(session)
    second = import_organisations(session, office, [TOP, GW, BRANCH, STUDIO_1], NOW)
    assert (first.added, first.updated, first.unchanged) == (4, 0, 0)
    assert (second.added, second.updated, second.unchanged) == (0, 0, 4)
    assert _audits(session) == audits

"""The upper committee sets its election up from above: the congress, the allocations of all 选举单位 at once (the
total exactly at the congress's seats, one over), 下发 and 关联, a change pushed to two children with both audit
entries, a child past 确定预备人选 refusing the whole save, and the district's plan keeping what came from above."""
from __future__ import annotations

from datetime import date, datetime

import pytest
from sqlalchemy import func, select

from election.audit.models import AuditEntry
from election.core.exceptions import Conflict, NotFound, PermissionDenied, ServiceError
from election.directory.models import Organisation
from election.elections import services as el
from election.elections.models import Election, StageDue
from election.levels.services import setup as st

NOW = datetime(2026, 12, 5, 2, 0)
WOMEN = [{"code": "women", "label": "女性", "where": {"gender": "女"}, "min": 7}]


def _audits(session, action, object_id=None):
    query = select(func.count()).select_from(AuditEntry).where(AuditEntry.action == action)
    if object_id is not None:
        query = query.where(AuditEntry.object_id == str(object_id))
    return session.scalar(query)


@pytest.fixture(name="city")
def city_fixture(session, make_user):
    """A city committee with three 选举单位 (two 党委 and a 党工委) and one 党支部 under it, an upper user."""
    city = Organisation(code="C01", name="中共某市委员会", category="党委")
    session.add(city)
    session.flush()
    orgs = [Organisation(code=f"C01{i}", name=name, category=cat, parent_id=city.id)
            for i, (name, cat) in enumerate((("中共某区委员会", "党委"), ("中共某县委员会", "党委"),
                                             ("中共某市直属机关工作委员会", "党工委"), ("某市第一党支部", "党支部")))]
    session.add_all(orgs)
    session.flush()
    upper = make_user("upper", organisation_id=city.id)
    session.commit()
    return {"city": city, "orgs": orgs, "upper": upper}


@pytest.fixture(name="congress")
def congress_fixture(session, city):
    data = st.CongressInput(title="出席市第十二次党代会代表选举", organisation_id=city["city"].id, seats=30,
                            age_reference_date=date(2027, 4, 10), categories={}, quota_rules=[],
                            timeline={"plan": date(2027, 2, 8), "ballot": date(2027, 4, 10)})
    return st.create_congress(session, city["upper"], data, NOW)


def _rows(city, *seats, higher=1, rules=None):
    return [st.AllocationInput(org.id, n, higher, list(rules or [])) for org, n in zip(city["orgs"], seats)]


def test_allocations_exactly_at_the_congress_seats_pass_one_over_refused(session, city, congress):
    result = st.save_allocations(session, city["upper"], congress.id, _rows(city, 10, 9, 8), NOW)
    assert result["allocated"] == 30 and result["unallocated"] == 0
    with pytest.raises(ServiceError, match="超过代表名额30名，多出1名"):
        st.save_allocations(session, city["upper"], congress.id, _rows(city, 10, 9, 9), NOW)
    session.refresh(congress)
    assert sorted(u.seats for u in congress.units) == [8, 9, 10]


def test_only_the_organisations_directly_under_are_electing_units(session, city, congress):
    assert [o.code for o in st.electing_units(session, congress)] == ["C010", "C011", "C012"]
    branch = city["orgs"][3]
    with pytest.raises(NotFound, match="不是本次选举的选举单位"):
        st.save_allocations(session, city["upper"], congress.id, [st.AllocationInput(branch.id, 2)], NOW)


def test_a_unit_rule_naming_an_unknown_category_is_refused(session, city, congress):
    bad = [{"code": "x", "label": "某类", "where": {"category_in": ["宇航员"]}, "min": 1}]
    with pytest.raises(ServiceError, match="“中共某区委员会”的结构要求"):
        st.save_allocations(session, city["upper"], congress.id, _rows(city, 5, rules=bad), NOW)


def test_children_created_with_seats_rules_and_timeline(session, city, congress):
    st.save_allocations(session, city["upper"], congress.id, _rows(city, 16, 5, rules=WOMEN), NOW)
    children = st.create_children(session, city["upper"], congress.id, NOW)
    assert [c.title for c in children] == ["某区出席市第十二次党代会代表选举", "某县出席市第十二次党代会代表选举"]
    child = children[0]
    assert (child.seats, child.higher_nominated_seats, child.quota_rules) == (16, 1, WOMEN)
    assert (child.organisation_id, child.congress_id, child.stage) == (city["orgs"][0].id, congress.id, "plan")
    dues = {d.stage: d.due_date for d in session.scalars(select(StageDue).where(StageDue.election_id == child.id))}
    assert dues == {"plan": date(2027, 2, 8), "ballot": date(2027, 4, 10)}
    assert _audits(session, "levels.child_create", child.id) == 1 and _audits(session, "levels.children") == 1
    with pytest.raises(ServiceError, match="没有需要下发的选举单位"):
        st.create_children(session, city["upper"], congress.id, NOW)


def test_a_change_reaches_two_children_with_audit_on_both_sides(session, city, congress):
    st.save_allocations(session, city["upper"], congress.id, _rows(city, 10, 8), NOW)
    a, b = st.create_children(session, city["upper"], congress.id, NOW)
    before = _audits(session, "levels.child_update")
    st.save_allocations(session, city["upper"], congress.id, _rows(city, 12, 9, higher=2, rules=WOMEN), NOW)
    session.refresh(a), session.refresh(b)
    assert (a.seats, a.higher_nominated_seats, a.quota_rules) == (12, 2, WOMEN)
    assert (b.seats, b.higher_nominated_seats) == (9, 2)
    assert _audits(session, "levels.child_update", a.id) == 1 and _audits(session, "levels.child_update", b.id) == 1
    assert _audits(session, "levels.child_update") == before + 2
    assert _audits(session, "levels.allocations") == 2


def test_a_child_at_confirm_refuses_the_whole_save(session, city, congress):
    st.save_allocations(session, city["upper"], congress.id, _rows(city, 10, 8), NOW)
    a, b = st.create_children(session, city["upper"], congress.id, NOW)
    b.stage = "confirm"
    session.commit()
    with pytest.raises(ServiceError, match="已进入“确定预备人选”阶段.*应选名额"):
        st.save_allocations(session, city["upper"], congress.id, _rows(city, 11, 9), NOW)
    session.refresh(a), session.refresh(b)
    assert (a.seats, b.seats) == (10, 8)  # nothing half-written
    # one stage earlier still takes it; a change that leaves the late child alone is fine too
    st.save_allocations(session, city["upper"], congress.id, _rows(city, 11, 8), NOW)
    session.refresh(a)
    assert a.seats == 11


def test_timeline_change_reaches_the_children(session, city, congress):
    st.save_allocations(session, city["upper"], congress.id, _rows(city, 10), NOW)
    child, = st.create_children(session, city["upper"], congress.id, NOW)
    data = st.CongressInput(title=congress.title, organisation_id=congress.organisation_id, seats=30,
                            age_reference_date=date(2027, 4, 12),
                            timeline={"plan": date(2027, 2, 9), "ballot": date(2027, 4, 12)})
    st.update_congress(session, city["upper"], congress.id, data, NOW)
    session.refresh(child)
    assert {d.stage: d.due_date for d in child.dues}["ballot"] == date(2027, 4, 12)
    assert child.age_reference_date == date(2027, 4, 12)
    with pytest.raises(ServiceError, match="代表名额不能少于11名"):
        st.update_congress(session, city["upper"], congress.id,
                           st.CongressInput(title=congress.title, organisation_id=congress.organisation_id, seats=10),
                           NOW)


def test_the_district_keeps_what_came_from_above(session, city, congress, make_user):
    st.save_allocations(session, city["upper"], congress.id, _rows(city, 10, rules=WOMEN), NOW)
    child, = st.create_children(session, city["upper"], congress.id, NOW)
    office = make_user("office", organisation_id=city["orgs"][0].id)
    session.commit()
    setup = el.setup_of(child)
    setup.seats = 12
    with pytest.raises(ServiceError, match="应选名额由上级组织部门下达"):
        el.update_election(session, office, child.id, setup, NOW)
    setup = el.setup_of(child)
    setup.voters = 200  # the district's own fields stay its own
    el.update_election(session, office, child.id, setup, NOW)
    with pytest.raises(ServiceError, match="由上级组织部门的时间安排下达"):
        el.set_timeline(session, office, child.id, {"ballot": date(2027, 4, 20)}, NOW)
    el.set_timeline(session, office, child.id, {"nominate": date(2027, 3, 1)}, NOW)


def test_link_an_existing_election_of_that_unit_only(session, city, congress, make_election):
    st.save_allocations(session, city["upper"], congress.id, _rows(city, 10, 8), NOW)
    unit_a, unit_b = sorted(congress.units, key=lambda u: u.organisation.code)
    own = make_election(stage="nominate", organisation_id=city["orgs"][0].id, seats=5)
    session.commit()
    with pytest.raises(NotFound):
        st.link_child(session, city["upper"], unit_b.id, own.id, NOW)  # not the 县's election
    child = st.link_child(session, city["upper"], unit_a.id, own.id, NOW)
    assert (child.congress_id, child.seats, child.higher_nominated_seats) == (congress.id, 10, 1)
    assert _audits(session, "levels.child_link", own.id) == 1 and _audits(session, "levels.child_update", own.id) == 1
    with pytest.raises(Conflict):
        st.link_child(session, city["upper"], unit_a.id, own.id, NOW)


def test_scope_and_roles(session, city, congress, make_user):
    other_city = Organisation(code="D01", name="中共另一市委员会", category="党委")
    session.add(other_city)
    session.flush()
    stranger = make_user("upper", organisation_id=other_city.id)
    office = make_user("office", organisation_id=city["orgs"][0].id)
    session.commit()
    with pytest.raises(NotFound):
        st.save_allocations(session, stranger, congress.id, _rows(city, 1), NOW)
    with pytest.raises(PermissionDenied):
        st.save_allocations(session, office, congress.id, _rows(city, 1), NOW)
    with pytest.raises(NotFound):
        st.create_congress(session, stranger, st.CongressInput(title="x", organisation_id=city["city"].id, seats=5),
                           NOW)
    assert session.scalar(select(func.count()).select_from(Election).where(Election.congress_id == congress.id)) == 0


def test_a_congress_change_a_late_child_cannot_take_is_refused_whole(session, city, congress):
    st.save_allocations(session, city["upper"], congress.id, _rows(city, 10, 8), NOW)
    a, b = st.create_children(session, city["upper"], congress.id, NOW)
    b.stage = "ballot"
    session.commit()
    data = st.CongressInput(title=congress.title, organisation_id=congress.organisation_id, seats=30,
                            age_reference_date=date(2027, 5, 1), timeline=dict(plan=date(2027, 2, 8),
                                                                               ballot=date(2027, 4, 10)))
    with pytest.raises(ServiceError, match="某县出席.*“差额选举”阶段.*年龄计算基准日"):
        st.update_congress(session, city["upper"], congress.id, data, NOW)
    session.refresh(a), session.refresh(congress)
    assert a.age_reference_date == date(2027, 4, 10) and congress.age_reference_date == date(2027, 4, 10)
    # a due date alone still reaches every child that has not ended, the late one too
    data.age_reference_date = date(2027, 4, 10)
    data.timeline = {"plan": date(2027, 2, 8), "ballot": date(2027, 4, 11)}
    st.update_congress(session, city["upper"], congress.id, data, NOW)
    session.refresh(b)
    assert {d.stage: d.due_date for d in b.dues}["ballot"] == date(2027, 4, 11)


def test_a_sheet_without_the_header_is_rejected_whole():
    import io

    from openpyxl import Workbook

    from election.core.xlsx import RejectKind, SheetRejected
    from election.levels.readers import parse_allocation_sheet

    wb = Workbook()
    wb.active.append(["单位", "名额"])
    out = io.BytesIO()
    wb.save(out)
    with pytest.raises(SheetRejected) as caught:
        parse_allocation_sheet(out.getvalue())
    assert caught.value.kind is RejectKind.no_header and "名额分配模板" in caught.value.message

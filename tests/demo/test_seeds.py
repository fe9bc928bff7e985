"""The demo data: the docs/rules.md §2 scenario, dated from the day it is loaded so that every page looks like a
live election (the current stage due in a few working days, no lateness of years, ages for the election day, the
current duty year), the organisation directory its units and offices belong to, and a second load that changes
nothing."""
from __future__ import annotations

import csv
from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from election.accounts.models import User
from election.audit.models import AuditEntry
from election.calendar.services import load_calendar
from election.core.clock import to_local
from election.core.roles import Role
from election.dashboard.services import office_dashboard, unit_dashboard
from election.directory.models import DelegateOffice, ElectionUnit, Organisation, Unit
from election.duties.models import ActivityRecord, TermDelegate
from election.elections.facts import reference_date
from election.elections.models import Election, StageChange, StageDue
from election.nominations.models import Nominee
from seeds.dates import DUE_IN_WORKING_DAYS
from seeds.demo import DATA, DEMO_LOGINS, DEMO_PASSWORD, load_demo
from seeds.directory import OFFICES, TOP_CODE, TOP_NAME
from seeds.later_stages import BALLOT_TITLE, VET_TITLE
from workflow.common.idcard import check_id_number

TITLE = "某区出席市第十二次党代会代表选举"
DAY = date(2026, 12, 4)  # a Friday
# a Friday, a Monday, the day before 国庆, the Friday before the 2026 Spring Festival, a week that runs into 2027
DAYS = (DAY, date(2026, 12, 7), date(2026, 9, 30), date(2026, 2, 13), date(2026, 12, 28))


def _counts(session):
    return {m.__name__: session.scalar(select(func.count()).select_from(m))
            for m in (Unit, User, Election, ElectionUnit, Nominee, StageDue, StageChange, Organisation,
                      DelegateOffice, TermDelegate, ActivityRecord, AuditEntry)}


def _election(session) -> Election:
    return session.scalar(select(Election).where(Election.title == TITLE))


def _local_day(at):
    return to_local(at).date()


@pytest.fixture
def demo(session):
    assert load_demo(session, today=DAY) is True
    return session


def test_demo_seed_is_idempotent_the_same_day_and_later(demo):
    first = _counts(demo)
    dues = {d.stage: d.due_date for d in _election(demo).dues}
    assert load_demo(demo, today=DAY) is False
    assert load_demo(demo, today=DAY + timedelta(days=40)) is False
    assert _counts(demo) == first
    assert {d.stage: d.due_date for d in _election(demo).dues} == dues


def test_demo_matches_domain_scenario_with_valid_people_and_logins(demo):
    session = demo
    election = _election(session)
    assert election.seats == 16 and election.voters == 308 and election.stage == "nominate"
    units = session.scalars(select(ElectionUnit).where(ElectionUnit.election_id == election.id)).all()
    assert len(units) == 23 and {u.quota for u in units} == {11} and {u.report_count for u in units} == {17}
    # the district's 15 党工委 and 8 直属党委 (in the directory's words: 党委 directly under the 选举单位); the city's two
    # other 选举单位 have 推荐单位 of their own (seeds/levels_demo.py)
    district = session.scalar(select(Organisation.id).where(Organisation.code == TOP_CODE))
    assert dict(session.execute(select(Unit.kind, func.count()).join(Organisation, Unit.organisation_id == Organisation.id)
                                .where(Organisation.parent_id == district).group_by(Unit.kind)).all()) == \
        {"党工委": 15, "党委": 8}
    statuses = [u.status for u in units]
    assert 0 < statuses.count("submitted") < 23
    assert {"women", "minority", "under50", "frontline", "leaders"} <= {r["code"] for r in election.quota_rules}

    people = session.scalars(select(Nominee)).all()
    assert len(people) > 100 and {p.gender for p in people} == {"男", "女"} and len({p.ethnicity for p in people}) > 1
    for p in people:
        assert check_id_number(p.id_number, DAY) == []
        assert p.id_number[6:14] == p.birth_date.strftime("%Y%m%d")
        assert (int(p.id_number[16]) % 2 == 1) == (p.gender == "男")
    assert len({p.id_number for p in people}) == len(people)

    roles = set()
    for username, _label, password in DEMO_LOGINS:
        user = session.scalar(select(User).where(User.username == username))
        assert user.check_password(password) and password == DEMO_PASSWORD
        roles.add(user.role)
    assert roles == {r.value for r in Role}


@pytest.mark.parametrize("day", DAYS, ids=[d.isoformat() for d in DAYS])
def test_demo_looks_live_on_the_day_it_is_loaded(session, day):
    load_demo(session, today=day)
    election = _election(session)
    dues = {d.stage: d.due_date for d in election.dues}
    assert len(dues) == 9 and all(abs((due - day).days) < 120 for due in dues.values())  # no date years off
    assert list(dues.values()) == sorted(dues.values())
    calendar = load_calendar(session)

    office = session.scalar(select(User).where(User.username == "office"))  # the district's part of the directory
    board = office_dashboard(session, day, _local_day, user=office)
    (panel,) = board.panels
    assert panel.title == TITLE and panel.stage.value == "nominate"
    # the office's home opens on the newest election, the 推荐提名 one; the two later ones run beside it (the 考察
    # one only when the calendar knows the year its 公示 runs into: not on 2026-12-28)
    stages = {row.title: row.stage for row in board.running}
    assert stages[TITLE] == "nominate" and stages[BALLOT_TITLE] == "ballot" and stages.get(VET_TITLE, "vet") == "vet"
    assert len(stages) == 3 or (len(stages) == 2 and day.year < (day + timedelta(days=20)).year)
    deadline = panel.deadline
    assert not deadline.overdue and 0 < deadline.days_left <= 14 and "逾期" not in deadline.message
    if deadline.missing_year is None:
        assert deadline.working_days_left == DUE_IN_WORKING_DAYS
    assert not any(item.overdue for item in panel.open_items)
    assert any(item.kind == "units_late" for item in panel.open_items)  # a few units still to hand in
    assert 0 < panel.units.submitted < panel.units.total
    # the stages behind: on time but one, a day or two late; each due date on a working day
    late = [r.late_days for r in panel.timeline if r.finished_on is not None]
    assert late and all(n <= 2 for n in late) and sum(1 for n in late if n) == 1
    assert all(calendar.is_working_day(due) if calendar.has_year(due.year) else due.weekday() < 5
               for due in dues.values())
    history = session.scalars(select(StageChange).where(StageChange.election_id == election.id)
                              .order_by(StageChange.at)).all()
    assert [(c.from_stage, c.to_stage) for c in history] == [("", "plan"), ("plan", "deploy"), ("deploy", "nominate")]
    submitted = [eu.submitted_at for eu in election.units if eu.status == "submitted"]
    assert all(history[-1].at <= at and _local_day(at) < day for at in submitted)

    unit = session.scalar(select(Unit).where(Unit.code == "GW03"))
    mine = unit_dashboard(session, unit.id, day)
    assert mine.deadline is not None and not mine.deadline.overdue

    # the 年龄计算基准日 follows the election day (the 差额选举 due date), and the people are aged for it
    assert election.age_reference_date is None
    ref = reference_date(election, day)
    assert ref == dues["ballot"] and day < ref
    for p in session.scalars(select(Nominee).where(Nominee.election_id == election.id)):
        age = ref.year - p.birth_date.year - ((ref.month, ref.day) < (p.birth_date.month, p.birth_date.day))
        assert 27 <= age <= 59, (p.name, p.birth_date, ref)

    # the duty year is the current one: the term holds the day, the activities are this year's up to the day
    terms = set(session.execute(select(TermDelegate.term_start, TermDelegate.term_end)).all())
    assert len(terms) == 1 and next(iter(terms))[0] <= day <= next(iter(terms))[1]
    first, last = session.execute(select(func.min(ActivityRecord.on), func.max(ActivityRecord.on))).one()
    assert date(day.year, 1, 1) <= first and last <= day and (day - last).days < 30


def test_demo_directory_links_the_units_and_offices(demo):
    session = demo
    orgs = {o.code: o for o in session.scalars(select(Organisation))}
    top = orgs[TOP_CODE]
    assert top.parent_id == orgs["SW"].id and top.name == TOP_NAME  # the city above it (seeds/levels_demo.py)
    with (DATA / "units.csv").open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    units = {u.code: u for u in session.scalars(select(Unit).join(Organisation, Unit.organisation_id == Organisation.id)
                                                .where(Organisation.parent_id == top.id))}
    assert len(units) == len(rows) == 23  # linked, not duplicated
    for row in rows:
        org, unit = orgs[row["code"]], units[row["code"]]
        assert unit.organisation_id == org.id and org.parent_id == top.id and org.name == unit.name == row["name"]
        assert (org.grassroots_orgs, org.members) == (int(row["grassroots_orgs"]), int(row["members"]))
        assert (unit.grassroots_orgs, unit.members) == (org.grassroots_orgs, org.members)
    assert top.members == sum(int(r["members"]) for r in rows)
    grassroots = [o for o in orgs.values() if o.category in ("党总支", "党支部")]
    by_id = {o.id: o for o in orgs.values()}
    assert len(grassroots) >= 5 and all(by_id[o.parent_id].parent_id == top.id for o in grassroots)
    offices = {o.name: o for o in session.scalars(select(DelegateOffice))}
    assert set(offices) == {name for name, *_ in OFFICES}
    for name, _level, _address, code, parent in OFFICES:
        assert offices[name].organisation_id == orgs[code].id and orgs[code].parent_id == orgs[parent].id
        assert orgs[code].category == "党代表工作室"
    studio = session.scalar(select(User).where(User.username == "studio"))
    assert studio.office_id == offices[OFFICES[0][0]].id
    assert session.scalar(select(func.count()).select_from(TermDelegate).where(TermDelegate.office_id.is_(None))) == 0

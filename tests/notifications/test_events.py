"""Reminders of events, written by the event's own use case: exactly one for exactly the people who must act,
none for anybody else, and none more when the event is repeated."""
from __future__ import annotations

from datetime import date, datetime

import pytest
from sqlalchemy import func, select

from election.core.exceptions import ServiceError
from election.directory.models import DelegateOffice, ElectionUnit
from election.duties import services as duty_svc
from election.duties.models import ActivityRecord, TermDelegate
from election.elections.models import StageDue
from election.elections.services import MEETING_RULES
from election.nominations.models import Nominee
from election.notifications.events import notify
from election.notifications.models import Notification
from election.vetting import services as vet_svc
from election.voting import services as vote_svc
from workflow.common.idcard import make_id

NOW = datetime(2026, 3, 2, 1, 0)


def _notes(session, **kw) -> list[Notification]:
    q = select(Notification).order_by(Notification.id)
    for k, v in kw.items():
        q = q.where(getattr(Notification, k) == v)
    return list(session.scalars(q))


def _total(session) -> int:
    return session.scalar(select(func.count()).select_from(Notification))


def _person(session, election, name: str, i: int, step: str) -> Nominee:
    eu = session.scalar(select(ElectionUnit).where(ElectionUnit.election_id == election.id))
    birth = date(1975, 3, 1 + i)
    n = Nominee(election_id=election.id, election_unit_id=eu.id, position=i, name=name, gender="女" if i % 2 else "男",
                ethnicity="汉族", id_number=make_id("110105", birth, i, i % 2 == 0), birth_date=birth,
                native_place="北京", education="大学", party_join_date=date(1995, 7, 1), work_start_date=date(1992, 7, 1),
                workplace_title=f"某单位{i}职务", category="其他一线", step=step)
    session.add(n)
    session.flush()
    return n


def test_notify_skips_users_who_have_the_key_and_nobody(session, make_user):
    a, b = make_user("office"), make_user("office")
    assert notify(session, [a.id, None], "test", "消息", "/", dedup_key="k", now=NOW) == 1
    assert notify(session, [a.id, b.id, b.id], "test", "消息", "/", dedup_key="k", now=NOW) == 1
    assert notify(session, [], "test", "消息", "/", dedup_key="k", now=NOW) == 0
    assert {n.user_id for n in _notes(session, dedup_key="k")} == {a.id, b.id}


# --- 考察对象 assigned ------------------------------------------------------------------------------------
def test_assigning_a_person_reminds_that_inspector_only_with_the_stage_deadline(session, make_election, make_user):
    election = make_election(stage="vet", units=1)
    session.add(StageDue(election_id=election.id, stage="vet", due_date=date(2026, 3, 10)))
    wang, li = _person(session, election, "王芳", 0, "shortlisted"), _person(session, election, "李娜", 1, "shortlisted")
    office = make_user("office")
    inspector, colleague = make_user("inspector"), make_user("inspector")
    session.commit()
    before = _total(session)
    vet_svc.assign_inspector(session, office, wang.id, inspector.id, NOW)
    notes = _notes(session, kind="inspector_assigned")
    assert [n.user_id for n in notes] == [inspector.id] and _total(session) == before + 1
    note = notes[0]
    assert "王芳" in note.message and "2026年3月10日" in note.message and election.title in note.message
    assert note.link == f"/vetting/people/{wang.id}" and note.election_id == election.id
    # the same person again (after an un-assignment) does not remind twice; another person does
    vet_svc.assign_inspector(session, office, wang.id, inspector.id, NOW, remove=True)
    vet_svc.assign_inspector(session, office, wang.id, inspector.id, NOW)
    assert len(_notes(session, kind="inspector_assigned")) == 1
    vet_svc.assign_inspector(session, office, li.id, colleague.id, NOW)
    assert [n.user_id for n in _notes(session, kind="inspector_assigned")] == [inspector.id, colleague.id]
    assert not _notes(session, user_id=office.id)


def test_a_refused_assignment_leaves_no_reminder(session, make_election, make_user):
    election = make_election(stage="nominate", units=1)  # not a vetting stage
    wang = _person(session, election, "王芳", 0, "shortlisted")
    office, inspector = make_user("office"), make_user("inspector")
    session.commit()
    with pytest.raises(ServiceError):
        vet_svc.assign_inspector(session, office, wang.id, inspector.id, NOW)
    assert _notes(session, kind="inspector_assigned") == []


def test_a_complaint_given_to_someone_reminds_that_person_with_the_notice_end(session, make_election, make_user):
    from election.vetting.models import Complaint, Notice

    election = make_election(stage="vet", units=1)
    wang = _person(session, election, "王芳", 0, "shortlisted")
    notice = Notice(election_id=election.id, kind="first", election_unit_id=wang.election_unit_id, title="公示",
                    posted_on=date(2026, 3, 2), period_end=date(2026, 3, 6), office_name="区委组织部",
                    office_phone="0000-1", office_address="某区", office_mailbox="意见箱")
    session.add(notice)
    session.flush()
    complaint = Complaint(notice_id=notice.id, nominee_id=wang.id, channel="letter", received_on=date(2026, 3, 3),
                          content="反映其违规兼职", real_name=True)
    session.add(complaint)
    office, checker, bystander = make_user("office"), make_user("discipline"), make_user("discipline")
    session.commit()
    vet_svc.assign_complaint(session, office, complaint.id, checker.id, NOW)
    vet_svc.assign_complaint(session, office, complaint.id, checker.id, NOW)  # again: no second reminder
    notes = _notes(session, kind="complaint_assigned")
    assert [n.user_id for n in notes] == [checker.id]
    assert "王芳" in notes[0].message and "2026年3月6日" in notes[0].message
    assert notes[0].link == f"/vetting/complaints/{complaint.id}"
    assert not _notes(session, user_id=bystander.id) and not _notes(session, user_id=office.id)


# --- a voting round opened -------------------------------------------------------------------------------
@pytest.fixture
def ballot(session, make_election):
    def make():
        election = make_election(stage="ballot", units=1, seats=2, preset="地方组织", voters=10,
                                 settings={"meeting_rules": MEETING_RULES["地方组织"],
                                           "margins": {"final_ballot": "1/5"}})
        for i, name in enumerate(["王芳", "李娜", "张伟"]):
            _person(session, election, name, i, "confirmed")
        return election

    return make


def _open(session, office, election, present=10, collected=None):
    collected = present if collected is None else collected
    return vote_svc.open_round(session, office, election.id, vote_svc.RoundInput(10, present, collected, collected),
                               NOW)


def test_opening_a_round_reminds_every_active_teller_once(session, ballot, make_user):
    election = ballot()
    office = make_user("office")
    t1, t2 = make_user("teller"), make_user("teller")
    retired = make_user("teller", active=False)
    inspector = make_user("inspector")
    session.commit()
    rnd = _open(session, office, election)
    notes = _notes(session, kind="round_opened")
    assert sorted(n.user_id for n in notes) == sorted([t1.id, t2.id])
    assert all("第1轮" in n.message and n.link == f"/voting/rounds/{rnd.id}" for n in notes)
    assert not _notes(session, user_id=retired.id) and not _notes(session, user_id=inspector.id)
    assert not _notes(session, user_id=office.id)


def test_a_round_closed_at_once_as_void_asks_nobody_to_count(session, ballot, make_user):
    election = ballot()
    office = make_user("office")
    make_user("teller")
    session.commit()
    rnd = _open(session, office, election, present=5)  # no quorum (5 of 10 is not more than half)
    assert rnd.status == "closed"
    assert _notes(session, kind="round_opened") == []


def test_each_round_reminds_of_its_own_round(session, ballot, make_user):
    first, second = ballot(), ballot()
    office, teller = make_user("office"), make_user("teller")
    session.commit()
    r1 = _open(session, office, first)
    r2 = _open(session, office, second)
    links = sorted(n.link for n in _notes(session, user_id=teller.id))
    assert links == sorted([f"/voting/rounds/{r1.id}", f"/voting/rounds/{r2.id}"])
    assert {n.election_id for n in _notes(session, user_id=teller.id)} == {first.id, second.id}


# --- an activity returned ----------------------------------------------------------------------------------
def test_returning_an_activity_reminds_that_delegate_only(session, make_user):
    office = DelegateOffice(name="测试工作室乙", level="街道")
    session.add(office)
    session.flush()
    staff = make_user("studio", office_id=office.id)
    me, other = make_user("delegate"), make_user("delegate")
    delegates = []
    for name, user in (("王芳", me), ("李娜", other)):
        d = TermDelegate(name=name, gender="女", level="区", congress="区第十二次党代会", term_start=date(2022, 1, 1),
                         term_end=date(2026, 12, 31), electing_unit="测试党工委", office_id=office.id, user_id=user.id)
        session.add(d)
        session.flush()
        delegates.append(d)
    recs = [ActivityRecord(delegate_id=d.id, type_code="duty_reception", on=date(2026, 2, 27), description="接待群众",
                           status="pending", created_by_id=staff.id, created_at=NOW) for d in delegates]
    session.add_all(recs)
    session.commit()
    duty_svc.review_activity(session, staff, recs[0].id, False, "缺少接待记录照片", NOW)
    duty_svc.review_activity(session, staff, recs[1].id, True, "", NOW)
    notes = _notes(session, kind="activity_returned")
    assert [n.user_id for n in notes] == [me.id]
    assert "2026年2月27日" in notes[0].message and "缺少接待记录照片" in notes[0].message
    assert "接待群众" in notes[0].message and notes[0].link == "/duties/me"
    assert not _notes(session, user_id=staff.id) and not _notes(session, user_id=other.id)


# --- a petition step overdue (the daily duty run) ----------------------------------------------------------------
def test_an_overdue_petition_step_reminds_its_office_staff_only(session, make_user):
    from election.duties.jobs import run_duty_reminders

    mine, theirs = DelegateOffice(name="测试工作室丙", level="街道"), DelegateOffice(name="测试工作室丁", level="街道")
    session.add_all([mine, theirs])
    session.flush()
    staff, other_staff = make_user("studio", office_id=mine.id), make_user("studio", office_id=theirs.id)
    session.commit()
    p = duty_svc.register_petition(session, staff, duty_svc.PetitionInput("居民乙", "噪音扰民"), datetime(2026, 11, 1, 2))
    for _ in range(2):  # a second run the same day adds nothing
        run_duty_reminders(session, date(2026, 11, 5), NOW)
    notes = _notes(session, kind="petition_overdue")
    assert [n.user_id for n in notes] == [staff.id]
    assert "居民乙" in notes[0].message and "2026年11月4日" in notes[0].message
    assert notes[0].link == f"/duties/petitions/{p.id}"
    assert not _notes(session, user_id=other_staff.id)

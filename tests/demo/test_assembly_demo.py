"""The demo of the congress in session (seeds/assembly_demo.py): last year's 第四次会议 held with its quorum, count and
follow-up, the 列席 and 询问/质询 between sessions, this year's 第五次会议 being prepared — dated from the day it is
loaded, loaded once, and reached by the district's 选举办 only."""
from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from election.accounts.models import User
from election.assembly.models import (
    AgendaItem,
    Appraisal,
    AppraisalEntry,
    AssemblySession,
    Attendance,
    FollowUp,
    GroupMember,
    Inquiry,
    Resolution,
    SessionGroup,
    SessionGuest,
    SitInInvitee,
    SitInMeeting,
)
from election.assembly.permissions import sessions_in_scope
from election.assembly.services.proposals import is_overdue as is_proposal_overdue
from election.audit.models import AuditEntry
from election.duties.models import Proposal, TermDelegate
from seeds.assembly_demo import CONGRESS, load_assembly_demo, session_dates
from seeds.demo import DEMO_PASSWORD, load_demo
from workflow.assembly import quorum
from workflow.assembly.appraisal import figures_from_json, results, rules_from_settings
from workflow.assembly.followup import Item, is_overdue

DAY = date(2026, 12, 4)
TABLES = (AssemblySession, AgendaItem, SessionGuest, Attendance, SessionGroup, GroupMember, Appraisal, AppraisalEntry,
          Resolution, FollowUp, SitInInvitee, Inquiry, Proposal, AuditEntry)


@pytest.fixture
def demo(session):
    assert load_demo(session, today=DAY) is True
    return session


def _meeting(session, no: int) -> AssemblySession:
    return session.scalar(select(AssemblySession).where(AssemblySession.congress == CONGRESS,
                                                        AssemblySession.meeting_no == no))


def _counts(session) -> dict[str, int]:
    return {t.__name__: session.scalar(select(func.count()).select_from(t)) for t in TABLES}


def test_loaded_twice_changes_nothing(demo):
    first = _counts(demo)
    assert first["AssemblySession"] == 2
    assert load_assembly_demo(demo, today=DAY) is False
    assert load_demo(demo, today=DAY + timedelta(days=30)) is False
    assert _counts(demo) == first


@pytest.mark.parametrize("day", [DAY, date(2026, 1, 20), date(2026, 12, 28), date(2028, 2, 29)])
def test_the_dates_follow_the_day(day):
    last, this = session_dates(day)
    assert this == day + timedelta(days=12)
    assert last.year == day.year - 1 and (this - last).days >= 360



@pytest.mark.parametrize("day", [date(2026, 2, 13), date(2026, 12, 28)])
def test_loaded_on_other_days_the_dates_hold_together(session, day):
    assert load_demo(session, today=day) is True
    last, this = _meeting(session, 4), _meeting(session, 5)
    assert last.closes_on < session.scalar(select(func.min(SitInMeeting.held_on))) < day < this.opens_on
    assert last.proposals_open_on <= last.proposals_close_on <= last.closes_on
    assert this.proposals_open_on <= day <= this.proposals_close_on
    for f in session.scalars(select(FollowUp)):
        assert f.done_on is None or f.done_on <= day
    for i in session.scalars(select(Inquiry)):
        assert date(day.year, 1, 1) <= i.submitted_on <= day and (i.replied_on is None or i.replied_on <= day)
    for p in session.scalars(select(Proposal).where(Proposal.session_id == last.id)):
        assert p.replied_on is None or p.replied_on <= day

def test_last_years_session_was_held_with_its_quorum(demo):
    m = _meeting(demo, 4)
    roll = demo.scalars(select(TermDelegate.status).where(TermDelegate.congress == CONGRESS)).all()
    rule = quorum.PRESETS[m.quorum_preset]
    assert m.status == "held" and m.opens_on.year == DAY.year - 1 and m.organisation.code == "QW"
    assert (m.roll_count, m.present_count) == (quorum.roll_count(roll), 36) == (40, 36)
    attendance = demo.scalars(select(Attendance).where(Attendance.session_id == m.id)).all()
    assert sorted(a.status for a in attendance) == ["leave"] * 3 + ["present"] * 36  # and one absent, not listed
    assert all(a.reason for a in attendance if a.status == "leave")
    check = quorum.check_quorum(m.roll_count, m.present_count, rule)
    assert check.met and check.needed == 32
    assert [a.kind for a in m.agenda] == ["report", "report", "proposals", "appraisal"] and len(m.guests) == 2
    groups = demo.scalars(select(SessionGroup).where(SessionGroup.session_id == m.id)).all()
    assert sorted(g.name for g in groups) == [f"第{n}代表小组" for n in range(1, 5)]
    assert all(g.minutes for g in groups) and sum(len(g.members) for g in groups) == 40


def test_last_years_proposals_and_their_review(demo):
    m = _meeting(demo, 4)
    proposals = demo.scalars(select(Proposal).where(Proposal.session_id == m.id)).all()
    assert sorted(p.filing for p in proposals) == ["filed"] * 4 + ["not_filed", "suggestion"]
    assert all(m.proposals_open_on <= p.submitted_on <= m.proposals_close_on for p in proposals)
    replied = [p for p in proposals if p.filing in ("filed", "suggestion")]  # 转为建议 is answered too
    assert all(p.handling_unit and p.replied_on and p.replied_on <= p.reply_due_on for p in replied)
    assert sum(p.assessment is not None for p in replied) == 2
    assert not any(is_proposal_overdue(p, DAY) for p in proposals)
    assert all(p.filing_reason for p in proposals if p.filing != "filed")


def test_the_published_appraisal_flags_no_one(demo):
    m = _meeting(demo, 4)
    a = demo.scalar(select(Appraisal).where(Appraisal.session_id == m.id))
    assert a.status == "published" and a.kind == "rating" and a.ballots_issued == a.ballots_collected == 36
    first, second = a.entries
    assert (first.teller.username, second.teller.username) == ("teller", "teller2")
    assert first.figures == second.figures == a.confirmed
    rules = rules_from_settings(a.kind, a.grades, a.settings)
    keys = [str(o.id) for o in a.objects]
    figures = figures_from_json(a.confirmed)
    assert figures.invalid == 1
    out = {o.name: r for o, r in zip(a.objects, results(rules, keys, figures, a.ballots_collected), strict=True)}
    assert [o.name for o in a.objects] == ["区委领导班子", "区纪委领导班子", "张建民", "刘卫东", "陈志刚"]
    assert not any(r.flagged for r in out.values())
    weakest = out["陈志刚"]  # 差 11 of 35 valid: just under one third
    assert weakest.valid == 35 and weakest.poor_share < rules.poor_threshold
    assert weakest.poor_share > rules.poor_threshold - weakest.poor_share / 10
    assert out["区纪委领导班子"].blank == 1


def test_resolutions_and_follow_up(demo):
    m = _meeting(demo, 4)
    resolutions = demo.scalars(select(Resolution).where(Resolution.session_id == m.id)).all()
    assert sorted(bool(r.implementation) for r in resolutions) == [False, True]
    follow = demo.scalars(select(FollowUp).where(FollowUp.session_id == m.id)).all()
    assert sorted(f.status for f in follow) == ["done", "done", "in_progress", "open"]
    late = [f for f in follow if is_overdue(Item(f.problem, f.owner, f.due_on, f.status, f.done_on), DAY)]
    assert [f.status for f in late] == ["open"]


def test_between_sessions(demo):
    invitees = demo.scalars(select(SitInInvitee)).all()
    assert sorted(i.attended for i in invitees) == [False, True, True, True, True]
    assert all(i.activity_id is None for i in invitees)  # 盐田 scores no 列席
    inquiries = demo.scalars(select(Inquiry).order_by(Inquiry.id)).all()
    assert [(i.kind, i.replied_on is not None) for i in inquiries] == [("inquiry", True), ("interpellation", False)]
    assert inquiries[1].due_on > DAY
    assert all(i.activity_id for i in inquiries)  # 盐田 scores 询问质询: each credits the delegate's activity


def test_this_years_session_is_being_prepared(demo):
    m = _meeting(demo, 5)
    assert m.status == "preparing" and m.notified_at is None and m.opens_on == DAY + timedelta(days=12)
    assert m.opens_on - timedelta(days=m.notice_days) == DAY + timedelta(days=5)
    assert m.proposals_open_on <= DAY <= m.proposals_close_on < m.opens_on
    assert len(m.agenda) == 5 and any(i.kind == "followup" for i in m.agenda) and len(m.guests) == 1
    proposals = demo.scalars(select(Proposal).where(Proposal.session_id == m.id)).all()
    assert [p.filing for p in proposals] == ["pending"] * 3
    assert "孙丽华" in {p.lead.name for p in proposals}
    draft = demo.scalar(select(Appraisal).where(Appraisal.session_id == m.id))
    assert draft.status == "draft" and len(draft.objects) == 5 and not draft.entries


def test_the_district_office_reaches_the_sessions_and_another_district_does_not(demo):
    def reached(username: str) -> set[int]:
        user = demo.scalar(select(User).where(User.username == username))
        return {s.meeting_no for s in demo.scalars(sessions_in_scope(select(AssemblySession), user, demo))}

    assert reached("office") == {4, 5}
    assert reached("delegate") == {4, 5}
    assert reached("office2") == set()


def test_the_help_menu_lists_the_manual_chapter(client):
    index = client.get("/help/").get_data(as_text=True)
    assert "/help/10-assembly" in index and "党代会年会" in index
    chapter = client.get("/help/10-assembly")
    assert chapter.status_code == 200 and "五分之四" in chapter.get_data(as_text=True)


def _login(client, username: str) -> None:
    client.post("/logout")
    response = client.post("/login", data={"username": username, "password": DEMO_PASSWORD})
    assert response.status_code == 302, username


def test_the_pages_show_the_demo_to_the_district_office_only(client, demo):
    last, this = _meeting(demo, 4), _meeting(demo, 5)
    appraisal = demo.scalar(select(Appraisal).where(Appraisal.session_id == last.id))
    sitin = demo.scalar(select(SitInMeeting))
    inquiry = demo.scalar(select(Inquiry).order_by(Inquiry.id))
    _login(client, "office")
    listed = client.get("/assembly/").get_data(as_text=True)
    assert last.title in listed and this.title in listed
    pages = [f"/assembly/sessions/{m.id}{tail}" for m in (last, this)
             for tail in ("", "/attendance", "/groups", "/proposals", "/appraisals", "/resolutions")]
    pages += [f"/assembly/appraisals/{appraisal.id}", "/assembly/followups", "/assembly/sitins",
              f"/assembly/sitins/{sitin.id}", "/assembly/inquiries", f"/assembly/inquiries/{inquiry.id}"]
    for url in pages:
        assert client.get(url).status_code == 200, url
    held = client.get(f"/assembly/sessions/{last.id}/attendance").get_data(as_text=True)
    assert "36" in held and "40" in held
    _login(client, "delegate")  # 孙丽华 reads her congress's sessions and the published 测评
    assert this.title in client.get("/assembly/").get_data(as_text=True)
    desk = client.get("/", follow_redirects=True).get_data(as_text=True)  # her 工作台: the session being prepared
    assert this.title in desk and "正在征集提案" in desk
    assert client.get(f"/assembly/appraisals/{appraisal.id}").status_code == 200
    _login(client, "office2")
    assert last.title not in client.get("/assembly/").get_data(as_text=True)
    for url in pages[:1] + pages[6:7] + [f"/assembly/appraisals/{appraisal.id}", f"/assembly/sitins/{sitin.id}"]:
        assert client.get(url).status_code == 404, url

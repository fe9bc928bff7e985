"""提案 at a session (docs/rules.md §7): the submission window at its edges, the session named in the body in the
caller's reach, the 立案 review's transitions and required fields, no reply to one not filed, the overdue boundary
and the managers' daily reminder."""
from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from sqlalchemy import func, select

from election.assembly.services import proposals as svc
from election.assembly.services import proposals_queries as q
from election.audit.models import AuditEntry
from election.core.exceptions import Conflict, NotFound, PermissionDenied, ServiceError
from election.duties.models import ActivityRecord, Proposal, TermDelegate
from election.duties.services.proposals import ProposalInput, assess_proposal, reply_proposal
from tests.assembly.conftest import DAY

OPEN, CLOSE = DAY + timedelta(days=2), DAY + timedelta(days=10)


def at(day: date) -> datetime:
    """A UTC moment that is 10:00 on DAY in local time (UTC+8)."""
    return datetime(day.year, day.month, day.day, 2, 0)


def data(world, day: date, **kw) -> ProposalInput:
    kw.setdefault("lead_delegate_id", world.delegates[0].id)
    return ProposalInput(title=kw.pop("title", "关于加装电梯的提案"), grounds="居民上下楼难", solution="分批加装",
                         submitted_on=day, **kw)


def windowed(session, world):
    world.session.proposals_open_on, world.session.proposals_close_on = OPEN, CLOSE
    session.commit()
    return world.session


def submit(session, world, day: date, actor=None, **kw) -> Proposal:
    return svc.submit_proposal(session, actor or world.office, world.session.id, data(world, day, **kw), at(day))


# ------------------------------------------------------------------------------------------------ the window
def test_window_first_and_last_days_included_the_day_after_refused(session, assembly_world):
    w = assembly_world
    windowed(session, w)
    first = submit(session, w, OPEN, cosigner_ids=(w.delegates[1].id,))
    last = submit(session, w, CLOSE, title="末日提案")
    assert (first.session_id, first.filing) == (w.session.id, "pending")
    assert last.filing == "pending"
    for day in (OPEN - timedelta(days=1), CLOSE + timedelta(days=1)):
        with pytest.raises(ServiceError, match="征集期为2026年12月3日至2026年12月11日"):
            submit(session, w, day, title="窗口外")
    assert session.scalar(select(func.count()).select_from(Proposal).where(Proposal.session_id == w.session.id)) == 2
    # points as between sessions: the lead and the co-signer each get their record
    assert {r.role for r in session.scalars(select(ActivityRecord).where(ActivityRecord.proposal_id == first.id))} \
        == {"lead", "co_signer"}


def test_no_window_takes_proposals_until_the_session_is_held(session, assembly_world):
    w = assembly_world
    assert submit(session, w, DAY).filing == "pending"
    s = w.session
    s.status, s.held_at, s.roll_count, s.present_count = "held", at(DAY), 12, 11
    session.commit()
    with pytest.raises(ServiceError, match="已召开，不再接收提案"):
        submit(session, w, DAY, title="会后")


def test_held_session_refuses_even_inside_its_window(session, assembly_world):
    w = assembly_world
    s = windowed(session, w)
    s.status, s.held_at, s.roll_count, s.present_count = "held", at(OPEN), 12, 11
    session.commit()
    with pytest.raises(ServiceError, match="已召开"):
        submit(session, w, OPEN)


def test_body_session_out_of_reach_answers_like_a_missing_one(session, assembly_world, make_user):
    w = assembly_world
    with pytest.raises(NotFound) as other:
        submit(session, w, DAY, actor=w.other_office)
    with pytest.raises(NotFound) as missing:
        svc.submit_proposal(session, w.office, 987_654, data(w, DAY), at(DAY))
    assert other.value.message == missing.value.message
    # a 代表 of another congress reaches no session of this one
    stranger_user = make_user("delegate")
    session.add(TermDelegate(name="外届代表", gender="男", congress="另一届党代会", level="区", user_id=stranger_user.id,
                             term_start=DAY - timedelta(days=10), term_end=DAY + timedelta(days=100)))
    session.commit()
    stranger = session.scalar(select(TermDelegate).where(TermDelegate.user_id == stranger_user.id))
    with pytest.raises(NotFound):
        svc.submit_proposal(session, stranger_user, w.session.id, data(w, DAY, lead_delegate_id=stranger.id), at(DAY))


def test_lead_and_cosigners_must_be_on_the_sessions_roll(session, assembly_world):
    w = assembly_world
    session.add(TermDelegate(name="外届代表", gender="男", congress="另一届党代会", level="区",
                             term_start=DAY - timedelta(days=10), term_end=DAY + timedelta(days=100)))
    session.commit()
    outsider = session.scalar(select(TermDelegate).where(TermDelegate.name == "外届代表"))
    with pytest.raises(ServiceError, match="外届代表不是.*的代表"):
        submit(session, w, DAY, cosigner_ids=(outsider.id,))
    with pytest.raises(ServiceError, match="不在任"):
        submit(session, w, DAY, cosigner_ids=(w.suspended.id,))


def test_a_delegate_submits_his_own_not_anothers(session, assembly_world):
    w = assembly_world
    p = submit(session, w, DAY, actor=w.delegate_user)
    assert p.lead_delegate_id == w.delegates[0].id
    with pytest.raises(NotFound):
        submit(session, w, DAY, actor=w.delegate_user, lead_delegate_id=w.delegates[1].id)


# ------------------------------------------------------------------------------------------------ the review
def review(session, world, p, decision, day=DAY, actor=None, **kw):
    return svc.review_proposal(session, actor or world.office, world.session.id,
                               svc.ReviewInput(p.id, decision, **kw), at(day))


@pytest.fixture
def pending(session, assembly_world) -> Proposal:
    p = submit(session, assembly_world, DAY)
    return p


def test_filing_needs_unit_and_deadline_not_before_today(session, assembly_world, pending):
    w = assembly_world
    with pytest.raises(ServiceError, match="立案须填写承办单位；立案须填写答复期限"):
        review(session, w, pending, "filed")
    with pytest.raises(ServiceError, match="答复期限不能早于今天（2026年12月1日）"):
        review(session, w, pending, "filed", handling_unit="区住建局", reply_due_on=DAY - timedelta(days=1))
    p = review(session, w, pending, "filed", handling_unit="区住建局", reply_due_on=DAY)  # today itself: allowed
    assert (p.filing, p.handling_unit, p.reply_due_on, p.filed_by_id) == ("filed", "区住建局", DAY, w.office.id)
    entry = session.scalar(select(AuditEntry).where(AuditEntry.action == "assembly.proposal.review"))
    assert "立案" in entry.summary and "区住建局" in entry.summary


def test_not_filed_and_suggestion_need_their_reasons(session, assembly_world, pending):
    w = assembly_world
    with pytest.raises(ServiceError, match="不立案须填写理由"):
        review(session, w, pending, "not_filed")
    with pytest.raises(ServiceError, match="转为建议须填写承办单位.*转为建议须填写理由"):
        review(session, w, pending, "suggestion", reply_due_on=DAY + timedelta(days=30))
    with pytest.raises(ServiceError, match="请选择审查结果"):
        review(session, w, pending, "approved")
    p = review(session, w, pending, "suggestion", handling_unit="区民政局", reply_due_on=DAY + timedelta(days=30),
               reason="属于工作建议")
    assert (p.filing, p.filing_reason, p.handling_unit) == ("suggestion", "属于工作建议", "区民政局")


def test_only_managers_in_reach_review(session, assembly_world, pending):
    w = assembly_world
    kw = {"handling_unit": "区住建局", "reply_due_on": DAY + timedelta(days=30)}
    for actor in (w.teller, w.delegate_user):
        with pytest.raises(PermissionDenied):
            review(session, w, pending, "filed", actor=actor, **kw)
    with pytest.raises(NotFound):
        review(session, w, pending, "filed", actor=w.other_office, **kw)
    between = Proposal(lead_delegate_id=w.delegates[1].id, title="闭会期间", grounds="g", solution="s", submitted_on=DAY)
    session.add(between)
    session.commit()
    with pytest.raises(NotFound, match="本次会议没有该提案"):
        review(session, w, between, "filed", **kw)


def test_rereview_until_replied_and_a_stale_view_conflicts(session, assembly_world, pending):
    w = assembly_world
    review(session, w, pending, "not_filed", reason="不属于党委职责")
    with pytest.raises(Conflict, match="已由他人改为“不立案”"):  # decided from a page still showing 待审查
        review(session, w, pending, "filed", handling_unit="区住建局", reply_due_on=DAY + timedelta(days=30))
    p = review(session, w, pending, "filed", handling_unit="区住建局", reply_due_on=DAY + timedelta(days=30),
               expected="not_filed")
    assert p.filing == "filed" and p.filing_reason == ""
    reply_proposal(session, w.office, p.id, "区住建局", "已列入明年计划", DAY + timedelta(days=5), at(DAY))
    with pytest.raises(Conflict, match="已经答复"):
        review(session, w, p, "not_filed", reason="改主意", expected="filed")
    assert session.scalar(select(func.count()).select_from(AuditEntry)
                          .where(AuditEntry.action == "assembly.proposal.review")) == 2


# ------------------------------------------------------------------------------------------------ reply, assessment
def test_no_reply_before_filing_nor_to_one_not_filed(session, assembly_world, pending):
    w = assembly_world
    with pytest.raises(ServiceError, match="尚未立案审查"):
        reply_proposal(session, w.office, pending.id, "区住建局", "答复", DAY, at(DAY))
    review(session, w, pending, "not_filed", reason="不属于党委职责")
    with pytest.raises(ServiceError, match="不予立案，不登记"):
        reply_proposal(session, w.office, pending.id, "区住建局", "答复", DAY, at(DAY))
    with pytest.raises(NotFound):  # another district's 选举办
        reply_proposal(session, w.other_office, pending.id, "区住建局", "答复", DAY, at(DAY))


def test_reply_then_the_leads_assessment(session, assembly_world, pending):
    w = assembly_world
    review(session, w, pending, "filed", handling_unit="区住建局", reply_due_on=DAY + timedelta(days=30))
    reply_proposal(session, w.office, pending.id, "区住建局", "已列入明年计划", DAY + timedelta(days=2), at(DAY))
    p = assess_proposal(session, w.delegate_user, pending.id, "satisfied", at(DAY))
    assert p.assessment == "satisfied"
    row = q.session_proposals(session, w.session, DAY).rows[0]
    assert row.assessment_label == "基本满意" and not row.overdue


# ------------------------------------------------------------------------------------------------ overdue
def test_overdue_from_the_day_after_the_deadline(session, assembly_world, pending):
    w = assembly_world
    due = DAY + timedelta(days=3)
    p = review(session, w, pending, "filed", handling_unit="区住建局", reply_due_on=due)
    assert not svc.is_overdue(p, due)
    assert svc.is_overdue(p, due + timedelta(days=1))
    view = q.session_proposals(session, w.session, due + timedelta(days=1))
    assert view.counts["overdue"] == 1 and view.counts["filed"] == 1 and view.counts["pending"] == 0
    assert q.session_proposals(session, w.session, due).counts["overdue"] == 0


def test_daily_reminder_of_overdue_replies_once_a_day_to_the_managers_in_reach(session, assembly_world, pending):
    from election.notifications.models import Notification
    from election.notifications.services import run_daily_reminders

    w = assembly_world
    due = DAY + timedelta(days=3)
    review(session, w, pending, "filed", handling_unit="区住建局", reply_due_on=due)
    run_daily_reminders(session, due, at(due))
    assert session.scalar(select(func.count()).select_from(Notification)
                          .where(Notification.kind == "proposal_reply_overdue")) == 0
    late = due + timedelta(days=1)
    run_daily_reminders(session, late, at(late))
    run_daily_reminders(session, late, at(late))
    notes = list(session.scalars(select(Notification).where(Notification.kind == "proposal_reply_overdue")))
    to = {n.user_id for n in notes}
    assert w.office.id in to and w.admin.id in to and w.other_office.id not in to
    assert len(notes) == len(to)  # once a day each
    assert "1件提案的答复已逾期" in notes[0].message and "2026年12月4日" in notes[0].message

"""The timeline (a cleared date really clears; the current stage's cannot be cleared), decisions never dated in the
future (today passes, tomorrow is refused), and the confirmations before a stage moves."""
from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from sqlalchemy import select

from election.audit.models import AuditEntry
from election.core.exceptions import ServiceError
from election.elections import services as svc
from election.elections.models import ElectionDecision, StageDue

NOW = datetime(2019, 2, 1, 9, 0)   # 17:00 in Beijing: the local day is 2019-02-01
TODAY = date(2019, 2, 1)
TIMELINE = {"plan": date(2019, 2, 8), "deploy": date(2019, 2, 10), "nominate": date(2019, 2, 21),
            "shortlist": date(2019, 3, 1), "vet": date(2019, 3, 10), "preliminary": date(2019, 3, 20),
            "confirm": date(2019, 3, 31), "ballot": date(2019, 4, 10), "report": date(2019, 4, 15)}


@pytest.fixture
def office(make_user):
    return make_user("office")


@pytest.fixture
def planned(session, office):
    election = svc.create_election(session, office, svc.ElectionSetup(title="时间安排测试", seats=5), NOW)
    svc.set_timeline(session, office, election.id, TIMELINE, NOW)
    return election


def _dues(session, election_id) -> dict[str, date]:
    session.expire_all()
    return {d.stage: d.due_date for d in session.scalars(select(StageDue).where(StageDue.election_id == election_id))}


def _last_audit(session):
    return session.scalars(select(AuditEntry).order_by(AuditEntry.seq.desc()).limit(1)).one()


# ----------------------------------------------------------------------------------------------- timeline
def test_clearing_a_later_stage_removes_its_due_date_and_says_so(session, office, planned):
    change = svc.set_timeline(session, office, planned.id, {**TIMELINE, "report": None}, NOW)
    assert "report" not in _dues(session, planned.id)
    assert change.cleared == (svc.Stage.report,) and change.changed == ()
    assert change.summary == "时间安排已保存：清除了“结果上报”的截止日期（该阶段不再有截止日期，也不再提醒）。"
    entry = _last_audit(session)
    assert entry.action == "election.timeline" and "清除结果上报的截止日期" in entry.summary
    assert entry.before == {"report": "2019-04-15"} and entry.after == {"report": None}


def test_clearing_the_current_stage_due_date_is_refused_with_the_reason(session, office, planned):
    with pytest.raises(ServiceError, match="“制定工作方案”是当前阶段，它的截止日期可以修改，不能清除"):
        svc.set_timeline(session, office, planned.id, {**TIMELINE, "plan": None}, NOW)
    assert _dues(session, planned.id)["plan"] == date(2019, 2, 8)
    # moving it is allowed
    svc.set_timeline(session, office, planned.id, {**TIMELINE, "plan": date(2019, 2, 9)}, NOW)
    assert _dues(session, planned.id)["plan"] == date(2019, 2, 9)


def test_unchanged_timeline_writes_no_audit_and_says_nothing_changed(session, office, planned):
    before = _last_audit(session).seq
    change = svc.set_timeline(session, office, planned.id, TIMELINE, NOW)
    assert change.summary == "时间安排没有变化。" and _last_audit(session).seq == before


def test_clearing_the_election_day_unsets_the_default_age_reference(session, office, planned):
    change = svc.set_timeline(session, office, planned.id, {**TIMELINE, "ballot": None, "report": None}, NOW)
    assert change.age_reference_moved and change.age_reference_after is None
    assert "年龄计算基准日在选举日重新确定前暂未设定" in change.notice


def test_timeline_page_clears_an_emptied_field(client, login_as, make_election, session):
    login_as("office")
    election = make_election(stage="nominate", units=1)
    for stage, due in (("nominate", date(2027, 2, 20)), ("shortlist", date(2027, 2, 26))):
        session.add(StageDue(election_id=election.id, stage=stage, due_date=due))
    session.flush()
    page = client.post(f"/elections/{election.id}/timeline", data={"nominate": "2027-02-20", "shortlist": ""},
                       follow_redirects=True).get_data(as_text=True)
    assert "清除了“确定考察对象”的截止日期" in page and "shortlist" not in _dues(session, election.id)
    page = client.post(f"/elections/{election.id}/timeline", data={"nominate": ""},
                       follow_redirects=True).get_data(as_text=True)
    assert "“推荐提名”是当前阶段" in page and _dues(session, election.id)["nominate"] == date(2027, 2, 20)
    assert "当前阶段（推荐提名）的截止日期只能修改，不能清除" in page


# ----------------------------------------------------------------------------------------------- decisions
def test_decision_dated_today_passes_and_tomorrow_is_refused(session, office, planned):
    svc.record_decision(session, office, planned.id, "shortlist", "区委常委会", TODAY, "常纪〔2019〕1号", NOW)
    tomorrow = TODAY + timedelta(days=1)
    with pytest.raises(ServiceError, match="确定考察对象的会议的日期2019年2月2日晚于今天（2019年2月1日）"):
        svc.record_decision(session, office, planned.id, "shortlist", "区委常委会", tomorrow, "常纪〔2019〕2号", NOW)
    session.expire_all()
    kept = session.scalar(select(ElectionDecision).where(ElectionDecision.election_id == planned.id))
    assert (kept.held_on, kept.doc_number) == (TODAY, "常纪〔2019〕1号")


def test_decision_today_is_the_local_day(session, office, planned):
    late_utc = datetime(2019, 2, 1, 17, 0)   # 01:00 on 2019-02-02 in Beijing
    svc.record_decision(session, office, planned.id, "approval", "市委组织部", date(2019, 2, 2), "市组复〔2019〕1号",
                        late_utc)
    with pytest.raises(ServiceError, match="晚于今天"):
        svc.record_decision(session, office, planned.id, "approval", "市委组织部", date(2019, 2, 3), "x", late_utc)


def test_decision_a_year_ahead_is_refused_on_the_page(client, login_as, make_election, session):
    login_as("office")
    election = make_election(stage="shortlist", units=1)
    ahead = date.today() + timedelta(days=365)
    page = client.post(f"/elections/{election.id}/decisions", follow_redirects=True, data={
        "kind": "shortlist", "body": "区委常委会", "held_on": ahead.isoformat(), "doc_number": "常纪〔2099〕1号"})
    assert f"{ahead.year}年{ahead.month}月{ahead.day}日晚于今天" in page.get_data(as_text=True)
    assert session.scalar(select(ElectionDecision).where(ElectionDecision.election_id == election.id)) is None


# ----------------------------------------------------------------------------------------------- confirmations
def test_advance_return_and_abort_ask_first_saying_what_happens(client, login_as, make_election, session):
    login_as("office")
    election = make_election(stage="nominate", units=1)
    session.add(StageDue(election_id=election.id, stage="nominate", due_date=date(2099, 2, 21)))
    for eu in election.units:
        eu.status, eu.exemption_reason = "exempted", "无推荐任务"
    session.flush()
    page = client.get(f"/elections/{election.id}").get_data(as_text=True)
    assert ('data-confirm="确定进入“确定考察对象”阶段？“推荐提名”阶段随即结束，此后如需改动，须退回并填写理由'
            in page)
    assert 'data-confirm="确定退回到所选阶段？' in page and 'data-confirm="确定中止本次选举？' in page

"""代表任期履职 use cases: points from the rule set in force, caps, petitions, reminders, status, 补选."""
from __future__ import annotations

import dataclasses
import io
from datetime import date, datetime

import pytest
from openpyxl import Workbook
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from election.audit.models import AuditEntry
from election.core.exceptions import PermissionDenied, ServiceError
from election.directory.models import DelegateOffice, ElectionUnit
from election.duties import services as svc
from election.duties.jobs import run_duty_reminders
from election.duties.models import ActivityAttachment, ActivityRecord, TermDelegate
from election.elections.models import Election, StageDue
from election.notifications.models import Notification
from workflow import duties as wd
from workflow.duties.delegate_status import DecisionRecord

NOW = datetime(2026, 11, 23, 2, 0)
PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 64


@pytest.fixture
def office(session):
    o = DelegateOffice(name="测试工作室甲", level="街道")
    session.add(o)
    session.flush()
    return o


@pytest.fixture
def make_delegate(session, office):
    n = iter(range(1, 10_000))

    def make(name: str | None = None, office_id: int | None = -1, unit: str = "测试党工委", **kw) -> TermDelegate:
        d = TermDelegate(name=name or f"代表{next(n)}", gender=kw.pop("gender", "男"), level=kw.pop("level", "区"),
                         congress="区第十二次党代会", term_start=date(2022, 1, 1), term_end=date(2026, 12, 31),
                         electing_unit=unit, office_id=office.id if office_id == -1 else office_id, **kw)
        session.add(d)
        session.flush()
        return d

    return make


@pytest.fixture
def staff(make_user, office):
    return make_user("studio", office_id=office.id)


def _log(session, actor, d, code, on, tmp_path, grade=None, files=()):
    return svc.log_activity(session, actor, d.id, svc.ActivityInput(code, on, "工作室", "接待群众", grade=grade),
                            list(files), tmp_path, date(2026, 11, 23), NOW)


def _ranking(session, actor, office, year=2026):
    view = svc.compute_ranking(session, actor, year, f"office:{office.id}", 0, date(2026, 11, 23))
    return {ln.name: ln.points for ln in view.lines}, view


def test_points_only_verified_activity_counts(session, make_user, make_delegate, staff, office, tmp_path):
    user = make_user("delegate")
    d = make_delegate("王芳", user_id=user.id)
    rec = _log(session, user, d, "duty_reception", date(2026, 3, 2), tmp_path)
    assert rec.status == "pending"
    assert _ranking(session, staff, office)[0]["王芳"] == 0
    svc.review_activity(session, staff, rec.id, True, "", NOW)
    assert _ranking(session, staff, office)[0]["王芳"] == 5  # 盐田 值班接访 5


def test_points_rule_change_mid_year_keeps_earlier_points(session, make_user, make_delegate, staff, office, tmp_path):
    admin = make_user("admin")
    d = make_delegate("李娜")
    for on in (date(2026, 6, 30), date(2026, 7, 1)):
        svc.review_activity(session, staff, _log(session, staff, d, "duty_reception", on, tmp_path).id, True, "", NOW)
    base = wd.YANTIAN
    types = tuple(wd.ActivityType(t.code, t.label, 8, group=t.group) if t.code == "duty_reception" else t
                  for t in base.activity_types)
    assert svc.save_ruleset_version(session, admin, base.revise(date(2026, 7, 1), activity_types=types),
                                    date(2026, 6, 15), NOW) == []
    assert _ranking(session, staff, office)[0]["李娜"] == 5 + 8


def test_ruleset_version_backdated_refused(session, make_user):
    admin = make_user("admin")
    blockers = svc.save_ruleset_version(session, admin, wd.YANTIAN.revise(date(2026, 11, 22)), date(2026, 11, 23), NOW)
    assert [b.code for b in blockers] == ["duties.version.backdated"]
    with pytest.raises(PermissionDenied):
        svc.save_ruleset_version(session, make_user("office"), wd.YANTIAN.revise(date(2027, 1, 1)), date(2026, 11, 23),
                                 NOW)


def test_cosigned_proposals_capped_at_9(session, make_delegate, staff, office):
    lead, co = make_delegate("张伟"), make_delegate("陈静")
    for i in range(4):  # 4 × 3 = 12 → capped at 9
        svc.create_proposal(session, staff, svc.ProposalInput(lead.id, f"案由{i}", "案据", "方案", date(2026, 3, 1 + i),
                                                             (co.id,)), NOW)
    points = _ranking(session, staff, office)[0]
    assert points["张伟"] == 40 and points["陈静"] == 9


def test_cosigner_of_another_office_waits_for_his_own_office(session, make_delegate, staff, office):
    """A 工作室 may name a co-signer from another office, but only that office verifies his record (and his points)."""
    other = DelegateOffice(name="测试工作室乙", level="街道")
    session.add(other)
    session.flush()
    lead, mine, theirs = make_delegate("张伟"), make_delegate("陈静"), make_delegate("王芳", office_id=other.id)
    p = svc.create_proposal(session, staff, svc.ProposalInput(lead.id, "案由", "案据", "方案", date(2026, 3, 1),
                                                            (mine.id, theirs.id)), NOW)
    status = dict(session.execute(select(ActivityRecord.delegate_id, ActivityRecord.status)
                                  .where(ActivityRecord.proposal_id == p.id)).all())
    assert status == {lead.id: "verified", mine.id: "verified", theirs.id: "pending"}


@pytest.mark.parametrize(("on", "accepted"), [
    (date(2026, 11, 23), True),    # today
    (date(2026, 11, 24), False),   # tomorrow
    (date(2026, 1, 1), True),      # this year
    (date(2025, 12, 31), False),   # last year, after January
])
def test_proposal_date_not_ahead_nor_in_a_reviewed_year(session, make_delegate, staff, on, accepted):
    lead = make_delegate("张伟")
    session.commit()
    data = svc.ProposalInput(lead.id, "案由", "案据", "方案", on)
    if accepted:
        assert svc.create_proposal(session, staff, data, NOW).submitted_on == on
    else:
        with pytest.raises(ServiceError, match="晚于今天|履职考评已结束"):
            svc.create_proposal(session, staff, data, NOW)


def test_petition_six_steps_satisfaction_feeds_points(session, make_delegate, staff, office):
    d = make_delegate("刘伟")
    p = svc.register_petition(session, staff, svc.PetitionInput("居民甲", "路灯坏了", delegate_id=d.id), NOW)
    assert svc.move_petition(session, staff, p.id, "processing", {}, NOW)[0].code == "petition.transition.illegal"
    assert svc.move_petition(session, staff, p.id, "received", {}, NOW)[0].code == "petition.receiver.missing"
    for target, form in (("received", {"receiver": "周强"}), ("processing", {"handler": "城管科"}),
                         ("replied", {"reply": "已修复"}), ("feedback", {"grade": "very_satisfied"})):
        assert svc.move_petition(session, staff, p.id, target, form, NOW) == []
    assert _ranking(session, staff, office)[0]["刘伟"] == 6  # 非常满意 6
    # returned to 处理 and answered again: the grade is replaced, not added
    assert svc.move_petition(session, staff, p.id, "processing", {"reason": "群众补充诉求"}, NOW) == []
    svc.move_petition(session, staff, p.id, "replied", {"reply": "再次答复"}, NOW)
    svc.move_petition(session, staff, p.id, "feedback", {"grade": "satisfied"}, NOW)
    assert _ranking(session, staff, office)[0]["刘伟"] == 5
    assert svc.move_petition(session, staff, p.id, "archived", {}, NOW) == []


def test_reminder_requirement_unmet_exactly_two_weeks_before_month_end(session, make_user, make_delegate, staff):
    user = make_user("delegate")
    make_delegate("马力", user_id=user.id)
    assert run_duty_reminders(session, date(2026, 11, 15), NOW).created == 0  # 15 days before 11月30日
    run = run_duty_reminders(session, date(2026, 11, 16), NOW)  # 14 days
    keys = set(session.scalars(select(Notification.dedup_key).where(Notification.user_id == user.id)))
    assert run.created >= 2 and any(k.startswith("duty:monthly_duty:") and k.endswith("2026-11-16") for k in keys)
    assert run_duty_reminders(session, date(2026, 11, 16), NOW).created == 0  # idempotent the same day


def test_reminder_petition_overdue_after_three_days(session, make_delegate, staff):
    p = svc.register_petition(session, staff, svc.PetitionInput("居民乙", "噪音扰民"), datetime(2026, 11, 1, 2))
    run_duty_reminders(session, date(2026, 11, 4), NOW)  # due 11月4日: not yet overdue
    assert not session.scalar(select(func.count()).select_from(Notification).where(
        Notification.kind == "petition_overdue"))
    assert run_duty_reminders(session, date(2026, 11, 5), NOW).overdue_petitions == 1
    msg = session.scalar(select(Notification.message).where(Notification.kind == "petition_overdue"))
    assert "已超期1个自然日" in msg and p.id


def test_model_nominations_ten_delegates_allow_two(session, make_user, make_delegate):
    admin = make_user("admin")
    ids = [make_delegate(unit="模范单位").id for _ in range(10)]
    blockers = svc.propose_model_delegates(session, admin, 2026, "模范单位", ids[:3], NOW)
    assert [b.code for b in blockers] == ["duties.model.over_cap"] and "最多2名" in blockers[0].message
    assert svc.propose_model_delegates(session, admin, 2026, "模范单位", ids[:2], NOW) == []
    board = svc.review_board(session, admin, 2026)
    assert len(board.nominations) == 2 and board.cap("模范单位") == 2


def test_status_change_needs_decision_record(session, make_user, make_delegate):
    admin, d = make_user("admin"), make_delegate("乔丹")
    blockers = svc.change_delegate_status(session, admin, d.id, "terminated", "deceased",
                                          DecisionRecord("", "", None), date(2026, 11, 23), NOW)
    assert {b.code for b in blockers} >= {"delegate.status.decision_issuer_missing", "delegate.status.decision_no_missing"}
    assert svc.change_delegate_status(session, admin, d.id, "terminated", "deceased",
                                      DecisionRecord("中共某区委", "区委〔2026〕8号", date(2026, 11, 20)),
                                      date(2026, 11, 23), NOW) == []
    assert d.status == "terminated" and d.status_doc_no == "区委〔2026〕8号"
    assert session.scalar(select(AuditEntry.action).order_by(AuditEntry.seq.desc()).limit(1)) == "duties.delegate.status"
    again = svc.change_delegate_status(session, admin, d.id, "suspended", "transferred_out",
                                       DecisionRecord("a", "b", date(2026, 11, 20)), date(2026, 11, 23), NOW)
    assert [b.code for b in again] == ["delegate.status.final"]


def test_status_check_constraint_ties_status_to_decision(session, make_delegate):
    d = make_delegate()
    d.status = "suspended"
    with pytest.raises(IntegrityError):
        session.flush()
    session.rollback()


def test_by_election_started_from_vacancy(session, make_user, make_unit, make_delegate):
    admin, unit = make_user("admin"), make_unit("补选单位")
    d1 = make_delegate("司马光", unit="补选单位", electing_unit_id=unit.id)
    d2 = make_delegate("欧阳明", unit="补选单位", electing_unit_id=unit.id)
    with pytest.raises(ServiceError, match="没有空缺名额"):
        svc.start_by_election(session, admin, d1.id, date(2026, 12, 1), NOW)
    for d in (d1, d2):
        svc.change_delegate_status(session, admin, d.id, "terminated", "resignation_accepted",
                                   DecisionRecord("中共某区委", f"文号{d.id}", date(2026, 11, 20)), date(2026, 11, 23), NOW)
    election = svc.start_by_election(session, admin, d1.id, date(2026, 12, 1), NOW)
    assert election.seats == 2 and election.stage == "plan"
    eu = session.scalar(select(ElectionUnit).where(ElectionUnit.election_id == election.id))
    assert (eu.unit_id, eu.quota, eu.report_count) == (unit.id, 2, 3)
    dues = {s.stage: s.due_date for s in session.scalars(select(StageDue).where(StageDue.election_id == election.id))}
    assert dues["plan"] == date(2026, 12, 3) and dues["report"] == date(2026, 12, 29)
    assert d1.by_election_id == d2.by_election_id == election.id
    with pytest.raises(ServiceError, match="已启动补选"):
        svc.start_by_election(session, admin, d2.id, date(2026, 12, 1), NOW)
    assert session.get(Election, election.id) is not None


def test_by_election_deadlines_fall_on_working_days_and_it_has_an_age_date(session, make_user, make_unit,
                                                                          make_delegate):
    """Started on Friday 2026-11-27: the 制定工作方案 due date (+2 days) is Sunday 11月29日, moved to Monday 11月30日;
    every due date is a working day, and the 年龄计算基准日 is the 补选's election day."""
    from workflow.common.calendar import WorkCalendar

    admin, unit = make_user("admin"), make_unit("补选单位二")
    d = make_delegate("诸葛亮", unit="补选单位二", electing_unit_id=unit.id)
    svc.change_delegate_status(session, admin, d.id, "terminated", "resignation_accepted",
                               DecisionRecord("中共某区委", "文号9", date(2026, 11, 20)), date(2026, 11, 23), NOW)
    election = svc.start_by_election(session, admin, d.id, date(2026, 11, 27), NOW)
    dues = {s.stage: s.due_date for s in session.scalars(select(StageDue).where(StageDue.election_id == election.id))}
    assert dues["plan"] == date(2026, 11, 30)
    assert all(WorkCalendar().is_working_day(day) for day in dues.values()), dues
    assert election.age_reference_date == dues["ballot"]


def _sheet(rows):
    wb = Workbook()
    ws = wb.active
    ws.append(["代表名册"])
    ws.append([h for h, _, _ in svc.DELEGATE_COLUMNS])
    for r in rows:
        ws.append(r)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def test_import_delegates_reports_every_row_error_in_chinese(session, make_user, office):
    admin = make_user("admin")
    good = ["王芳", "女", "1975-03", "汉族", "区", "区第十二次党代会", "2022-01-01", "2026-12-31", "某党工委", "", "",
            office.name, "第一小组", "组长", ""]
    bad = ["张伟", "M", "", "", "省", "区第十二次党代会", "2022-01-01", "2021-12-31", "某党工委", "", "", "不存在的工作室",
           "", "副组长", "nobody"]
    result = svc.import_delegates(session, admin, _sheet([good, bad, good]), NOW)
    where = {(e.row, e.column) for e in result.errors}
    assert {(4, "性别"), (4, "层级"), (4, "任期结束"), (4, "党代表工作室"), (4, "代表小组"), (4, "登录账号"),
            (5, "姓名")} <= where
    assert str(result.errors[0]).startswith("第4行")
    assert session.scalar(select(func.count()).select_from(TermDelegate)) == 0
    ok = svc.import_delegates(session, admin, _sheet([good]), NOW)
    assert ok.ok and session.scalar(select(TermDelegate.group_role).where(TermDelegate.name == "王芳")) == "组长"


def test_import_delegates_refuses_non_xlsx(session, make_user):
    with pytest.raises(ServiceError, match="xlsx|Excel|文件"):
        svc.import_delegates(session, make_user("admin"), b"name,gender\n", NOW)


def test_upload_stored_with_random_name_and_wrong_content_refused(session, make_user, make_delegate, tmp_path):
    user = make_user("delegate")
    d = make_delegate(user_id=user.id)
    rec = _log(session, user, d, "publicity", date(2026, 5, 1), tmp_path, files=[svc.UploadedFile("现场.png", PNG)])
    att = session.scalar(select(ActivityAttachment).where(ActivityAttachment.activity_id == rec.id))
    assert att.original_name == "现场.png" and att.stored_name != "现场.png"
    assert (tmp_path / att.stored_name).read_bytes() == PNG
    for name, data in (("a.exe", b"MZ"), ("b.png", b"GIF89a..."), ("c.pdf", b"%PDF-" + b"0" * (5 * 1024 * 1024))):
        with pytest.raises(ServiceError):
            _log(session, user, d, "publicity", date(2026, 5, 1), tmp_path, files=[svc.UploadedFile(name, data)])
    assert len(list(tmp_path.iterdir())) == 1


def test_studio_cannot_verify_another_office(session, make_user, make_delegate, tmp_path):
    other = DelegateOffice(name="测试工作室乙")
    session.add(other)
    session.flush()
    d = make_delegate()
    rec = _log(session, make_user("admin"), d, "publicity", date(2026, 5, 1), tmp_path)
    with pytest.raises(PermissionDenied):
        svc.review_activity(session, make_user("studio", office_id=other.id), rec.id, True, "", NOW)
    with pytest.raises(PermissionDenied):
        svc.compute_ranking(session, make_user("studio", office_id=other.id), 2026, f"office:{d.office_id}", 0,
                            date(2026, 11, 23))


def test_returned_activity_needs_reason(session, make_delegate, staff, tmp_path):
    rec = _log(session, staff, make_delegate(), "publicity", date(2026, 5, 1), tmp_path)
    with pytest.raises(ServiceError, match="理由"):
        svc.review_activity(session, staff, rec.id, False, " ", NOW)
    svc.review_activity(session, staff, rec.id, False, "缺少照片", NOW)
    assert (rec.status, rec.return_reason) == ("returned", "缺少照片")
    rec.return_reason = None
    with pytest.raises(IntegrityError):
        session.flush()
    session.rollback()


def test_fetch_activity_tuples_are_plain_tuples_for_compute_points(session, make_delegate, staff, tmp_path):
    d = make_delegate()
    svc.review_activity(session, staff, _log(session, staff, d, "inspection", date(2026, 2, 1), tmp_path).id, True, "", NOW)
    rows = svc.fetch_activity_tuples(session, date(2026, 1, 1), date(2026, 12, 31))
    assert [tuple(r[1:]) for r in rows] == [(d.id, "inspection", date(2026, 2, 1), "verified", None, "lead")]
    assert wd.compute_points(rows, wd.YANTIAN, 2026).totals == {d.id: 10}


def test_duty_record_and_bulletin_documents(session, make_user, make_delegate, staff):
    from docx import Document

    admin = make_user("admin")
    d = make_delegate("王芳")
    svc.rate_part(session, staff, d.id, 2026, "office_activity", "优秀", "", "", NOW)
    doc = Document(io.BytesIO(svc.duty_record_for(session, staff, d.id, 2026)))
    text = "".join(c.text for t in doc.tables for row in t.rows for c in row.cells)
    assert "王芳" in text and "优秀" in text and "工作室所在镇党委" in text
    with pytest.raises(ServiceError, match="还没有确定"):
        svc.bulletin_for(session, admin, 2026, "中共某区委组织部", date(2026, 11, 23))
    for _ in range(3):
        make_delegate()  # 4 in the unit → at most 1
    assert svc.propose_model_delegates(session, admin, 2026, "测试党工委", [d.id], NOW) == []
    nomination = svc.review_board(session, admin, 2026).nominations[0]
    svc.decide_model_delegate(session, admin, nomination.id, True, NOW)
    bulletin = Document(io.BytesIO(svc.bulletin_for(session, admin, 2026, "中共某区委组织部", date(2026, 11, 23))))
    body = "".join(p.text for p in bulletin.paragraphs)
    assert "王芳" in body and "中共某区委组织部" in body and "2026年11月23日" in body


@pytest.mark.parametrize("change", [None, 7, 4], ids=["one-version", "cap-raised-mid-year", "cap-lowered-mid-year"])
def test_points_totals_in_sql_equal_per_item_scoring(session, make_delegate, staff, change):
    """The ranking's GROUP BY (uncapped sums + LEAST(capped sum, cap), counts only for a cap spanning versions)
    gives the per-item totals of ``compute_points`` — at the cap of 9, just under it, over it, across a rule
    change on 7月1日 with its own cap, graded and ungraded, lead and co-signer."""
    book = wd.RuleBook.of(wd.YANTIAN)
    if change is not None:
        types = tuple(dataclasses.replace(t, yearly_cap=change) if t.code == "co_proposal" else t
                      for t in wd.YANTIAN.activity_types)
        book = wd.RuleBook((wd.YANTIAN, wd.YANTIAN.revise(date(2026, 7, 1), activity_types=types)))
    plan = [  # (co-signed items before 7月1日, after, other activities)
        (2, 0, ()), (3, 0, ()), (4, 0, ()), (1, 2, ()), (2, 2, ()), (0, 4, ()), (3, 3, ()),
        (0, 0, (("resolve_petition", "very_satisfied"), ("resolve_petition", "satisfied"), ("resolve_petition", None))),
        (1, 1, (("lead_proposal", None), ("inspection", None))),
    ]
    delegates = []
    for before, after, others in plan:
        d = make_delegate()
        delegates.append(d.id)
        items = [("co_proposal", date(2026, 3, 1 + i), None, "lead") for i in range(before)]
        items += [("lead_proposal", date(2026, 8, 1 + i), None, "co_signer") for i in range(after)]
        items += [(code, date(2026, 5, 5), grade, "lead") for code, grade in others]
        items += [("inspection", date(2025, 12, 31), None, "lead")]  # outside the year
        for code, on, grade, role in items:
            session.add(ActivityRecord(delegate_id=d.id, type_code=code, on=on, grade=grade, role=role,
                                       status="verified", verified_at=NOW))
    session.add(ActivityRecord(delegate_id=delegates[0], type_code="inspection", on=date(2026, 4, 1), status="pending"))
    session.flush()
    first, last = date(2026, 1, 1), date(2026, 12, 31)
    expected = wd.compute_points(svc.fetch_activity_tuples(session, first, last), book, 2026).totals
    got = svc.points_totals(session, {"x": book}, {}, "x", 2026, first, last)
    assert got == expected
    assert expected[delegates[2]] == 9 and expected[delegates[1]] == 9 and expected[delegates[0]] == 6
    sums, counts = svc.fetch_points_sums(session, book, first, last)
    assert (counts == []) == (change is None)  # one version: the database caps; a cap across versions: counted

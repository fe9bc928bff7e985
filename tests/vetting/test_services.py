"""考察, 公示 and complaints: use cases, permissions, CHECK constraints, documents and the facts."""
from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass, replace
from datetime import date, datetime

import pytest
from docx import Document
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from election.audit.models import AuditEntry
from election.core.exceptions import PermissionDenied, ServiceError
from election.directory.models import ElectionUnit
from election.nominations.models import Nominee
from election.vetting import services as svc
from election.vetting.facts import vetting_facts
from election.vetting.models import Complaint, Notice, Vetting
from workflow.common.idcard import make_id
from workflow.pipeline.facts import NoticeKind

NOW = datetime(2026, 3, 2, 9, 0)
# 来源: docs/rules.md §3.5 — 2026-03-02 (Mon) + 5 working days, that day counted → 2026-03-06 (Fri)
POSTED = date(2026, 3, 2)
CONTACT = svc.ContactInput("区委组织部", "0000-12345678", "某区行政中心3号楼412室", "zzb@example.cn")
# the reference test list's 姓氏笔画 order (docs/rules.md §3.4), shuffled here
NAMES = ["欧阳明", "王芳", "丁一", "张伟", "马力", "李娜", "于洋"]
STROKE_ORDER = ["丁一", "于洋", "马力", "王芳", "李娜", "张伟", "欧阳明"]
CATEGORIES = {"欧阳明": "局级领导干部", "王芳": "处级领导干部"}


@dataclass
class World:
    election: object
    units: list
    people: dict
    office: object


def build_world(session, make_election, make_user, stage: str = "shortlist", names=NAMES, units: int = 2,
                seats: int = 2, **kw) -> World:
    """An election with UNITS submitted units and NAMES spread over them (two-character names in unit 0)."""
    election = make_election(stage=stage, units=units, seats=seats,
                             settings=kw.pop("settings", {"office": {"name": "区委组织部", "phone": "0000-1",
                                                                     "address": "某区", "mailbox": "意见箱"}}),
                             electing_body="中共某区委员会", convening_body="中共某市委员会", **kw)
    eus = list(session.scalars(select(ElectionUnit).where(ElectionUnit.election_id == election.id)
                               .order_by(ElectionUnit.id)))
    for eu in eus:
        eu.status, eu.submitted_at = "submitted", NOW
    people = {}
    for i, name in enumerate(names):
        birth = date(1970 + i, 3, 1)
        n = Nominee(election_id=election.id, election_unit_id=eus[i % len(eus)].id, position=i, name=name,
                    gender="女" if i % 2 else "男", ethnicity="汉族" if i % 3 else "回族",
                    id_number=make_id("110105", birth, i, i % 2 == 0), birth_date=birth, native_place="北京",
                    education="大学", party_join_date=date(1995, 7, 1), work_start_date=date(1992, 7, 1),
                    workplace_title=f"某单位{i}职务", category=CATEGORIES.get(name, "专业技术人员"))
        session.add(n)
        people[name] = n
    office = make_user("office")
    session.commit()  # the fixture's data survives a use case's rollback (savepoint per commit)
    return World(election, eus, people, office)


@pytest.fixture
def world(session, make_election, make_user):
    return build_world(session, make_election, make_user)


def _ids(world, names):
    return [world.people[n].id for n in names]


def _advance(session, world, stage):
    world.election.stage = stage
    session.commit()


def _complete(session, world, name, make_user, discipline=None):
    """Record everything for NAME and conclude 通过."""
    n = world.people[name]
    leader = svc.is_leader(world.election, n.category)
    svc.record_vetting(session, world.office, n.id, svc.VettingInput(
        file_audit="passed", petition_check="无", personal_report_check="如实报告" if leader else None,
        appraisal_count=30, interview_count=12, integrity_received=True), NOW)
    svc.record_discipline_opinion(session, discipline or make_user("discipline"), n.id, "无反映", NOW)
    svc.conclude_vetting(session, world.office, n.id, "passed", "", NOW)


def _audits(session, action):
    return session.scalars(select(AuditEntry).where(AuditEntry.action == action)).all()


# ----------------------------------------------------------------------------------------------- selection
def test_select_shortlist_sets_step_and_writes_one_audit(session, world):
    svc.select_shortlist(session, world.office, world.election.id, _ids(world, NAMES[:5]), NOW)
    assert sorted(n.name for n in world.people.values() if n.step == "shortlisted") == sorted(NAMES[:5])
    svc.select_shortlist(session, world.office, world.election.id, _ids(world, NAMES[:4]), NOW)
    assert world.people[NAMES[4]].step == "nominated"
    assert len(_audits(session, "vetting.shortlist")) == 2


def test_select_shortlist_refused_outside_stage_and_for_unit_users(session, world, make_user):
    _advance(session, world, "nominate")
    with pytest.raises(ServiceError, match="确定考察对象只能在"):
        svc.select_shortlist(session, world.office, world.election.id, _ids(world, NAMES[:2]), NOW)
    _advance(session, world, "shortlist")
    with pytest.raises(PermissionDenied):
        svc.select_shortlist(session, make_user("unit", unit_id=world.units[0].unit_id), world.election.id, [], NOW)


def test_select_shortlist_refuses_people_of_unsubmitted_units(session, world):
    world.units[1].status, world.units[1].submitted_at = "draft", None
    session.commit()
    with pytest.raises(ServiceError, match="尚未提交推荐名单"):
        svc.select_shortlist(session, world.office, world.election.id, _ids(world, ["王芳"]), NOW)


def test_selection_counters_compare_with_ballot_minimum_plus_one(session, world):
    # 来源: docs/rules.md §3.1 — 2 seats, 20% → ballot minimum 3 → 考察对象 at least 4
    chosen = [world.people[n] for n in NAMES[:3]]
    counters = svc.compute_selection_counters(world.election, chosen, "shortlisted", POSTED)
    assert counters.counters[0].target.startswith("至少4名") and not counters.counters[0].ok
    counters = svc.compute_selection_counters(world.election, chosen + [world.people[NAMES[3]]], "shortlisted", POSTED)
    assert counters.counters[0].ok


def test_selection_counters_name_each_count_once(session, world):
    """A quota rule on 女 (labelled 女性) stands for the plain 女; one on the category 领导干部 for that category;
    the minority count stays, no rule covering it."""
    world.election.quota_rules = [
        {"code": "women", "label": "女性", "where": {"gender": "女"}, "min": 1},
        {"code": "leaders", "label": "领导干部", "where": {"category_in": ["领导干部"]}, "max": 1}]
    session.commit()
    chosen = list(world.people.values())
    lines = svc.compute_selection_counters(world.election, chosen, "shortlisted", POSTED).counters
    labels = [c.label for c in lines]
    assert len(labels) == len(set(labels)), labels
    assert "女" not in labels and "女性" in labels and labels.count("领导干部") == 1 and "少数民族" in labels
    women = next(c for c in lines if c.label == "女性")
    assert women.value == sum(1 for p in chosen if p.gender == "女")
    world.election.quota_rules = []
    session.commit()
    plain = [c.label for c in svc.compute_selection_counters(world.election, chosen, "shortlisted", POSTED).counters]
    assert "女" in plain and "少数民族" in plain


# ----------------------------------------------------------------------------------------------- vetting
@pytest.fixture
def vetting_world(session, world):
    svc.select_shortlist(session, world.office, world.election.id, _ids(world, NAMES), NOW)
    _advance(session, world, "vet")
    return world


def test_inspector_edits_only_assigned_people(session, vetting_world, make_user):
    w = vetting_world
    inspector = make_user("inspector")
    svc.assign_inspector(session, w.office, w.people["王芳"].id, inspector.id, NOW)
    svc.record_vetting(session, inspector, w.people["王芳"].id, svc.VettingInput(file_audit="passed"), NOW)
    with pytest.raises(PermissionDenied):
        svc.record_vetting(session, inspector, w.people["李娜"].id, svc.VettingInput(file_audit="passed"), NOW)
    with pytest.raises(PermissionDenied):
        svc.conclude_vetting(session, inspector, w.people["李娜"].id, "unfit", "理由", NOW)
    board = svc.vetting_board(session, w.election, inspector)
    assert [r.nominee.name for r in board] == ["王芳"]


def test_discipline_opinion_only_by_discipline_role_with_author(session, vetting_world, make_user):
    w = vetting_world
    with pytest.raises(PermissionDenied):
        svc.record_discipline_opinion(session, w.office, w.people["王芳"].id, "无", NOW)
    with pytest.raises(PermissionDenied):
        svc.record_discipline_opinion(session, make_user("inspector"), w.people["王芳"].id, "无", NOW)
    d = make_user("discipline")
    v = svc.record_discipline_opinion(session, d, w.people["王芳"].id, "未发现违纪问题", NOW)
    assert (v.discipline_opinion, v.discipline_by_id, v.discipline_at) == ("未发现违纪问题", d.id, NOW)


def test_personal_report_check_only_for_leaders(session, vetting_world):
    w = vetting_world
    with pytest.raises(ServiceError, match="不是领导干部"):
        svc.record_vetting(session, w.office, w.people["李娜"].id,
                           svc.VettingInput(personal_report_check="已查核"), NOW)
    svc.record_vetting(session, w.office, w.people["王芳"].id, svc.VettingInput(personal_report_check="已查核"), NOW)


def test_conclude_passed_needs_every_item_leader_needs_report(session, vetting_world, make_user):
    w = vetting_world
    n = w.people["王芳"]  # 处级领导干部
    svc.record_vetting(session, w.office, n.id, svc.VettingInput(
        file_audit="passed", petition_check="无", appraisal_count=30, interview_count=10, integrity_received=True), NOW)
    svc.record_discipline_opinion(session, make_user("discipline"), n.id, "无", NOW)
    with pytest.raises(ServiceError, match="个人有关事项报告"):
        svc.conclude_vetting(session, w.office, n.id, "passed", "", NOW)
    svc.record_vetting(session, w.office, n.id, svc.VettingInput(
        file_audit="passed", petition_check="无", personal_report_check="一致", appraisal_count=30, interview_count=10,
        integrity_received=True), NOW)
    assert svc.conclude_vetting(session, w.office, n.id, "passed", "", NOW).conclusion == "passed"


def test_enterprise_person_needs_regulator_opinion(session, vetting_world, make_user):
    w = vetting_world
    n = w.people["李娜"]
    base = svc.VettingInput(file_audit="passed", petition_check="无", appraisal_count=1, interview_count=0,
                            integrity_received=True, from_enterprise=True)
    svc.record_vetting(session, w.office, n.id, base, NOW)
    svc.record_discipline_opinion(session, make_user("discipline"), n.id, "无", NOW)
    with pytest.raises(ServiceError, match="行政执法"):
        svc.conclude_vetting(session, w.office, n.id, "passed", "", NOW)
    svc.record_vetting(session, w.office, n.id, replace(base, regulator_opinion="无违法记录"), NOW)
    svc.conclude_vetting(session, w.office, n.id, "passed", "", NOW)


def test_unfit_removes_person_and_keeps_reason(session, vetting_world):
    w = vetting_world
    with pytest.raises(ServiceError, match="须写明理由"):
        svc.conclude_vetting(session, w.office, w.people["张伟"].id, "unfit", "  ", NOW)
    svc.conclude_vetting(session, w.office, w.people["张伟"].id, "unfit", "民主测评得票偏低", NOW)
    assert w.people["张伟"].removed_reason == "考察结论为不宜：民主测评得票偏低"
    facts = vetting_facts(session, w.election)
    assert "张伟" not in [p.name for p in facts["shortlisted_people"]]


def test_check_constraint_ties_unfit_to_reason(session, vetting_world):
    v = Vetting(election_id=vetting_world.election.id, nominee_id=vetting_world.people["于洋"].id,
                conclusion="unfit", conclusion_reason="", concluded_at=NOW)
    session.add(v)
    with pytest.raises(IntegrityError):
        session.flush()
    session.rollback()


# ----------------------------------------------------------------------------------------------- notices
def test_first_notices_one_per_unit_with_calendar_period(session, vetting_world):
    notices = svc.create_first_notices(session, vetting_world.office, vetting_world.election.id, POSTED, CONTACT, NOW)
    assert len(notices) == 2 and {n.election_unit_id for n in notices} == {u.id for u in vetting_world.units}
    assert all(n.period_end == date(2026, 3, 6) for n in notices)
    with pytest.raises(ServiceError, match="没有需要新建"):
        svc.create_first_notices(session, vetting_world.office, vetting_world.election.id, POSTED, CONTACT, NOW)


def test_notice_period_skips_national_day_holiday(session, vetting_world):
    # 来源: docs/rules.md §3.5 — 2026-09-30 (Wed), 国庆 10/1–7, then 10/8, 10/9, 10/10 (Sat, 调休 working day), 10/12
    assert svc.compute_period_end(session, date(2026, 9, 30)) == date(2026, 10, 12)
    assert svc.compute_period_end(session, date(2026, 9, 28)) == date(2026, 10, 9)


def test_notice_period_missing_calendar_is_a_chinese_error(session, vetting_world):
    with pytest.raises(ServiceError, match="缺少2031年的法定节假日数据"):
        svc.create_first_notices(session, vetting_world.office, vetting_world.election.id, date(2031, 3, 3),
                                 CONTACT, NOW)


def test_unique_second_notice_and_first_needs_unit(session, vetting_world):
    bad = Notice(election_id=vetting_world.election.id, kind="first", election_unit_id=None, title="x",
                 posted_on=POSTED, period_end=POSTED, office_name="a", office_phone="1", office_address="b",
                 office_mailbox="c")
    session.add(bad)
    with pytest.raises(IntegrityError):
        session.flush()
    session.rollback()


@pytest.fixture
def published(session, vetting_world):
    notices = svc.create_first_notices(session, vetting_world.office, vetting_world.election.id, POSTED, CONTACT, NOW)
    for n in notices:
        svc.publish_notice(session, vetting_world.office, n.id, NOW)
    return notices


def _notice_of(world, notices, name):
    return next(n for n in notices if n.election_unit_id == world.people[name].election_unit_id)


def test_end_notice_refused_with_open_complaint_and_before_period_end(session, vetting_world, published, make_user):
    w = vetting_world
    notice = _notice_of(w, published, "王芳")
    c = svc.register_complaint(session, w.office, notice.id, svc.ComplaintInput(
        w.people["王芳"].id, "letter", date(2026, 3, 3), "反映其违规兼职", True), NOW)
    with pytest.raises(ServiceError, match="期满后才能结束"):
        svc.end_notice(session, w.office, notice.id, date(2026, 3, 6), NOW)
    with pytest.raises(ServiceError, match="1件反映未办结"):
        svc.end_notice(session, w.office, notice.id, date(2026, 3, 7), NOW)
    facts = vetting_facts(session, w.election)
    assert facts["notices"][NoticeKind.first].open_complaints == 1
    assert facts["notices"][NoticeKind.first].period_end == date(2026, 3, 6)
    inspector = make_user("inspector")
    svc.assign_complaint(session, w.office, c.id, inspector.id, NOW)
    svc.record_complaint_check(session, inspector, c.id, "经核查，兼职已按规定报批", NOW)
    svc.conclude_complaint(session, w.office, c.id, "false", "不影响其考察对象资格", NOW)
    assert w.people["王芳"].removed_reason is None
    svc.end_notice(session, w.office, notice.id, date(2026, 3, 7), NOW)
    assert notice.status == "ended" and notice.ended_at == NOW


def test_substantiated_complaint_removes_person_with_reason(session, vetting_world, published, make_user):
    w = vetting_world
    notice = _notice_of(w, published, "李娜")
    c = svc.register_complaint(session, w.office, notice.id, svc.ComplaintInput(
        w.people["李娜"].id, "phone", POSTED, "反映其违规收受礼金", False), NOW)
    d = make_user("discipline")
    svc.assign_complaint(session, w.office, c.id, d.id, NOW)
    with pytest.raises(PermissionDenied):
        svc.record_complaint_check(session, make_user("inspector"), c.id, "x", NOW)
    svc.record_complaint_check(session, d, c.id, "查实收受礼金2000元", NOW)
    svc.conclude_complaint(session, w.office, c.id, "true", "取消考察对象资格", NOW)
    assert w.people["李娜"].removed_reason == "公示期间反映问题经核查属实：取消考察对象资格"
    assert c.status == "closed" and c.conclusion == "true" and c.closed_at == NOW
    assert len(_audits(session, "complaint.conclude")) == 1


def test_complaint_check_constraint_conclusion_iff_closed(session, vetting_world, published):
    c = Complaint(notice_id=published[0].id, nominee_id=vetting_world.people["丁一"].id, channel="phone",
                  received_on=POSTED, content="x", status="registered", conclusion="true")
    session.add(c)
    with pytest.raises(IntegrityError):
        session.flush()
    session.rollback()


def test_complaint_must_name_a_person_on_the_notice(session, vetting_world, published):
    w = vetting_world
    notice = _notice_of(w, published, "王芳")
    other = next(n for n in w.people.values() if n.election_unit_id != notice.election_unit_id)
    with pytest.raises(ServiceError, match="不在该公示名单中"):
        svc.register_complaint(session, w.office, notice.id, svc.ComplaintInput(other.id, "phone", POSTED, "x"), NOW)


def test_facts_first_notice_unposted_until_every_unit_published(session, vetting_world):
    notices = svc.create_first_notices(session, vetting_world.office, vetting_world.election.id, POSTED, CONTACT, NOW)
    svc.publish_notice(session, vetting_world.office, notices[0].id, NOW)
    facts = vetting_facts(session, vetting_world.election)
    assert facts["notices"][NoticeKind.first].posted_on is None
    svc.publish_notice(session, vetting_world.office, notices[1].id, NOW)
    facts = vetting_facts(session, vetting_world.election)
    assert facts["notices"][NoticeKind.first].posted_on == POSTED


# ----------------------------------------------------------------------------------------------- preliminary
def test_select_preliminary_needs_passed_vetting_and_second_notice(session, vetting_world, make_user):
    w = vetting_world
    d = make_user("discipline")
    for name in ("丁一", "于洋", "马力"):
        _complete(session, w, name, make_user, d)
    _advance(session, w, "preliminary")
    with pytest.raises(ServiceError, match="考察结论还不是“通过”"):
        svc.select_preliminary(session, w.office, w.election.id, _ids(w, ["丁一", "王芳"]), NOW)
    svc.select_preliminary(session, w.office, w.election.id, _ids(w, ["丁一", "于洋", "马力"]), NOW)
    facts = vetting_facts(session, w.election)
    assert sorted(p.name for p in facts["preliminary_people"]) == sorted(["丁一", "于洋", "马力"])
    assert all(p.vetting_done and p.discipline_opinion for p in facts["preliminary_people"])
    notice = svc.create_second_notice(session, w.office, w.election.id, POSTED, CONTACT, NOW)
    assert notice.election_unit_id is None and notice.period_end == date(2026, 3, 6)
    with pytest.raises(ServiceError, match="已有第二次公示"):
        svc.create_second_notice(session, w.office, w.election.id, POSTED, CONTACT, NOW)


# ----------------------------------------------------------------------------------------------- documents
_ID = re.compile(r"[1-9]\d{16}[\dXx]")


def _doc_text(data: bytes) -> str:
    """Every printed text (w:t) of the body, headers and footers."""
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        xml = "".join(z.read(n).decode("utf-8") for n in z.namelist() if n.startswith("word/") and n.endswith(".xml"))
    return "".join(re.findall(r"<w:t(?: [^>]*)?>([^<]*)</w:t>", xml))


def _first_column(data: bytes, col: int) -> list[str]:
    doc = Document(io.BytesIO(data))
    table = doc.tables[0]
    return [row.cells[col].text.replace("\u3000", "") for row in table.rows[1:]]


def test_roster_documents_in_stroke_order_without_id_numbers(session, vetting_world):
    w = vetting_world
    for kind in ("nominated", "shortlisted"):
        data = svc.render_roster_document(session, w.election.id, kind)
        assert _first_column(data, 1) == STROKE_ORDER
        assert not _ID.search(_doc_text(data))
        assert all(n.id_number not in _doc_text(data) for n in w.people.values())


def test_notice_document_in_stroke_order_without_id_numbers(session, vetting_world, published):
    w = vetting_world
    for notice in published:
        data = svc.render_notice_document(session, notice.id)
        names = _first_column(data, 0)
        expected = [n for n in STROKE_ORDER if w.people[n].election_unit_id == notice.election_unit_id]
        assert names == expected
        text = _doc_text(data)
        assert not _ID.search(text) and "0000-12345678" in text
        assert "zzb@example.cn" in text


def test_padded_two_character_names_when_setting_on(session, make_election, make_user):
    w = build_world(session, make_election, make_user, names=["田富", "田大利", "王宁"], units=1,
                    settings={"pad_single_given_name": True})
    svc.select_shortlist(session, w.office, w.election.id, _ids(w, ["田富", "田大利", "王宁"]), NOW)
    data = svc.render_roster_document(session, w.election.id, "shortlisted")
    doc = Document(io.BytesIO(data))
    assert [r.cells[1].text for r in doc.tables[0].rows[1:]] == ["王\u3000宁", "田\u3000富", "田大利"]


def test_registration_forms_and_report_documents(session, vetting_world, make_user):
    w = vetting_world
    d = make_user("discipline")
    for name in ("丁一", "于洋", "马力"):
        _complete(session, w, name, make_user, d)
    svc.conclude_vetting(session, w.office, w.people["张伟"].id, "unfit", "群众公认度不高", NOW)
    _advance(session, w, "preliminary")
    svc.select_preliminary(session, w.office, w.election.id, _ids(w, ["马力", "丁一", "于洋"]), NOW)
    forms = svc.render_registration_document(session, w.election.id, "preliminary", today=POSTED)
    doc = Document(io.BytesIO(forms))
    assert [t.rows[0].cells[1].text for t in doc.tables] == ["丁一", "于洋", "马力"]
    assert not _ID.search(_doc_text(forms))
    report = svc.render_report_document(session, w.election.id, POSTED)
    text = "".join(p.text for p in Document(io.BytesIO(report)).paragraphs)
    assert "共推荐人选7名" in text and "确定考察对象7名" in text and "考察结论为不宜的1名" in text
    assert "初步人选3名" in text and "丁一、于洋、马力" in text
    assert not _ID.search(_doc_text(report))

"""差额推荐 use cases: real .xlsx files from tests/data/, all or nothing, deadline, submit, 退回, race."""
from __future__ import annotations

import threading
from datetime import date, datetime
from fractions import Fraction
from pathlib import Path

import pytest
from sqlalchemy import func, select

from election.audit.models import AuditEntry
from election.core.exceptions import NotFound, PermissionDenied, ServiceError
from election.directory.models import ElectionUnit
from election.elections.models import StageDue
from election.nominations import services as svc
from election.nominations.models import Nominee

DATA = Path(__file__).resolve().parents[1] / "data"
TODAY = date(2026, 2, 15)  # the day tests/data/make_sheets.py's files are checked against
NOW = datetime(2026, 2, 15, 2, 0)
UNIT = "第一街道党工委"
BREAKDOWN = {"局级领导干部": 6, "处级领导干部": 3, "基层一线": 8}


def read(name: str) -> bytes:
    return (DATA / name).read_bytes()


@pytest.fixture
def setup(session, make_election, make_user):
    election = make_election(stage="nominate", units=2)
    eu, other = session.scalars(select(ElectionUnit).where(ElectionUnit.election_id == election.id)
                                .order_by(ElectionUnit.id)).all()
    eu.unit.name = UNIT
    eu.breakdown = other.breakdown = BREAKDOWN
    eu.unit.grassroots_orgs, eu.unit.members = 41, 2102
    session.flush()
    user = make_user("unit", unit_id=eu.unit_id)
    other_user = make_user("unit", unit_id=other.unit_id)
    office = make_user("office")
    session.commit()  # a savepoint: a service's rollback on refusal then keeps these rows
    return election, eu, other, user, other_user, office


def count(session, eu) -> int:
    return session.scalar(select(func.count()).select_from(Nominee).where(Nominee.election_unit_id == eu.id))


def upload(session, user, eu, name, today=TODAY):
    return svc.import_nominee_file(session, user, eu.id, read(name) if isinstance(name, str) else name, today, NOW)


def test_import_good_file_stores_all_seventeen_and_audits(session, setup):
    _, eu, _, user, _, _ = setup
    outcome = upload(session, user, eu, "good.xlsx")
    assert outcome.ok and (outcome.errors, outcome.notes, outcome.stored_count) == ((), (), 17)
    people = session.scalars(select(Nominee).where(Nominee.election_unit_id == eu.id).order_by(Nominee.position)).all()
    assert [p.position for p in people] == list(range(1, 18)) and people[0].name == "王建国"
    leap = next(p for p in people if p.name == "刘芳")
    assert (leap.gender, leap.birth_date, leap.party_join_date) == ("女", date(1976, 2, 29), date(2000, 6, 1))
    entry = session.scalars(select(AuditEntry).order_by(AuditEntry.seq.desc()).limit(1)).one()
    assert entry.action == "nominations.import" and "17名" in entry.summary


def test_import_replaces_the_draft_list(session, setup):
    _, eu, _, user, _, _ = setup
    upload(session, user, eu, "good.xlsx")
    outcome = upload(session, user, eu, "hidden_sheet_extra_columns.xlsx")
    assert outcome.stored_count == 5 and count(session, eu) == 5
    assert outcome.notes  # the ignored hidden sheet and extra columns are told


@pytest.mark.parametrize("name, expected", [
    ("bad_ids.xlsx", [
        (4, "身份证号", "身份证号校验位（第18位）不符，号码中可能有录错的数字，请逐位核对"),
        (5, "身份证号", "身份证号应为18位，当前为17位"),
        (6, "身份证号", "身份证号应为18位，当前为15位（这是15位旧号码，请改填18位新号码）"),
        (7, "身份证号", "身份证号前17位应为数字，第18位为数字或X，请检查是否混入了字母或符号"),
        (8, "身份证号", "身份证号第7～14位的出生日期“19750230”不是有效日期，请核对号码"),
        (9, "身份证号", "身份证号中的出生日期2030-03-02晚于今天，请核对号码"),
        (10, "身份证号", ("身份证号被Excel存成了数字，末尾几位已丢失（Excel只保留15位有效数字）。"
                         "请把“身份证号”列设为文本格式后重新输入号码")),
        (11, "性别", "性别“男”与身份证号不一致（身份证号第17位表示女），请核对性别或身份证号"),
        (12, "出生年月", "出生年月1977-05与身份证号中的出生日期1977-04-08不一致，请核对出生年月或身份证号"),
        (13, "身份证号", "身份证号前两位“00”不是有效的省级行政区划代码，请核对号码"),
    ]),
    ("bad_dates.xlsx", [
        (4, "入党时间", "入党时间1986-04早于年满18周岁的日期（1986-05-12），请核对入党时间或身份证号"),
        (6, "入党时间", "入党时间2026-03晚于今天（2026-02-15），请核对"),
        (7, "入党时间", "入党时间：无法识别日期“一九九九年五月”，请写成1975-03或1975-03-02"),
        (8, "入党时间", "入党时间：日期“1991.13”的月份应为1～12，当前为13"),
        (9, "参加工作时间", "参加工作时间：日期“2019-02-30”不存在：2019年2月没有30日"),
        (10, "入党时间", "入党时间：日期“2001”只有年份，请补上月份，如1975-03"),
        (11, "入党时间", ("入党时间：日期“2003.1”无法确定是1月还是10月（Excel会把1975.10存成1975.1），"
                         "请把单元格设为文本后写成1975-01或1975-10")),
        (12, "出生年月", "出生年月2026-03晚于今天（2026-02-15），请核对"),
        (13, "参加工作时间", "参加工作时间1973-01早于出生日期，请核对"),
    ]),
    ("duplicates.xlsx", [
        (10, "身份证号", "身份证号与第4行重复，同一人只能填写一次，请删除重复的行"),
        (11, "姓名", "与第5行的姓名和出生日期都相同，请核实是否重复填写了同一人"),
        (12, "身份证号", "身份证号与第6行重复，同一人只能填写一次，请删除重复的行"),
        (13, "身份证号", "身份证号与第7行重复，同一人只能填写一次，请删除重复的行"),
        (13, "学历", "学历“研究生”不在可选范围内，请填写：博士研究生、硕士研究生、大学本科、大学专科、中专、高中、初中、小学"),
    ]),
    ("missing_columns.xlsx", [
        (2, "姓名", "“姓名”列出现了两次（A列和I列），请删除多余的一列"),
        (2, "民族", "缺少“民族”列，请使用下载的模板，或在第2行表头中补上该列"),
        (2, "学历", "缺少“学历”列，请使用下载的模板，或在第2行表头中补上该列"),
    ]),
])
def test_import_with_errors_lists_every_error_and_stores_nothing(session, setup, name, expected):
    _, eu, _, user, _, _ = setup
    upload(session, user, eu, "good.xlsx")
    outcome = upload(session, user, eu, name)
    assert [(e.row, e.column, e.message) for e in outcome.errors] == expected
    assert outcome.stored_count == 0 and not outcome.ok
    assert count(session, eu) == 17  # the earlier list is untouched


@pytest.mark.parametrize("name, fragment", [
    ("fake.xls", "旧版Excel文件(.xls)"), ("plain.csv", "CSV文件"), ("encrypted.xlsx", "打开密码"),
    ("macro.xlsm", "含有宏"), ("corrupt.xlsx", "文件已损坏"), ("zipbomb.xlsx", "异常庞大"),
    ("too_many_rows.xlsx", "行的上限"),
])
def test_refused_file_says_how_to_fix_and_stores_nothing(session, setup, name, fragment):
    _, eu, _, user, _, _ = setup
    outcome = upload(session, user, eu, name)
    assert fragment in outcome.refusal and outcome.stored_count == 0 and count(session, eu) == 0


def test_unit_name_of_another_unit_refused_by_row(session, setup):
    _, _, other, _, other_user, _ = setup
    outcome = upload(session, other_user, other, "good.xlsx")
    assert [(e.row, e.column) for e in outcome.errors] == [(2, "推荐单位")] and count(session, other) == 0


def test_person_nominated_by_another_unit_told_only_to_contact_the_office(session, setup):
    _, eu, other, user, other_user, _ = setup
    other.unit.name = UNIT + "（二）"
    session.commit()
    first = upload(session, user, eu, "good.xlsx")
    assert first.ok
    eu.unit.name = "第一街道党工委（旧）"
    session.flush()
    other.unit.name = UNIT  # the other unit now uploads the same people
    session.commit()
    outcome = upload(session, other_user, other, "good.xlsx")
    assert len(outcome.errors) == 17 and {e.message for e in outcome.errors} == {svc.ELSEWHERE}
    assert all("第一街道" not in e.message for e in outcome.errors)
    assert count(session, other) == 0
    # the office sees both units
    session.expire_all()
    conflicts = session.get(ElectionUnit, other.id).duplicate_conflicts
    assert len(conflicts) == 17 and conflicts[0]["other_unit"] == "第一街道党工委（旧）"
    assert conflicts[0]["masked_id"].startswith("110***")


def test_only_the_units_own_user_may_upload(session, setup, make_user):
    _, eu, _, _, other_user, office = setup
    for actor in (other_user, office):
        with pytest.raises(PermissionDenied):
            upload(session, actor, eu, "good.xlsx")
    with pytest.raises(NotFound):
        svc.import_nominee_file(session, office, 999999, b"x", TODAY, NOW)


def test_upload_on_due_date_allowed_day_after_refused(session, setup):
    election, eu, _, user, _, _ = setup
    session.add(StageDue(election_id=election.id, stage="nominate", due_date=TODAY))
    session.commit()
    assert upload(session, user, eu, "good.xlsx").ok
    with pytest.raises(ServiceError, match="推荐提名已于2026-02-15截止"):
        upload(session, user, eu, "good.xlsx", today=date(2026, 2, 16))


def test_reopen_after_due_needs_reason_and_date_then_allows_until_that_day(session, setup):
    election, eu, _, user, _, office = setup
    session.add(StageDue(election_id=election.id, stage="nominate", due_date=date(2026, 2, 10)))
    session.commit()
    with pytest.raises(ServiceError, match="请填写退回理由"):
        svc.reopen_unit(session, office, eu.id, "  ", TODAY, NOW, until=date(2026, 2, 16))
    with pytest.raises(ServiceError, match="请填写允许该单位修改的截止日期"):
        svc.reopen_unit(session, office, eu.id, "补报", TODAY, NOW)
    with pytest.raises(PermissionDenied):
        svc.reopen_unit(session, user, eu.id, "补报", TODAY, NOW, until=date(2026, 2, 16))
    svc.reopen_unit(session, office, eu.id, "补报一线人选", TODAY, NOW, until=date(2026, 2, 16))
    assert upload(session, user, eu, "good.xlsx", today=date(2026, 2, 16)).ok
    with pytest.raises(ServiceError, match="允许修改至2026-02-16，现已过期"):
        upload(session, user, eu, "good.xlsx", today=date(2026, 2, 17))
    actions = session.scalars(select(AuditEntry.action).order_by(AuditEntry.seq)).all()
    assert "nominations.reopen" in actions


def test_refused_outside_nominate_stage(session, make_election, make_user):
    election = make_election(stage="shortlist", units=1)
    eu = election.units[0]
    user = make_user("unit", unit_id=eu.unit_id)
    session.commit()
    with pytest.raises(ServiceError, match="推荐名单只能在“推荐提名”阶段"):
        svc.import_nominee_file(session, user, eu.id, read("good.xlsx"), TODAY, NOW)


def test_submit_blocked_until_list_passes_then_locks(session, setup):
    _, eu, _, user, _, office = setup
    blockers = svc.submit_list(session, user, eu.id, TODAY, NOW)
    assert [b.code for b in blockers] == ["unit_list.empty"]
    upload(session, user, eu, "good.xlsx")
    assert svc.submit_list(session, user, eu.id, TODAY, NOW) == []
    session.refresh(eu)
    assert (eu.status, eu.submitted_at) == ("submitted", NOW)
    with pytest.raises(ServiceError, match="已提交并锁定"):
        upload(session, user, eu, "good.xlsx")
    nominee = session.scalars(select(Nominee).where(Nominee.election_unit_id == eu.id)).first()
    with pytest.raises(ServiceError, match="已提交并锁定"):
        svc.delete_nominee(session, user, nominee.id, TODAY, NOW)
    svc.reopen_unit(session, office, eu.id, "请核对籍贯", TODAY, NOW)
    session.refresh(eu)
    assert (eu.status, eu.submitted_at, eu.reopen_reason) == ("draft", None, "请核对籍贯")
    svc.delete_nominee(session, user, nominee.id, TODAY, NOW)
    blockers = svc.submit_list(session, user, eu.id, TODAY, NOW)
    assert {b.code for b in blockers} == {"unit_list.margin", "unit_list.report_count", "unit_list.breakdown.局级领导干部"}


def test_submit_margin_exactly_fifty_percent_passes_one_less_blocked(session, setup):
    _, eu, _, user, _, _ = setup
    eu.report_count, eu.breakdown = 0, {}
    session.commit()
    upload(session, user, eu, "good.xlsx")  # 17 for 11: 11 × 1.5 = 16.5 → at least 17 (docs/rules.md §3.1)
    first = session.scalars(select(Nominee).where(Nominee.election_unit_id == eu.id)).first()
    svc.delete_nominee(session, user, first.id, TODAY, NOW)
    assert [b.code for b in svc.submit_list(session, user, eu.id, TODAY, NOW)] == ["unit_list.margin"]


VALUES = {"name": "钱晓红", "gender": "女", "ethnicity": "汉族", "id_number": "", "birth_month": "1980-05",
          "native_place": "北京", "education": "大学本科", "party_join_date": "2002-07", "work_start_date": "",
          "workplace_title": "某社区书记", "category": "其他一线", "remark": ""}


def test_add_update_delete_one_by_one_with_the_same_checks(session, setup):
    from workflow.common.idcard import make_id

    _, eu, _, user, _, _ = setup
    number = make_id("110101", date(1980, 5, 6), 21, False)
    bad = svc.add_nominee(session, user, eu.id, {**VALUES, "id_number": number, "gender": "男"}, TODAY, NOW)
    assert [(e.column, e.message) for e in bad.errors] == [
        ("性别", "性别“男”与身份证号不一致（身份证号第17位表示女），请核对性别或身份证号")]
    ok = svc.add_nominee(session, user, eu.id, {**VALUES, "id_number": number}, TODAY, NOW)
    assert ok.ok and count(session, eu) == 1
    again = svc.add_nominee(session, user, eu.id, {**VALUES, "id_number": number}, TODAY, NOW)
    assert again.errors[0].message.startswith("本单位名单中已有此人")
    edited = svc.update_nominee(session, user, ok.nominee_id, {**VALUES, "id_number": number, "education": "硕士"},
                                TODAY, NOW)
    assert edited.ok and session.get(Nominee, ok.nominee_id).education == "硕士研究生"
    svc.delete_nominee(session, user, ok.nominee_id, TODAY, NOW)
    assert count(session, eu) == 0


def test_add_person_of_another_unit_refused_generically(session, setup):
    _, eu, other, user, other_user, _ = setup
    upload(session, user, eu, "good.xlsx")
    person = session.scalars(select(Nominee).where(Nominee.election_unit_id == eu.id)).first()
    values = {**VALUES, "name": person.name, "gender": person.gender, "id_number": person.id_number,
              "birth_month": f"{person.birth_date:%Y-%m}", "party_join_date": f"{person.party_join_date:%Y-%m}"}
    outcome = svc.add_nominee(session, other_user, other.id, values, TODAY, NOW)
    assert [(e.column, e.message) for e in outcome.errors] == [("身份证号", svc.ELSEWHERE)]


def test_statistics_rates_exact_and_bounded(session, setup):
    _, eu, _, user, other_user, _ = setup
    result = svc.save_statistics(session, user, eu.id, 41, 2101, "已组织全部党组织参加推荐。", TODAY, NOW)
    assert result.org_rate == 1 and result.member_rate == Fraction(2101, 2102) and not result.meets_target
    assert (svc.format_rate(result.org_rate), svc.format_rate(result.member_rate)) == ("100.0%", "100.0%")
    assert svc.format_rate(Fraction(2, 3)) == "66.7%" and svc.format_rate(Fraction(1, 2000)) == "0.1%"
    assert svc.save_statistics(session, user, eu.id, 41, 2102, "", TODAY, NOW).meets_target
    with pytest.raises(ServiceError, match="参加推荐的基层党组织数42超过本单位基层党组织总数41"):
        svc.save_statistics(session, user, eu.id, 42, 10, "", TODAY, NOW)
    with pytest.raises(PermissionDenied):
        svc.save_statistics(session, other_user, eu.id, 1, 1, "", TODAY, NOW)


def test_check_list_editable_boundaries():
    due = date(2026, 2, 21)
    assert svc.check_list_editable("nominate", "draft", due, None, due) == []
    assert [b.code for b in svc.check_list_editable("nominate", "draft", due, None, date(2026, 2, 22))] == [
        "nominations.overdue"]
    assert svc.check_list_editable("nominate", "draft", due, date(2026, 2, 25), date(2026, 2, 25)) == []
    assert [b.code for b in svc.check_list_editable("shortlist", "submitted", None, None, due)] == [
        "nominations.stage", "nominations.submitted"]
    assert svc.check_list_editable("nominate", "submitted", None, None, due, submitted_lock=False) == []


def test_overview_counts_compliance_and_duplicates(session, setup, count_queries):
    election, eu, other, user, _, _ = setup
    upload(session, user, eu, "good.xlsx")
    person = session.scalars(select(Nominee).where(Nominee.election_unit_id == eu.id)).first()
    # a duplicate that slipped in outside the upload checks (e.g. entered before these checks) is shown to the office
    session.add(Nominee(election_id=election.id, election_unit_id=other.id, name=person.name, gender=person.gender,
                        ethnicity="汉族", id_number=person.id_number, birth_date=person.birth_date,
                        category="其他一线"))
    session.flush()
    with count_queries() as q:
        view = svc.nominations_overview(session, election.id)
    assert q.count <= 4
    rows = {r.election_unit_id: r for r in view.rows}
    assert rows[eu.id].count == 17 and rows[eu.id].compliant and not rows[other.id].compliant
    assert [(d.name, set(d.units)) for d in view.duplicates] == [(person.name, {UNIT, other.unit.name})]


def test_race_two_uploads_and_a_submit_end_in_one_consistent_list(engine):
    """Two uploads of the same unit and a submit at once, on three connections: one list, never a mixture."""
    from sqlalchemy.orm import Session

    from election.accounts.models import User
    from election.core.db import transaction
    from election.directory.models import Unit
    from election.elections.models import Election

    tag = engine.dialect.name
    with Session(engine) as s, transaction(s):
        unit = Unit(code=f"NR-{tag}", name=UNIT)
        election = Election(title="并发上传测试", seats=16, stage="nominate")
        s.add_all([unit, election])
        s.flush()
        user = User(username=f"nom-racer-{tag}", display_name="经办人", role="unit", password_hash="x", unit_id=unit.id)
        eu = ElectionUnit(election_id=election.id, unit_id=unit.id, quota=11, report_count=17, breakdown=BREAKDOWN)
        s.add_all([user, eu])
        s.flush()
        ids = (user.id, election.id, eu.id, unit.id)
    good, small = read("good.xlsx"), read("hidden_sheet_extra_columns.xlsx")
    results: dict[str, object] = {}
    barrier = threading.Barrier(3)

    def run(label, action):
        with Session(engine, expire_on_commit=False) as s:
            actor = s.get(User, ids[0])
            s.commit()  # on SQLite even a read holds the write lock (BEGIN IMMEDIATE): release it before the start
            barrier.wait()
            try:
                results[label] = action(s, actor)
            except Exception as exc:  # noqa: BLE001 - reported by the assertions below
                results[label] = exc

    actions = {
        "good": lambda s, a: svc.import_nominee_file(s, a, ids[2], good, TODAY, NOW),
        "small": lambda s, a: svc.import_nominee_file(s, a, ids[2], small, TODAY, NOW),
        "submit": lambda s, a: svc.submit_list(s, a, ids[2], TODAY, NOW),
    }
    threads = [threading.Thread(target=run, args=item) for item in actions.items()]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    try:
        assert set(results) == set(actions)
        assert not [r for r in results.values() if isinstance(r, Exception) and not isinstance(r, ServiceError)], results
        with Session(engine) as s:
            eu_row = s.get(ElectionUnit, ids[2])
            people = s.scalars(select(Nominee).where(Nominee.election_unit_id == ids[2])).all()
            names = sorted(p.name for p in people)
            positions = sorted(p.position for p in people)
        # exactly one file's list, whole, in order
        assert len(names) in (0, 5, 17) and positions == list(range(1, len(names) + 1))
        stored = {label for label in ("good", "small") if getattr(results[label], "ok", False)}
        if eu_row.status == "submitted":
            # the submit saw the 17-person list; an upload after it was refused
            assert len(names) == 17 and results["submit"] == []
            assert eu_row.submitted_at is not None
            for label in {"good", "small"} - stored:
                assert isinstance(results[label], ServiceError) and "已提交并锁定" in results[label].message
        else:
            assert results["submit"] != [] and stored == {"good", "small"}
            assert len(names) in (5, 17)
    finally:
        with Session(engine) as s, transaction(s):
            s.query(Nominee).filter_by(election_unit_id=ids[2]).delete()
            s.query(AuditEntry).filter(AuditEntry.object_type.in_(("election_units", "nominees")),
                                       AuditEntry.object_id == str(ids[2])).delete(synchronize_session=False)
            s.query(ElectionUnit).filter_by(id=ids[2]).delete()
            s.query(User).filter_by(id=ids[0]).delete()
            s.query(Election).filter_by(id=ids[1]).delete()
            s.query(Unit).filter_by(id=ids[3]).delete()

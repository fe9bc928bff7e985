"""「转入代表名册」 through the use case: details carried, logins with one-time passwords, run twice adds nobody,
a level outside 市/区/镇 refused with a Chinese reason, a 补选's elected fill its seats; the bulk 工作室/小组 form."""
from __future__ import annotations

from datetime import date, datetime

import pytest
from sqlalchemy import func, select

from election.accounts.models import User
from election.audit.models import AuditEntry
from election.core.exceptions import Conflict, NotFound, PermissionDenied, ServiceError
from election.directory.models import DelegateOffice, ElectionUnit
from election.duties.models import TermDelegate
from election.duties.services import transfer as tr
from election.nominations.models import Nominee
from election.voting.models import Delegate, HigherNominee, VotingResult
from workflow.common.idcard import make_id

NOW = datetime(2026, 12, 4, 2, 0)
PEOPLE = [("王芳", "女", "回族", "山西太原"), ("李强", "男", "汉族", "陕西宝鸡")]


def _audits(session, action):
    return session.scalar(select(func.count()).select_from(AuditEntry).where(AuditEntry.action == action))


@pytest.fixture(name="elected")
def elected_fixture(session, make_election):
    """An election with its result recorded: two elected from the nominees, one 上级提名."""
    def make(title="区直机关出席区第十三次党代会代表选举", body="中共某区直属机关工作委员会", **kw):
        election = make_election(stage="completed", units=1, seats=2, title=title, electing_body=body, **kw)
        eu = session.scalar(select(ElectionUnit).where(ElectionUnit.election_id == election.id))
        names = []
        for i, (name, gender, eth, native) in enumerate(PEOPLE):
            n = Nominee(election_id=election.id, election_unit_id=eu.id, name=name, gender=gender, ethnicity=eth,
                        birth_date=date(1975, 3, 1 + i), id_number=make_id("110105", date(1975, 3, 1 + i), i, gender == "男"),
                        native_place=native, education="大学", party_join_date=date(1998, 7, 1),
                        work_start_date=date(1996, 8, 1), workplace_title=f"{name}所在局局长", category="处级领导干部",
                        step="confirmed")
            session.add(n)
            session.flush()
            session.add(Delegate(election_id=election.id, nominee_id=n.id, name=name, gender=gender, ethnicity=eth,
                                 birth_date=n.birth_date, category=n.category, unit=n.workplace_title, votes=9))
            names.append(name)
        h = HigherNominee(election_id=election.id, name="丁一", gender="男", ethnicity="汉族",
                          birth_date=date(1970, 1, 1), category="局级领导干部", workplace_title="某区委书记")
        session.add(h)
        session.flush()
        session.add(Delegate(election_id=election.id, higher_nominee_id=h.id, name="丁一", gender="男",
                             ethnicity="汉族", birth_date=h.birth_date, category=h.category, unit=h.workplace_title))
        session.add(VotingResult(election_id=election.id, elected=[*names, "丁一"], recorded_at=NOW))
        session.commit()
        return election

    return make


@pytest.fixture
def office_user(make_user, session):
    u = make_user("office")
    session.commit()
    return u


def test_elected_become_term_delegates_with_details_and_logins(session, office_user, elected):
    e = elected()
    out = tr.transfer_elected(session, office_user, e.id, tr.TransferChoices(term_start=date(2026, 12, 1)), NOW)
    assert [t.name for t in out.added] == ["王芳", "李强", "丁一"] and len(out.slips) == 3
    wang = session.scalar(select(TermDelegate).where(TermDelegate.name == "王芳"))
    assert (wang.level, wang.congress, wang.electing_unit) == ("区", "区第十三次党代会", "中共某区直属机关工作委员会")
    assert (wang.term_start, wang.term_end) == (date(2026, 12, 1), date(2031, 11, 30))
    assert (wang.gender, wang.ethnicity, wang.native_place, wang.education) == ("女", "回族", "山西太原", "大学")
    assert (wang.party_join_date, wang.work_start_date, wang.birth_date) == (date(1998, 7, 1), date(1996, 8, 1),
                                                                           date(1975, 3, 1))
    assert (wang.workplace, wang.category) == ("王芳所在局局长", "处级领导干部")
    source = session.get(Delegate, wang.source_delegate_id)
    assert source.election_id == e.id and source.name == "王芳"
    user = session.get(User, wang.user_id)
    slip = next(s for s in out.slips if s.display_name == "王芳")
    assert user.role == "delegate" and user.must_change_password and user.check_password(slip.password)
    ding = session.scalar(select(TermDelegate).where(TermDelegate.name == "丁一"))
    assert (ding.category, ding.workplace, ding.native_place) == ("局级领导干部", "某区委书记", "")
    assert _audits(session, "duties.delegates.transfer") == 1


def test_run_twice_adds_nobody_and_names_those_already_in(session, office_user, elected):
    e = elected()
    tr.transfer_elected(session, office_user, e.id, tr.TransferChoices(logins=frozenset()), NOW)
    with pytest.raises(Conflict, match="已转入代表名册（3名）"):
        tr.transfer_elected(session, office_user, e.id, tr.TransferChoices(), NOW)
    assert session.scalar(select(func.count()).select_from(TermDelegate)) == 3
    assert session.scalar(select(func.count()).select_from(User).where(User.role == "delegate")) == 0
    assert _audits(session, "duties.delegates.transfer") == 1
    plan = tr.plan_transfer(session, e)
    assert all(r.transferred is not None for r in plan.rows) and plan.pending == []


def test_logins_only_for_the_ticked_and_same_name_user_not_merged(session, office_user, elected, make_user):
    e = elected()
    make_user("delegate", username="wangfang", display_name="王芳")
    session.commit()
    plan = tr.plan_transfer(session, e)
    wang = next(r for r in plan.rows if r.delegate.name == "王芳")
    assert wang.same_name_users == ("wangfang",)
    out = tr.transfer_elected(session, office_user, e.id,
                              tr.TransferChoices(logins=frozenset({wang.delegate.id}),
                                                 usernames={wang.delegate.id: "wangfang2"}), NOW)
    assert [s.username for s in out.slips] == ["wangfang2"]
    t = session.scalar(select(TermDelegate).where(TermDelegate.name == "王芳"))
    assert session.get(User, t.user_id).username == "wangfang2"
    assert session.scalar(select(TermDelegate.user_id).where(TermDelegate.name == "李强")) is None


def test_taken_username_refused_nothing_written(session, office_user, elected, make_user):
    e = elected()
    make_user("office", username="takenname")
    session.commit()
    d = session.scalar(select(Delegate).where(Delegate.election_id == e.id, Delegate.name == "李强"))
    with pytest.raises(ServiceError, match="李强的用户名“takenname”已被使用"):
        tr.transfer_elected(session, office_user, e.id, tr.TransferChoices(usernames={d.id: "takenname"}), NOW)
    assert session.scalar(select(func.count()).select_from(TermDelegate)) == 0


@pytest.mark.parametrize(("title", "level", "refused"), [
    ("某区出席市第十二次党代会代表选举", "区", ""), ("某镇出席镇第五次党代会代表选举", "乡镇", ""),
    ("某区出席省第十三次党代会代表选举", "区", "省级以上党代会"), ("某单位代表选举", "省", "代表名册只管理"),
])
def test_level_from_the_congress_or_refused_in_chinese(session, office_user, elected, title, level, refused):
    e = elected(title=title, level=level)
    plan = tr.plan_transfer(session, e)
    if not refused:
        assert plan.refusal == "" and plan.level == {"市": "市", "镇": "镇"}[plan.congress[0]]
        return
    assert refused in plan.refusal
    with pytest.raises(ServiceError, match=refused):
        tr.transfer_elected(session, office_user, e.id, tr.TransferChoices(), NOW)
    assert session.scalar(select(func.count()).select_from(TermDelegate)) == 0


def test_congress_and_years_from_the_form(session, office_user, elected):
    e = elected(title="某某选举")
    out = tr.transfer_elected(session, office_user, e.id, tr.TransferChoices(
        congress="镇第八次党代会", term_start=date(2024, 2, 29), years=3, logins=frozenset()), NOW)
    t = out.added[0]
    assert (t.level, t.congress, t.term_start, t.term_end) == ("镇", "镇第八次党代会", date(2024, 2, 29),
                                                              date(2027, 2, 28))
    assert tr.derive_congress("出席区第十次党代会代表选举") == "区第十次党代会"


def test_no_result_no_transfer_and_other_roles_refused(session, office_user, make_election, make_user, elected):
    e = make_election(stage="ballot")
    with pytest.raises(ServiceError, match="尚未录入选举结果"):
        tr.transfer_elected(session, office_user, e.id, tr.TransferChoices(), NOW)
    done = elected()
    for role in ("studio", "unit", "delegate", "auditor", "teller"):
        kw = {"office_id": session.scalar(select(DelegateOffice.id)) or _office(session).id} if role == "studio" else {}
        if role == "unit":
            kw = {"unit_id": session.scalar(select(ElectionUnit.unit_id))}
        with pytest.raises(PermissionDenied):
            tr.transfer_elected(session, make_user(role, **kw), done.id, tr.TransferChoices(), NOW)
    with pytest.raises(NotFound):
        tr.transfer_elected(session, office_user, done.id, tr.TransferChoices(offices={999999: 1}), NOW)


def _office(session, name="转入测试工作室"):
    o = DelegateOffice(name=name, level="街道")
    session.add(o)
    session.flush()
    return o


def test_office_per_person_and_bulk_assignment(session, office_user, elected):
    e = elected()
    o1, o2 = _office(session, "甲工作室"), _office(session, "乙工作室")
    session.commit()
    d = session.scalar(select(Delegate).where(Delegate.election_id == e.id, Delegate.name == "王芳"))
    out = tr.transfer_elected(session, office_user, e.id, tr.TransferChoices(offices={d.id: o1.id},
                                                                            logins=frozenset()), NOW)
    assert {t.name: t.office_id for t in out.added} == {"王芳": o1.id, "李强": None, "丁一": None}
    ids = tuple(t.id for t in out.added)
    tr.assign_delegates(session, office_user, tr.Assignment(ids, office_id=o2.id, group_name="第一代表小组",
                                                            leader_id=ids[1]), NOW)
    rows = [session.get(TermDelegate, i) for i in ids]
    assert [(r.office_id, r.group_name, r.group_role) for r in rows] == [
        (o2.id, "第一代表小组", None), (o2.id, "第一代表小组", "组长"), (o2.id, "第一代表小组", None)]
    assert _audits(session, "duties.delegates.assign") == 1
    with pytest.raises(ServiceError, match="组长应为勾选的代表之一"):
        tr.assign_delegates(session, office_user, tr.Assignment(ids[:1], group_name="组", leader_id=ids[2]), NOW)
    with pytest.raises(NotFound):
        tr.assign_delegates(session, office_user, tr.Assignment((ids[0], 999999), group_name="组"), NOW)
    tr.assign_delegates(session, office_user, tr.Assignment(ids[:1], office_id=None), NOW)
    assert session.get(TermDelegate, ids[0]).office_id is None
    assert session.get(TermDelegate, ids[0]).group_name == "第一代表小组"


def test_by_election_result_fills_the_vacated_seat(session, office_user, elected):
    vacated = TermDelegate(name="司马光", gender="男", level="区", congress="区第十二次党代会", term_start=date(2022, 1, 1),
                           term_end=date(2026, 12, 31), electing_unit="补选单位", status="terminated",
                           status_reason="resignation_accepted", status_issuer="中共某区委", status_doc_no="区委〔2026〕1号",
                           status_decided_on=date(2026, 3, 1))
    session.add(vacated)
    session.flush()
    e = elected(title="补选单位补选区第十二次党代会代表", body="补选单位")
    vacated.by_election_id = e.id
    session.commit()
    out = tr.transfer_elected(session, office_user, e.id, tr.TransferChoices(term_start=date(2026, 6, 1),
                                                                            logins=frozenset()), NOW)
    t = out.added[0]
    assert (t.congress, t.level, t.electing_unit, t.term_start, t.term_end) == (
        "区第十二次党代会", "区", "补选单位", date(2026, 6, 1), date(2026, 12, 31))
    assert t.status == "serving" and session.get(Delegate, t.source_delegate_id).election_id == e.id
    entry = session.scalar(select(AuditEntry).where(AuditEntry.action == "duties.delegates.transfer"))
    assert "补选" in entry.summary


def test_import_sheet_carries_the_election_columns(session, office_user):
    """The roll's import sheet takes 籍贯, 入党时间, 参加工作时间, 学历 and 身份类别 (optional, as the template shows)."""
    import io

    from openpyxl import Workbook, load_workbook

    from election.duties.services.delegates import DELEGATE_COLUMNS, import_delegates, render_delegate_template

    template = load_workbook(io.BytesIO(render_delegate_template())).active
    header = [c.value for c in template[1]]
    assert header[-5:] == ["籍贯", "入党时间", "参加工作时间", "学历", "身份类别"]
    wb = Workbook()
    ws = wb.active
    ws.append([h for h, _, _ in DELEGATE_COLUMNS])
    ws.append(["赵强", "男", "1975-03", "汉族", "区", "区第十二次党代会", "2021-09-28", "2026-09-27", "某党工委", "",
               "", "", "", "", "", "陕西宝鸡", "1998.07", "1996年8月", "研究生", "专业技术人员"])
    ws.append(["钱红", "女", "", "", "区", "区第十二次党代会", "2021-09-28", "2026-09-27", "某党工委"])
    buf = io.BytesIO()
    wb.save(buf)
    result = import_delegates(session, office_user, buf.getvalue(), NOW)
    assert result.ok, result.errors
    zhao = session.scalar(select(TermDelegate).where(TermDelegate.name == "赵强"))
    assert (zhao.native_place, zhao.party_join_date, zhao.work_start_date, zhao.education, zhao.category) == (
        "陕西宝鸡", date(1998, 7, 1), date(1996, 8, 1), "研究生", "专业技术人员")
    qian = session.scalar(select(TermDelegate).where(TermDelegate.name == "钱红"))
    assert (qian.native_place, qian.party_join_date, qian.category) == ("", None, "")

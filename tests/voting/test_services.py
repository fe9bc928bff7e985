"""预备人选 and the ballot through the services: rules at their boundaries, one audit per use case."""
from __future__ import annotations

from datetime import date, datetime

import pytest
from sqlalchemy import func, select

from election.audit.models import AuditEntry
from election.core.exceptions import PermissionDenied, ServiceError
from election.directory.models import ElectionUnit
from election.elections.services import MEETING_RULES
from election.nominations.models import Nominee
from election.voting import services as svc
from election.voting.facts import voting_facts
from election.voting.models import BallotRound, Delegate
from workflow.common.idcard import make_id
from workflow.tally.rules import Totals

NOW = datetime(2019, 4, 10, 2, 0)
NAMES = ["王芳", "李娜", "张伟", "陈静", "刘伟", "马力"]


@pytest.fixture
def office(make_user, session):
    user = make_user("office")
    session.commit()
    return user


@pytest.fixture
def tellers(make_user, session):
    pair = make_user("teller"), make_user("teller")
    session.commit()
    return pair


@pytest.fixture
def ballot_election(session, make_election):
    def make(seats: int = 2, names=NAMES[:3], preset: str = "地方组织", voters: int = 10, stage: str = "ballot",
             step: str = "confirmed", **kw):
        election = make_election(stage=stage, units=1, seats=seats, preset=preset, voters=voters,
                                 settings={"meeting_rules": MEETING_RULES[preset],
                                           "margins": {"final_ballot": "1/5"}}, **kw)
        eu = session.scalar(select(ElectionUnit).where(ElectionUnit.election_id == election.id))
        for i, name in enumerate(names):
            session.add(Nominee(election_id=election.id, election_unit_id=eu.id, name=name,
                                gender="女" if i % 2 else "男", ethnicity="汉族", birth_date=date(1975, 3, 1 + i),
                                id_number=make_id("110105", date(1975, 3, 1 + i), i, i % 2 == 0),
                                category="其他一线", step=step, workplace_title=f"{name}的单位"))
        session.commit()  # a savepoint of the test's outer transaction: a failing use case keeps the set-up
        return election

    return make


def _open(session, office, election, eligible=10, present=10, collected=None, mode="totals"):
    collected = present if collected is None else collected
    return svc.open_round(session, office, election.id, svc.RoundInput(eligible, present, collected, collected, mode),
                          NOW)


def _count(session, office, tellers, rnd, valid, invalid=0, **votes):
    t = Totals(valid, invalid, votes)
    svc.enter_totals(session, tellers[0], rnd.id, 1, t, NOW)
    svc.enter_totals(session, tellers[1], rnd.id, 2, t, NOW)
    svc.confirm_count(session, tellers[0], rnd.id, NOW)
    return svc.close_round(session, office, rnd.id, NOW)


# --- threshold ------------------------------------------------------------------------------------------
@pytest.mark.parametrize(("preset", "eligible", "present", "half"), [("地方组织", 10, 8, 5), ("基层组织", 10, 8, 4)])
def test_threshold_exactly_half_not_elected_one_more_elected(session, office, tellers, ballot_election, preset,
                                                             eligible, present, half):
    election = ballot_election(seats=2, preset=preset, voters=eligible)
    rnd = _open(session, office, election, eligible, present)
    # 地方组织: half of 应到会 (10) = 5; 基层组织: half of 实到会 (8) = 4
    result = _count(session, office, tellers, rnd, present, 王芳=half + 1, 李娜=half, 张伟=0)
    assert result.threshold == half + 1
    assert result.elected == ("王芳",) and result.next.value == "additional_round"
    stored = session.get(BallotRound, rnd.id)
    assert stored.status == "closed" and stored.result["elected"] == ["王芳"] and "恰好一半不能当选" in stored.explanation


def test_tie_for_last_seat_revote_among_tied_only(session, office, tellers, ballot_election):
    election = ballot_election(seats=2, names=NAMES[:4], voters=20)
    rnd = _open(session, office, election, 20, 20)
    result = _count(session, office, tellers, rnd, 20, 王芳=18, 李娜=11, 张伟=11, 陈静=0)
    assert result.next.value == "revote_tie" and result.tied == ("李娜", "张伟")
    second = _open(session, office, election, 20, 20)
    assert second.kind == "revote" and second.seats == 1 and sorted(second.candidates) == sorted(["李娜", "张伟"])
    result = _count(session, office, tellers, second, 20, 李娜=12, 张伟=8)
    assert result.elected == ("李娜",)
    outcome = svc.record_result(session, office, election.id, NOW)
    assert outcome.elected == ("王芳", "李娜")  # 姓氏笔画: 王 (4) before 李 (7)


def test_tie_that_does_not_matter_elects_directly(session, office, tellers, ballot_election):
    election = ballot_election(seats=2, names=NAMES[:4])
    result = _count(session, office, tellers, _open(session, office, election), 10, 王芳=9, 李娜=8, 张伟=1, 陈静=1)
    assert result.next.value == "done" and set(result.elected) == {"王芳", "李娜"}


def test_two_additional_rounds_fill_the_seats(session, office, tellers, ballot_election):
    election = ballot_election(seats=3, names=NAMES[:5])
    r1 = _count(session, office, tellers, _open(session, office, election), 10, 王芳=8, 李娜=5, 张伟=4, 陈静=3, 刘伟=1)
    assert r1.elected == ("王芳",) and r1.unfilled_seats == 2
    with pytest.raises(ServiceError, match="另行选举"):
        _open(session, office, election)  # a plan is needed first
    svc.plan_next_round(session, office, election.id, "additional", NOW, candidates_count=3)
    second = _open(session, office, election)
    assert second.kind == "additional" and second.seats == 2 and set(second.candidates) == {"李娜", "张伟", "陈静"}
    r2 = _count(session, office, tellers, second, 10, 李娜=6, 张伟=5, 陈静=4)
    assert r2.elected == ("李娜",)
    svc.plan_next_round(session, office, election.id, "additional", NOW, candidates_count=2)
    third = _open(session, office, election)
    assert third.round_no == 3 and third.seats == 1 and set(third.candidates) == {"张伟", "陈静"}
    r3 = _count(session, office, tellers, third, 10, 张伟=7, 陈静=3)
    assert r3.next.value == "done"
    assert svc.record_result(session, office, election.id, NOW).elected == ("王芳", "李娜", "张伟")


def test_reduce_seats_needs_a_recorded_basis(session, office, tellers, ballot_election):
    election = ballot_election(seats=2)
    _count(session, office, tellers, _open(session, office, election), 10, 王芳=8, 李娜=3, 张伟=2)
    with pytest.raises(ServiceError, match="依据"):
        svc.plan_next_round(session, office, election.id, "reduce", NOW, seats_removed=1, basis="presidium")
    svc.plan_next_round(session, office, election.id, "reduce", NOW, seats_removed=1, basis="presidium",
                        note="大会主席团第三次会议决定")
    assert svc.record_result(session, office, election.id, NOW).elected == ("王芳",)


@pytest.mark.parametrize(("preset", "eligible", "present", "met"),
                         [("地方组织", 10, 6, True), ("地方组织", 10, 5, False),
                          ("基层组织", 10, 8, True), ("基层组织", 10, 7, False)])
def test_quorum_just_met_and_just_missed(session, office, ballot_election, preset, eligible, present, met):
    election = ballot_election(preset=preset, voters=eligible)
    rnd = _open(session, office, election, eligible, present)
    if met:
        assert rnd.status == "open"
    else:
        assert rnd.status == "closed" and rnd.result["next"] == "no_quorum" and "不足法定人数" in rnd.explanation
        again = _open(session, office, election, eligible, eligible)
        assert again.kind == "repeat" and again.round_no == 2


@pytest.mark.parametrize(("collected", "void"), [(9, False), (10, True)])
def test_collected_above_present_voids_the_round(session, office, tellers, ballot_election, collected, void):
    election = ballot_election()
    rnd = _open(session, office, election, 10, 9, collected)
    assert (rnd.status == "closed") is void
    if void:
        assert rnd.result["next"] == "void_round" and rnd.result["invalid_ballots"] == 10
        again = _open(session, office, election, 10, 9, 9)
        assert again.kind == "repeat" and again.seats == 2 and again.candidates == rnd.candidates


# --- double entry ---------------------------------------------------------------------------------------
def test_double_entry_differences_block_confirmation_until_corrected(session, office, tellers, ballot_election):
    election = ballot_election()
    rnd = _open(session, office, election)
    svc.enter_totals(session, tellers[0], rnd.id, 1, Totals(10, 0, {"王芳": 9, "李娜": 6}), NOW)
    svc.enter_totals(session, tellers[1], rnd.id, 2, Totals(9, 1, {"王芳": 8, "李娜": 6}, {"赵敏": 1}), NOW)
    cmp = svc.compare_entries(session, rnd.id)
    assert [(d.field.value, d.name) for d in cmp.differences] == [("valid", None), ("invalid", None),
                                                                 ("for", "王芳"), ("write_in", "赵敏")]
    with pytest.raises(ServiceError, match="4处不同"):
        svc.confirm_count(session, tellers[0], rnd.id, NOW)
    with pytest.raises(ServiceError, match="两位计票人员"):
        svc.enter_totals(session, tellers[0], rnd.id, 2, Totals(10, 0, {"王芳": 9, "李娜": 6}), NOW)
    svc.enter_totals(session, tellers[1], rnd.id, 2, Totals(10, 0, {"王芳": 9, "李娜": 6}), NOW)
    assert svc.compare_entries(session, rnd.id).agree
    svc.confirm_count(session, tellers[1], rnd.id, NOW)
    assert svc.close_round(session, office, rnd.id, NOW).elected == ("王芳", "李娜")


def test_same_teller_cannot_make_both_entries(session, tellers, office, ballot_election):
    rnd = _open(session, office, ballot_election())
    svc.enter_totals(session, tellers[0], rnd.id, 1, Totals(10, 0, {"王芳": 9}), NOW)
    with pytest.raises(ServiceError, match="两位计票人员"):
        svc.enter_totals(session, tellers[0], rnd.id, 2, Totals(10, 0, {"王芳": 9}), NOW)


def test_totals_not_adding_up_are_refused_in_chinese(session, tellers, office, ballot_election):
    rnd = _open(session, office, ballot_election())
    with pytest.raises(ServiceError, match="不等于收回选票"):
        svc.enter_totals(session, tellers[0], rnd.id, 1, Totals(8, 1, {"王芳": 8}), NOW)


def test_office_cannot_enter_totals(session, office, ballot_election):
    rnd = _open(session, office, ballot_election())
    with pytest.raises(PermissionDenied):
        svc.enter_totals(session, office, rnd.id, 1, Totals(10, 0), NOW)


# --- ballot by ballot -----------------------------------------------------------------------------------
def test_ballot_with_seats_valid_one_more_with_write_in_void(session, office, tellers, ballot_election):
    election = ballot_election(seats=2)
    rnd = _open(session, office, election, 5, 5, mode="ballots")
    ok = svc.enter_ballot(session, tellers[0], rnd.id, ["王芳"], ["张伟"], ["赵敏"], NOW)
    void = svc.enter_ballot(session, tellers[0], rnd.id, ["王芳", "李娜"], [], ["赵敏"], NOW)
    assert not ok.void and void.void
    with pytest.raises(ServiceError, match="同时出现"):
        svc.enter_ballot(session, tellers[0], rnd.id, ["王芳"], ["王芳"], [], NOW)
    for _ in range(3):
        svc.enter_ballot(session, tellers[0], rnd.id, ["王芳", "李娜"], [], [], NOW)
    with pytest.raises(ServiceError, match="等于收回选票数"):
        svc.enter_ballot(session, tellers[0], rnd.id, [], [], [], NOW)
    result = svc.close_round(session, office, rnd.id, NOW)
    assert (result.valid_ballots, result.invalid_ballots) == (4, 1)
    assert result.votes["王芳"] == 4 and result.votes["李娜"] == 3 and result.elected == ("王芳", "李娜")
    # replay from the stored totals gives the same state
    assert svc.replay(session, election).finished


# --- 预备人选 -----------------------------------------------------------------------------------------
def test_confirm_meeting_by_votes_more_than_half_of_attendance(session, office, ballot_election):
    election = ballot_election(seats=2, names=NAMES[:4], stage="confirm", step="preliminary")
    ids = {n.name: n.id for n in session.scalars(select(Nominee).where(Nominee.election_id == election.id))}
    votes = {ids["王芳"]: 30, ids["李娜"]: 21, ids["张伟"]: 20, ids["陈静"]: 25}  # 40 present: 21 needed
    out = svc.record_confirm_meeting(session, office, election.id,
                                     svc.ConfirmInput(date(2019, 3, 30), 45, 40, "votes", votes=votes, max_chosen=3),
                                     NOW)
    assert out.chosen == ("王芳", "李娜", "陈静")
    assert session.get(Nominee, ids["张伟"]).step == "preliminary"
    assert not out.warnings  # 3 for 2 seats ≥ 20%


def test_confirm_list_below_margin_warns(session, office, ballot_election):
    election = ballot_election(seats=2, names=NAMES[:3], stage="confirm", step="preliminary")
    ids = [n.id for n in session.scalars(select(Nominee).where(Nominee.election_id == election.id))]
    out = svc.record_confirm_meeting(session, office, election.id,
                                     svc.ConfirmInput(date(2019, 3, 30), 45, 40, "list", chosen_ids=tuple(ids[:2])),
                                     NOW)
    assert [w.code for w in out.warnings] == ["ratio.delegates"]


def test_approval_strikes_a_person_with_reason(session, office, ballot_election):
    election = ballot_election(seats=2, names=NAMES[:4], stage="confirm")
    struck = session.scalar(select(Nominee).where(Nominee.election_id == election.id, Nominee.name == "张伟"))
    out = svc.record_approval_list(session, office, election.id, {struck.id: "档案存疑"}, NOW)
    assert "张伟" not in out.chosen and struck.removed_reason == "上级批复未同意：档案存疑"
    with pytest.raises(ServiceError, match="原因"):
        svc.record_approval_list(session, office, election.id, {struck.id: " "}, NOW)


def test_higher_nominee_category_is_one_of_the_elections(session, office, ballot_election):
    """身份类别 feeds the structure counts: empty or unknown is refused with the choices, a leaf is kept."""
    election = ballot_election(seats=2, higher_nominated_seats=1)
    for category in ("", "领导干部", "干部"):  # empty, a parent (not a leaf), unknown
        with pytest.raises(ServiceError, match="局级领导干部"):
            svc.add_higher_nominee(session, office, election.id,
                                   svc.HigherNomineeInput("丁一", "男", date(1970, 1, 1), category=category), NOW)
    person = svc.add_higher_nominee(session, office, election.id,
                                    svc.HigherNomineeInput("丁一", "男", date(1970, 1, 1), category="处级领导干部"), NOW)
    assert person.category == "处级领导干部"


def test_higher_nominee_joins_ballot_with_own_seats(session, office, tellers, ballot_election):
    election = ballot_election(seats=2, higher_nominated_seats=1)
    svc.add_higher_nominee(session, office, election.id,
                           svc.HigherNomineeInput("丁一", "男", date(1970, 1, 1), category="局级领导干部"), NOW)
    rnd = _open(session, office, election)
    assert rnd.seats == 3 and rnd.candidates[0] == "丁一"
    _count(session, office, tellers, rnd, 10, 丁一=9, 王芳=8, 李娜=7, 张伟=1)
    svc.record_result(session, office, election.id, NOW)
    delegate = session.scalar(select(Delegate).where(Delegate.name == "丁一"))
    assert delegate.higher_nominee_id is not None and delegate.category == "局级领导干部"


def test_scrutineer_cannot_be_a_candidate(session, office, ballot_election):
    election = ballot_election()
    with pytest.raises(ServiceError, match="是候选人"):
        svc.add_scrutineer(session, office, election.id, "王芳", "scrutineer", NOW)
    assert svc.add_scrutineer(session, office, election.id, "赵敏", "counter", NOW).duty == "counter"


def test_scrutineer_registered_once_per_duty(session, office, ballot_election):
    """A double submit stores one 监票人; the same person may still be 计票人 too (another duty)."""
    from election.voting.models import Scrutineer

    election = ballot_election()
    svc.add_scrutineer(session, office, election.id, "赵敏", "scrutineer", NOW)
    with pytest.raises(ServiceError, match="已登记为监票人"):
        svc.add_scrutineer(session, office, election.id, " 赵敏 ", "scrutineer", NOW)
    svc.add_scrutineer(session, office, election.id, "赵敏", "counter", NOW)
    rows = session.scalars(select(Scrutineer.duty).where(Scrutineer.election_id == election.id)).all()
    assert sorted(rows) == ["counter", "scrutineer"]


# --- result ---------------------------------------------------------------------------------------------
def test_result_quota_warning_and_delegates_and_facts(session, office, tellers, ballot_election):
    election = ballot_election(seats=2, quota_rules=[{"code": "women", "label": "女性", "where": {"gender": "女"},
                                                      "min": 1}])
    none_yet = {"result_recorded": False, "result_reported": False, "higher_seats": 0, "higher_registered": 0}
    assert voting_facts(session, election) == none_yet
    _count(session, office, tellers, _open(session, office, election), 10, 王芳=9, 张伟=8, 李娜=2)
    before = session.scalar(select(func.count()).select_from(AuditEntry))
    outcome = svc.record_result(session, office, election.id, NOW)
    assert session.scalar(select(func.count()).select_from(AuditEntry)) == before + 1
    assert [w.code for w in outcome.quota_warnings] == ["quota.women.below_min"]  # 王芳, 张伟 are men
    assert {d.name for d in session.scalars(select(Delegate).where(Delegate.election_id == election.id))} == \
        {"王芳", "张伟"}
    assert voting_facts(session, election) == dict(none_yet, result_recorded=True)
    svc.record_result_report(session, office, election.id, date(2019, 4, 12), "区委〔2019〕8号", NOW)
    assert voting_facts(session, election)["result_reported"]


def test_result_refused_while_seats_empty(session, office, tellers, ballot_election):
    election = ballot_election(seats=2)
    _count(session, office, tellers, _open(session, office, election), 10, 王芳=9, 李娜=2, 张伟=2)
    with pytest.raises(ServiceError, match="尚缺1名"):
        svc.record_result(session, office, election.id, NOW)


def test_documents_render(session, office, tellers, ballot_election):
    import io

    from docx import Document
    from openpyxl import load_workbook

    election = ballot_election(seats=2)
    rnd = _open(session, office, election)
    text = "\n".join(c.text for t in Document(io.BytesIO(svc.ballot_docx(session, rnd.id))).tables
                     for r in t.rows for c in r.cells)
    assert text.index("王芳") < text.index("李娜") < text.index("张伟")
    _count(session, office, tellers, rnd, 10, 王芳=9, 张伟=8, 李娜=2)
    svc.record_result(session, office, election.id, NOW)
    for n in session.scalars(select(Nominee).where(Nominee.election_id == election.id)):
        n.birthplace, n.professional_title, n.resume = f"{n.name}的出生地", "高级经济师", "2001.07—  某局科员"
    session.commit()
    for which in ("elected", "confirmed"):  # the 登记表's own fields are printed at this stage too
        forms = "".join(Document(io.BytesIO(svc.registration_docx(session, election.id, which, date(2019, 4, 10))))
                        .element.body.itertext())
        assert "王芳的出生地" in forms and "高级经济师" in forms and "某局科员" in forms
    for data in (svc.result_report_docx(session, election.id, date(2019, 4, 10)),
                 svc.elected_roster_docx(session, election.id),
                 svc.registration_docx(session, election.id, "elected", date(2019, 4, 10)),
                 svc.registration_docx(session, election.id, "confirmed", date(2019, 4, 10)),
                 svc.confirmed_roster_docx(session, election.id),
                 svc.confirm_report_docx(session, election.id, date(2019, 4, 10))):
        assert Document(io.BytesIO(data)).paragraphs
    ws = load_workbook(io.BytesIO(svc.elected_roster_xlsx(session, election.id))).active
    assert [ws.cell(3, 2).value, ws.cell(4, 2).value] == ["王芳", "张伟"]
    assert load_workbook(io.BytesIO(svc.registration_xlsx(session, election.id))).active.max_row == 4


def test_higher_nominees_fill_their_seats_and_no_more(session, office, ballot_election):
    from election.elections.facts import build_facts
    from workflow.pipeline.transitions import check_transition

    election = ballot_election(stage="confirm", higher_nominated_seats=2)
    facts = build_facts(session, election, date(2019, 4, 1))
    assert (facts.higher_seats, facts.higher_registered) == (2, 0)
    assert "confirm.higher_nominees_missing" in [b.code for b in check_transition(facts).blockers]
    for name in ("上级甲", "上级乙"):
        svc.add_higher_nominee(session, office, election.id, svc.HigherNomineeInput(name, "男", date(1970, 1, 1), category="工人"), NOW)
    facts = build_facts(session, election, date(2019, 4, 1))
    assert "confirm.higher_nominees_missing" not in [b.code for b in check_transition(facts).blockers]
    with pytest.raises(ServiceError, match="上级提名名额为2名，已登记2名"):
        svc.add_higher_nominee(session, office, election.id, svc.HigherNomineeInput("上级丙", "女", date(1971, 1, 1), category="工人"), NOW)


def test_two_entries_by_one_teller_are_never_confirmed(session, tellers, office, ballot_election):
    """Issue 19: two entries left under one name (as a race before the round lock did) cannot confirm the count."""
    from election.voting.models import TellerEntry

    rnd = _open(session, office, ballot_election())
    svc.enter_totals(session, tellers[0], rnd.id, 1, Totals(10, 0, {"王芳": 9}), NOW)
    session.add(TellerEntry(round_id=rnd.id, entry_no=2, teller_id=tellers[0].id,
                            totals=svc.totals_to_json(Totals(10, 0, {"王芳": 9}))))
    session.commit()
    with pytest.raises(ServiceError, match="同一位计票人员"):
        svc.confirm_count(session, tellers[0], rnd.id, NOW)
    assert session.get(BallotRound, rnd.id).status == "open"


def test_a_closed_round_closed_again_is_a_conflict_in_chinese(session, tellers, office, ballot_election):
    from election.core.exceptions import Conflict

    rnd = _open(session, office, ballot_election())
    _count(session, office, tellers, rnd, 10, 王芳=9, 李娜=6)
    with pytest.raises(Conflict, match="本轮已经结束"):
        svc.close_round(session, office, rnd.id, NOW)
    closes = session.scalar(select(func.count()).select_from(AuditEntry).where(
        AuditEntry.action == "voting.close_round", AuditEntry.object_id == str(rnd.id)))
    assert closes == 1


def test_ballots_beyond_the_collected_are_refused_not_failed(session, tellers, office, ballot_election):
    rnd = _open(session, office, ballot_election(), 10, 8, collected=2, mode="ballots")
    for _ in range(2):
        svc.enter_ballot(session, tellers[0], rnd.id, ["王芳"], [], [], NOW)
    with pytest.raises(ServiceError, match="已录入2张，等于收回选票数"):
        svc.enter_ballot(session, tellers[1], rnd.id, ["王芳"], [], [], NOW)

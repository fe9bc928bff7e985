"""The pipeline table, every guard passing and failing, every return edge, abort (docs/rules.md §2)."""
from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta
from fractions import Fraction

import pytest

from workflow.common.results import Blocker
from workflow.pipeline.facts import (
    CandidateCounts,
    ElectionFacts,
    MarginSettings,
    MeetingFacts,
    NoticeFacts,
    NoticeKind,
    PersonFacts,
    UnitFacts,
)
from workflow.pipeline.guards import ballot_minimum
from workflow.pipeline.stages import PIPELINE, InvalidDefinition, MoveKind, Stage
from workflow.pipeline.transitions import (
    TRANSITIONS,
    Transition,
    check_abort,
    check_overdue_reason,
    check_return,
    check_transition,
    enabled_transitions,
    return_targets,
    validate_transitions,
)

TODAY = date(2026, 3, 16)
D = date.fromisoformat

DUE = {s: D("2026-02-08") + timedelta(days=7 * i) for i, s in enumerate(PIPELINE)}  # plan 2/8 … report 4/5
DUE = {s: max(d, TODAY) for s, d in DUE.items()}  # nothing overdue on TODAY


def person(i: int, **kw) -> PersonFacts:
    return PersonFacts(person_id=i, name=f"候选人{i}", unit_name="第一党工委", **kw)


def ready(stage: Stage, **changes) -> ElectionFacts:
    """Facts of an election in STAGE where every guard of the forward move passes."""
    facts = ElectionFacts(
        election_id=7,
        title="出席市第十二次党代会代表选举",
        stage=stage,
        today=TODAY,
        seats=16,
        due_dates=DUE,
        units=(UnitFacts(1, "第一党工委", allocation=11, account_count=2, submitted=True),
               UnitFacts(2, "第二党工委", allocation=11, account_count=1, submitted=True)),
        meetings={s: MeetingFacts("区委常委会", D("2026-03-02"), "区委常〔2026〕5号")
                  for s in (Stage.shortlist, Stage.preliminary, Stage.confirm)},
        notices={k: NoticeFacts(D("2026-03-03"), D("2026-03-09"), 0) for k in NoticeKind},
        shortlisted_people=tuple(person(i, vetting_done=True, discipline_opinion=True) for i in range(24)),
        preliminary_people=tuple(person(i, vetting_done=True, discipline_opinion=True) for i in range(21)),
        higher_consent_recorded=True,
        approval_recorded=True,
        result_recorded=True,
        result_reported=True,
        counts=CandidateCounts(nominated=34, shortlisted=24, preliminary=21, confirmed=21),
        margins=MarginSettings(preliminary_target=21, ballot_margin=Fraction(1, 5)),
    )
    return replace(facts, **changes)


def codes(decision) -> list[str]:
    return [b.code for b in decision.blockers]


# ---------------------------------------------------------------------------------------------------
# The table
# ---------------------------------------------------------------------------------------------------
def test_stage_values_and_labels_are_stable():
    assert [s.value for s in Stage] == ["plan", "deploy", "nominate", "shortlist", "vet", "preliminary", "confirm",
                                        "ballot", "report", "completed", "aborted"]
    assert [s.label for s in PIPELINE] == ["制定工作方案", "工作部署", "推荐提名", "确定考察对象", "考察并第一次公示",
                                          "确定初步人选并第二次公示", "确定预备人选", "差额选举", "结果上报"]
    assert Stage.completed.label == "已完成" and Stage.aborted.label == "已中止"


def test_table_walk_reaches_each_stage_once_and_ends_at_completed():
    seen, stage = [], Stage.plan
    while stage is not Stage.completed:
        assert stage not in seen
        seen.append(stage)
        stage = TRANSITIONS[stage].target
    assert tuple(seen) == PIPELINE
    assert set(TRANSITIONS) == set(PIPELINE)
    validate_transitions(TRANSITIONS)


def _broken(**replacements: Transition | None) -> dict[Stage, Transition]:
    table = dict(TRANSITIONS)
    for name, t in replacements.items():
        if t is None:
            del table[Stage(name)]
        else:
            table[Stage(name)] = t
    return table


@pytest.mark.parametrize("table", [
    _broken(vet=None),                                                       # chain stops
    _broken(deploy=Transition(Stage.deploy, Stage.plan)),                    # cycle
    _broken(plan=Transition(Stage.plan, Stage.nominate)),                    # skips a stage
    _broken(report=Transition(Stage.report, Stage.aborted)),                 # abort is not a forward move
    _broken(completed=Transition(Stage.completed, Stage.plan)),              # final stage moves on
    _broken(ballot=Transition(Stage.confirm, Stage.ballot)),                 # key does not match source
], ids=["stops", "cycle", "skip", "abort_forward", "final_source", "key_mismatch"])
def test_table_validation_rejects_broken_tables(table):
    with pytest.raises(InvalidDefinition):
        validate_transitions(table)


@pytest.mark.parametrize(("seats", "margin", "minimum"), [
    (16, "1/5", 20), (15, "1/5", 18), (10, "1/5", 12), (5, "1/5", 6), (1, "1/5", 2), (16, "0", 16),
    (300, "1/3", 400), (301, "1/3", 402),  # exactly a third: 100 extra, not the 99 of a truncated 33%
])
def test_ballot_minimum_rounds_extra_up(seats, margin, minimum):
    assert ballot_minimum(seats, Fraction(margin)) == minimum


def test_margin_blocker_states_a_third_as_a_fraction():
    facts = ready(Stage.confirm, seats=300, counts=CandidateCounts(nominated=500, shortlisted=420, preliminary=401,
                                                                   confirmed=399),
                  margins=MarginSettings(ballot_margin=Fraction(1, 3)))
    blocker = next(b for b in check_transition(facts).blockers if b.code == "confirm.margin_too_small")
    assert "少于差额选举所需的400名" in blocker.message and "差额不少于1/3" in blocker.message
    facts = replace(facts, counts=replace(facts.counts, confirmed=400))
    assert "confirm.margin_too_small" not in codes(check_transition(facts))


# ---------------------------------------------------------------------------------------------------
# Forward moves: every guard passing
# ---------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("stage", PIPELINE)
def test_transition_allowed_when_all_guards_pass(stage):
    decision = check_transition(ready(stage))
    assert decision.blockers == ()
    assert decision.allowed
    assert decision.target is TRANSITIONS[stage].target
    assert not decision.overdue_override_needed


# ---------------------------------------------------------------------------------------------------
# Forward moves: every guard failing (stage, changes, expected codes)
# ---------------------------------------------------------------------------------------------------
NO_SHORTLIST_MEETING = {s: m for s, m in ready(Stage.plan).meetings.items() if s is not Stage.shortlist}
UNIT1 = ready(Stage.plan).units[0]
UNIT2 = ready(Stage.plan).units[1]
QUOTA_BLOCKER = Blocker("quota.women.below_min", "女性代表不足7名", "选举工作方案（结构要求）")
LIST_BLOCKER = Blocker("nomination.unit_margin", "推荐人选12名，至少需要17名（差额不少于50%）", "地方组织选举工作条例（差额）")


def _meeting(stage: Stage, meeting: MeetingFacts) -> dict:
    return {"meetings": {**ready(stage).meetings, stage: meeting}}


def _notice(kind: NoticeKind, notice: NoticeFacts | None) -> dict:
    notices = dict(ready(Stage.plan).notices)
    if notice is None:
        del notices[kind]
    else:
        notices[kind] = notice
    return {"notices": notices}


def _counts(**kw) -> dict:
    return {"counts": replace(ready(Stage.plan).counts, **kw)}


FAILING = [
    # 制定工作方案
    (Stage.plan, {"seats": 0}, ["plan.no_seats"]),
    (Stage.plan, {"due_dates": {s: d for s, d in DUE.items() if s is not Stage.vet}}, ["plan.due_date_missing"]),
    (Stage.plan, {"due_dates": {**DUE, Stage.report: DUE[Stage.ballot] - timedelta(1)}},
     ["plan.due_dates_out_of_order"]),
    (Stage.plan, {"units": (replace(UNIT1, allocation=0),)}, ["plan.no_unit_allocation"]),
    (Stage.plan, {"units": ()}, ["plan.no_unit_allocation"]),
    (Stage.plan, {"seats": 0, "units": (), "due_dates": {}},
     ["plan.no_seats"] + ["plan.due_date_missing"] * 9 + ["plan.no_unit_allocation"]),
    # 工作部署
    (Stage.deploy, {"units": (UNIT1, replace(UNIT2, account_count=0))}, ["deploy.unit_without_account"]),
    (Stage.deploy, {"units": ()}, ["deploy.no_units"]),
    # 推荐提名
    (Stage.nominate, {"units": (replace(UNIT1, submitted=False), UNIT2)}, ["nominate.unit_not_submitted"]),
    (Stage.nominate, {"units": (replace(UNIT1, submitted=False), replace(UNIT2, submitted=False))},
     ["nominate.unit_not_submitted"] * 2),
    (Stage.nominate, {"units": (replace(UNIT1, submitted=False, exemption_reason="  "), UNIT2)},
     ["nominate.unit_not_submitted"]),
    (Stage.nominate, {"units": (replace(UNIT1, list_blockers=(LIST_BLOCKER,)), UNIT2)}, ["nomination.unit_margin"]),
    (Stage.nominate, {"units": ()}, ["nominate.no_units"]),
    (Stage.nominate, {"units": (replace(UNIT1, submitted=False, list_blockers=(LIST_BLOCKER,)), UNIT2)},
     ["nominate.unit_not_submitted", "nomination.unit_margin"]),
    # 确定考察对象
    (Stage.shortlist, {"meetings": NO_SHORTLIST_MEETING}, ["shortlist.meeting_missing"]),
    (Stage.shortlist, _meeting(Stage.shortlist, MeetingFacts("", None, " ")),
     ["shortlist.meeting_body_missing", "shortlist.meeting_date_missing", "shortlist.meeting_doc_number_missing"]),
    (Stage.shortlist, _meeting(Stage.shortlist, MeetingFacts("区委常委会", TODAY + timedelta(1), "5号")),
     ["shortlist.meeting_in_future"]),
    (Stage.shortlist, _counts(shortlisted=21), ["shortlist.margin_too_small"]),   # 21 for 21: not more
    (Stage.shortlist, {**_counts(shortlisted=20), "margins": MarginSettings(preliminary_target=0)},
     ["shortlist.margin_too_small"]),                                            # must exceed the ballot min 20
    (Stage.shortlist, {"quota_blockers": {Stage.shortlist: (QUOTA_BLOCKER,)}}, ["quota.women.below_min"]),
    # 考察并第一次公示
    (Stage.vet, {"shortlisted_people": (person(1, vetting_done=True), person(2))}, ["vet.vetting_not_done"]),
    (Stage.vet, {"shortlisted_people": ()}, ["vet.no_people"]),
    (Stage.vet, _notice(NoticeKind.first, None), ["vet.notice_not_posted"]),
    (Stage.vet, _notice(NoticeKind.first, NoticeFacts(None, None)), ["vet.notice_not_posted"]),
    (Stage.vet, _notice(NoticeKind.first, NoticeFacts(D("2026-03-03"), None)), ["vet.notice_period_unknown"]),
    (Stage.vet, _notice(NoticeKind.first, NoticeFacts(D("2026-03-10"), TODAY)), ["vet.notice_period_running"]),
    (Stage.vet, _notice(NoticeKind.first, NoticeFacts(D("2026-03-03"), D("2026-03-09"), open_complaints=1)),
     ["vet.open_complaints"]),
    # 确定初步人选并第二次公示
    (Stage.preliminary, {"meetings": {}}, ["preliminary.meeting_missing"]),
    (Stage.preliminary, _counts(preliminary=24), ["preliminary.not_fewer_than_shortlist"]),
    (Stage.preliminary, _counts(preliminary=19), ["preliminary.margin_too_small"]),
    (Stage.preliminary, {"preliminary_people": (person(1, discipline_opinion=True), person(2))},
     ["preliminary.discipline_opinion_missing"]),
    (Stage.preliminary, {"preliminary_people": ()}, ["preliminary.no_people"]),
    (Stage.preliminary, {"higher_consent_recorded": False}, ["preliminary.higher_consent_missing"]),
    (Stage.preliminary, _notice(NoticeKind.second, NoticeFacts(D("2026-03-10"), D("2026-03-16"), 2)),
     ["preliminary.notice_period_running", "preliminary.open_complaints"]),
    (Stage.preliminary, _notice(NoticeKind.second, None), ["preliminary.notice_not_posted"]),
    # 确定预备人选
    (Stage.confirm, _meeting(Stage.confirm, MeetingFacts("区委全委会", D("2026-03-12"), "")),
     ["confirm.meeting_doc_number_missing"]),
    (Stage.confirm, _counts(confirmed=19), ["confirm.margin_too_small"]),
    (Stage.confirm, _counts(confirmed=22), ["confirm.more_than_preliminary"]),
    (Stage.confirm, {"approval_recorded": False}, ["confirm.approval_missing"]),
    # 差额选举, 结果上报
    (Stage.ballot, {"result_recorded": False}, ["ballot.result_missing"]),
    (Stage.report, {"result_reported": False}, ["report.not_reported"]),
]


@pytest.mark.parametrize(("stage", "changes", "expected"), FAILING,
                         ids=[f"{s.value}-{'+'.join(e)}" for s, _, e in FAILING])
def test_transition_blocked_lists_every_failing_guard(stage, changes, expected):
    decision = check_transition(ready(stage, **changes))
    assert not decision.allowed
    assert decision.target is TRANSITIONS[stage].target
    assert codes(decision) == expected
    for b in decision.blockers:
        assert b.message and b.source


def test_transition_collects_blockers_of_all_guards_at_once():
    facts = ready(Stage.preliminary, meetings={}, higher_consent_recorded=False, preliminary_people=(person(1),),
                  **_counts(preliminary=19),
                  quota_blockers={Stage.preliminary: (Blocker("quota.minority.below_min", "少数民族不足"),)})
    assert codes(check_transition(facts)) == [
        "preliminary.meeting_missing", "preliminary.margin_too_small", "preliminary.discipline_opinion_missing",
        "preliminary.higher_consent_missing", "quota.minority.below_min"]


@pytest.mark.parametrize(("changes", "allowed"), [
    (_counts(shortlisted=22), True),    # exactly one more than 21 初步人选
    (_counts(shortlisted=21), False),
])
def test_shortlist_margin_boundary(changes, allowed):
    assert check_transition(ready(Stage.shortlist, **changes)).allowed is allowed


@pytest.mark.parametrize(("preliminary", "confirmed", "allowed"), [(20, 20, True), (21, 20, True), (20, 19, False),
                                                                   (21, 21, True), (20, 21, False)])
def test_confirm_margin_boundary_sixteen_seats_need_twenty(preliminary, confirmed, allowed):
    facts = ready(Stage.confirm, **_counts(preliminary=preliminary, confirmed=confirmed))
    assert check_transition(facts).allowed is allowed


@pytest.mark.parametrize(("today", "allowed"), [(D("2026-03-09"), False), (D("2026-03-10"), True)])
def test_notice_period_over_only_after_its_last_day(today, allowed):
    facts = ready(Stage.vet, today=today, meetings={})
    assert check_transition(facts).allowed is allowed


def test_nominate_exempted_unit_with_reason_passes_and_its_list_is_not_checked():
    unit = replace(UNIT1, submitted=False, exemption_reason="本单位无符合条件人选", list_blockers=(LIST_BLOCKER,))
    assert check_transition(ready(Stage.nominate, units=(unit, UNIT2))).allowed


def test_nominate_blocker_names_the_unit_and_says_what_to_do():
    decision = check_transition(ready(Stage.nominate, units=(UNIT1, replace(UNIT2, submitted=False))))
    (blocker,) = decision.blockers
    assert "第二党工委" in blocker.message and "提交" in blocker.message


def test_nominate_list_blocker_passed_through_with_unit_name():
    decision = check_transition(ready(Stage.nominate, units=(replace(UNIT1, list_blockers=(LIST_BLOCKER,)), UNIT2)))
    (blocker,) = decision.blockers
    assert blocker.code == LIST_BLOCKER.code and blocker.source == LIST_BLOCKER.source
    assert blocker.message.startswith("推荐单位“第一党工委”")


def test_vetting_blocker_names_the_person():
    decision = check_transition(ready(Stage.vet, shortlisted_people=(person(3),)))
    assert "候选人3（第一党工委）" in decision.blockers[0].message


def test_quota_blockers_of_other_stages_do_not_block():
    quota = {Stage.confirm: (Blocker("quota.women.below_min", "女性不足"),)}
    assert check_transition(ready(Stage.shortlist, quota_blockers=quota)).allowed


@pytest.mark.parametrize("stage", [Stage.completed, Stage.aborted])
def test_transition_from_final_stage_refused(stage):
    decision = check_transition(ready(stage))
    assert decision.target is None and codes(decision) == ["stage.final"]
    assert not decision.allowed


# ---------------------------------------------------------------------------------------------------
# Overdue override
# ---------------------------------------------------------------------------------------------------
@pytest.mark.parametrize(("days_after_due", "needed"), [(-1, False), (0, False), (1, True)])
def test_overdue_override_needed_only_after_due_date(days_after_due, needed):
    due = DUE[Stage.ballot]
    decision = check_transition(ready(Stage.ballot, today=due + timedelta(days_after_due)))
    assert decision.allowed  # overdue never blocks by itself
    assert decision.overdue_override_needed is needed
    expected = ["stage.overdue_reason_required"] if needed else []
    assert [b.code for b in check_overdue_reason(decision, " ")] == expected
    assert check_overdue_reason(decision, "因疫情推迟") == []


# ---------------------------------------------------------------------------------------------------
# Return (退回) and abort (中止)
# ---------------------------------------------------------------------------------------------------
RETURN_EDGES = [(s, t) for i, s in enumerate(PIPELINE) for t in PIPELINE[:i]]


def test_return_edges_are_every_earlier_stage_nearest_first():
    assert return_targets(Stage.plan) == ()
    assert return_targets(Stage.vet) == (Stage.shortlist, Stage.nominate, Stage.deploy, Stage.plan)
    assert return_targets(Stage.completed) == () and return_targets(Stage.aborted) == ()
    assert len(RETURN_EDGES) == 36


@pytest.mark.parametrize(("source", "target"), RETURN_EDGES, ids=[f"{s.value}->{t.value}" for s, t in RETURN_EDGES])
def test_return_allowed_with_reason_refused_without(source, target):
    facts = ready(source, result_recorded=False, meetings={})  # guards of the forward move do not matter
    ok = check_return(facts, target, "名单有误，需重新确定")
    assert ok.allowed and ok.target is target and not ok.overdue_override_needed
    blank = check_return(facts, target, "  \n")
    assert not blank.allowed and codes(blank) == ["return.reason_required"]


@pytest.mark.parametrize(("source", "target"), [(Stage.vet, Stage.vet), (Stage.vet, Stage.preliminary),
                                                (Stage.plan, Stage.plan), (Stage.report, Stage.completed),
                                                (Stage.nominate, Stage.aborted)])
def test_return_to_same_or_later_stage_refused(source, target):
    decision = check_return(ready(source), target, "理由")
    assert not decision.allowed and codes(decision) == ["return.not_earlier"]


@pytest.mark.parametrize("stage", [Stage.completed, Stage.aborted])
def test_return_from_final_stage_refused(stage):
    assert codes(check_return(ready(stage), Stage.plan, "理由")) == ["stage.final"]


@pytest.mark.parametrize("stage", PIPELINE)
def test_abort_from_any_working_stage_needs_reason(stage):
    ok = check_abort(ready(stage, seats=0, result_recorded=False), "上级通知暂停本次选举")
    assert ok.allowed and ok.target is Stage.aborted
    blank = check_abort(ready(stage), "")
    assert codes(blank) == ["abort.reason_required"]


@pytest.mark.parametrize("stage", [Stage.completed, Stage.aborted])
def test_abort_from_final_stage_refused(stage):
    assert codes(check_abort(ready(stage), "理由")) == ["stage.final"]


# ---------------------------------------------------------------------------------------------------
# Enabled moves (the page's buttons)
# ---------------------------------------------------------------------------------------------------
def test_enabled_transitions_offer_advance_returns_and_abort():
    moves = enabled_transitions(ready(Stage.shortlist))
    assert [(m.kind, m.target) for m in moves] == [
        (MoveKind.advance, Stage.vet), (MoveKind.back, Stage.nominate), (MoveKind.back, Stage.deploy),
        (MoveKind.back, Stage.plan), (MoveKind.abort, Stage.aborted)]
    assert not moves[0].reason_required and all(m.reason_required for m in moves[1:])


def test_enabled_transitions_without_advance_when_blocked():
    moves = enabled_transitions(ready(Stage.plan, seats=0))
    assert [(m.kind, m.target) for m in moves] == [(MoveKind.abort, Stage.aborted)]


def test_enabled_transitions_overdue_advance_requires_reason():
    moves = enabled_transitions(ready(Stage.report, today=DUE[Stage.report] + timedelta(1)))
    assert moves[0].kind is MoveKind.advance and moves[0].reason_required and moves[0].overdue_override_needed


@pytest.mark.parametrize("stage", [Stage.completed, Stage.aborted])
def test_enabled_transitions_none_when_final(stage):
    assert enabled_transitions(ready(stage)) == []


@pytest.mark.parametrize(("seats", "registered", "blocked"), [(0, 0, False), (3, 3, False), (3, 2, True), (3, 0, True)])
def test_ballot_needs_every_higher_nominated_seat_filled(seats, registered, blocked):
    facts = ready(Stage.confirm, higher_seats=seats, higher_registered=registered)
    assert ("confirm.higher_nominees_missing" in codes(check_transition(facts))) is blocked
    if blocked:
        message = next(b.message for b in check_transition(facts).blockers)
        assert f"上级提名名额{seats}名，已登记上级提名人选{registered}名" in message

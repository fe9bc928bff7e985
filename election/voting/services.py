"""Use cases of 预备人选 and the ballot (issue 7): one function = one transaction + one audit entry.

The rules are the pure ones of ``workflow.tally.count`` / ``workflow.tally.rounds`` (domain.md §3.3); this module maps
rows to them and back. The state of the voting (which round comes next, with which seats and candidates) is
always replayed from the closed rounds and the recorded plans, never stored twice.

Decisions taken where the issue is silent:

* 上级提名 candidates are on the same ballot as the 预备人选; the round's seats are ``seats +
  higher_nominated_seats``. Margins and quotas are judged on the 预备人选 and the ``seats`` alone (不含上级提名).
* A round that does not stand (no quorum, more ballots collected than present) is closed when it is opened:
  nothing is counted and the next round repeats it.
* The candidates of a 另行选举: the number defaults to the seats still empty plus the ballot margin of the
  election (e.g. 20%, rounded up), the same rule as the main ballot.
* 全委会 votes per person: chosen are those with more than half of the members present, most votes first, at most
  ``max_chosen``; a tie at that cutoff is refused (the meeting votes again among the tied).
* Teller entries: only 监票计票人员 enter; entry 2 must come from another person than entry 1.
"""
from __future__ import annotations

import io
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from fractions import Fraction

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from election.audit.services import audit
from election.core.db import transaction
from election.core.exceptions import Conflict, NotFound, ServiceError
from election.core.permissions import can_manage_elections, has_role, require
from election.core.roles import Role
from election.directory.models import ElectionUnit, Unit
from election.elections.facts import ballot_margin, quota_rules, reference_date, to_candidate
from election.elections.models import Election, ElectionDecision
from election.nominations.models import Nominee
from election.voting.models import (
    BallotPaper,
    BallotRound,
    ConfirmMeeting,
    Delegate,
    HigherNominee,
    RoundPlan,
    Scrutineer,
    TellerEntry,
    VotingResult,
)
from workflow.common.results import Blocker, DomainError
from workflow.common.strokes import sort_by_name, sort_names
from workflow.pipeline.ratios import MarginStep, check_step_margin, min_candidates, parse_margin
from workflow.pipeline.stages import Stage
from workflow.quotas.checks import check_feasibility_blockers, check_list_blockers
from workflow.tally.checks import check_ballots, check_totals
from workflow.tally.count import TallyResult, tally_ballots, tally_totals
from workflow.tally.rounds import ElectionRounds, ReductionBasis, start_election
from workflow.tally.rules import (
    MajorityBase,
    QuorumRule,
    RoundKind,
    RoundSetup,
    RulePreset,
    Totals,
    compare_teller_entries,
    get_preset,
    threshold_for,
)

SRC = "domain.md §3.3"
KIND_TO_DB = {RoundKind.regular: "regular", RoundKind.repeat: "repeat", RoundKind.revote_tie: "revote",
              RoundKind.additional: "additional"}
DB_TO_KIND = {v: k for k, v in KIND_TO_DB.items()}
KIND_LABELS = {"regular": "正式选举", "repeat": "重新投票", "revote": "并列者再次投票", "additional": "另行选举"}
STATUS_LABELS = {"open": "计票中", "confirmed": "计票已确认", "closed": "已结束"}


# --- permissions ---------------------------------------------------------------------------------------
def can_enter_count(user) -> bool:
    """监票计票人员 enter the totals and the ballots (issue 7: double entry by two tellers)."""
    return has_role(user, Role.teller)


def can_confirm_count(user) -> bool:
    return has_role(user, Role.teller, Role.office, Role.admin)


# --- helpers -------------------------------------------------------------------------------------------
def _election(session: Session, election_id: int) -> Election:
    election = session.get(Election, election_id)
    if election is None:
        raise NotFound("选举不存在。")
    return election


def _round(session: Session, round_id: int) -> BallotRound:
    rnd = session.get(BallotRound, round_id)
    if rnd is None:
        raise NotFound("该轮投票不存在。")
    return rnd


def _need_stage(election: Election, *stages: Stage) -> None:
    if election.stage not in stages:
        names = "、".join(f"“{s.label}”" for s in stages)
        raise ServiceError(f"选举现处于“{Stage(election.stage).label}”阶段，此操作只能在{names}阶段进行。")


def _pad(election: Election) -> bool:
    return bool((election.settings or {}).get("pad_single_given_name", False))


def rule_preset(election: Election) -> RulePreset:
    """The election's meeting rules (来源: domain.md §3.3; editable per election in its settings)."""
    base = get_preset(election.preset)
    rules = (election.settings or {}).get("meeting_rules") or {}
    share = parse_margin(rules["quorum"]) if "quorum" in rules else base.quorum_share
    strict = rules.get("quorum_strict")
    quorum_rule = base.quorum_rule if strict is None else (QuorumRule.more_than if strict else QuorumRule.at_least)
    majority = MajorityBase(rules.get("majority_base", base.majority_base.value))
    return RulePreset(base.name, Fraction(share), quorum_rule, majority)


def _ballot_margin(election: Election) -> Fraction:
    return ballot_margin(election.settings or {})


def total_seats(election: Election) -> int:
    """Seats on the ballot: 应选名额 plus the higher committee's own seats (counted separately)."""
    return election.seats + (election.higher_nominated_seats or 0)


def confirmed_people(session: Session, election_id: int) -> list[Nominee]:
    return list(session.scalars(select(Nominee).where(Nominee.election_id == election_id, Nominee.step == "confirmed",
                                                      Nominee.removed_reason.is_(None))))


def higher_people(session: Session, election_id: int) -> list[HigherNominee]:
    return list(session.scalars(select(HigherNominee).where(HigherNominee.election_id == election_id)
                                .order_by(HigherNominee.id)))


def ballot_candidates(session: Session, election: Election) -> list[str]:
    """预备人选 and 上级提名 candidates, in 姓氏笔画 order (来源: domain.md §3.4)."""
    names = [p.name for p in confirmed_people(session, election.id)] + \
            [h.name for h in higher_people(session, election.id)]
    return sort_names(names, pad_single_given_name=_pad(election))


def totals_to_json(t: Totals) -> dict:
    return {"valid": t.valid, "invalid": t.invalid, "for": dict(t.for_votes), "against": dict(t.against),
            "write_in": dict(t.write_in)}


def totals_from_json(d: Mapping | None) -> Totals:
    d = d or {}
    return Totals(valid=int(d.get("valid", 0)), invalid=int(d.get("invalid", 0)), for_votes=dict(d.get("for", {})),
                  write_in=dict(d.get("write_in", {})), against=dict(d.get("against", {})))


def _setup_of(election: Election, rnd: BallotRound, preset: RulePreset | None = None) -> RoundSetup:
    return RoundSetup(preset or rule_preset(election), rnd.seats, rnd.eligible, rnd.present, rnd.ballots_collected,
                      tuple(rnd.candidates), round_no=rnd.round_no, kind=DB_TO_KIND[rnd.kind],
                      pad_single_given_name=_pad(election))


def _rounds_and_plans(session: Session, election_id: int) -> tuple[list[BallotRound], list[RoundPlan]]:
    rounds = list(session.scalars(select(BallotRound).where(BallotRound.election_id == election_id)
                                  .order_by(BallotRound.round_no)))
    plans = list(session.scalars(select(RoundPlan).where(RoundPlan.election_id == election_id)
                                 .order_by(RoundPlan.id)))
    return rounds, plans


def replay(session: Session, election: Election, rounds: Sequence[BallotRound] | None = None,
           plans: Sequence[RoundPlan] | None = None, candidates: Sequence[str] | None = None) -> ElectionRounds:
    """The election's voting as the pure :class:`ElectionRounds`, from its closed rounds and plans."""
    if rounds is None or plans is None:
        rounds, plans = _rounds_and_plans(session, election.id)
    preset = rule_preset(election)
    first = rounds[0].candidates if rounds else (candidates if candidates is not None
                                                 else ballot_candidates(session, election))
    state = start_election(preset, total_seats(election), first, pad_single_given_name=_pad(election))
    by_round: dict[int, list[RoundPlan]] = {}
    for p in plans:
        by_round.setdefault(p.after_round_no, []).append(p)
    for rnd in rounds:
        if rnd.status != "closed":
            break
        state = state.record(_tally(election, rnd, preset))
        for p in by_round.get(rnd.round_no, []):
            if p.kind == "additional":
                state = state.plan_additional_round(p.candidates_count)
            else:
                state = state.reduce_seats(p.seats_removed, ReductionBasis(p.basis), p.note)
    return state


def _tally(election: Election, rnd: BallotRound, preset: RulePreset | None = None) -> TallyResult:
    return tally_totals(_setup_of(election, rnd, preset), totals_from_json(rnd.confirmed_totals))


# --- 预备人选 -----------------------------------------------------------------------------------------
@dataclass(frozen=True)
class ConfirmInput:
    held_on: date
    members: int
    attendance: int
    mode: str  # 'list' | 'votes'
    chosen_ids: tuple[int, ...] = ()
    votes: Mapping[int, int] = field(default_factory=dict)
    max_chosen: int | None = None
    body: str = "全委会"


@dataclass(frozen=True)
class ConfirmOutcome:
    chosen: tuple[str, ...]  # 姓氏笔画 order
    warnings: tuple[Blocker, ...]  # margin and quota problems (the stage guard blocks on them)


def select_by_votes(votes: Mapping[int, int], attendance: int, max_chosen: int,
                    names: Mapping[int, str]) -> list[int]:
    """全委会 圈选 by votes: more than half of the members present, most votes first, at most ``max_chosen``;
    a tie at the cutoff raises (the meeting votes again among the tied). Decision, see module docstring."""
    need = threshold_for(attendance)  # strictly more than half (domain.md §3.3)
    passed = sorted((i for i, n in votes.items() if n >= need), key=lambda i: -votes[i])
    if len(passed) > max_chosen:
        cutoff = votes[passed[max_chosen - 1]]
        if votes[passed[max_chosen]] == cutoff:
            tied = "、".join(names[i] for i in passed if votes[i] == cutoff)
            raise ServiceError(f"{tied}各得{cutoff}票，并列于第{max_chosen}位，请在并列者中再次圈选后重新录入。")
        passed = passed[:max_chosen]
    return passed


def _ballot_warnings(session: Session, election: Election, people: Sequence[Nominee], today: date) -> list[Blocker]:
    """The margin of the final ballot and the quotas, judged on the 预备人选 against the seats (domain.md §3.1, §3.2)."""
    out = list(check_step_margin(MarginStep.delegates, len(people), election.seats, _ballot_margin(election)))
    if election.quota_rules:
        out += check_feasibility_blockers([to_candidate(p) for p in people], quota_rules(election),
                                          reference_date(election, today), election.seats)
    return out


def record_confirm_meeting(session: Session, actor, election_id: int, data: ConfirmInput, now: datetime) -> ConfirmOutcome:
    """Record the 全委会 圈选 and make the chosen 初步人选 预备人选 (step 'confirmed'); re-recording replaces it."""
    require(can_manage_elections(actor))
    if data.mode not in ("list", "votes"):
        raise ServiceError("请选择录入方式：圈选名单或逐人得票。")
    if data.members <= 0 or not 0 < data.attendance <= data.members:
        raise ServiceError("到会委员人数应大于0且不多于应到会委员人数，请核对。")
    with transaction(session):
        election = _election(session, election_id)
        _need_stage(election, Stage.confirm)
        pool = {p.id: p for p in session.scalars(select(Nominee).where(
            Nominee.election_id == election_id, Nominee.step.in_(("preliminary", "confirmed")),
            Nominee.removed_reason.is_(None)))}
        names = {i: p.name for i, p in pool.items()}
        if data.mode == "list":
            chosen_ids = list(dict.fromkeys(data.chosen_ids))
            unknown = [i for i in chosen_ids if i not in pool]
            max_chosen = None
            votes = None
        else:
            unknown = [i for i in data.votes if i not in pool]
            bad = [names.get(i, str(i)) for i, n in data.votes.items() if n < 0 or n > data.attendance]
            if bad:
                raise ServiceError(f"{'、'.join(bad)}的得票应在0到到会委员人数{data.attendance}之间，请核对。")
            if not data.max_chosen or data.max_chosen <= 0:
                raise ServiceError("按得票确定时，请填写预备人选的人数上限。")
            max_chosen = data.max_chosen
            votes = {str(i): n for i, n in data.votes.items()}
            chosen_ids = select_by_votes({i: n for i, n in data.votes.items() if i in pool}, data.attendance,
                                         max_chosen, names)
        if unknown:
            raise ServiceError("所选人员不在初步人选之中，请刷新页面后重新选择。")
        if not chosen_ids:
            raise ServiceError("没有确定任何预备人选，请核对圈选结果。")
        meeting = session.scalar(select(ConfirmMeeting).where(ConfirmMeeting.election_id == election_id))
        before = None
        if meeting is None:
            meeting = ConfirmMeeting(election_id=election_id)
            session.add(meeting)
        else:
            before = {"chosen": meeting.chosen, "attendance": meeting.attendance}
        meeting.body, meeting.held_on, meeting.members, meeting.attendance = data.body, data.held_on, data.members, \
            data.attendance
        meeting.mode, meeting.votes, meeting.max_chosen, meeting.chosen = data.mode, votes, max_chosen, chosen_ids
        for i, p in pool.items():
            p.step = "confirmed" if i in set(chosen_ids) else "preliminary"
        chosen_people = [pool[i] for i in chosen_ids]
        warnings = _ballot_warnings(session, election, chosen_people, now.date())
        chosen = tuple(sort_names([p.name for p in chosen_people], pad_single_given_name=_pad(election)))
        audit(session, actor, "voting.confirm_meeting", election,
              summary=f"登记{data.body}圈选结果：到会委员{data.attendance}名（应到{data.members}名），"
                      f"确定预备人选{len(chosen)}名", before=before,
              after={"chosen": list(chosen), "mode": data.mode, "votes": votes, "max_chosen": max_chosen}, now=now)
    return ConfirmOutcome(chosen, tuple(warnings))


def record_approval_list(session: Session, actor, election_id: int, struck: Mapping[int, str],
                         now: datetime) -> ConfirmOutcome:
    """The 批复's approved list: every 预备人选 not struck is approved; a struck person leaves with the reason.
    (The 批复 itself — document number, date — is recorded with elections.record_decision(kind='approval').)"""
    require(can_manage_elections(actor))
    missing = [i for i, reason in struck.items() if not (reason or "").strip()]
    if missing:
        raise ServiceError("上级未批准的人员须填写原因。")
    with transaction(session):
        election = _election(session, election_id)
        _need_stage(election, Stage.confirm)
        people = {p.id: p for p in confirmed_people(session, election_id)}
        if any(i not in people for i in struck):
            raise ServiceError("所选人员不是预备人选，请刷新页面后重新选择。")
        removed = []
        for i, reason in struck.items():
            people[i].removed_reason = f"上级批复未同意：{reason.strip()}"
            removed.append(people[i].name)
        remaining = [p for i, p in people.items() if i not in struck]
        warnings = _ballot_warnings(session, election, remaining, now.date())
        approved = tuple(sort_names([p.name for p in remaining], pad_single_given_name=_pad(election)))
        audit(session, actor, "voting.approval_list", election,
              summary=f"登记批复名单：同意预备人选{len(approved)}名"
                      + (f"，未同意{len(removed)}名（{'、'.join(removed)}）" if removed else ""),
              after={"approved": list(approved), "struck": {people[i].name: r for i, r in struck.items()}}, now=now)
    return ConfirmOutcome(approved, tuple(warnings))


@dataclass(frozen=True)
class HigherNomineeInput:
    name: str
    gender: str
    birth_date: date
    ethnicity: str = "汉族"
    category: str = ""
    workplace_title: str = ""
    note: str = ""


def add_higher_nominee(session: Session, actor, election_id: int, data: HigherNomineeInput,
                       now: datetime) -> HigherNominee:
    """A candidate nominated by the higher committee joins the ballot (own seats, counted separately)."""
    require(can_manage_elections(actor))
    name = data.name.strip()
    if not name:
        raise ServiceError("请填写上级提名人选的姓名。")
    if data.gender not in ("男", "女"):
        raise ServiceError("性别只能是“男”或“女”。")
    with transaction(session):
        election = _election(session, election_id)
        _need_stage(election, Stage.confirm, Stage.ballot)
        if not election.higher_nominated_seats:
            raise ServiceError("本次选举的工作方案没有上级提名名额；如有，请先在工作方案中设置。")
        if session.scalar(select(func.count()).select_from(BallotRound).where(BallotRound.election_id == election_id)):
            raise ServiceError("投票已经开始，不能再增加候选人。")
        registered = len(higher_people(session, election_id))
        if registered >= election.higher_nominated_seats:
            raise ServiceError(f"上级提名名额为{election.higher_nominated_seats}名，已登记{registered}名，"
                               f"不能再增加；如需调整，请先修改工作方案中的上级提名名额。")
        taken = set(ballot_candidates(session, election))
        if name in taken:
            raise ServiceError(f"“{name}”已在候选人名单中（同名请在姓名后加注以示区别）。")
        person = HigherNominee(election_id=election_id, name=name, gender=data.gender, birth_date=data.birth_date,
                               ethnicity=data.ethnicity or "汉族", category=data.category,
                               workplace_title=data.workplace_title, note=data.note)
        session.add(person)
        session.flush()
        audit(session, actor, "voting.higher_nominee", person, summary=f"登记上级提名人选“{name}”",
              after={"name": name, "gender": data.gender, "category": data.category}, now=now)
    return person


def add_scrutineer(session: Session, actor, election_id: int, name: str, duty: str, now: datetime,
                   round_id: int | None = None) -> Scrutineer:
    """A 监票人 / 计票人; a candidate of the election cannot be one (来源: issue 7)."""
    require(can_manage_elections(actor))
    name = name.strip()
    if duty not in ("scrutineer", "counter") or not name:
        raise ServiceError("请填写姓名并选择监票人或计票人。")
    with transaction(session):
        election = _election(session, election_id)
        candidates = set(ballot_candidates(session, election))
        rounds = session.scalars(select(BallotRound.candidates).where(BallotRound.election_id == election_id)).all()
        for c in rounds:
            candidates.update(c)
        if name in candidates:
            raise ServiceError(f"“{name}”是候选人，不能担任监票人或计票人，请另选。")
        s = Scrutineer(election_id=election_id, round_id=round_id, name=name, duty=duty)
        session.add(s)
        session.flush()
        label = "监票人" if duty == "scrutineer" else "计票人"
        audit(session, actor, "voting.scrutineer", s, summary=f"确定{label}“{name}”", after={"name": name, "duty": duty},
              now=now)
    return s


# --- rounds ------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class RoundInput:
    eligible: int
    present: int
    ballots_issued: int
    ballots_collected: int
    count_mode: str = "totals"


def open_round(session: Session, actor, election_id: int, data: RoundInput, now: datetime) -> BallotRound:
    """Start the next round the rules call for (first, repeat, re-vote among the tied, 另行选举) with the meeting's
    figures. A round without a quorum, or with more ballots collected than present, is closed at once as void."""
    require(can_manage_elections(actor))
    if data.count_mode not in ("totals", "ballots"):
        raise ServiceError("请选择计票方式。")
    if data.eligible <= 0 or data.present < 0 or data.present > data.eligible:
        raise ServiceError(f"实到会人数（{data.present}）应在0到应到会人数（{data.eligible}）之间，请核对。")
    if data.ballots_issued < 0 or data.ballots_collected < 0:
        raise ServiceError("发出和收回的选票数不能为负数。")
    with transaction(session):
        election = _election(session, election_id)
        _need_stage(election, Stage.ballot)
        rounds, plans = _rounds_and_plans(session, election_id)
        if rounds and rounds[-1].status != "closed":
            raise Conflict(f"第{rounds[-1].round_no}轮尚未结束，请先完成计票。")
        state = replay(session, election, rounds, plans)
        if not rounds and len(state.candidates) < 1:
            raise ServiceError("还没有候选人：请先确定预备人选。")
        try:
            setup = state.next_round(eligible=data.eligible, present=data.present,
                                     ballots_collected=data.ballots_collected)
        except DomainError as exc:
            raise ServiceError(exc.message) from None
        rnd = BallotRound(election_id=election_id, round_no=setup.round_no, kind=KIND_TO_DB[setup.kind],
                          seats=setup.seats, eligible=data.eligible, present=data.present,
                          ballots_issued=data.ballots_issued, ballots_collected=data.ballots_collected,
                          candidates=setup.sort_names(setup.candidates), count_mode=data.count_mode, status="open",
                          opened_at=now)
        session.add(rnd)
        session.flush()
        early = tally_totals(setup, Totals(0, 0)) if _does_not_stand(setup) else None
        if early is not None:
            rnd.confirmed_totals = totals_to_json(Totals(0, data.ballots_collected))
            _store_result(rnd, early, now)
        audit(session, actor, "voting.open_round", rnd,
              summary=f"第{rnd.round_no}轮（{KIND_LABELS[rnd.kind]}）：应到会{data.eligible}人，实到会{data.present}人，"
                      f"发出选票{data.ballots_issued}张，收回{data.ballots_collected}张"
                      + (f"；{early.next.label}" if early is not None else ""),
              after={"seats": rnd.seats, "candidates": rnd.candidates}, now=now)
    return rnd


def _does_not_stand(setup: RoundSetup) -> bool:
    return not setup.preset.quorum_met(setup.eligible, setup.present) or setup.ballots_collected > setup.present


def _store_result(rnd: BallotRound, result: TallyResult, now: datetime) -> None:
    rnd.result = {**result.as_json(), "against": dict(result.against), "passed": list(result.passed),
                  "base": result.base}
    rnd.explanation = result.explanation
    rnd.status = "closed"
    rnd.closed_at = now


def _parse_totals(rnd: BallotRound, data: Mapping) -> Totals:
    try:
        return totals_from_json(data)
    except (TypeError, ValueError):
        raise ServiceError("计票数字应为整数，请核对。") from None


def enter_totals(session: Session, actor, round_id: int, entry_no: int, totals: Totals, now: datetime) -> TellerEntry:
    """One teller's independent entry of the totals (entry 1 or 2); a teller may correct their own entry."""
    require(can_enter_count(actor), "只有监票计票人员可以录入计票结果。")
    if entry_no not in (1, 2):
        raise ServiceError("录入次序只能是第一次或第二次。")
    with transaction(session):
        rnd = _round(session, round_id)
        election = _election(session, rnd.election_id)
        if rnd.status != "open" or rnd.count_mode != "totals":
            raise ServiceError("本轮不在汇总计票中，不能再录入（已确认或已结束的计票不能修改）。")
        problems = check_totals(_setup_of(election, rnd), totals)
        if problems:
            raise ServiceError("计票数字有误：" + "；".join(b.message for b in problems))
        entries = {e.entry_no: e for e in rnd.entries}
        other = entries.get(3 - entry_no)
        if other is not None and other.teller_id == actor.id:
            raise ServiceError(f"您已完成第{3 - entry_no}次录入；两次录入须由两位计票人员分别独立完成。")
        entry = entries.get(entry_no)
        before = None
        if entry is None:
            entry = TellerEntry(round_id=rnd.id, entry_no=entry_no, teller_id=actor.id)
            session.add(entry)
        elif entry.teller_id != actor.id:
            raise ServiceError(f"第{entry_no}次录入已由{entry.teller.display_name}完成，只能由其本人修改。")
        else:
            before = entry.totals
        entry.totals, entry.entered_at = totals_to_json(totals), now
        audit(session, actor, "voting.enter_totals", rnd,
              summary=f"第{rnd.round_no}轮第{entry_no}次录入计票结果（有效票{totals.valid}张，无效票{totals.invalid}张）",
              before=before, after=entry.totals, now=now)
    return entry


@dataclass(frozen=True)
class Comparison:
    first: TellerEntry | None
    second: TellerEntry | None
    differences: tuple  # workflow.tally.count.Difference

    @property
    def complete(self) -> bool:
        return self.first is not None and self.second is not None

    @property
    def agree(self) -> bool:
        return self.complete and not self.differences


def compare_entries(session: Session, round_id: int) -> Comparison:
    """Every figure on which the two tellers' entries differ (read only)."""
    rnd = _round(session, round_id)
    entries = {e.entry_no: e for e in rnd.entries}
    a, b = entries.get(1), entries.get(2)
    diffs = tuple(compare_teller_entries(totals_from_json(a.totals), totals_from_json(b.totals))) if a and b else ()
    return Comparison(a, b, diffs)


def confirm_count(session: Session, actor, round_id: int, now: datetime) -> BallotRound:
    """Confirm the count, only when both entries exist and agree in every figure."""
    require(can_confirm_count(actor), "只有监票计票人员或选举办可以确认计票结果。")
    with transaction(session):
        rnd = _round(session, round_id)
        if rnd.status != "open" or rnd.count_mode != "totals":
            raise ServiceError("本轮计票已确认或已结束。")
        cmp = compare_entries(session, round_id)
        if not cmp.complete:
            raise ServiceError("须两位计票人员分别录入后才能确认。")
        if cmp.differences:
            raise ServiceError(f"两次录入有{len(cmp.differences)}处不同，请核对选票、改正后再确认。")
        rnd.confirmed_totals = dict(cmp.first.totals)
        rnd.status = "confirmed"
        audit(session, actor, "voting.confirm_count", rnd, summary=f"确认第{rnd.round_no}轮计票结果（两次录入一致）",
              after=rnd.confirmed_totals, now=now)
    return rnd


def enter_ballot(session: Session, actor, round_id: int, for_names: Sequence[str], against_names: Sequence[str],
                 write_in_names: Sequence[str], now: datetime) -> BallotPaper:
    """One ballot as marked (small meetings). Void when its for-votes, write-ins included, exceed the seats."""
    require(can_enter_count(actor), "只有监票计票人员可以录入选票。")
    f = [n.strip() for n in for_names if n.strip()]
    a = [n.strip() for n in against_names if n.strip()]
    w = [n.strip() for n in write_in_names if n.strip()]
    with transaction(session):
        rnd = _round(session, round_id)
        election = _election(session, rnd.election_id)
        if rnd.status != "open" or rnd.count_mode != "ballots":
            raise ServiceError("本轮不在逐张录入选票中。")
        count = session.scalar(select(func.count()).select_from(BallotPaper).where(BallotPaper.round_id == rnd.id))
        if count >= rnd.ballots_collected:
            raise ServiceError(f"已录入{count}张，等于收回选票数，不能再录入。")
        ballot = {"for": f, "against": a, "write_in": w}
        problems = check_ballots(_setup_of(election, rnd), [ballot])
        if problems:
            raise ServiceError("；".join(b.message.replace("第1张选票：", "") for b in problems))
        void = len(f) + len(w) > rnd.seats  # 来源: domain.md §3.3 — more for-votes than seats: void
        paper = BallotPaper(round_id=rnd.id, seq=count + 1, for_names=f, against_names=a, write_in_names=w, void=void,
                            entered_by=actor.id, entered_at=now)
        session.add(paper)
        session.flush()
        audit(session, actor, "voting.enter_ballot", rnd,
              summary=f"第{rnd.round_no}轮录入第{paper.seq}张选票" + ("（无效票：划○人数多于应选名额）" if void else ""),
              after=ballot, now=now)
    return paper


def close_round(session: Session, actor, round_id: int, now: datetime) -> TallyResult:
    """Tally the round by the rules and store the result with its Chinese explanation."""
    require(can_manage_elections(actor))
    with transaction(session):
        rnd = _round(session, round_id)
        election = _election(session, rnd.election_id)
        if rnd.status == "closed":
            raise Conflict("本轮已经结束。")
        setup = _setup_of(election, rnd)
        try:
            if rnd.count_mode == "ballots":
                papers = session.scalars(select(BallotPaper).where(BallotPaper.round_id == rnd.id)
                                         .order_by(BallotPaper.seq)).all()
                ballots = [{"for": p.for_names, "against": p.against_names, "write_in": p.write_in_names}
                           for p in papers]
                # every paper passed check_ballots when it was entered (enter_ballot): the tally skips only the
                # repeated-name test; void ballots and unknown names are still checked
                result = tally_ballots(setup, ballots, checked=True)
                listed = set(rnd.candidates)
                rnd.confirmed_totals = totals_to_json(Totals(
                    result.valid_ballots, result.invalid_ballots,
                    {n: v for n, v in result.votes.items() if n in listed},
                    {n: v for n, v in result.votes.items() if n not in listed}, dict(result.against)))
            else:
                if rnd.status != "confirmed":
                    raise ServiceError("计票结果尚未确认：须两位计票人员录入一致并确认后才能结束本轮。")
                result = tally_totals(setup, totals_from_json(rnd.confirmed_totals))
        except DomainError as exc:
            raise ServiceError(exc.message) from None
        _store_result(rnd, result, now)
        audit(session, actor, "voting.close_round", rnd,
              summary=f"第{rnd.round_no}轮计票结束：{result.next.label}"
                      + (f"，当选{'、'.join(result.elected)}" if result.elected else ""),
              after=rnd.result, now=now)
    return result


def plan_next_round(session: Session, actor, election_id: int, action: str, now: datetime, *,
                    candidates_count: int | None = None, seats_removed: int | None = None,
                    basis: str | None = None, note: str = "") -> RoundPlan:
    """After a round with fewer elected than seats: the 另行选举's candidates (count per the setting), or a
    recorded decision to reduce the seats (来源: domain.md §3.3). A re-vote among the tied needs no plan."""
    require(can_manage_elections(actor))
    with transaction(session):
        election = _election(session, election_id)
        _need_stage(election, Stage.ballot)
        rounds, plans = _rounds_and_plans(session, election_id)
        state = replay(session, election, rounds, plans)
        closed = [r for r in rounds if r.status == "closed"]
        if not closed:
            raise ServiceError("还没有结束的投票。")
        try:
            if action == "additional":
                count = candidates_count or default_additional_count(election, state.empty_seats)
                new_state = state.plan_additional_round(count)
                plan = RoundPlan(election_id=election_id, after_round_no=closed[-1].round_no, kind="additional",
                                 candidates_count=count, note=note, explanation=new_state.history[-1].explanation)
                summary = f"确定另行选举的候选人{len(new_state.pending.candidates)}名"
            elif action == "reduce":
                if not note.strip():
                    raise ServiceError("减少名额须写明依据（会议、决定）。")
                new_state = state.reduce_seats(seats_removed or 0, ReductionBasis(basis or ""), note.strip())
                plan = RoundPlan(election_id=election_id, after_round_no=closed[-1].round_no, kind="reduce",
                                 seats_removed=seats_removed, basis=basis, note=note.strip(),
                                 explanation=new_state.history[-1].explanation)
                summary = f"减少应选名额{seats_removed}名（{ReductionBasis(basis).label}）"
            else:
                raise ServiceError("未知的操作。")
        except DomainError as exc:
            raise ServiceError(exc.message) from None
        except ValueError:
            raise ServiceError("请选择减少名额的依据：经过半数选举人同意，或大会主席团决定。") from None
        session.add(plan)
        session.flush()
        audit(session, actor, "voting.plan", plan, summary=summary, after={"explanation": plan.explanation}, now=now)
    return plan


def default_additional_count(election: Election, empty_seats: int) -> int:
    """The 另行选举's candidate count: the election's setting, else the ballot margin on the empty seats."""
    setting = (election.settings or {}).get("additional_round_candidates")
    if setting:
        return max(int(setting), empty_seats)
    return min_candidates(empty_seats, _ballot_margin(election))


# --- result ------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class ResultOutcome:
    elected: tuple[str, ...]
    quota_warnings: tuple[Blocker, ...]


def record_result(session: Session, actor, election_id: int, now: datetime) -> ResultOutcome:
    """The final elected list (every seat filled or reduced); checked against the quotas — a warning when the
    ballot broke one — and the elected become 代表 records."""
    require(can_manage_elections(actor))
    with transaction(session):
        election = _election(session, election_id)
        _need_stage(election, Stage.ballot)
        if session.scalar(select(VotingResult.id).where(VotingResult.election_id == election_id)):
            raise Conflict("选举结果已经录入。")
        state = replay(session, election)
        if not state.finished:
            raise ServiceError(f"选举尚未完成：尚缺{state.empty_seats}名。请按规则继续投票或依规减少名额。")
        votes = {n: v for r in state.results for n in r.elected for v in [r.votes[n]]}
        nominees = {p.name: p for p in confirmed_people(session, election_id)}
        higher = {h.name: h for h in higher_people(session, election_id)}
        units = _unit_names(session, election_id)
        elected = list(state.elected)
        for name in elected:
            p, h = nominees.get(name), higher.get(name)
            src = p or h
            session.add(Delegate(election_id=election_id, nominee_id=p.id if p else None,
                                 higher_nominee_id=h.id if h else None, name=name,
                                 gender=src.gender if src else "", ethnicity=src.ethnicity if src else "",
                                 birth_date=src.birth_date if src else None, category=src.category if src else "",
                                 unit=(src.workplace_title if src else "") or (units.get(p.election_unit_id, "") if p else ""),
                                 votes=votes.get(name, 0), created_at=now))
        warnings = quota_warnings(election, [nominees[n] for n in elected if n in nominees], now.date())
        session.add(VotingResult(election_id=election_id, elected=elected, explanation=state.explanation,
                                 quota_warnings=[b.message for b in warnings], recorded_at=now))
        audit(session, actor, "voting.result", election,
              summary=f"录入选举结果：当选代表{len(elected)}名" + (f"；结构要求未达到{len(warnings)}项" if warnings else ""),
              after={"elected": elected, "quota_warnings": [b.message for b in warnings]}, now=now)
    return ResultOutcome(tuple(elected), tuple(warnings))


def quota_warnings(election: Election, elected_people: Sequence[Nominee], today: date) -> list[Blocker]:
    """Quotas bind the final delegates (不含上级提名): the rules the elected list breaks (domain.md §3.2)."""
    if not election.quota_rules:
        return []
    return check_list_blockers([to_candidate(p) for p in elected_people], quota_rules(election),
                               reference_date(election, today))


def record_result_report(session: Session, actor, election_id: int, reported_on: date, doc_number: str,
                         now: datetime) -> VotingResult:
    """The 选举情况报告 and 代表名册 were reported upward (document number and date)."""
    require(can_manage_elections(actor))
    if not doc_number.strip():
        raise ServiceError("请填写上报文号。")
    with transaction(session):
        result = session.scalar(select(VotingResult).where(VotingResult.election_id == election_id))
        if result is None:
            raise ServiceError("尚未录入选举结果，不能登记上报。")
        result.reported_on, result.report_doc_number = reported_on, doc_number.strip()
        audit(session, actor, "voting.report", result, summary=f"登记选举结果上报：{doc_number.strip()}，{reported_on.isoformat()}",
              after={"reported_on": reported_on, "doc_number": doc_number.strip()}, now=now)
    return result


def _unit_names(session: Session, election_id: int) -> dict[int, str]:
    return dict(session.execute(select(ElectionUnit.id, Unit.name).join(Unit, Unit.id == ElectionUnit.unit_id)
                                .where(ElectionUnit.election_id == election_id)).all())


# --- read views --------------------------------------------------------------------------------------
@dataclass(frozen=True)
class VotingView:
    election: Election
    state: ElectionRounds
    rounds: list[BallotRound]
    plans: list[RoundPlan]
    result: VotingResult | None
    candidates: list[str]


def voting_view(session: Session, election_id: int) -> VotingView:
    """Everything the round and result pages read, in a fixed number of queries."""
    election = _election(session, election_id)
    rounds, plans = _rounds_and_plans(session, election_id)
    candidates = ballot_candidates(session, election) if not rounds else list(rounds[0].candidates)
    state = replay(session, election, rounds, plans, candidates)
    result = session.scalar(select(VotingResult).where(VotingResult.election_id == election_id))
    return VotingView(election, state, rounds, plans, result, candidates)


def approval_recorded(session: Session, election_id: int) -> bool:
    return bool(session.scalar(select(ElectionDecision.id).where(ElectionDecision.election_id == election_id,
                                                                 ElectionDecision.kind == "approval")))


def _xlsx(title: str, columns: Sequence[str], rows: Sequence[Sequence[object]]) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    wb = Workbook()
    ws = wb.active
    ws.title = title[:31]
    ws.append([title])
    ws["A1"].font = Font(bold=True, size=14)
    ws.append(list(columns))
    for cell in ws[2]:
        cell.font = Font(bold=True)
    for row in rows:
        ws.append(list(row))
    for i, col in enumerate(columns, start=1):
        ws.column_dimensions[ws.cell(2, i).column_letter].width = max(8, min(40, 2 * len(str(col)) + 4))
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()



# --- documents ---------------------------------------------------------------------------------------
def _title(election: Election) -> str:
    return election.title


def _signature(election: Election) -> str:
    return election.electing_body or "中共××区委"


def _person_row(p: Nominee | HigherNominee | Delegate, unit: str = ""):
    from election.documents.data import PersonRow

    return PersonRow(name=p.name, gender=p.gender, ethnicity=p.ethnicity, birth_month=p.birth_date,
                     native_place=getattr(p, "native_place", ""), education=getattr(p, "education", ""),
                     party_join=getattr(p, "party_join_date", None),
                     workplace_title=getattr(p, "workplace_title", "") or unit, category=p.category or "")


def ballot_docx(session: Session, round_id: int) -> bytes:
    """The ballot paper of a round: candidates in 姓氏笔画 order, seats stated, write-in lines (domain.md §3.3, §3.4)."""
    from election.documents.ballot import render_ballot
    from election.documents.data import BallotData

    rnd = _round(session, round_id)
    election = _election(session, rnd.election_id)
    higher = election.higher_nominated_seats or 0
    note = f"，含上级党委提名名额{higher}名" if higher and rnd.kind == "regular" else ""
    kind = "" if rnd.kind == "regular" else f"（{KIND_LABELS[rnd.kind]}）"
    return render_ballot(BallotData(title=f"{_title(election)}选举选票{kind}", seats=rnd.seats,
                                    candidates=tuple(rnd.candidates), write_in_lines=min(rnd.seats, 6),
                                    seats_note=note, pad_single_given_name=_pad(election)))


def _confirmed_sorted(session: Session, election: Election) -> list[Nominee]:
    return sort_by_name(confirmed_people(session, election.id), lambda p: p.name, pad_single_given_name=_pad(election))


def confirmed_roster_docx(session: Session, election_id: int) -> bytes:
    """预备人选名册 (reported to the higher committee)."""
    from election.documents.rosters import render_roster, roster_from_people

    election = _election(session, election_id)
    units = _unit_names(session, election_id)
    people = _confirmed_sorted(session, election)
    data = roster_from_people(f"{_title(election)}预备人选名册", [_person_row(p) for p in people],
                              pad_single_given_name=_pad(election), extra_columns=("推荐单位",),
                              extra_values=[(units.get(p.election_unit_id, ""),) for p in people])
    return render_roster(data)


def _registration(p, title: str, unit: str, today: date):
    from election.documents.data import RegistrationFormData
    from workflow.quotas.rules import age_on

    return RegistrationFormData(title=title, name=p.name, gender=p.gender, ethnicity=p.ethnicity,
                                birth_month=p.birth_date, native_place=getattr(p, "native_place", ""),
                                party_join=getattr(p, "party_join_date", None),
                                work_start=getattr(p, "work_start_date", None),
                                education=getattr(p, "education", ""),
                                workplace_title=getattr(p, "workplace_title", ""), category=p.category or "",
                                age=age_on(p.birth_date, today) if p.birth_date else None, recommending_unit=unit)


def registration_docx(session: Session, election_id: int, which: str, today: date) -> bytes:
    """登记表 of the 预备人选 (which='confirmed') or of the elected delegates (which='elected')."""
    from election.documents.forms import render_registration_forms

    election = _election(session, election_id)
    units = _unit_names(session, election_id)
    ref = reference_date(election, today)
    if which == "elected":
        people = _elected_people(session, election)
        title = "当选代表登记表"
    else:
        people = _confirmed_sorted(session, election)
        title = "预备人选登记表"
    forms = [_registration(p, title, units.get(getattr(p, "election_unit_id", None), "上级党委提名"), ref)
             for p in people]
    if not forms:
        raise ServiceError("没有可以生成登记表的人员。")
    return render_registration_forms(forms)


def _elected_people(session: Session, election: Election) -> list:
    """The elected as their nominee / higher-nominee rows (write-ins as delegate rows), 姓氏笔画 order."""
    delegates = session.scalars(select(Delegate).where(Delegate.election_id == election.id)).all()
    nominee_ids = [d.nominee_id for d in delegates if d.nominee_id]
    nominees = {n.id: n for n in session.scalars(select(Nominee).where(Nominee.id.in_(nominee_ids)))} \
        if nominee_ids else {}
    higher = {h.id: h for h in higher_people(session, election.id)}
    people = [nominees.get(d.nominee_id) or higher.get(d.higher_nominee_id) or d for d in delegates]
    return sort_by_name(people, lambda p: p.name, pad_single_given_name=_pad(election))


def confirm_report_docx(session: Session, election_id: int, today: date) -> bytes:
    """情况报告 on the 预备人选 to the higher committee, with the structure counts."""
    from election.documents.data import ReportData, ReportSection, ReportStat
    from election.documents.reports import render_situation_report
    from workflow.quotas.rules import age_on

    election = _election(session, election_id)
    people = _confirmed_sorted(session, election)
    meeting = session.scalar(select(ConfirmMeeting).where(ConfirmMeeting.election_id == election_id))
    n = len(people)
    ref = reference_date(election, today)
    meeting_text = (f"{meeting.held_on.year}年{meeting.held_on.month}月{meeting.held_on.day}日，{meeting.body}"
                    f"应到会委员{meeting.members}名，实到会{meeting.attendance}名，以无记名投票方式圈选产生预备人选{n}名。"
                    if meeting else f"经{'全委会'}圈选，产生预备人选{n}名。")
    stats = (ReportStat("女性", sum(p.gender == "女" for p in people), n),
             ReportStat("少数民族", sum(p.ethnicity != "汉族" for p in people), n),
             ReportStat("50岁以下", sum(age_on(p.birth_date, ref) < 50 for p in people), n))
    data = ReportData(
        title=f"关于{_title(election)}预备人选的情况报告", addressee=f"{election.convening_body or '上级党委'}组织部：",
        intro=(f"按照工作安排，{_signature(election)}组织开展了{_title(election)}的推荐提名和考察工作，现将预备人选确定情况报告如下。",),
        sections=(ReportSection("预备人选产生情况", (meeting_text,
                                              f"应选名额{election.seats}名，预备人选{n}名，差额{max(n - election.seats, 0)}名。")),
                  ReportSection("预备人选名单", ("（按姓氏笔画排序）" + "、".join(p.name for p in people) + "。",))),
        stats=stats, signature=_signature(election), date=today, attachments=("预备人选名册", "预备人选登记表"))
    return render_situation_report(data)


def result_report_docx(session: Session, election_id: int, today: date) -> bytes:
    """选举情况报告: every round with its figures and the elected in 姓氏笔画 order."""
    from election.documents.data import ResultReportData, ResultRound, VoteRow
    from election.documents.reports import render_result_report

    view = voting_view(session, election_id)
    election = view.election
    rounds = []
    for rnd in view.rounds:
        if rnd.status != "closed":
            continue
        r = rnd.result
        listed = set(rnd.candidates)
        valid = r["valid_ballots"]
        against = r.get("against", {})
        elected = set(r["elected"])
        rows = tuple(VoteRow(name=n, for_votes=v, against=against.get(n, 0),
                             abstain=(valid - v - against.get(n, 0)) if n in listed else 0,
                             write_in=n not in listed, elected=n in elected) for n, v in r["votes"].items())
        rounds.append(ResultRound(label=f"第{rnd.round_no}轮（{KIND_LABELS[rnd.kind]}）", eligible=rnd.eligible,
                                  present=rnd.present, ballots_issued=rnd.ballots_issued,
                                  ballots_collected=rnd.ballots_collected, valid=valid,
                                  invalid=r["invalid_ballots"], seats=rnd.seats, threshold=r["threshold"], votes=rows,
                                  explanation=rnd.explanation))
    elected = tuple(view.result.elected) if view.result else view.state.elected
    closing = tuple(f"结构要求：{w}" for w in (view.result.quota_warnings if view.result else []))
    data = ResultReportData(title=f"关于{_title(election)}选举情况的报告",
                            addressee=f"{election.convening_body or '上级党委'}：",
                            intro=((f"{_signature(election)}召开会议，按照差额选举的办法选举{_title(election)}，"
                                    f"应选{total_seats(election)}名。现将选举情况报告如下。"),),
                            rounds=tuple(rounds), elected=elected, signature=_signature(election), date=today,
                            closing=closing, attachments=("当选代表名册", "当选代表登记表"))
    return render_result_report(data)


ROSTER_COLUMNS = ("序号", "姓名", "性别", "民族", "出生年月", "身份类别", "工作单位及职务", "得票数")


def _elected_rows(session: Session, election: Election) -> list[tuple]:
    delegates = sort_by_name(session.scalars(select(Delegate).where(Delegate.election_id == election.id)).all(),
                             lambda d: d.name, pad_single_given_name=_pad(election))
    return [(i, d.name, d.gender, d.ethnicity, d.birth_date.strftime("%Y.%m") if d.birth_date else "", d.category,
             d.unit, d.votes) for i, d in enumerate(delegates, 1)]


def elected_roster_docx(session: Session, election_id: int) -> bytes:
    """当选代表名册 (.docx), 姓氏笔画 order."""
    from election.documents.data import RosterData
    from election.documents.rosters import render_roster

    election = _election(session, election_id)
    rows = _elected_rows(session, election)
    if not rows:
        raise ServiceError("尚未录入选举结果。")
    return render_roster(RosterData(title=f"{_title(election)}当选代表名册", columns=ROSTER_COLUMNS,
                                    rows=tuple(tuple(str(c) for c in r) for r in rows), note="按姓氏笔画排序",
                                    subtitle=f"（共{len(rows)}名）"))


def elected_roster_xlsx(session: Session, election_id: int) -> bytes:
    """当选代表名册 (.xlsx)."""
    election = _election(session, election_id)
    rows = _elected_rows(session, election)
    if not rows:
        raise ServiceError("尚未录入选举结果。")
    return _xlsx(f"{_title(election)}当选代表名册", ROSTER_COLUMNS, rows)


REGISTRATION_COLUMNS = ("序号", "姓名", "性别", "民族", "出生年月", "籍贯", "学历", "入党时间", "参加工作时间",
                        "工作单位及职务", "身份类别", "推荐单位")


def registration_xlsx(session: Session, election_id: int) -> bytes:
    """当选代表登记表 as a sheet, one row per delegate (.xlsx)."""
    election = _election(session, election_id)
    units = _unit_names(session, election_id)
    people = _elected_people(session, election)
    if not people:
        raise ServiceError("尚未录入选举结果。")

    def month(d):
        return d.strftime("%Y.%m") if d else ""

    rows = [(i, p.name, p.gender, p.ethnicity, month(p.birth_date), getattr(p, "native_place", ""),
             getattr(p, "education", ""), month(getattr(p, "party_join_date", None)),
             month(getattr(p, "work_start_date", None)), getattr(p, "workplace_title", "") or getattr(p, "unit", ""),
             p.category, units.get(getattr(p, "election_unit_id", None), "上级党委提名"))
            for i, p in enumerate(people, 1)]
    return _xlsx("当选代表登记表", REGISTRATION_COLUMNS, rows)

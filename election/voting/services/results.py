"""The result of the 差额选举: the final elected list recorded once every seat is filled or reduced, the elected
made 代表 records, the quotas checked on them (a warning, docs/rules.md §3.2), and the report sent upward.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from election.audit.services import audit
from election.core.db import transaction
from election.core.exceptions import Conflict, ServiceError
from election.core.permissions import can_manage_elections, require
from election.elections.facts import quota_rules, reference_date, to_candidate
from election.elections.models import Election
from election.nominations.models import Nominee
from election.voting.models import Delegate, VotingResult
from election.voting.services.state import (
    _need_stage,
    _unit_names,
    confirmed_people,
    higher_people,
    load_election,
    replay,
)
from workflow.common.results import Blocker
from workflow.pipeline.stages import Stage
from workflow.quotas.checks import check_list_blockers


@dataclass(frozen=True)
class ResultOutcome:
    elected: tuple[str, ...]
    quota_warnings: tuple[Blocker, ...]


def record_result(session: Session, actor, election_id: int, now: datetime) -> ResultOutcome:
    """The final elected list (every seat filled or reduced); checked against the quotas — a warning when the
    ballot broke one — and the elected become 代表 records."""
    require(can_manage_elections(actor))
    with transaction(session):
        election = load_election(session, election_id, lock=True)  # the result is recorded once
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
    """Quotas bind the final delegates (不含上级提名): the rules the elected list breaks (docs/rules.md §3.2)."""
    if not election.quota_rules:
        return []
    return check_list_blockers([to_candidate(p) for p in elected_people], quota_rules(election),
                               reference_date(election, today))


def record_result_report(session: Session, actor, election_id: int, reported_on: date, doc_number: str,
                         now: datetime) -> VotingResult:
    """The 选举情况报告 and 代表名册 were reported upward (document number and date). A child election reports
    them to its upper committee in the system instead (docs/rules.md §8.2)."""
    require(can_manage_elections(actor))
    if not doc_number.strip():
        raise ServiceError("请填写上报文号。")
    with transaction(session):
        election = session.get(Election, election_id)
        if election is not None and election.congress_id is not None:
            raise ServiceError("本次选举由上级组织部门在系统中作出决定，请在“上报上级”中报送。")
        result = write_result_report(session, actor, election_id, reported_on, doc_number, now)
    return result


def write_result_report(session: Session, actor, election_id: int, reported_on: date, doc_number: str,
                        now: datetime) -> VotingResult:
    """Mark the result reported, with its audit entry, in the caller's transaction (the levels area records the
    upper committee's receipt this way)."""
    result = session.scalar(select(VotingResult).where(VotingResult.election_id == election_id))
    if result is None:
        raise ServiceError("尚未录入选举结果，不能登记上报。")
    result.reported_on, result.report_doc_number = reported_on, doc_number.strip()
    audit(session, actor, "voting.report", result, summary=f"登记选举结果上报：{doc_number.strip()}，{reported_on.isoformat()}",
          after={"reported_on": reported_on, "doc_number": doc_number.strip()}, now=now)
    return result

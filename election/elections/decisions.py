"""Recorded decisions a stage waits for (docs/rules.md §2): the deciding meetings of the steps, the upper
committee's consent to the 初步人选 and its 批复 of the 预备人选 — typed in by the office, except for a child election,
whose upper committee decides in the system (docs/rules.md §8.2: the levels area writes them with ``write_decision``)."""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from election.audit.services import audit
from election.core.clock import to_local
from election.core.db import transaction
from election.core.exceptions import NotFound, ServiceError
from election.core.permissions import can_manage_elections, require
from election.elections.models import Election, ElectionDecision

DECISION_KINDS = {"shortlist": "确定考察对象的会议", "preliminary": "确定初步人选的会议", "confirm": "确定预备人选的全委会",
                  "higher_consent": "上级党委对初步人选的意见", "approval": "上级党委对预备人选的批复"}


def _cn_date(d: date) -> str:
    return f"{d.year}年{d.month}月{d.day}日"


def check_decision_date(kind: str, held_on: date, today: date) -> str:
    """Empty when HELD_ON may be recorded: a meeting held or a 批复 received, so never after TODAY (today passes)."""
    if held_on > today:
        return (f"{DECISION_KINDS.get(kind, '决定')}的日期{_cn_date(held_on)}晚于今天（{_cn_date(today)}），"
                f"只能登记已经召开的会议或已经收到的意见、批复；请在会议召开或收到文件后再登记。")
    return ""


# the decisions the upper committee makes in the system for a child election (docs/rules.md §8.2)
UPPER_DECIDES = ("higher_consent", "approval")
UPPER_DECIDES_MESSAGE = "本次选举由上级组织部门在系统中作出决定，请在“上报上级”中报送"


def record_decision(session: Session, actor, election_id: int, kind: str, body: str, held_on: date, doc_number: str,
                    now: datetime, note: str = "", *, today: date | None = None) -> ElectionDecision:
    """Record (or correct) the deciding meeting / consent / 批复 a stage waits for; never one dated after TODAY
    (by default the local date of NOW). The upper committee's consent and 批复 of a child election come from its
    decisions in the system, never typed in here."""
    require(can_manage_elections(actor))
    if kind not in DECISION_KINDS:
        raise ServiceError("未知的决定类型。")
    if not body.strip() or not doc_number.strip():
        raise ServiceError("请填写决定机关（会议名称）和文号（或会议纪要号）。")
    if problem := check_decision_date(kind, held_on, today or to_local(now).date()):
        raise ServiceError(problem)
    with transaction(session):
        election = session.get(Election, election_id)
        if election is None:
            raise NotFound("选举不存在。")
        if kind in UPPER_DECIDES and election.congress_id is not None:
            raise ServiceError(f"{UPPER_DECIDES_MESSAGE}。")
        decision = write_decision(session, actor, election, kind, body, held_on, doc_number, now, note)
    return decision


def write_decision(session: Session, actor, election: Election, kind: str, body: str, held_on: date, doc_number: str,
                   now: datetime, note: str = "") -> ElectionDecision:
    """Write (or correct) a recorded decision with its audit entry, in the caller's transaction (the levels area
    writes the upper committee's consent and 批复 this way)."""
    decision = session.scalar(select(ElectionDecision).where(ElectionDecision.election_id == election.id,
                                                             ElectionDecision.kind == kind))
    before = None
    if decision is None:
        decision = ElectionDecision(election_id=election.id, kind=kind)
        session.add(decision)
    else:
        before = {"body": decision.body, "held_on": decision.held_on, "doc_number": decision.doc_number}
    decision.body, decision.held_on, decision.doc_number, decision.note = body.strip(), held_on, \
        doc_number.strip(), note
    audit(session, actor, "election.decision", election,
          summary=f"登记{DECISION_KINDS[kind]}：{body.strip()}，{held_on.isoformat()}，{doc_number.strip()}",
          before=before, after={"kind": kind, "body": body, "held_on": held_on, "doc_number": doc_number}, now=now)
    return decision

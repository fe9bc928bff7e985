"""Seals: digests of the business data a use case fixed, stored on its (keyed) audit entry, and their check.

A use case that fixes something passes ``seal=fixed(session, KIND, id)`` to audit(), in its own transaction:
- ``tally``: a round's figures, candidates and confirmed totals (confirm), and its result (close);
- ``unit_list``: a unit's submitted list, every nominee as the unit gave it (submit; reopen seals "not submitted");
- ``notice``: a published 公示 — title, period, contact, the people on it (publish, end);
- ``stage``: an election's current stage and every stage change row (create, advance, return, abort).
``verify_seals`` takes the newest seal of each object, recomputes the digests from the current rows and names the
first difference. Timestamps are left out (their round trip differs between the databases); so is whatever later
stages legitimately change (a nominee's vetting step).
"""
from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from election.audit.models import AuditEntry
from election.directory.models import ElectionUnit
from election.elections.models import Election, StageChange
from election.nominations.models import Nominee
from election.vetting.models import Notice
from election.voting.models import BallotRound

NOMINEE_FIELDS = ("election_unit_id", "position", "name", "gender", "ethnicity", "id_number", "birth_date",
                  "native_place", "education", "party_join_date", "work_start_date", "workplace_title", "category",
                  "remark", "birthplace", "health", "professional_title", "resume", "rewards")
NOTICE_FIELDS = {"标题": ("title",), "种类与单位": ("kind", "election_unit_id", "election_id"),
                 "公示期": ("posted_on", "working_days", "period_end"),
                 "联系方式": ("office_name", "office_phone", "office_address", "office_mailbox"),
                 "公示名单": ("people_ids",)}
ROUND_FIGURES = ("election_id", "round_no", "kind", "seats", "eligible", "present", "ballots_issued",
                 "ballots_collected", "count_mode")
TOTALS_LABELS = {"valid": "有效票", "invalid": "无效票", "for": "赞成票", "against": "不赞成票", "write_in": "另选他人票"}


def digest(value: Any) -> str:
    data = json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"), default=_default)
    return hashlib.sha256(data.encode("utf-8")).hexdigest()[:32]


def _default(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    return str(value)


def _fields(obj: Any, names: tuple[str, ...]) -> dict:
    return {n: getattr(obj, n) for n in names}


# --- the parts each kind fixes: {stable Chinese part name: plain value}; None = the object no longer exists ----
def _tally_parts(session: Session, round_id: int) -> dict | None:
    rnd = session.get(BallotRound, round_id)
    if rnd is None:
        return None
    if rnd.status == "open":
        return {"状态": "未确认"}
    parts = {"状态": rnd.status, "轮次与人数": _fields(rnd, ROUND_FIGURES), "候选人": list(rnd.candidates or [])}
    for key, value in (rnd.confirmed_totals or {}).items():
        parts[f"计票结果·{TOTALS_LABELS.get(key, key)}"] = value
    if rnd.status == "closed":
        parts["计票结论"] = rnd.result
    return parts


def _unit_list_parts(session: Session, election_unit_id: int) -> dict | None:
    eu = session.get(ElectionUnit, election_unit_id)
    if eu is None:
        return None
    if eu.status != "submitted":
        return {"状态": "未提交"}
    parts: dict[str, Any] = {"状态": "已提交"}
    for n in session.scalars(select(Nominee).where(Nominee.election_unit_id == eu.id).order_by(Nominee.id)):
        parts[f"推荐人选#{n.id}"] = _fields(n, NOMINEE_FIELDS)
    return parts


def _notice_parts(session: Session, notice_id: int) -> dict | None:
    notice = session.get(Notice, notice_id)
    if notice is None:
        return None
    if notice.status == "draft":
        return {"状态": "草稿"}
    parts = {"状态": "已发布"}
    parts.update({label: _fields(notice, names) for label, names in NOTICE_FIELDS.items()})
    return parts


def _stage_parts(session: Session, election_id: int) -> dict | None:
    election = session.get(Election, election_id)
    if election is None:
        return None
    parts: dict[str, Any] = {"当前阶段": [election.stage, election.abort_reason]}
    for change in session.scalars(select(StageChange).where(StageChange.election_id == election_id)
                                  .order_by(StageChange.id)):
        parts[f"阶段变更#{change.id}"] = _fields(change, ("from_stage", "to_stage", "kind", "reason",
                                                          "overdue_reason", "actor_id"))
    return parts


@dataclass(frozen=True)
class Kind:
    parts: Callable[[Session, int], dict | None]
    what: str  # the object, for messages when it is gone
    label: Callable[[Session, int], str]


def _election_title(session: Session, election_id: int | None) -> str:
    election = session.get(Election, election_id) if election_id is not None else None
    return f"选举“{election.title}”" if election else f"选举#{election_id}"


def _round_label(session: Session, round_id: int) -> str:
    rnd = session.get(BallotRound, round_id)
    return f"{_election_title(session, rnd.election_id)}第{rnd.round_no}轮计票" if rnd else f"计票轮次#{round_id}"


def _unit_label(session: Session, eu_id: int) -> str:
    eu = session.get(ElectionUnit, eu_id)
    return f"{_election_title(session, eu.election_id)}中{eu.unit.name}的推荐名单" if eu else f"推荐名单#{eu_id}"


def _notice_label(session: Session, notice_id: int) -> str:
    notice = session.get(Notice, notice_id)
    return f"公示“{notice.title}”（#{notice_id}）" if notice else f"公示#{notice_id}"


KINDS: dict[str, Kind] = {
    "tally": Kind(_tally_parts, "计票轮次", _round_label),
    "unit_list": Kind(_unit_list_parts, "推荐名单", _unit_label),
    "notice": Kind(_notice_parts, "公示", _notice_label),
    "stage": Kind(_stage_parts, "选举", lambda s, i: f"{_election_title(s, i)}的阶段"),
}


def fixed(session: Session, kind: str, obj_id: int) -> dict:
    """The seal for audit(): digests of what KIND #OBJ_ID holds now, in the use case's transaction."""
    session.flush()
    parts = KINDS[kind].parts(session, obj_id)
    return {"kind": kind, "id": obj_id, "parts": {k: digest(v) for k, v in (parts or {}).items()}}


@dataclass(frozen=True)
class SealReport:
    checked: int
    broken_seq: int | None = None
    reason: str = ""

    @property
    def ok(self) -> bool:
        return self.broken_seq is None


def _difference(session: Session, kind: str, obj_id: int, sealed: dict, parts: dict) -> str:
    label = KINDS[kind].label(session, obj_id)
    now = {k: digest(v) for k, v in parts.items()}
    for key in sorted(set(sealed) | set(now), key=lambda k: (k not in ("状态", "当前阶段"), k)):
        if sealed.get(key) == now.get(key):
            continue
        if key not in now:
            return f"{label}：少了“{key}”"
        if key not in sealed:
            return f"{label}：多出“{key}”" + _nominee_hint(session, key)
        return f"{label}：“{key}”{_nominee_hint(session, key)}与封存时不同"
    return ""


def _nominee_hint(session: Session, key: str) -> str:
    if not key.startswith("推荐人选#"):
        return ""
    nominee = session.get(Nominee, int(key.split("#", 1)[1]))
    return f"（现姓名“{nominee.name}”）" if nominee else ""


def verify_seals(session: Session) -> SealReport:
    """Recompute the newest seal of every object from the current rows; the first difference, in chain order."""
    newest: dict[tuple[str, int], tuple[int, dict]] = {}
    for seq, seal in session.execute(select(AuditEntry.seq, AuditEntry.seal).where(AuditEntry.seal.is_not(None))
                                     .order_by(AuditEntry.seq)):
        if isinstance(seal, dict) and seal.get("kind") in KINDS:
            newest[(seal["kind"], int(seal["id"]))] = (seq, seal.get("parts") or {})
    checked = 0
    for (kind, obj_id), (seq, sealed) in sorted(newest.items(), key=lambda item: item[1][0]):
        parts = KINDS[kind].parts(session, obj_id)
        if parts is None:
            return SealReport(checked, seq, f"{KINDS[kind].what}#{obj_id}已不存在，而第{seq}条审计记录封存过它")
        problem = _difference(session, kind, obj_id, sealed, parts)
        if problem:
            return SealReport(checked, seq, f"{problem}（第{seq}条审计记录封存的内容被直接改动）")
        checked += 1
    return SealReport(checked)

"""The hash-chained audit trail: write one entry per use case, verify the chain."""
from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import select, text
from sqlalchemy.orm import Session

from election.audit.models import AuditEntry
from election.core.clock import utcnow

GENESIS = "0" * 64
_PG_AUDIT_LOCK = 7_202_611  # pg_advisory_xact_lock key: one chain writer at a time


def _plain(value: Any) -> Any:
    """JSON-safe copy with dates as ISO strings, so what is stored is exactly what was hashed."""
    return json.loads(json.dumps(value, ensure_ascii=False, sort_keys=True, default=_default))


def _default(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, set | frozenset | tuple):
        return sorted(value) if isinstance(value, set | frozenset) else list(value)
    return str(value)


def compute_hash(entry: AuditEntry) -> str:
    content = {
        "seq": entry.seq,
        "at": entry.at.replace(microsecond=(entry.at.microsecond // 1000) * 1000).isoformat(timespec="milliseconds"),
        "actor_id": entry.actor_id,
        "actor_name": entry.actor_name,
        "action": entry.action,
        "object_type": entry.object_type,
        "object_id": entry.object_id,
        "summary": entry.summary,
        "before": entry.before,
        "after": entry.after,
        "prev_hash": entry.prev_hash,
    }
    data = json.dumps(content, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(data.encode("utf-8")).hexdigest()


def audit(session: Session, actor, action: str, obj: Any = None, *, summary: str, before: Any = None,
          after: Any = None, object_type: str | None = None, object_id: Any = None,
          now: datetime | None = None) -> AuditEntry:
    """Append one entry in the caller's transaction (the caller commits)."""
    session.flush()  # the change itself first: on SQLite this also holds the write lock
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": _PG_AUDIT_LOCK})
    last = session.execute(select(AuditEntry.seq, AuditEntry.hash).order_by(AuditEntry.seq.desc()).limit(1)).first()
    if obj is not None and object_type is None:
        object_type = getattr(obj, "__tablename__", type(obj).__name__)
    if obj is not None and object_id is None:
        object_id = getattr(obj, "id", "")
    at = (now or utcnow()).replace(tzinfo=None)
    entry = AuditEntry(
        seq=(last.seq + 1) if last else 1,
        at=at.replace(microsecond=(at.microsecond // 1000) * 1000),
        actor_id=getattr(actor, "id", None),
        actor_name=getattr(actor, "display_name", None) or "系统",
        action=action,
        object_type=object_type or "",
        object_id="" if object_id is None else str(object_id),
        summary=summary,
        before=_plain(before) if before is not None else None,
        after=_plain(after) if after is not None else None,
        prev_hash=last.hash if last else GENESIS,
    )
    entry.hash = compute_hash(entry)
    session.add(entry)
    session.flush()
    return entry


@dataclass(frozen=True)
class ChainReport:
    checked: int
    broken_seq: int | None = None
    reason: str = ""
    last_hash: str = GENESIS  # the newest entry's hash: keep it outside the database to anchor the chain's end

    @property
    def ok(self) -> bool:
        return self.broken_seq is None


def verify_chain(session: Session, batch: int = 2000) -> ChainReport:
    """Walk the chain in order; report the first entry whose link, content or sequence is wrong."""
    expected_prev, expected_seq, checked, last_seq = GENESIS, 1, 0, 0
    while True:
        rows = session.scalars(select(AuditEntry).where(AuditEntry.seq > last_seq)
                               .order_by(AuditEntry.seq).limit(batch)).all()
        if not rows:
            return ChainReport(checked, last_hash=expected_prev)
        for entry in rows:
            if entry.seq != expected_seq:
                return ChainReport(checked, expected_seq,
                                   f"第{expected_seq}条记录缺失（下一条为第{entry.seq}条），审计记录被删除")
            if entry.prev_hash != expected_prev:
                return ChainReport(checked, entry.seq, f"第{entry.seq}条记录的前序哈希与上一条不符，链条在此断开")
            if compute_hash(entry) != entry.hash:
                return ChainReport(checked, entry.seq, f"第{entry.seq}条记录的内容与其哈希不符，记录被篡改")
            expected_prev, expected_seq, last_seq = entry.hash, entry.seq + 1, entry.seq
            checked += 1
        session.expunge_all()

"""The hash-chained audit trail: write one entry per use case, verify the chain."""
from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import date, datetime
from types import SimpleNamespace
from typing import Any

from sqlalchemy import select, text
from sqlalchemy.orm import Session

from election.audit import keys as audit_keys
from election.audit.models import AuditEntry
from election.core.bulk_sql import insert_rows
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


def _content(entry: AuditEntry) -> dict:
    return {
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


def _canonical(content: dict) -> bytes:
    return json.dumps(content, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode("utf-8")


def compute_hash(entry: AuditEntry, keyring: audit_keys.Keyring | None = None) -> str:
    """Legacy entries (no key id): plain SHA-256 of the content. Keyed entries: HMAC-SHA256 under the entry's key
    of the content plus its key id and seal — recomputing it needs the secret, which the database does not hold."""
    if entry.key_id is None:
        return hashlib.sha256(_canonical(_content(entry))).hexdigest()
    content = {**_content(entry), "key_id": entry.key_id, "seal": entry.seal}
    return (keyring or audit_keys.active()).sign(entry.key_id, _canonical(content))


def audit(session: Session, actor, action: str, obj: Any = None, *, summary: str, before: Any = None,
          after: Any = None, object_type: str | None = None, object_id: Any = None,
          now: datetime | None = None, seal: dict | None = None) -> AuditEntry:
    """Append one entry in the caller's transaction (the caller commits), signed with the active key.
    SEAL (election.audit.seals.fixed) records digests of what the use case fixed, for `election audit verify`."""
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
        key_id=audit_keys.active().current_id,
        seal=_plain(seal) if seal is not None else None,
    )
    entry.hash = compute_hash(entry)
    session.add(entry)
    session.flush()
    return entry


def audit_many(session: Session, actor, action: str, entries: list[tuple[Any, str, Any, Any]], *,
               now: datetime | None = None) -> list[dict]:
    """One entry per object for a use case that acts on many at once (a bulk call: each person's history shows
    it), appended in the caller's transaction with the same chain, key and lock as :func:`audit`, in a fixed
    number of statements: ENTRIES are (obj, summary, before, after). -> the rows written."""
    if not entries:
        return []
    session.flush()
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": _PG_AUDIT_LOCK})
    last = session.execute(select(AuditEntry.seq, AuditEntry.hash).order_by(AuditEntry.seq.desc()).limit(1)).first()
    seq, prev = (last.seq, last.hash) if last else (0, GENESIS)
    at = (now or utcnow()).replace(tzinfo=None)
    at = at.replace(microsecond=(at.microsecond // 1000) * 1000)
    key_id = audit_keys.active().current_id
    actor_id, actor_name = getattr(actor, "id", None), getattr(actor, "display_name", None) or "系统"
    rows = []
    for obj, summary, before, after in entries:
        seq += 1
        # plain rows, hashed exactly as an AuditEntry would be (compute_hash reads attributes only)
        row = SimpleNamespace(seq=seq, at=at, actor_id=actor_id, actor_name=actor_name, action=action,
                              object_type=getattr(obj, "__tablename__", type(obj).__name__), object_id=str(obj.id),
                              summary=summary, before=_plain(before) if before is not None else None,
                              after=_plain(after) if after is not None else None, prev_hash=prev, key_id=key_id,
                              seal=None)
        row.hash = prev = compute_hash(row)
        rows.append(vars(row))
    insert_rows(session, AuditEntry.__table__, rows)  # one statement (the unit of work: one per row)
    return rows


@dataclass(frozen=True)
class ChainReport:
    checked: int
    broken_seq: int | None = None
    reason: str = ""
    last_hash: str = GENESIS  # the newest entry's hash: keep it outside the database to anchor the chain's end
    legacy: int = 0  # entries written before the chain was keyed, verified by the plain SHA-256 rule only
    key_ids: tuple[str, ...] = ()  # the keys the checked entries were signed with

    @property
    def ok(self) -> bool:
        return self.broken_seq is None


def verify_chain(session: Session, batch: int = 2000, keyring: audit_keys.Keyring | None = None,
                 legacy_until: int | None = None) -> ChainReport:
    """Walk the chain in order; report the first entry whose link, content, key or sequence is wrong.
    Legacy (unkeyed) entries pass only before the first keyed one, and only up to LEGACY_UNTIL when given."""
    keyring = keyring or audit_keys.active()
    expected_prev, expected_seq, checked, last_seq, legacy, keyed = GENESIS, 1, 0, 0, 0, False
    used: set[str] = set()

    def broken(seq: int, reason: str) -> ChainReport:
        return ChainReport(checked, seq, reason, legacy=legacy, key_ids=tuple(sorted(used)))

    while True:
        rows = session.scalars(select(AuditEntry).where(AuditEntry.seq > last_seq)
                               .order_by(AuditEntry.seq).limit(batch)).all()
        if not rows:
            return ChainReport(checked, last_hash=expected_prev, legacy=legacy, key_ids=tuple(sorted(used)))
        for entry in rows:
            if entry.seq != expected_seq:
                return broken(expected_seq, f"第{expected_seq}条记录缺失（下一条为第{entry.seq}条），审计记录被删除")
            if entry.prev_hash != expected_prev:
                return broken(entry.seq, f"第{entry.seq}条记录的前序哈希与上一条不符，链条在此断开")
            if entry.key_id is None:
                if keyed:
                    return broken(entry.seq, f"第{entry.seq}条记录没有密钥签名，却排在已签名的记录之后：记录被改写")
                if legacy_until is not None and entry.seq > legacy_until:
                    return broken(entry.seq, f"第{entry.seq}条记录没有密钥签名，而启用密钥前的旧记录只到第"
                                             f"{legacy_until}条：记录被改写")
                legacy += 1
            else:
                if entry.key_id not in keyring.keys:
                    return broken(entry.seq, f"第{entry.seq}条记录由密钥“{entry.key_id}”签名，但没有提供这个密钥"
                                             "（轮换后的旧密钥也要保留，见 docs/deploy.md）")
                keyed = True
                used.add(entry.key_id)
            if compute_hash(entry, keyring) != entry.hash:
                return broken(entry.seq, f"第{entry.seq}条记录（{entry.action}）的内容与其哈希不符，记录被篡改")
            expected_prev, expected_seq, last_seq = entry.hash, entry.seq + 1, entry.seq
            checked += 1
        session.expunge_all()

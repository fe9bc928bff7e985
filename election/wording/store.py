"""Reading an election's stored wording, for the document services (no permission: they check their own)."""
from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from election.documents.wording import WordingKind
from election.wording.models import DocumentWording


def stored_row(session: Session, election_id: int, kind: WordingKind, *, lock: bool = False) -> DocumentWording | None:
    query = select(DocumentWording).where(DocumentWording.election_id == election_id, DocumentWording.kind == kind.value)
    if lock:
        query = query.with_for_update()
    return session.scalars(query).first()


def stored_wording(session: Session, election_id: int, kind: WordingKind) -> str:
    """The election's own template of KIND, or "" for the default (what the document services pass on)."""
    row = stored_row(session, election_id, kind)
    return row.body if row is not None else ""

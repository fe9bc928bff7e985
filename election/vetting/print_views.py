"""What the 公示 print view shows: the notices of an election with their complaints."""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session


@dataclass(frozen=True)
class NoticeList:
    """Every 公示 of an election as its list page shows it: the first (one per unit, by unit code), then the second."""

    rows: list  # election.vetting.services.queries.NoticeView
    open_complaints: int
    total_complaints: int


def notices_of(session: Session, election_id: int) -> NoticeList:
    """The 公示 list of an election with its complaint counts (the same two queries as the list page)."""
    from election.vetting import services as vetting_svc

    rows = vetting_svc.notices_overview(session, election_id)
    return NoticeList(rows, sum(r.open_complaints for r in rows), sum(r.total_complaints for r in rows))

"""The vetting part of ElectionFacts: the two 公示 and the people's vetting state.

Called from election/elections/facts.py build_facts:
    facts = ElectionFacts(..., **vetting_facts(session, election))
Three queries whatever the list length.
"""
from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from election.directory.models import ElectionUnit, Unit
from election.elections.models import Election
from election.nominations.models import Nominee
from election.vetting.models import Complaint, Notice, Vetting
from workflow.pipeline.facts import NoticeFacts, NoticeKind, PersonFacts

_STEPS = ("nominated", "shortlisted", "preliminary", "confirmed")


def vetting_facts(session: Session, election: Election) -> dict:
    """{"notices": {NoticeKind: NoticeFacts}, "shortlisted_people": (...), "preliminary_people": (...)}.

    The first 公示 counts as posted only when every unit with 考察对象 still in the running has a published
    (or ended) notice; its period then runs from the earliest posting to the latest end, and its open
    complaints are summed over the units (来源: docs/rules.md §2 stage 5, §3.5).
    """
    rows = session.execute(
        select(Nominee.id, Nominee.name, Nominee.step, Nominee.election_unit_id, Unit.name,
               Vetting.conclusion, Vetting.discipline_opinion)
        .join(ElectionUnit, ElectionUnit.id == Nominee.election_unit_id).join(Unit, Unit.id == ElectionUnit.unit_id)
        .outerjoin(Vetting, Vetting.nominee_id == Nominee.id)
        .where(Nominee.election_id == election.id, Nominee.removed_reason.is_(None),
               Nominee.step.in_(_STEPS[1:]))
        .order_by(Nominee.id)).all()
    shortlisted, preliminary, units_needed = [], [], set()
    for nid, name, step, eu_id, unit_name, conclusion, opinion in rows:
        person = PersonFacts(nid, name, unit_name, vetting_done=conclusion is not None,
                             discipline_opinion=opinion is not None)
        shortlisted.append(person)
        units_needed.add(eu_id)
        if step in _STEPS[2:]:
            preliminary.append(person)
    notices = session.scalars(select(Notice).where(Notice.election_id == election.id,
                                                   Notice.status != "draft")).all()
    open_counts = dict(session.execute(
        select(Complaint.notice_id, func.count()).join(Notice, Notice.id == Complaint.notice_id)
        .where(Notice.election_id == election.id, Complaint.status != "closed")
        .group_by(Complaint.notice_id)).all())
    result: dict[NoticeKind, NoticeFacts] = {}
    first = [n for n in notices if n.kind == "first"]
    covered = {n.election_unit_id for n in first}
    if first:
        opens = sum(open_counts.get(n.id, 0) for n in first)
        if units_needed - covered:
            result[NoticeKind.first] = NoticeFacts(None, None, opens)
        else:
            result[NoticeKind.first] = NoticeFacts(min(n.posted_on for n in first), max(n.period_end for n in first),
                                                   opens)
    second = next((n for n in notices if n.kind == "second"), None)
    if second is not None:
        result[NoticeKind.second] = NoticeFacts(second.posted_on, second.period_end, open_counts.get(second.id, 0))
    return {"notices": result, "shortlisted_people": tuple(shortlisted), "preliminary_people": tuple(preliminary)}

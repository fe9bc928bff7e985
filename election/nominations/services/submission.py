"""提交 and 退回: a unit submits its list when it passes ``check_unit_list`` (the list is then locked); the
office puts a submitted list back to draft, with a reason and, past the due date, a date to edit until.
"""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from election.audit.seals import fixed
from election.audit.services import audit
from election.core.db import transaction
from election.core.exceptions import ServiceError
from election.core.permissions import can_manage_elections, require
from election.elections.facts import category_tree, unit_allocation
from election.nominations.models import Nominee
from election.nominations.services.gate import _lock, _nominate_due, _require_editable, _require_unit_user
from workflow.common.results import Blocker
from workflow.pipeline.nomination import check_unit_list
from workflow.pipeline.stages import Stage

SUBMIT_CONSEQUENCE = "提交后本单位名单将锁定，需选举办退回方可修改"


# ---------------------------------------------------------------------------------------------- submit / reopen


def submit_list(session: Session, actor, election_unit_id: int, today: date, now: datetime) -> list[Blocker]:
    """提交: only when the list passes check_unit_list; locks it. Returns the blockers (empty = submitted)."""
    with transaction(session):
        election, eu = _lock(session, election_unit_id)
        _require_unit_user(actor, eu)
        _require_editable(session, election, eu, today)
        categories = list(session.scalars(select(Nominee.category).where(Nominee.election_unit_id == eu.id)))
        blockers = check_unit_list(categories, unit_allocation(election, eu), category_tree(election))
        if blockers:
            return blockers
        eu.status = "submitted"
        eu.submitted_at = now
        audit(session, actor, "nominations.submit", eu, now=now,
              summary=f"{eu.unit.name}提交推荐人选名单{len(categories)}名", after={"count": len(categories)},
              seal=fixed(session, "unit_list", eu.id))
    return []


def reopen_unit(session: Session, actor, election_unit_id: int, reason: str, today: date, now: datetime,
                until: date | None = None) -> None:
    """退回: the office puts a unit's list back to draft (reason required); UNTIL lets it edit past the due date."""
    require(can_manage_elections(actor), "只有选举办可以退回推荐单位的名单。")
    reason = (reason or "").strip()
    if not reason:
        raise ServiceError("请填写退回理由。")
    if until is not None and until < today:
        raise ServiceError("允许修改的截止日期不能早于今天。")
    with transaction(session):
        election, eu = _lock(session, election_unit_id)
        if election.stage != Stage.nominate:
            raise ServiceError("只有在“推荐提名”阶段才能退回推荐单位的名单。")
        if eu.status == "exempted":
            raise ServiceError("该单位已免报，无需退回。")
        due = _nominate_due(session, election.id)
        if until is None and due is not None and today > due:
            raise ServiceError(f"推荐提名已于{due.isoformat()}截止，请填写允许该单位修改的截止日期。")
        before = {"status": eu.status, "reopened_until": eu.reopened_until}
        eu.status, eu.submitted_at = "draft", None
        eu.reopened_until, eu.reopen_reason = until, reason
        audit(session, actor, "nominations.reopen", eu, now=now,
              summary=f"退回{eu.unit.name}的推荐名单：{reason}" + (f"（可修改至{until.isoformat()}）" if until else ""),
              before=before, after={"status": "draft", "reopened_until": until, "reason": reason},
              seal=fixed(session, "unit_list", eu.id))

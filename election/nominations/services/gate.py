"""The gate of a unit's list: every reason it cannot be changed today (``check_list_editable``, pure), who
may change it, the locks each write takes (the Election row, then the ElectionUnit row), and the look-up of
people other units already nominated, kept for the office when refused.
"""
from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from election.audit.services import audit
from election.core.exceptions import NotFound, ServiceError
from election.core.permissions import can_edit_unit_list, require
from election.directory.models import ElectionUnit, Unit
from election.elections.models import Election, StageDue
from election.nominations.models import Nominee
from workflow.common import sources
from workflow.common.idcard import mask_id
from workflow.common.results import Blocker
from workflow.pipeline.stages import Stage
from workflow.quotas.categories import CategoryTree

ELSEWHERE = "此人已被其他推荐单位推荐，请与选举工作办公室联系"  # the unit is not told which: our default
SOURCE = sources.NOMINATION


# ---------------------------------------------------------------------------------------------- the gate


def check_list_editable(stage: str, status: str, due: date | None, reopened_until: date | None, today: date,
                        *, submitted_lock: bool = True) -> list[Blocker]:
    """Every reason the unit's list cannot be changed today (pure). 来源: docs/rules.md §2 stage 3."""
    blockers = []
    if stage != Stage.nominate:
        label = Stage(stage).label if stage in Stage.__members__ else stage
        blockers.append(Blocker("nominations.stage", f"选举当前处于“{label}”阶段，推荐名单只能在“推荐提名”阶段上传或修改", SOURCE))
    if status == "exempted":
        blockers.append(Blocker("nominations.exempted", "本单位已免报，无需上报推荐名单", SOURCE))
    elif submitted_lock and status == "submitted":
        blockers.append(Blocker("nominations.submitted", "本单位名单已提交并锁定；如需修改，请联系选举办退回本单位", SOURCE))
    if due is not None and today > due and not (reopened_until is not None and today <= reopened_until):
        if reopened_until is not None:
            msg = f"选举办退回后允许修改至{reopened_until.isoformat()}，现已过期；如确需修改，请联系选举办再次退回"
        else:
            msg = f"推荐提名已于{due.isoformat()}截止，不能再上传或修改名单；如确需修改，请联系选举办退回本单位"
        blockers.append(Blocker("nominations.overdue", msg, SOURCE))
    return blockers


def _nominate_due(session: Session, election_id: int) -> date | None:
    return session.scalar(select(StageDue.due_date).where(StageDue.election_id == election_id,
                                                          StageDue.stage == Stage.nominate.value))


def allowed_categories(tree: CategoryTree) -> tuple[str, ...]:
    """A person has one category, a leaf of the election's tree (docs/rules.md §3.2)."""
    return tuple(tree.leaves())


def _get_unit(session: Session, election_unit_id: int) -> ElectionUnit:
    eu = session.get(ElectionUnit, election_unit_id)
    if eu is None:
        raise NotFound("推荐单位不存在。")
    return eu


def _lock(session: Session, election_unit_id: int) -> tuple[Election, ElectionUnit]:
    """Lock the election, then the unit (always in that order: no deadlock), with fresh values."""
    eu_election = session.scalar(select(ElectionUnit.election_id).where(ElectionUnit.id == election_unit_id))
    if eu_election is None:
        raise NotFound("推荐单位不存在。")
    election = session.scalars(select(Election).where(Election.id == eu_election).with_for_update(of=Election)
                               .execution_options(populate_existing=True)).one()
    eu = session.scalars(select(ElectionUnit).where(ElectionUnit.id == election_unit_id).with_for_update(of=ElectionUnit)
                         .execution_options(populate_existing=True)).one()
    return election, eu


def _require_editable(session: Session, election: Election, eu: ElectionUnit, today: date) -> None:
    blockers = check_list_editable(election.stage, eu.status, _nominate_due(session, election.id),
                                   eu.reopened_until, today)
    if blockers:
        raise ServiceError("；".join(b.message for b in blockers))


def _require_unit_user(actor, eu: ElectionUnit) -> None:
    require(can_edit_unit_list(actor, eu.unit_id), "只能由本单位经办人上传或修改本单位的推荐名单。")


def _taken_elsewhere(session: Session, election_id: int, election_unit_id: int,
                     id_numbers: Sequence[str]) -> dict[str, tuple[int, str, str]]:
    """ID number → (other election unit id, its name, the person's name) for people other units nominated."""
    if not id_numbers:
        return {}
    rows = session.execute(
        select(Nominee.id_number, ElectionUnit.id, Unit.name, Nominee.name)
        .join(ElectionUnit, ElectionUnit.id == Nominee.election_unit_id).join(Unit, Unit.id == ElectionUnit.unit_id)
        .where(Nominee.election_id == election_id, Nominee.election_unit_id != election_unit_id,
               Nominee.removed_reason.is_(None), Nominee.id_number.in_(list(set(id_numbers))))).all()
    return {r[0]: (r[1], r[2], r[3]) for r in rows}


def _record_conflicts(session: Session, actor, eu: ElectionUnit, conflicts: list[dict], now: datetime) -> None:
    """Keep the refused cross-unit duplicates for the office (both units named); the unit sees ELSEWHERE only."""
    eu.duplicate_conflicts = conflicts
    audit(session, actor, "nominations.duplicate_refused", eu, now=now,
          summary=f"{eu.unit.name}推荐的{len(conflicts)}人已被其他推荐单位推荐，未保存",
          after={"conflicts": [{k: v for k, v in c.items() if k != "id_number"} for c in conflicts]})


def _conflict(id_number: str, name: str, row: int, other: tuple[int, str, str], now: datetime) -> dict:
    return {"id_number": id_number, "masked_id": mask_id(id_number), "name": name, "row": row,
            "other_election_unit_id": other[0], "other_unit": other[1], "at": now.isoformat(timespec="minutes")}

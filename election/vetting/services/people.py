"""The people a vetting use case works on: loading the election and a person, the stage check, how far a person
has come (STEP_ORDER: 推荐人选 → 考察对象 → 初步人选 → 预备人选), who is a 领导干部, and every list in 姓氏笔画 order
(workflow.common.strokes, docs/rules.md §3.4).
"""
from __future__ import annotations

from collections.abc import Iterable, Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from election.core.exceptions import NotFound, ServiceError
from election.directory.models import ElectionUnit, Unit
from election.elections.models import Election
from election.nominations.models import Nominee
from workflow.common.strokes import sort_by_name
from workflow.pipeline.stages import Stage
from workflow.quotas.categories import CategoryTree

STEP_ORDER = ("nominated", "shortlisted", "preliminary", "confirmed")
VETTING_STAGES = (Stage.shortlist, Stage.vet, Stage.preliminary)
LEADER_ROOT = "领导干部"  # 来源: docs/rules.md §5 (个人有关事项报告必核, leaders only) and §1 (领导干部)


def _election(session: Session, election_id: int) -> Election:
    election = session.get(Election, election_id)
    if election is None:
        raise NotFound("选举不存在。")
    return election


def _nominee(session: Session, nominee_id: int, *, lock: bool = False) -> Nominee:
    """The person; ``lock``: the row locked for the transaction (a second request waits, then sees the first's)."""
    if lock:
        nominee = session.scalar(select(Nominee).where(Nominee.id == nominee_id).with_for_update(of=Nominee)
                                 .execution_options(populate_existing=True))
    else:
        nominee = session.get(Nominee, nominee_id)
    if nominee is None:
        raise NotFound("人员不存在。")
    return nominee


def _require_stage(election: Election, stages: Sequence[Stage], what: str) -> None:
    if election.stage not in stages:
        where = "、".join(f"“{s.label}”" for s in stages)
        raise ServiceError(f"{what}只能在{where}阶段进行，本选举目前处于“{Stage(election.stage).label}”阶段。")


def _reached(nominee: Nominee, step: str) -> bool:
    return STEP_ORDER.index(nominee.step) >= STEP_ORDER.index(step)


def _in_running(nominee: Nominee, step: str) -> bool:
    return nominee.removed_reason is None and _reached(nominee, step)


def _pad(election: Election) -> bool:
    return bool((election.settings or {}).get("pad_single_given_name", False))


def sort_people(election: Election, people: Iterable, key=lambda p: p.name) -> list:
    """Every list of people in 姓氏笔画 order with the election's setting (docs/rules.md §3.4)."""
    return sort_by_name(people, key, pad_single_given_name=_pad(election),
                        overrides=(election.settings or {}).get("stroke_overrides") or None)


def is_leader(election: Election, category: str) -> bool:
    tree = CategoryTree(election.categories or None)
    return LEADER_ROOT in tree and category in tree and tree.contains(LEADER_ROOT, category)


def people_at(session: Session, election: Election, step: str, *, include_removed: bool = False,
              submitted_only: bool = False) -> list[tuple[Nominee, str]]:
    """(nominee, unit name) of everyone who reached STEP, in 姓氏笔画 order; one query."""
    query = (select(Nominee, Unit.name).join(ElectionUnit, ElectionUnit.id == Nominee.election_unit_id)
             .join(Unit, Unit.id == ElectionUnit.unit_id)
             .where(Nominee.election_id == election.id, Nominee.step.in_(STEP_ORDER[STEP_ORDER.index(step):])))
    if not include_removed:
        query = query.where(Nominee.removed_reason.is_(None))
    if submitted_only:
        query = query.where(ElectionUnit.status == "submitted")
    return sort_people(election, session.execute(query).all(), key=lambda r: r[0].name)

"""The election pipeline as a table of transitions with guards (来源: docs/rules.md §2).

Nine pipeline stages, then 已完成; 已中止 is reachable from any stage that is not final. A forward move
happens only when every guard of the current stage passes; each guard is a pure function of an
:class:`~workflow.pipeline.facts.ElectionFacts` snapshot returning *all* its blockers, and :func:`check_transition`
returns every blocker of every guard. A move back (退回) may go one or more stages back and needs a written
reason; so does 中止. A forward move after the stage's due date needs an override reason
(``Decision.overdue_override_needed``; see :func:`check_overdue_reason`).

The database, the transaction, the audit row and the stage history live in services, not here.
"""
from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from workflow.common import sources
from workflow.common.results import Blocker

SRC_PIPELINE = sources.PIPELINE
SRC_MARGIN = sources.MARGIN
SRC_NOTICE = sources.NOTICE
SRC_VETTING = sources.VETTING
SRC_ISSUE = sources.PLAN_TIMELINE  # the working group's own plan: due dates and decisions on record


class Stage(StrEnum):
    """Stages of an election; values are stored in the database and never change."""

    plan = "plan"
    deploy = "deploy"
    nominate = "nominate"
    shortlist = "shortlist"
    vet = "vet"
    preliminary = "preliminary"
    confirm = "confirm"
    ballot = "ballot"
    report = "report"
    completed = "completed"
    aborted = "aborted"

    @property
    def label(self) -> str:
        return _LABELS[self]

    @property
    def is_final(self) -> bool:
        return self in (Stage.completed, Stage.aborted)

    @property
    def order(self) -> int | None:
        """Position in the pipeline (制定工作方案 = 0 … 已完成 = 9); None for 已中止."""
        return _ORDER.get(self)


_LABELS = {
    Stage.plan: "制定工作方案",
    Stage.deploy: "工作部署",
    Stage.nominate: "推荐提名",
    Stage.shortlist: "确定考察对象",
    Stage.vet: "考察并第一次公示",
    Stage.preliminary: "确定初步人选并第二次公示",
    Stage.confirm: "确定预备人选",
    Stage.ballot: "差额选举",
    Stage.report: "结果上报",
    Stage.completed: "已完成",
    Stage.aborted: "已中止",
}


# The working stages in order (来源: docs/rules.md §2; the table's stage 8 "代表选举" is split into the ballot
# and the reporting of its result, so each has its own due date and guard).
PIPELINE: tuple[Stage, ...] = (
    Stage.plan, Stage.deploy, Stage.nominate, Stage.shortlist, Stage.vet,
    Stage.preliminary, Stage.confirm, Stage.ballot, Stage.report,
)


_ORDER = {s: i for i, s in enumerate((*PIPELINE, Stage.completed))}


# ---------------------------------------------------------------------------------------------------
# Results
# ---------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Decision:
    """Whether a move to ``target`` may happen now, and everything that blocks it."""

    target: Stage | None
    blockers: tuple[Blocker, ...] = ()
    overdue_override_needed: bool = False   # forward move after the stage's due date: ask for a reason

    @property
    def allowed(self) -> bool:
        return self.target is not None and not self.blockers


class MoveKind(StrEnum):
    advance = "advance"
    back = "back"
    abort = "abort"

    @property
    def label(self) -> str:
        return {"advance": "进入下一阶段", "back": "退回", "abort": "中止"}[self.value]


@dataclass(frozen=True)
class Move:
    """One action the page may offer as a button (see :func:`enabled_transitions`)."""

    kind: MoveKind
    target: Stage
    reason_required: bool = False
    overdue_override_needed: bool = False


class InvalidDefinition(Exception):
    """The transition table is malformed (raised at import, and by tests on broken tables)."""

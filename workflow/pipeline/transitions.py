"""The pipeline as a table of transitions with guards, validated at import, and the queries on it: may the
election move forward, back or be aborted now, and which buttons the page offers (来源: docs/rules.md §2)."""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from workflow.common.results import Blocker
from workflow.pipeline.facts import ElectionFacts
from workflow.pipeline.guards import (
    Guard,
    check_approval,
    check_confirm_margin,
    check_confirm_meeting,
    check_discipline_opinions,
    check_first_notice,
    check_higher_consent,
    check_higher_nominees,
    check_plan_due_dates,
    check_plan_seats,
    check_plan_units,
    check_preliminary_margin,
    check_preliminary_meeting,
    check_quota,
    check_result_recorded,
    check_result_reported,
    check_second_notice,
    check_shortlist_margin,
    check_shortlist_meeting,
    check_unit_accounts,
    check_unit_lists,
    check_units_submitted,
    check_vetting_done,
)
from workflow.pipeline.stages import (
    PIPELINE,
    SRC_ISSUE,
    SRC_PIPELINE,
    Decision,
    InvalidDefinition,
    Move,
    MoveKind,
    Stage,
)


# ---------------------------------------------------------------------------------------------------
# The table
# ---------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Transition:
    source: Stage
    target: Stage
    guards: tuple[Guard, ...] = ()


def _table(*transitions: Transition) -> dict[Stage, Transition]:
    table: dict[Stage, Transition] = {}
    for t in transitions:
        if t.source in table:
            raise InvalidDefinition(f"stage {t.source} has two forward transitions")
        table[t.source] = t
    return table


TRANSITIONS: Mapping[Stage, Transition] = _table(
    Transition(Stage.plan, Stage.deploy, (check_plan_seats, check_plan_due_dates, check_plan_units)),
    Transition(Stage.deploy, Stage.nominate, (check_unit_accounts,)),
    Transition(Stage.nominate, Stage.shortlist, (check_units_submitted, check_unit_lists)),
    Transition(Stage.shortlist, Stage.vet, (check_shortlist_meeting, check_shortlist_margin)),
    Transition(Stage.vet, Stage.preliminary, (check_vetting_done, check_first_notice)),
    Transition(Stage.preliminary, Stage.confirm, (check_preliminary_meeting, check_preliminary_margin,
                                                  check_discipline_opinions, check_higher_consent,
                                                  check_second_notice)),
    Transition(Stage.confirm, Stage.ballot, (check_confirm_meeting, check_confirm_margin, check_approval,
                                             check_higher_nominees)),
    Transition(Stage.ballot, Stage.report, (check_result_recorded,)),
    Transition(Stage.report, Stage.completed, (check_result_reported,)),
)


# Guards applied when leaving any stage (after the stage's own guards).
COMMON_GUARDS: tuple[Guard, ...] = (check_quota,)


def validate_transitions(table: Mapping[Stage, Transition]) -> None:
    """Walk the table from 制定工作方案: each stage reached once, in PIPELINE order, ending at 已完成."""
    for key, t in table.items():
        if key != t.source:
            raise InvalidDefinition(f"table key {key} holds a transition from {t.source}")
        if t.source.is_final:
            raise InvalidDefinition(f"final stage {t.source} has a forward transition")
        if t.target is Stage.aborted:
            raise InvalidDefinition(f"{t.source} → aborted is not a forward transition (use check_abort)")
    seen: list[Stage] = []
    stage = Stage.plan
    while stage is not Stage.completed:
        if stage in seen:
            raise InvalidDefinition(f"stage {stage} is reached twice (cycle)")
        seen.append(stage)
        t = table.get(stage)
        if t is None:
            raise InvalidDefinition(f"the chain stops at {stage} before reaching completed")
        stage = t.target
    if tuple(seen) != PIPELINE:
        raise InvalidDefinition(f"the chain {[s.value for s in seen]} is not the pipeline order")
    unreachable = set(table) - set(seen)
    if unreachable:
        raise InvalidDefinition(f"unreachable transitions from {sorted(unreachable)}")


validate_transitions(TRANSITIONS)


# ---------------------------------------------------------------------------------------------------
# Queries
# ---------------------------------------------------------------------------------------------------
def _final_blocker(stage: Stage) -> Blocker:
    return Blocker("stage.final", f"选举{stage.label}，不能再变更阶段", SRC_ISSUE)


def is_overdue(facts: ElectionFacts) -> bool:
    """The current stage's due date has passed (a forward move then needs an override reason)."""
    due = facts.due_dates.get(facts.stage)
    return due is not None and facts.today > due


def check_transition(facts: ElectionFacts) -> Decision:
    """The forward move from the current stage, with every blocker of every guard."""
    t = TRANSITIONS.get(facts.stage)
    if t is None:
        return Decision(None, (_final_blocker(facts.stage),))
    blockers = tuple(b for g in (*t.guards, *COMMON_GUARDS) for b in g(facts))
    return Decision(t.target, blockers, overdue_override_needed=is_overdue(facts))


def check_overdue_reason(decision: Decision, reason: str) -> list[Blocker]:
    """An overdue forward move needs a written override reason (our rule; audited by the service)."""
    if decision.overdue_override_needed and not reason.strip():
        return [Blocker("stage.overdue_reason_required",
                        "本阶段已超过截止日期，进入下一阶段须填写逾期说明", SRC_ISSUE)]
    return []


def return_targets(stage: Stage) -> tuple[Stage, ...]:
    """Stages a 退回 from STAGE may go to: every earlier pipeline stage, nearest first."""
    if stage.is_final:
        return ()
    return tuple(reversed(PIPELINE[:PIPELINE.index(stage)]))


def _reason_blocker(reason: str, code: str, what: str) -> list[Blocker]:
    if reason.strip():
        return []
    return [Blocker(code, f"{what}须填写书面理由，请写明原因", SRC_PIPELINE)]


def check_return(facts: ElectionFacts, target: Stage, reason: str) -> Decision:
    """A move back (退回) to an earlier stage; needs a non-empty written reason (来源: docs/rules.md §2)."""
    if facts.stage.is_final:
        return Decision(None, (_final_blocker(facts.stage),))
    if target not in return_targets(facts.stage):
        return Decision(None, (Blocker("return.not_earlier",
                                       f"只能退回到“{facts.stage.label}”之前的阶段，不能退回到“{target.label}”",
                                       SRC_PIPELINE),))
    return Decision(target, tuple(_reason_blocker(reason, "return.reason_required", "退回")))


def check_abort(facts: ElectionFacts, reason: str) -> Decision:
    """中止 the election from any stage that is not final; needs a non-empty written reason."""
    # 中止 with a written reason, like a move back (docs/rules.md §2)
    if facts.stage.is_final:
        return Decision(None, (_final_blocker(facts.stage),))
    return Decision(Stage.aborted, tuple(_reason_blocker(reason, "abort.reason_required", "中止选举")))


def enabled_transitions(facts: ElectionFacts) -> list[Move]:
    """The moves the page may offer now: advance (only when its guards pass), every 退回 target, 中止.

    退回 and 中止 are listed with ``reason_required``; the blockers of a refused advance come from
    :func:`check_transition`, so the buttons and the POST always agree.
    """
    if facts.stage.is_final:
        return []
    moves = []
    decision = check_transition(facts)
    if decision.allowed:
        moves.append(Move(MoveKind.advance, decision.target, reason_required=decision.overdue_override_needed,
                          overdue_override_needed=decision.overdue_override_needed))
    moves.extend(Move(MoveKind.back, t, reason_required=True) for t in return_targets(facts.stage))
    moves.append(Move(MoveKind.abort, Stage.aborted, reason_required=True))
    return moves

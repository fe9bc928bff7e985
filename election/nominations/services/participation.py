"""推荐提名工作统计表: how many grassroots organisations and members of a unit took part in recommending,
the rates compared exactly with the election's target, and the use case that saves them with the 工作小结.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from fractions import Fraction

from sqlalchemy.orm import Session

from election.audit.services import audit
from election.core.db import transaction
from election.core.exceptions import ServiceError
from election.core.permissions import can_edit_unit_list, can_manage_elections, require
from election.directory.models import ElectionUnit
from election.elections.models import Election
from election.nominations.services.gate import _lock, _nominate_due, check_list_editable


@dataclass(frozen=True)
class Participation:
    """推荐提名工作统计表 of one unit; rates compared exactly (Fractions). 来源: docs/rules.md §2 (seed: 100%)."""

    orgs: int
    participating_orgs: int | None
    members: int
    participating_members: int | None
    target: Fraction = Fraction(1)

    @property
    def org_rate(self) -> Fraction | None:
        return _rate(self.participating_orgs, self.orgs)

    @property
    def member_rate(self) -> Fraction | None:
        return _rate(self.participating_members, self.members)

    @property
    def filled(self) -> bool:
        return self.participating_orgs is not None and self.participating_members is not None

    @property
    def meets_target(self) -> bool:
        return all(r is not None and r >= self.target for r in (self.org_rate, self.member_rate))


def _rate(part: int | None, whole: int) -> Fraction | None:
    return None if part is None or whole <= 0 else Fraction(part, whole)


def format_rate(rate: Fraction | None) -> str:
    """95.1% (rounded half up to one decimal, integer arithmetic); "—" when unknown."""
    if rate is None:
        return "—"
    tenths = (rate.numerator * 1000 + rate.denominator // 2) // rate.denominator
    return f"{tenths // 10}.{tenths % 10}%"


def save_statistics(session: Session, actor, election_unit_id: int, participating_orgs: int,
                    participating_members: int, summary_text: str, today: date, now: datetime) -> Participation:
    """推荐提名工作统计表 and 工作小结; the unit fills them (the office may correct them)."""
    with transaction(session):
        election, eu = _lock(session, election_unit_id)
        require(can_edit_unit_list(actor, eu.unit_id) or can_manage_elections(actor), "只能填写本单位的统计表。")
        if not can_manage_elections(actor):
            blockers = check_list_editable(election.stage, eu.status, _nominate_due(session, election.id),
                                           eu.reopened_until, today, submitted_lock=False)
            if blockers:
                raise ServiceError("；".join(b.message for b in blockers))
        unit = eu.unit
        problems = []
        for label, value, whole, whole_label in (("参加推荐的基层党组织数", participating_orgs, unit.grassroots_orgs, "基层党组织"),
                                                 ("参加推荐的党员数", participating_members, unit.members, "党员")):
            if value is None or value < 0:
                problems.append(f"请填写{label}（不小于0的整数）")
            elif whole and value > whole:
                problems.append(f"{label}{value}超过本单位{whole_label}总数{whole}，请核对")
        if problems:
            raise ServiceError("；".join(problems))
        before = {"orgs": eu.participating_orgs, "members": eu.participating_members}
        eu.participating_orgs, eu.participating_members = participating_orgs, participating_members
        eu.summary_text = (summary_text or "").strip() or None
        result = participation(election, eu)
        audit(session, actor, "nominations.statistics", eu, now=now,
              summary=f"{unit.name}填写推荐提名工作统计表：组织参与率{format_rate(result.org_rate)}，"
                      f"党员参与率{format_rate(result.member_rate)}",
              before=before, after={"orgs": participating_orgs, "members": participating_members})
    return result


def participation_target(election: Election) -> Fraction:
    return Fraction((election.settings or {}).get("participation_target", "1"))


def participation(election: Election, eu: ElectionUnit) -> Participation:
    return Participation(eu.unit.grassroots_orgs, eu.participating_orgs, eu.unit.members, eu.participating_members,
                         participation_target(election))

"""What a 选举单位's election receives from the upper committee when it is part of a congress (docs/rules.md §8.1):
its seats, 上级提名名额, structure requirements, 身份类别, 年龄计算基准日 and the due dates the upper committee set. The
district's own 工作方案 and 时间安排 keep them; a change there is refused, naming what comes from above."""
from __future__ import annotations

from datetime import date

from sqlalchemy.orm import Session

from election.core.exceptions import ServiceError
from election.elections.models import Election
from workflow.pipeline.stages import Stage

FROM_ABOVE = {"seats": "应选名额", "higher_nominated_seats": "上级提名名额", "quota_rules": "结构要求",
              "categories": "身份类别", "age_reference_date": "年龄计算基准日"}


def congress_timeline(session: Session, election: Election) -> dict:
    """The due dates the upper committee set for a linked election ({} for one not part of a congress)."""
    if election.congress_id is None:
        return {}
    from election.levels.models import Congress

    congress = session.get(Congress, election.congress_id)
    return dict(congress.timeline or {}) if congress is not None else {}


def check_plan_from_above(session: Session, election: Election, setup) -> None:
    """A linked election's 工作方案 keeps what the upper committee set (来源: docs/rules.md §8.1)."""
    if election.congress_id is None:
        return
    changed = [label for key, label in FROM_ABOVE.items()
               if (getattr(setup, key) or None) != (getattr(election, key) or None)]
    if changed:
        raise ServiceError(f"本次选举的{'、'.join(changed)}由上级组织部门下达，不能在工作方案中修改；"
                           f"如需调整，请与上级组织部门联系。")


def check_dues_from_above(session: Session, election: Election, dues: dict[str, date | None],
                          before: dict[str, date]) -> None:
    """The due dates the upper committee set are not changed by the district (来源: docs/rules.md §8.1)."""
    above = congress_timeline(session, election)
    locked = [Stage(s).label for s, due in dues.items() if due != before.get(s) and s in above]
    if locked:
        raise ServiceError(f"“{'、'.join(locked)}”的截止日期由上级组织部门的时间安排下达，不能在这里修改；"
                           f"如需调整，请与上级组织部门联系。")

"""The 代表任期履职 blueprint ``bp`` (/duties) and what its pages share: the download types, the year a page asks
for, the 群众诉求 time limits from the configuration, and an office's serving delegates for the pickers."""
from __future__ import annotations

from flask import Blueprint, current_app, request
from sqlalchemy import select

from election.core.clock import today_local
from election.core.db import db
from election.duties.models import TermDelegate
from workflow.common.strokes import sort_by_name
from workflow.duties.petitions import PetitionLimits

bp = Blueprint("duties", __name__, url_prefix="/duties")


@bp.context_processor
def _duty_predicates():
    """The duty area's ``can_*`` predicates for its pages: a form is shown by the predicate its POST checks."""
    from election.duties.services import permissions

    return {"duty_perm": permissions}
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _year() -> int:
    y = request.args.get("year", type=int)
    return y if y and 2000 <= y <= 2100 else today_local().year


def _limits() -> PetitionLimits:
    c = current_app.config
    return PetitionLimits(take_up_days=int(c.get("PETITION_TAKE_UP_DAYS", 3)),
                          answer_days=int(c.get("PETITION_ANSWER_DAYS", 7)))


def _office_delegates(office_id: int | None) -> list[TermDelegate]:
    """Serving delegates (of one office, or all) in 姓氏笔画 order (docs/rules.md §3.4): the 领衔/联署 choices."""
    q = select(TermDelegate).where(TermDelegate.status == "serving").order_by(TermDelegate.id)
    if office_id is not None:
        q = q.where(TermDelegate.office_id == office_id)
    return sort_by_name(db.session.scalars(q).unique(), lambda d: d.name)

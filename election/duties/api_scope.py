"""Who sees what over the duties API: the token user's office (a 党代表工作室 sees only its own), the caller's own
delegate record, and the lookups that answer out of scope exactly like a missing id (404), or with a 422 for a
delegate named in a request body."""
from __future__ import annotations

from datetime import date

from sqlalchemy import select

from election.api import not_found, user, validation
from election.core.db import db
from election.core.permissions import has_role
from election.directory.models import DelegateOffice
from election.duties import services as svc
from election.duties.api_schemas import AU, DL
from election.duties.models import TermDelegate


def _scope() -> int | None:
    return svc.office_scope(user())


def _own_delegate() -> TermDelegate | None:
    return svc.delegate_of_user(db.session, user()) if has_role(user(), DL) else None


def _sees_office(office_id: int | None) -> bool:
    """Office staff of that office, the 组织部, or the read-only 审计 (as the petition and proposal pages)."""
    return svc.can_staff_office(user(), office_id) or has_role(user(), AU)


def _delegate_or_404(delegate_id: int) -> TermDelegate:
    d = db.session.get(TermDelegate, delegate_id)
    if d is None or not _sees_office(d.office_id):
        raise not_found("代表")
    return d


def _loggable(delegate_id: int | None, field: str, what: str) -> TermDelegate:
    """The delegate a write names in its body: one the caller may log for, else a 422 (no existence oracle)."""
    own = _own_delegate()
    if own is not None and delegate_id is None:
        return own
    if delegate_id is None:
        raise validation("提交的数据有误，请按逐项说明修改。", [{"field": field, "message": f"请填写{what}编号"}])
    d = db.session.get(TermDelegate, delegate_id)
    if d is None or not svc.can_log_for(user(), d):
        raise validation("提交的数据有误，请按逐项说明修改。",
                         [{"field": field, "message": f"{what}{delegate_id}不存在，或不是您可以登记的代表"}])
    return d


def _office_names() -> dict[int, str]:
    return dict(db.session.execute(select(DelegateOffice.id, DelegateOffice.name)).all())


def _year_range(year: int) -> tuple[date, date]:
    return date(year, 1, 1), date(year, 12, 31)

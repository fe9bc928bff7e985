"""Print views: A4, people in 姓氏笔画 order; layout in templates/print/base.html. The roll, the
activities of a year, the ranking, the petitions, the proposals and one 履职纪实表, read through
``election.duties.print_views``."""
from __future__ import annotations

from datetime import date

from flask import render_template, request
from flask_login import current_user, login_required

from election.core.clock import today_local
from election.core.db import db
from election.core.permissions import has_role
from election.core.roles import Role
from election.directory.models import DelegateOffice
from election.duties import print_views
from election.duties import services as svc
from election.duties.views.blueprint import _limits, _year, bp
from election.duties.views.guards import _require_duty_user, _require_staff
from election.duties.views.rankings import _ranking
from workflow import duties as wd
from workflow.duties.delegate_status import DelegateStatus
from workflow.duties.petitions import PetitionState


def _office_arg() -> int | None:
    return request.args.get("office", type=int) or None


def _office_name(office_id: int | None) -> str:
    office = db.session.get(DelegateOffice, office_id) if office_id else None
    return office.name if office else ""


@bp.get("/delegates/print")
@login_required
def print_delegates():
    _require_staff()
    office_id = svc.office_scope(current_user) or _office_arg()
    groups = print_views.delegates_by_office(db.session, current_user, office_id,
                                             serving_only=request.args.get("all") != "1")
    return render_template("duties/print_delegates.html", groups=groups, office=_office_name(office_id),
                           serving_only=request.args.get("all") != "1", Status=DelegateStatus, today=today_local())


@bp.get("/activities/print")
@login_required
def print_activities():
    _require_staff()
    year = _year()
    books = svc.load_rulebooks(db.session)
    ys = books[svc.DEFAULT_RULESET].scoring_year(year) if svc.DEFAULT_RULESET in books else None
    first, last = (ys.start, ys.end) if ys else (date(year, 1, 1), date(year, 12, 31))
    office_id = svc.office_scope(current_user) or _office_arg()
    groups = print_views.activities_by_delegate(db.session, current_user, first, last, office_id)
    return render_template("duties/print_activities.html", groups=groups, year=year, first=first, last=last,
                           office=_office_name(office_id), labels=svc.type_labels(books.values()),
                           status_labels=print_views.ACTIVITY_STATUS_LABELS, today=today_local())


@bp.get("/rankings/print")
@login_required
def print_rankings():
    view = _ranking()
    return render_template("duties/print_rankings.html", view=view, today=today_local())


@bp.get("/petitions/print")
@login_required
def print_petitions():
    _require_staff()
    items = svc.list_petitions(db.session, current_user)
    return render_template("duties/print_petitions.html", items=items, State=PetitionState,
                           overdue=svc.overdue_of(items, today_local(), _limits()), today=today_local())


@bp.get("/proposals/print")
@login_required
def print_proposals():
    delegate = svc.delegate_of_user(db.session, current_user) if has_role(current_user, Role.delegate) else None
    if delegate is None:
        _require_staff()
    items = print_views.proposals_for(db.session, current_user, delegate)
    return render_template("duties/print_proposals.html", items=items, delegate=delegate, Grade=wd.SatisfactionGrade,
                           today=today_local())


@bp.get("/review/<int:delegate_id>/record")
@login_required
def print_record(delegate_id: int):
    _require_duty_user()
    record = print_views.duty_record(db.session, current_user, delegate_id, _year())
    return render_template("duties/print_record.html", r=record, today=today_local())

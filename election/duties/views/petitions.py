"""群众诉求 pages: registering a petition at an office, the list with its overdue steps, one petition and the move
to its next step."""
from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from election.core.clock import today_local, utcnow
from election.core.db import db
from election.core.exceptions import ServiceError
from election.core.permissions import has_role
from election.core.roles import Role
from election.directory.queries import active_offices
from election.duties import services as svc
from election.duties.forms import PetitionForm, PetitionMoveForm
from election.duties.models import Petition
from election.duties.views.blueprint import _limits, _office_delegates, bp
from election.duties.views.guards import _fail, _in_scope, _require_duty_writer, _require_staff
from workflow import duties as wd
from workflow.duties.petitions import PetitionState


def _petition_form() -> PetitionForm:
    form = PetitionForm()
    scope = svc.office_scope(current_user)
    offices = active_offices(db.session)  # a new 诉求 goes to an office in force
    form.office_id.choices = [(o.id, o.name) for o in offices if scope is None or o.id == scope]
    form.delegate_id.choices = [(0, "（无）")] + [(d.id, f"{d.name}（{d.office.name if d.office else ''}）")
                                                for d in _office_delegates(scope)]
    return form


@bp.route("/petitions", methods=["GET", "POST"])
@login_required
def petitions():
    _require_staff()
    if request.method == "POST":
        _require_duty_writer()  # the 审计 reads the 诉求 but registers none
    form = _petition_form()
    if form.validate_on_submit():
        data = svc.PetitionInput(form.resident_name.data, form.content.data, form.resident_phone.data or "",
                                 form.delegate_id.data or None, form.office_id.data or None)
        try:
            p = svc.register_petition(db.session, current_user, data, utcnow())
            flash("诉求已登记。", "success")
            return redirect(url_for("duties.petition", petition_id=p.id))
        except ServiceError as exc:
            _fail(exc)
    items = svc.list_petitions(db.session, current_user)
    overdue = svc.overdue_of(items, today_local(), _limits())
    return render_template("duties/petitions.html", items=items, overdue=overdue, form=form, State=PetitionState,
                           limits=_limits())


@bp.get("/petitions/<int:petition_id>")
@login_required
def petition(petition_id: int):
    _require_staff()
    p = db.session.get(Petition, petition_id)
    _in_scope(p, lambda p: svc.can_staff_office(current_user, p.office_id) or has_role(current_user, Role.auditor))
    overdue = svc.overdue_of([p], today_local(), _limits())[p.id]
    moves = svc.enabled_moves(p) if svc.can_staff_office(current_user, p.office_id) else []  # the 审计 only reads
    return render_template("duties/petition.html", p=p, overdue=overdue, moves=moves,
                           form=PetitionMoveForm(), State=PetitionState, Grade=wd.SatisfactionGrade,
                           steps=list(PetitionState))


@bp.post("/petitions/<int:petition_id>/move")
@login_required
def petition_move(petition_id: int):
    _require_duty_writer()
    _in_scope(db.session.get(Petition, petition_id), lambda p: svc.can_staff_office(current_user, p.office_id))
    form = PetitionMoveForm()
    if not form.validate_on_submit():
        abort(400)
    data = {k: getattr(form, k).data for k in ("receiver", "handler", "reply", "grade", "feedback_note",
                                               "archive_note", "reason") if k in request.form}
    try:
        blockers = svc.move_petition(db.session, current_user, petition_id, form.target.data, data, utcnow())
    except ServiceError as exc:
        _fail(exc)
        blockers = []
    else:
        if not blockers:
            flash(f"已进入“{PetitionState(form.target.data).label}”。", "success")
    for b in blockers:
        flash(b.message, "danger")
    return redirect(url_for("duties.petition", petition_id=petition_id))

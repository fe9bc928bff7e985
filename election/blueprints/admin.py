from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from sqlalchemy import select

from election.clock import utcnow
from election.db import db
from election.exceptions import ServiceError
from election.forms import AuditFilterForm, UserForm
from election.models import DelegateOffice, Unit, User
from election.permissions import Role, require_role
from election.services import queries
from election.services.users import create_user

bp = Blueprint("admin", __name__, url_prefix="/admin")


@bp.get("/audit")
@login_required
@require_role(Role.admin, Role.auditor)
def audit():
    form = AuditFilterForm(request.args)
    page = max(request.args.get("page", 1, type=int), 1)
    result = queries.audit_page(db.session, object_type=form.object_type.data or None,
                                object_id=form.object_id.data or None, actor=form.actor.data or None, page=page)
    return render_template("admin/audit.html", form=form, result=result)


@bp.route("/users", methods=["GET", "POST"])
@login_required
@require_role(Role.admin)
def users():
    form = UserForm()
    form.unit_id.choices = [(0, "（无）")] + [(u.id, u.name) for u in db.session.scalars(select(Unit).order_by(Unit.code))]
    form.office_id.choices = [(0, "（无）")] + [(o.id, o.name) for o in
                                               db.session.scalars(select(DelegateOffice).order_by(DelegateOffice.id))]
    if form.validate_on_submit():
        try:
            user = create_user(db.session, current_user, username=form.username.data, password=form.password.data,
                               role=form.role.data, display_name=form.display_name.data,
                               unit_id=form.unit_id.data or None, office_id=form.office_id.data or None,
                               now=utcnow())
        except ServiceError as exc:
            flash(exc.message, "danger")
        else:
            flash(f"已创建用户“{user.display_name}”。", "success")
            return redirect(url_for("admin.users"))
    people = db.session.scalars(select(User).order_by(User.role, User.username)).all()
    return render_template("admin/users.html", form=form, users=people)

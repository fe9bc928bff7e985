"""用户管理 beyond the list: edit a user (name, role, unit or office), unlock, reset the password (a one-time one,
shown once on a slip), disable and enable; create many 经办人 and 工作室 staff from a sheet and print their 账号通知单.
Admin only. A password is shown only in the answer to the request that made it, never stored in clear."""
from __future__ import annotations

import io

from flask import Blueprint, abort, flash, redirect, render_template, request, send_file, url_for
from flask_login import current_user, login_required
from flask_wtf.file import FileField, FileRequired
from wtforms import SelectField, StringField
from wtforms.validators import DataRequired, Length

from election.accounts import management
from election.accounts.forms import in_part, organisation_choices
from election.accounts.models import User
from election.accounts.readers import accounts_template, parse_accounts_sheet
from election.core.clock import today_local, utcnow
from election.core.db import db
from election.core.exceptions import ServiceError
from election.core.forms import ConfirmForm, Form
from election.core.permissions import require_role
from election.core.roles import ROLE_LABELS, Role
from election.core.xlsx import SheetRejected
from election.directory import queries as directory
from election.directory.scope import org_scope
from election.documents.filenames import document_filename

bp = Blueprint("users", __name__, url_prefix="/admin/users")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class EditUserForm(Form):
    display_name = StringField("姓名", validators=[DataRequired("请填写姓名"), Length(max=64)])
    role = SelectField("角色", choices=[(r.value, label) for r, label in ROLE_LABELS.items()])
    unit_id = SelectField("所属推荐单位（推荐单位经办人必填）", coerce=int, choices=[], validate_choice=False)
    office_id = SelectField("所属党代表工作室（工作室人员必填）", coerce=int, choices=[], validate_choice=False)
    organisation_id = SelectField("所属组织（上级组织部门必填；不选为全系统）", coerce=int, choices=[],
                                  validate_choice=False)


class BulkForm(Form):
    file = FileField("账户表（.xlsx）", validators=[FileRequired("请选择账户表")])


def _address() -> str:
    return request.host_url.rstrip("/") + url_for("auth.login")


def _slips(slips, title: str):
    return render_template("accounts/slips.html", slips=slips, title=title, address=_address(), today=today_local())


@bp.route("/<int:user_id>", methods=["GET", "POST"])
@login_required
@require_role(Role.admin)
def edit(user_id: int):
    user = db.session.get(User, user_id) or abort(404)
    part = org_scope(current_user)
    if part is not None and user.id != current_user.id and user.organisation_id not in part:
        abort(404)  # another part's account: not found, as in the services
    form = EditUserForm(obj=user)
    form.organisation_id.choices = organisation_choices(current_user, user.organisation_id)
    if request.method == "GET":
        form.organisation_id.data = user.organisation_id or 0
    units = directory.active_units(db.session, part)
    offices = in_part(directory.active_offices(db.session), part)
    form.unit_id.choices = [(0, "（无）")] + [(u.id, u.name) for u in units] + \
        ([(user.unit.id, user.unit.name + "（已撤销）")] if user.unit and user.unit not in units else [])
    form.office_id.choices = [(0, "（无）")] + [(o.id, o.name) for o in offices] + \
        ([(user.office.id, user.office.name + "（已撤销）")] if user.office and user.office not in offices else [])
    if form.validate_on_submit():
        try:
            management.update_user(db.session, current_user, user_id, display_name=form.display_name.data,
                                   role=form.role.data, unit_id=form.unit_id.data or None,
                                   office_id=form.office_id.data or None, now=utcnow(),
                                   organisation_id=form.organisation_id.data or None)
        except ServiceError as exc:
            flash(exc.message, "danger")
        else:
            flash(f"已保存用户“{form.display_name.data.strip()}”。", "success")
            return redirect(url_for("users.edit", user_id=user_id))
    return render_template("accounts/edit.html", user=user, form=form, confirm=ConfirmForm())


def _act(user_id: int, action, done: str):
    if not ConfirmForm().validate_on_submit():
        abort(400)
    try:
        user = action()
    except ServiceError as exc:
        flash(exc.message, "danger")
    else:
        flash(done.format(name=user.display_name), "success")
    return redirect(url_for("users.edit", user_id=user_id))


@bp.post("/<int:user_id>/unlock")
@login_required
@require_role(Role.admin)
def unlock(user_id: int):
    return _act(user_id, lambda: management.unlock_user(db.session, current_user, user_id, utcnow()), "已解锁“{name}”。")


@bp.post("/<int:user_id>/disable")
@login_required
@require_role(Role.admin)
def disable(user_id: int):
    return _act(user_id, lambda: management.set_active(db.session, current_user, user_id, False, utcnow()),
                "已停用“{name}”，其所有登录已失效。")


@bp.post("/<int:user_id>/enable")
@login_required
@require_role(Role.admin)
def enable(user_id: int):
    return _act(user_id, lambda: management.set_active(db.session, current_user, user_id, True, utcnow()),
                "已启用“{name}”。")


@bp.post("/<int:user_id>/reset")
@login_required
@require_role(Role.admin)
def reset(user_id: int):
    """The one-time password is in this answer only: a slip to print or read out, then it is gone."""
    if not ConfirmForm().validate_on_submit():
        abort(400)
    try:
        issued = management.reset_password(db.session, current_user, user_id, utcnow())
    except ServiceError as exc:
        flash(exc.message, "danger")
        return redirect(url_for("users.edit", user_id=user_id))
    u = issued.user
    scope = u.unit.name if u.unit else (u.office.name if u.office else "")
    slip = management.Slip(u.display_name, scope, u.role_label, u.username, issued.password)
    return _slips([slip], "重置密码通知单")


@bp.route("/bulk", methods=["GET", "POST"])
@login_required
@require_role(Role.admin)
def bulk():
    form = BulkForm()
    if form.validate_on_submit():
        try:
            rows, errors = parse_accounts_sheet(form.file.data.read())
        except SheetRejected as exc:
            flash(exc.message, "danger")
            return render_template("accounts/bulk.html", form=form, errors=[]), 422
        if not errors:
            try:
                slips = management.bulk_create(db.session, current_user, rows, utcnow())
            except ServiceError as exc:
                errors = [m for m in exc.message.split("；")]
            else:
                return _slips(slips, "账号通知单")
        return render_template("accounts/bulk.html", form=form, errors=[str(e) for e in errors]), 422
    return render_template("accounts/bulk.html", form=form, errors=[])


@bp.get("/bulk/template")
@login_required
@require_role(Role.admin)
def bulk_template():
    return send_file(io.BytesIO(accounts_template()), mimetype=XLSX, as_attachment=True,
                     download_name=document_filename("", "批量创建账户模板", today_local(), "xlsx"))

"""组织机构 pages: browse and search the tree, add, edit (and move), retire, reinstate, delete an organisation
nothing refers to, import and export the sheet. Thin: form → service → flash → redirect."""
from __future__ import annotations

import io

from flask import Blueprint, abort, flash, redirect, render_template, request, send_file, url_for
from flask_login import current_user, login_required

from election.core.clock import today_local, utcnow
from election.core.db import db
from election.core.exceptions import NotFound, ServiceError
from election.core.forms import ConfirmForm
from election.core.permissions import can_manage_directory, can_view_directory
from election.core.xlsx import SheetRejected
from election.directory import queries, services
from election.directory.forms import ImportForm, OrganisationForm, RetireForm
from election.directory.models import Organisation
from election.directory.readers import parse_directory_sheet, tree_errors, write_directory_sheet
from election.directory.scope import org_scope
from election.documents.filenames import document_filename
from workflow.directory.tree import OrgRecord

bp = Blueprint("directory", __name__, url_prefix="/directory")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _need(pred) -> None:
    if not pred(current_user):
        abort(403)


@bp.get("/")
@login_required
def index():
    _need(can_view_directory)
    text = (request.args.get("q") or "").strip()[:64]
    show_retired = request.args.get("retired") == "1"
    part = org_scope(current_user)  # a user limited to a 选举单位 sees and manages its subtree only
    nodes = [] if text else queries.tree_rows(db.session, include_retired=show_retired, within=part)
    found = queries.search(db.session, text, within=part) if text else []
    top = queries.top(db.session) if part is None else db.session.get(Organisation, current_user.organisation_id)
    return render_template("directory/index.html", nodes=nodes, found=found, q=text, show_retired=show_retired,
                           top=top, import_form=ImportForm(), confirm=ConfirmForm(),
                           retire_form=RetireForm(formdata=None), can_manage=can_manage_directory(current_user))


def _record(form: OrganisationForm) -> OrgRecord:
    return OrgRecord(form.code.data.strip(), form.name.data.strip(), form.category.data,
                     (form.parent_code.data or "").strip() or None, form.grassroots_orgs.data, form.members.data,
                     (form.contact_person.data or "").strip(), (form.contact_phone.data or "").strip())


def _form_errors(form: OrganisationForm, exc: ServiceError) -> None:
    columns = {"编码": form.code, "名称": form.name, "类别": form.category, "上级编码": form.parent_code,
               "基层党组织数": form.grassroots_orgs, "党员数": form.members}
    for p in getattr(exc, "problems", None) or []:
        field = columns.get(p.column)
        if field is not None:
            field.errors = [*field.errors, p.message]
    if not getattr(exc, "problems", None):
        flash(exc.message, "danger")


@bp.route("/new", methods=["GET", "POST"])
@login_required
def new():
    _need(can_manage_directory)
    form = OrganisationForm()
    if request.method == "GET":
        parent = db.session.get(Organisation, request.args.get("parent", type=int) or 0)
        part = org_scope(current_user)
        form.parent_code.data = parent.code if parent and (part is None or parent.id in part) else ""
    if form.validate_on_submit():
        try:
            org = services.create_organisation(db.session, current_user, _record(form), utcnow())
        except ServiceError as exc:
            _form_errors(form, exc)
        else:
            flash(f"已新增“{org.name}”。", "success")
            return redirect(url_for("directory.index", _anchor=f"org-{org.id}"))
    return render_template("directory/form.html", form=form, org=None), 200 if request.method == "GET" else 422


@bp.route("/<int:org_id>/edit", methods=["GET", "POST"])
@login_required
def edit(org_id: int):
    _need(can_manage_directory)
    org = db.session.get(Organisation, org_id) or abort(404)
    form = OrganisationForm(obj=org)
    if request.method == "GET":
        form.parent_code.data = org.parent.code if org.parent else ""
    if form.validate_on_submit():
        try:
            services.update_organisation(db.session, current_user, org_id, _record(form), utcnow())
        except ServiceError as exc:
            _form_errors(form, exc)
        else:
            flash(f"已保存“{form.name.data.strip()}”。", "success")
            return redirect(url_for("directory.index", _anchor=f"org-{org_id}"))
    status = 200 if request.method == "GET" else 422
    return render_template("directory/form.html", form=form, org=org,
                           used=queries.references(db.session, org), labels=services.TABLE_LABELS,
                           retire_form=RetireForm(formdata=None), confirm=ConfirmForm()), status


def _act(org_id: int, action, done: str):
    try:
        org = action()
    except NotFound:
        abort(404)
    except ServiceError as exc:
        flash(exc.message, "danger")
        return redirect(url_for("directory.edit", org_id=org_id))
    flash(done.format(name=org.name) if org else done, "success")
    return redirect(url_for("directory.index"))


@bp.post("/<int:org_id>/retire")
@login_required
def retire(org_id: int):
    _need(can_manage_directory)
    form = RetireForm()
    if not form.validate_on_submit():
        flash("请写明撤销原因。", "danger")
        return redirect(url_for("directory.edit", org_id=org_id))
    return _act(org_id, lambda: services.retire_organisation(db.session, current_user, org_id, form.reason.data,
                                                             utcnow()), "已撤销“{name}”。")


@bp.post("/<int:org_id>/reinstate")
@login_required
def reinstate(org_id: int):
    _need(can_manage_directory)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    return _act(org_id, lambda: services.reinstate_organisation(db.session, current_user, org_id, utcnow()),
                "已恢复“{name}”。")


@bp.post("/<int:org_id>/delete")
@login_required
def delete(org_id: int):
    _need(can_manage_directory)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    return _act(org_id, lambda: services.delete_organisation(db.session, current_user, org_id, utcnow()),
                "已删除误建的组织。")


@bp.get("/export")
@login_required
def export():
    _need(can_view_directory)
    data = write_directory_sheet(list(queries.all_records(db.session, org_scope(current_user)).values()))
    name = document_filename("", "组织机构", today_local(), "xlsx")
    return send_file(io.BytesIO(data), mimetype=XLSX, as_attachment=True, download_name=name)


@bp.post("/import")
@login_required
def import_sheet():
    _need(can_manage_directory)
    form = ImportForm()
    if not form.validate_on_submit():
        flash("请选择要导入的组织机构表（.xlsx）。", "danger")
        return redirect(url_for("directory.index"))
    try:
        sheet = parse_directory_sheet(form.file.data.read())
    except SheetRejected as exc:
        flash(exc.message, "danger")
        return redirect(url_for("directory.index"))
    errors = sheet.errors
    if not errors:
        try:
            result = services.import_organisations(db.session, current_user, sheet.records, utcnow(), sheet.rows)
        except services.DirectoryRejected as exc:
            errors = tree_errors(exc.problems, sheet.rows)
        except ServiceError as exc:
            flash(exc.message, "danger")
            return redirect(url_for("directory.index"))
        else:
            flash(f"组织机构已导入：新增{result.added}个，更新{result.updated}个，未变{result.unchanged}个。", "success")
            return redirect(url_for("directory.index"))
    return render_template("directory/import_errors.html", errors=errors), 422

"""任期代表 pages: the roll (its bulk 工作室/代表小组 form posts to views.transfer), its .xlsx import (a large file in
the background) and template, one delegate with the status history, a status change with the committee's decision,
and the 补选 a vacancy opens."""
from __future__ import annotations

from flask import Response, abort, current_app, flash, redirect, render_template, url_for
from flask_login import current_user, login_required
from sqlalchemy import select

from election.core.clock import today_local, utcnow
from election.core.db import db
from election.core.exceptions import ServiceError
from election.core.forms import ConfirmForm
from election.core.permissions import has_role, require
from election.core.roles import Role
from election.directory.models import DelegateOffice
from election.directory.queries import active_units
from election.documents.filenames import attachment_headers, document_filename
from election.duties import services as svc
from election.duties.forms import ByElectionForm, ImportForm, StatusForm
from election.duties.models import DelegateStatusChange, TermDelegate
from election.duties.print_views import roll_order
from election.duties.views.blueprint import XLSX, bp
from election.duties.views.guards import _fail, _in_scope, _require_managers, _require_staff
from election.elections.models import Election
from election.voting.models import Delegate
from workflow.duties.delegate_status import DecisionRecord, DelegateStatus, StatusReason


@bp.get("/delegates")
@login_required
def delegates():
    _require_staff()
    q = select(TermDelegate).order_by(TermDelegate.level, TermDelegate.office_id, TermDelegate.id)
    scope = svc.office_scope(current_user)
    if scope is not None:
        q = q.where(TermDelegate.office_id == scope)
    items = roll_order(db.session.scalars(q).unique())  # 姓氏笔画 within level and office (docs/rules.md §3.4)
    return render_template("duties/delegates.html", items=items, form=ImportForm(), errors=None,
                           Status=DelegateStatus, can_manage=svc.can_manage_delegates(current_user),
                           offices=_offices(), assign_form=ConfirmForm())


@bp.post("/delegates/import")
@login_required
def delegates_import():
    require(svc.can_manage_delegates(current_user), "只有组织部工作人员可以导入代表名册。")
    form = ImportForm()
    if not form.validate_on_submit() or not form.file.data:
        flash("请选择要导入的.xlsx文件。", "danger")
        return redirect(url_for("duties.delegates"))
    data = form.file.data.read()
    if len(data) >= current_app.config.get("BACKGROUND_IMPORT_BYTES", 256 * 1024):
        from election.tasks.queue import job
        from election.tasks.views import start_and_watch

        return start_and_watch(f"导入代表名册（{form.file.data.filename or 'xlsx'}）",
                               job("delegate_import", data=data, now=utcnow()))
    try:
        result = svc.import_delegates(db.session, current_user, data, utcnow())
    except ServiceError as exc:
        _fail(exc)
        return redirect(url_for("duties.delegates"))
    if result.ok:
        flash(f"已导入{len(result.rows)}名代表。", "success")
        return redirect(url_for("duties.delegates"))
    items = roll_order(db.session.scalars(select(TermDelegate).order_by(TermDelegate.level, TermDelegate.id)).unique())
    return render_template("duties/delegates.html", items=items, form=form, errors=result.errors,
                           Status=DelegateStatus, can_manage=True, offices=_offices(), assign_form=ConfirmForm()), 422


def _offices() -> list[DelegateOffice]:
    """The 工作室 the roll's bulk form offers."""
    return list(db.session.scalars(select(DelegateOffice).order_by(DelegateOffice.name)))


@bp.get("/delegates/template.xlsx")
@login_required
def delegates_template():
    _require_staff()
    name = document_filename("", "代表名册导入模板", today_local(), "xlsx")
    return Response(svc.render_delegate_template(), mimetype=XLSX, headers=attachment_headers(name))


@bp.get("/delegates/<int:delegate_id>")
@login_required
def delegate(delegate_id: int):
    _require_staff()
    d = db.session.get(TermDelegate, delegate_id)
    # the office's own staff, the 组织部, or the 审计 read-only (as the delegate list and the API's detail)
    _in_scope(d, lambda d: svc.can_staff_office(current_user, d.office_id) or has_role(current_user, Role.auditor))
    history = db.session.scalars(select(DelegateStatusChange).where(
        DelegateStatusChange.delegate_id == d.id).order_by(DelegateStatusChange.id)).all()
    by_form = ByElectionForm(start=today_local())
    by_form.unit_id.choices = [(u.id, u.name) for u in active_units(db.session)]
    if d.electing_unit_id:
        by_form.unit_id.data = d.electing_unit_id
    return render_template("duties/delegate.html", d=d, history=history, status_form=StatusForm(),
                           by_form=by_form, Status=DelegateStatus, Reason=StatusReason,
                           can_manage=svc.can_manage_delegates(current_user),
                           vacancies=svc.vacancies_of_unit(db.session, d) if d.status == "terminated" else [],
                           source=_source_election(d))


def _source_election(d: TermDelegate) -> Election | None:
    """The election a transferred delegate was elected in (source_delegate_id = voting Delegate.id)."""
    if d.source_delegate_id is None:
        return None
    return db.session.scalar(select(Election).join(Delegate, Delegate.election_id == Election.id)
                             .where(Delegate.id == d.source_delegate_id))


@bp.post("/delegates/<int:delegate_id>/status")
@login_required
def delegate_status(delegate_id: int):
    _require_managers()
    form = StatusForm()
    if not form.validate_on_submit():
        abort(400)
    record = DecisionRecord(form.issuer.data or "", form.doc_no.data or "", form.decided_on.data,
                            form.filed_upward_to.data or "")
    try:
        blockers = svc.change_delegate_status(db.session, current_user, delegate_id, form.target.data,
                                              form.reason.data, record, today_local(), utcnow())
    except ServiceError as exc:
        _fail(exc)
        blockers = []
    else:
        if not blockers:
            flash("代表状态已变更并记录决定。", "success")
    for b in blockers:
        flash(b.message, "danger")
    return redirect(url_for("duties.delegate", delegate_id=delegate_id))


@bp.post("/delegates/<int:delegate_id>/by-election")
@login_required
def by_election(delegate_id: int):
    _require_managers()
    form = ByElectionForm()
    if not form.validate_on_submit():
        flash("请填写补选开始日期。", "danger")
        return redirect(url_for("duties.delegate", delegate_id=delegate_id))
    try:
        election = svc.start_by_election(db.session, current_user, delegate_id, form.start.data, utcnow(),
                                         unit_id=form.unit_id.data or None, title=form.title.data or None)
    except ServiceError as exc:
        _fail(exc)
        return redirect(url_for("duties.delegate", delegate_id=delegate_id))
    flash(f"已启动补选“{election.title}”（{election.seats}名），请在选举管理中推进。", "success")
    return redirect(url_for("elections.detail", election_id=election.id))

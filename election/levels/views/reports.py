"""上下级 pages: reports — a 选举单位's packages (its election's 上报上级 page, with the submit form for the kind its
stage reports) and the upper committee's side (the queue of a congress, one package with its frozen list, its
documents and the decision forms: 初步审查, 同意/批复/收到, 退回 whole or per person). Thin views."""
from __future__ import annotations

import io

from flask import abort, flash, redirect, render_template, request, send_file, url_for
from flask_login import current_user, login_required
from wtforms import SelectField, StringField, TextAreaField
from wtforms.validators import InputRequired, Length, Optional

from election.calendar.services import load_calendar
from election.core.clock import today_local, utcnow
from election.core.db import db
from election.core.exceptions import NotFound, ServiceError
from election.core.fields import LenientDateField
from election.core.forms import Form, flash_form_errors, run_service
from election.core.permissions import require_role
from election.core.roles import Role
from election.documents.filenames import document_filename
from election.elections.models import Election
from election.levels import documents as package_docs
from election.levels.scope import can_manage_congress, can_report_up, congress_or_404
from election.levels.services import reports as svc
from election.levels.services import reports_queries as q
from election.levels.views.blueprint import bp

DISTRICT = (Role.admin, Role.office, Role.auditor)   # the 选举办 (writes: can_report_up) and the 审计 (reads)
UPPER = (Role.upper, Role.admin, Role.auditor)       # = can_view_congress
DECIDERS = (Role.upper, Role.admin)                  # = can_manage_congress
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


class SubmitForm(Form):
    kind = SelectField("报送事项", choices=[(k, s.label) for k, s in svc.KINDS.items()], validate_choice=True)
    unit_doc_number = StringField("本单位文号", validators=[Optional(), Length(max=64)])
    cover_note = TextAreaField("报送说明", validators=[Optional(), Length(max=svc.MAX_TEXT)])


class ReviewForm(Form):
    note = TextAreaField("审查意见", validators=[Optional(), Length(max=svc.MAX_TEXT)])


class ApproveForm(Form):
    decided_on = LenientDateField("日期", validators=[InputRequired("请填写日期（如 2026-03-25）")], require_day=True)
    doc_number = StringField("文号", validators=[Optional(), Length(max=64)])
    note = TextAreaField("说明", validators=[Optional(), Length(max=svc.MAX_TEXT)])


class ReturnForm(Form):
    reason = TextAreaField("退回理由", validators=[Optional(), Length(max=svc.MAX_TEXT)])


# ---------------------------------------------------------------------------------------------- the 选举单位's side
@bp.get("/elections/<int:election_id>/reports")
@login_required
@require_role(*DISTRICT)
def election_reports(election_id: int):
    election = db.session.get(Election, election_id) or abort(404)
    view = q.election_packages(db.session, election)
    form = SubmitForm(kind=view.kind_now) if view.kind_now else None
    return render_template("levels/reports_election.html", view=view, election=election, form=form,
                           kinds=svc.KINDS, can_submit=can_report_up(current_user))


@bp.post("/elections/<int:election_id>/reports")
@login_required
@require_role(Role.admin, Role.office)
def submit_report(election_id: int):
    form = SubmitForm()
    if not form.validate_on_submit():
        flash_form_errors(form)
    else:
        run_service(lambda: svc.submit_report(db.session, current_user, election_id, form.kind.data,
                                              form.cover_note.data, form.unit_doc_number.data, utcnow()),
                    f"已报送{svc.KINDS[form.kind.data].label}，等待上级组织部门决定")
    return redirect(url_for("levels.election_reports", election_id=election_id))


# ---------------------------------------------------------------------------------------------- the upper committee
@bp.get("/congresses/<int:congress_id>/reports")
@login_required
@require_role(*UPPER)
def congress_reports(congress_id: int):
    try:
        congress = congress_or_404(db.session, current_user, congress_id)
    except NotFound:
        abort(404)
    today = today_local()
    rows = q.congress_queue(db.session, congress, today, load_calendar(db.session))
    return render_template("levels/reports_queue.html", congress=congress, rows=rows, today=today,
                           wait_days=q.UPPER_WAIT_WORKING_DAYS)


def _package(report_id: int) -> q.PackageView:
    try:
        return q.package_view(db.session, current_user, report_id)
    except NotFound:
        abort(404)


@bp.get("/reports/<int:report_id>")
@login_required
@require_role(*UPPER)
def report(report_id: int):
    view = _package(report_id)
    spec = svc.KINDS[view.report.kind]
    waiting = view.report.status in svc.WAITING
    return render_template("levels/reports_package.html", view=view, spec=spec, waiting=waiting,
                           can_decide=waiting and can_manage_congress(current_user),
                           review_form=ReviewForm(), approve_form=ApproveForm(decided_on=today_local().isoformat()),
                           return_form=ReturnForm())


@bp.post("/reports/<int:report_id>/review")
@login_required
@require_role(*DECIDERS)
def review_report(report_id: int):
    form = ReviewForm()
    if not form.validate_on_submit():
        flash_form_errors(form)
    else:
        run_service(lambda: svc.review_report(db.session, current_user, report_id, form.note.data, utcnow()),
                    "已记录初步审查意见，请作出批复")
    return redirect(url_for("levels.report", report_id=report_id))


@bp.post("/reports/<int:report_id>/approve")
@login_required
@require_role(*DECIDERS)
def approve_report(report_id: int):
    form = ApproveForm()
    if not form.validate_on_submit():
        flash_form_errors(form)
    else:
        run_service(lambda: svc.approve_report(db.session, current_user, report_id, form.decided_on.data,
                                               form.doc_number.data, form.note.data, utcnow(), today=today_local()),
                    "已作出决定，选举单位的选举可以继续")
    return redirect(url_for("levels.report", report_id=report_id))


@bp.post("/reports/<int:report_id>/return")
@login_required
@require_role(*DECIDERS)
def return_report(report_id: int):
    form = ReturnForm()
    if not form.validate_on_submit():
        flash_form_errors(form)
        return redirect(url_for("levels.report", report_id=report_id))
    people = {key: request.form.get(f"reason_{key}", "") for key in request.form.getlist("person")}
    run_service(lambda: svc.return_report(db.session, current_user, report_id, form.reason.data, people, utcnow()),
                "已退回，选举单位将按意见调整后重新报送")
    return redirect(url_for("levels.report", report_id=report_id))


@bp.get("/reports/<int:report_id>/documents/<doc>")
@login_required
@require_role(*UPPER)
def report_document(report_id: int, doc: str):
    view = _package(report_id)
    name = package_docs.document_of(view.report, doc)
    if name is None:
        abort(404)
    try:
        data = package_docs.render_package_document(db.session, view.report, doc, today_local())
    except ServiceError as exc:
        flash(exc.message, "danger")
        return redirect(url_for("levels.report", report_id=report_id))
    filename = document_filename(view.election.title, name, today_local(), "docx")
    return send_file(io.BytesIO(data), mimetype=DOCX, as_attachment=True, download_name=filename)

"""年会 pages: the session's resolutions and follow-up (tab "决议与整改") and all follow-ups in the user's part with
the overdue first (docs/rules.md §7); the 决议 .docx. Thin views: form → service → flash → redirect."""
from __future__ import annotations

import io

from flask import abort, redirect, render_template, request, send_file, url_for
from flask_login import current_user, login_required
from sqlalchemy import select
from wtforms import SelectField, StringField, TextAreaField
from wtforms.validators import InputRequired, Length, Optional

from election.assembly.models import Appraisal, AppraisalObject, FollowUp
from election.assembly.permissions import can_manage_sessions, session_or_404
from election.assembly.resolution_documents import render_resolution_docx
from election.assembly.services import followup as svc
from election.assembly.views.blueprint import bp
from election.core.clock import today_local, utcnow
from election.core.db import db
from election.core.exceptions import NotFound
from election.core.fields import LenientDateField
from election.core.forms import Form, flash_form_errors, run_service
from election.core.permissions import require_role
from election.core.roles import Role
from election.documents.filenames import document_filename

VIEWERS = (Role.admin, Role.office, Role.auditor, Role.teller, Role.delegate)  # = can_view_sessions
MANAGERS = (Role.admin, Role.office)  # = can_manage_sessions
FOLLOWUP_READERS = (Role.admin, Role.office, Role.auditor)
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


class ResolutionForm(Form):
    title = StringField("决议名称（关于…的决议）", validators=[InputRequired("请填写决议名称"), Length(max=svc.MAX_TITLE)])
    adopted_on = LenientDateField("通过日期", validators=[InputRequired("请填写通过日期（如 2026-12-15）")],
                                  require_day=True)
    text = TextAreaField("决议正文", validators=[InputRequired("请填写决议正文"), Length(max=svc.MAX_TEXT * 4)])


class ImplementationForm(Form):
    implementation = TextAreaField("落实情况", validators=[InputRequired("请填写落实情况"), Length(max=svc.MAX_TEXT)])
    reported_on = LenientDateField("报告日期", validators=[InputRequired("请填写报告日期")], require_day=True)


class FollowUpForm(Form):
    source = SelectField("问题来源", choices=list(svc.SOURCE_LABELS.items()), validate_choice=True)
    problem = TextAreaField("问题", validators=[InputRequired("请填写问题"), Length(max=svc.MAX_TEXT)])
    owner = StringField("责任单位", validators=[InputRequired("请填写责任单位"), Length(max=svc.MAX_OWNER)])
    due_on = LenientDateField("整改期限", validators=[InputRequired("请填写整改期限")], require_day=True)
    appraisal_object_id = SelectField("评议对象", coerce=lambda v: int(v) if v else None, validate_choice=False)
    resolution_id = SelectField("相关决议", coerce=lambda v: int(v) if v else None, validate_choice=False)


class ProgressForm(Form):
    status = SelectField("状态", choices=list(svc.STATUS_LABELS.items()), validate_choice=True)
    progress = TextAreaField("整改措施与进展", validators=[Optional(), Length(max=svc.MAX_TEXT)])
    done_on = LenientDateField("完成日期", validators=[Optional()], require_day=True)


class OwnerForm(Form):
    owner = StringField("责任单位", validators=[InputRequired("请填写责任单位"), Length(max=svc.MAX_OWNER)])
    due_on = LenientDateField("整改期限", validators=[InputRequired("请填写整改期限")], require_day=True)


def _meeting(session_id: int):
    try:
        return session_or_404(db.session, current_user, session_id)
    except NotFound:
        abort(404)


@bp.get("/sessions/<int:assembly_session_id>/resolutions")
@login_required
@require_role(*VIEWERS)
def resolutions(assembly_session_id: int):
    meeting = _meeting(assembly_session_id)
    today = today_local()
    items, rows = svc.session_followups(db.session, meeting, today)
    manage = can_manage_sessions(current_user)
    follow_form = None
    if manage:
        follow_form = FollowUpForm()
        objects = db.session.execute(select(AppraisalObject.id, AppraisalObject.name, Appraisal.title).join(
            Appraisal, Appraisal.id == AppraisalObject.appraisal_id).where(Appraisal.session_id == meeting.id)
            .order_by(Appraisal.id, AppraisalObject.seq)).all()
        follow_form.appraisal_object_id.choices = [("", "（无）")] + [(str(i), f"{t}：{n}") for i, n, t in objects]
        follow_form.resolution_id.choices = [("", "（无）")] + [(str(r.id), r.title) for r in items]
    return render_template("assembly/resolutions.html", s=meeting, tab="resolutions", resolutions=items, rows=rows,
                           manage=manage, today=today, status_labels=svc.STATUS_LABELS,
                           source_labels=svc.SOURCE_LABELS,
                           resolution_form=ResolutionForm(formdata=None) if manage else None,
                           follow_form=follow_form)


@bp.post("/sessions/<int:assembly_session_id>/resolutions")
@login_required
@require_role(*MANAGERS)
def resolution_add(assembly_session_id: int):
    form = ResolutionForm()
    if not form.validate_on_submit():
        flash_form_errors(form)
    else:
        run_service(lambda: svc.add_resolution(db.session, current_user, assembly_session_id, form.title.data,
                                               form.text.data, form.adopted_on.data, utcnow()), "已登记决议")
    return redirect(url_for("assembly.resolutions", assembly_session_id=assembly_session_id))


def _back_to_resolution(resolution_id: int):
    from election.assembly.models import Resolution

    r = db.session.get(Resolution, resolution_id) or abort(404)
    return redirect(url_for("assembly.resolutions", assembly_session_id=r.session_id))


@bp.post("/resolutions/<int:resolution_id>/edit")
@login_required
@require_role(*MANAGERS)
def resolution_edit(resolution_id: int):
    form = ResolutionForm()
    if not form.validate_on_submit():
        flash_form_errors(form)
    else:
        run_service(lambda: svc.edit_resolution(db.session, current_user, resolution_id, form.title.data,
                                                form.text.data, form.adopted_on.data, utcnow()), "已修改决议")
    return _back_to_resolution(resolution_id)


@bp.post("/resolutions/<int:resolution_id>/implementation")
@login_required
@require_role(*MANAGERS)
def resolution_report(resolution_id: int):
    form = ImplementationForm()
    if not form.validate_on_submit():
        flash_form_errors(form)
    else:
        run_service(lambda: svc.report_implementation(db.session, current_user, resolution_id,
                                                      form.implementation.data, form.reported_on.data, utcnow()),
                    "已登记决议落实情况")
    return _back_to_resolution(resolution_id)


@bp.get("/resolutions/<int:resolution_id>/document.docx")
@login_required
@require_role(*VIEWERS)
def resolution_document(resolution_id: int):
    try:
        resolution, meeting = svc.resolution_or_404(db.session, current_user, resolution_id)
    except NotFound:
        abort(404)
    data = render_resolution_docx(meeting, resolution)
    filename = document_filename(meeting.title, resolution.title, today_local(), "docx")
    return send_file(io.BytesIO(data), mimetype=DOCX, as_attachment=True, download_name=filename)


@bp.post("/sessions/<int:assembly_session_id>/followups")
@login_required
@require_role(*MANAGERS)
def followup_add(assembly_session_id: int):
    form = FollowUpForm()
    form.appraisal_object_id.choices = form.resolution_id.choices = []
    if not form.validate_on_submit():
        flash_form_errors(form)
    else:
        run_service(lambda: svc.create_followup(
            db.session, current_user, assembly_session_id, form.source.data, form.problem.data, form.owner.data,
            form.due_on.data, utcnow(), appraisal_object_id=form.appraisal_object_id.data,
            resolution_id=form.resolution_id.data), "已登记整改事项，下一次会议的议程将列出其整改情况")
    return redirect(url_for("assembly.resolutions", assembly_session_id=assembly_session_id))


def _back_from_followup(followup_id: int):
    if request.form.get("back") == "list":
        return redirect(url_for("assembly.followups"))
    item = db.session.get(FollowUp, followup_id) or abort(404)
    return redirect(url_for("assembly.resolutions", assembly_session_id=item.session_id))


@bp.post("/followups/<int:followup_id>/progress")
@login_required
@require_role(*MANAGERS)
def followup_progress(followup_id: int):
    form = ProgressForm()
    if not form.validate_on_submit():
        flash_form_errors(form)
    else:
        run_service(lambda: svc.update_followup(db.session, current_user, followup_id, form.status.data,
                                                form.progress.data, form.done_on.data, utcnow()), "已登记整改进展")
    return _back_from_followup(followup_id)


@bp.post("/followups/<int:followup_id>/edit")
@login_required
@require_role(*MANAGERS)
def followup_edit(followup_id: int):
    form = OwnerForm()
    if not form.validate_on_submit():
        flash_form_errors(form)
    else:
        run_service(lambda: svc.edit_followup(db.session, current_user, followup_id, form.owner.data,
                                              form.due_on.data, utcnow()), "已修改责任单位和整改期限")
    return _back_from_followup(followup_id)


@bp.get("/followups")
@login_required
@require_role(*FOLLOWUP_READERS)
def followups():
    status = request.args.get("status") or None
    today = today_local()
    rows = svc.followups_in_scope(db.session, current_user, today, status)
    return render_template("assembly/followups.html", rows=rows, status=status, today=today,
                           status_labels=svc.STATUS_LABELS, source_labels=svc.SOURCE_LABELS,
                           manage=can_manage_sessions(current_user))

"""履职活动 pages: logging an activity (a delegate for himself or herself, office staff for the office's delegates),
its attachments, and the office's 待核实 queue where each activity is verified or returned."""
from __future__ import annotations

from pathlib import Path

from flask import abort, current_app, flash, redirect, render_template, request, send_file, url_for
from flask_login import current_user, login_required
from sqlalchemy import select

from election.core.clock import today_local, utcnow
from election.core.db import db
from election.core.exceptions import ServiceError
from election.core.forms import ConfirmForm
from election.core.permissions import has_role, require
from election.core.roles import Role
from election.duties import services as svc
from election.duties.forms import ActivityForm, ReturnForm
from election.duties.models import ActivityAttachment, ActivityRecord, TermDelegate
from election.duties.views.blueprint import _office_delegates, bp
from election.duties.views.guards import _fail, _in_scope, _require_duty_writer, _require_staff


def _first_office_delegate(office_id: int | None) -> TermDelegate | None:
    """The first of _office_delegates(office_id), read alone (one row, whatever the office's size)."""
    q = select(TermDelegate).where(TermDelegate.status == "serving").order_by(TermDelegate.name)
    if office_id is not None:
        q = q.where(TermDelegate.office_id == office_id)
    return db.session.scalars(q.limit(1)).unique().first()


def _activity_form(delegate: TermDelegate | None) -> ActivityForm:
    """The form with its activity types: those of the delegate's rule set (staff: the first delegate's). The
    delegate choices are left to _people, which only a page that is shown needs (the service checks the id sent)."""
    form = ActivityForm()
    books = svc.load_rulebooks(db.session)
    target = delegate or _first_office_delegate(svc.office_scope(current_user))
    code = svc.load_assignments(db.session).code_for(target.office_id, target.level) if target else \
        svc.DEFAULT_RULESET
    book = books.get(code) or books[svc.DEFAULT_RULESET]
    rs = book.in_force(today_local()) if book.index_in_force(today_local()) >= 0 else book.versions[-1]
    form.type_code.choices = [("", "请选择")] + [(t.code, f"{t.label}（{t.points_text}）") for t in rs.activity_types]
    return form


def _people(form: ActivityForm, delegate: TermDelegate | None) -> list[TermDelegate]:
    """The delegates the form offers (the delegate alone, or the staff's office's serving delegates)."""
    people = [delegate] if delegate else _office_delegates(svc.office_scope(current_user))
    form.delegate_id.choices = [(d.id, d.name) for d in people]
    return people


@bp.route("/activities/new", methods=["GET", "POST"])
@login_required
def activity_new():
    delegate = svc.delegate_of_user(db.session, current_user) if has_role(current_user, Role.delegate) else None
    if has_role(current_user, Role.delegate) and delegate is None:
        abort(404)
    if delegate is None:
        require(svc.can_record_duties(current_user), "您只能查看，不能登记履职活动。")  # the 审计 only reads
    form = _activity_form(delegate)
    if request.method == "GET":
        form.on.data = today_local()
        if delegate:
            form.delegate_id.data = delegate.id
    if form.validate_on_submit():
        files = [svc.UploadedFile(f.filename or "", f.read()) for f in (form.files.data or []) if f and f.filename]
        data = svc.ActivityInput(form.type_code.data, form.on.data, form.place.data or "", form.description.data,
                                 form.people.data or "", form.grade.data or None)
        # a delegate's own record unless the form names another: the service refuses that like a missing id
        did = (form.delegate_id.data or delegate.id) if delegate else form.delegate_id.data
        try:
            svc.log_activity(db.session, current_user, did, data, files, current_app.config["UPLOAD_DIR"],
                             today_local(), utcnow())
        except ServiceError as exc:
            _fail(exc)
        else:
            flash("活动已登记，等待工作室核实。", "success")
            return redirect(url_for("duties.me") if delegate else url_for("duties.verify"))
    return render_template("duties/activity_form.html", form=form, delegate=delegate, people=_people(form, delegate))


@bp.get("/attachments/<int:attachment_id>")
@login_required
def attachment(attachment_id: int):
    att = db.session.get(ActivityAttachment, attachment_id)
    if att is None:
        abort(404)
    rec = db.session.get(ActivityRecord, att.activity_id)
    if not svc.can_log_for(current_user, rec.delegate) and not has_role(current_user, Role.auditor):
        abort(403)
    path = Path(current_app.config["UPLOAD_DIR"]) / att.stored_name
    if not path.is_file():
        abort(404)
    return send_file(path, mimetype=att.content_type, download_name=att.original_name,
                     as_attachment=not att.content_type.startswith("image/"))


@bp.get("/verify")
@login_required
def verify():
    _require_staff()
    items = svc.pending_activities(db.session, current_user)
    books = svc.load_rulebooks(db.session)
    return render_template("duties/verify.html", items=items, labels=svc.type_labels(books.values()),
                           form=ConfirmForm(), return_form=ReturnForm())


@bp.post("/activities/<int:activity_id>/review")
@login_required
def activity_review(activity_id: int):
    _require_duty_writer()
    _in_scope(db.session.get(ActivityRecord, activity_id),
              lambda rec: svc.can_staff_office(current_user, rec.delegate.office_id))
    action = request.form.get("action")
    if action not in ("verify", "return") or not ConfirmForm().validate_on_submit():
        abort(400)
    try:
        svc.review_activity(db.session, current_user, activity_id, action == "verify",
                            request.form.get("reason", ""), utcnow())
        flash("已核实，积分已计入排名。" if action == "verify" else "已退回，代表将看到退回理由。", "success")
    except ServiceError as exc:
        _fail(exc)
    return redirect(url_for("duties.verify"))

"""年会 pages between sessions (docs/rules.md §7): the committee's meetings delegates are invited to 列席 (the
list, one meeting with its invitees and their attendance) and the 询问/质询 of departments (the list with the
overdue ones marked, one inquiry with its reply). A 代表 sees the meetings he is invited to and his own inquiries,
and registers his own. Thin views: form → service → flash → redirect."""
from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from sqlalchemy import func, select
from wtforms import SelectField, SelectMultipleField, StringField, TextAreaField
from wtforms.validators import InputRequired, Length, Optional

from election.assembly.models import Inquiry, SitInInvitee, SitInMeeting
from election.assembly.permissions import can_manage_sessions
from election.assembly.services import between as svc
from election.assembly.views.blueprint import bp
from election.core.clock import today_local, utcnow
from election.core.db import db
from election.core.exceptions import NotFound
from election.core.fields import LenientDateField
from election.core.forms import Form, flash_form_errors, run_service
from election.core.permissions import has_role, require_role
from election.core.roles import Role
from election.duties.services.permissions import delegate_of_user

READERS = (Role.admin, Role.office, Role.auditor, Role.delegate)
MANAGERS = (Role.admin, Role.office)  # = can_manage_sessions
REGISTRARS = (Role.admin, Role.office, Role.delegate)  # = between.can_register_inquiry


class SitInForm(Form):
    congress = SelectField("党代会（届次）", validate_choice=True, validators=[InputRequired("请选择党代会")])
    kind = SelectField("会议类型", choices=list(svc.KIND_LABELS.items()), validate_choice=True)
    title = StringField("会议名称", validators=[InputRequired("请填写会议名称"), Length(max=svc.MAX_TITLE)])
    held_on = LenientDateField("会议日期", validators=[InputRequired("请填写会议日期")], require_day=True)
    place = StringField("会议地点", validators=[Optional(), Length(max=svc.MAX_TITLE)])


class InviteForm(Form):
    delegate_ids = SelectMultipleField("邀请代表（可多选）", coerce=int, choices=[], validate_choice=False)


class InquiryForm(Form):
    kind = SelectField("类型", choices=list(svc.INQUIRY_LABELS.items()), validate_choice=True)
    delegate_id = SelectField("提出代表", coerce=lambda v: int(v) if v else None, choices=[], validate_choice=False)
    department = StringField("被询问（质询）部门", validators=[InputRequired("请填写部门"), Length(max=128)])
    subject = StringField("事由", validators=[InputRequired("请填写事由"), Length(max=svc.MAX_TITLE)])
    content = TextAreaField("内容", validators=[InputRequired("请填写内容"), Length(max=svc.MAX_TEXT)])
    submitted_on = LenientDateField("提出日期", validators=[InputRequired("请填写提出日期")], require_day=True)
    due_on = LenientDateField(f"答复期限（留空为提出后{svc.INQUIRY_REPLY_DAYS}日）", validators=[Optional()],
                              require_day=True)


class ReplyForm(Form):
    reply = TextAreaField("答复内容", validators=[InputRequired("请填写答复内容"), Length(max=svc.MAX_TEXT)])
    replied_on = LenientDateField("答复日期", validators=[InputRequired("请填写答复日期")], require_day=True)


# ------------------------------------------------------------------------------------------------------ 列席
def _sitin_form() -> SitInForm:
    form = SitInForm()
    form.congress.choices = [(c, c) for c in svc.congresses_in_scope(db.session, current_user)]
    return form


@bp.get("/sitins")
@login_required
@require_role(*READERS)
def sitins():
    meetings = list(db.session.scalars(svc.sitins_in_scope(db.session, current_user)
                                       .order_by(SitInMeeting.held_on.desc(), SitInMeeting.id.desc())))
    counts = dict(db.session.execute(select(SitInInvitee.meeting_id, func.count()).where(
        SitInInvitee.meeting_id.in_([m.id for m in meetings])).group_by(SitInInvitee.meeting_id)).all()) \
        if meetings else {}
    form = _sitin_form() if can_manage_sessions(current_user) else None
    return render_template("assembly/sitins.html", meetings=meetings, counts=counts, form=form,
                           kind_labels=svc.KIND_LABELS, today=today_local())


@bp.post("/sitins")
@login_required
@require_role(*MANAGERS)
def sitin_create():
    form = _sitin_form()
    if not form.validate_on_submit():
        flash_form_errors(form)
        return redirect(url_for("assembly.sitins"))
    made: list[SitInMeeting] = []
    if not run_service(lambda: made.append(svc.create_sitin(
            db.session, current_user, form.congress.data, form.kind.data, form.title.data, form.held_on.data,
            form.place.data, utcnow())), "已安排会议，请邀请列席代表"):
        return redirect(url_for("assembly.sitins"))
    return redirect(url_for("assembly.sitin", sitin_id=made[0].id))


@bp.get("/sitins/<int:sitin_id>")
@login_required
@require_role(*READERS)
def sitin(sitin_id: int):
    try:
        meeting = svc.sitin_or_404(db.session, current_user, sitin_id)
    except NotFound:
        abort(404)
    invitees = sorted(meeting.invitees, key=lambda i: i.id)
    if has_role(current_user, Role.delegate):
        me = delegate_of_user(db.session, current_user)
        invitees = [i for i in invitees if me is not None and i.delegate_id == me.id]
    manage = can_manage_sessions(current_user)
    invite_form = None
    if manage:
        invited = {i.delegate_id for i in meeting.invitees}
        invite_form = InviteForm(formdata=None)
        invite_form.delegate_ids.choices = [(d.id, f"{d.name}（{d.group_name or d.level}）")
                                            for d in svc.serving_delegates(db.session, meeting.congress)
                                            if d.id not in invited]
    codes = svc.credit_codes(db.session, [i.delegate for i in invitees], meeting.held_on, svc.SITIN_CODES)
    credit = {i.id: codes[i.delegate_id] for i in invitees}
    return render_template("assembly/sitin.html", meeting=meeting, invitees=invitees, manage=manage,
                           invite_form=invite_form, credit=credit, kind_labels=svc.KIND_LABELS, today=today_local())


@bp.post("/sitins/<int:sitin_id>/invite")
@login_required
@require_role(*MANAGERS)
def sitin_invite(sitin_id: int):
    form = InviteForm()
    if not form.validate_on_submit():
        flash_form_errors(form)
    else:
        run_service(lambda: svc.invite_delegates(db.session, current_user, sitin_id, form.delegate_ids.data, utcnow()),
                    "已邀请，代表将收到站内提醒")
    return redirect(url_for("assembly.sitin", sitin_id=sitin_id))


@bp.post("/sitins/<int:sitin_id>/attendance")
@login_required
@require_role(*MANAGERS)
def sitin_attendance(sitin_id: int):
    choice = request.form.get("attended", "")
    attended = {"yes": True, "no": False, "undo": None}.get(choice, "bad")
    try:
        delegate_id = int(request.form.get("delegate_id", ""))
    except ValueError:
        delegate_id = 0
    if attended == "bad" or not delegate_id:
        flash("请选择代表和出席情况。", "danger")
    else:
        run_service(lambda: svc.record_sitin_attendance(db.session, current_user, sitin_id, delegate_id, attended,
                                                        request.form.get("leave_reason", ""), utcnow()),
                    "已登记出席情况")
    return redirect(url_for("assembly.sitin", sitin_id=sitin_id))


# ------------------------------------------------------------------------------------------------------ 询问/质询
def _inquiry_form() -> InquiryForm:
    form = InquiryForm()
    if can_manage_sessions(current_user):
        people = [d for c in svc.congresses_in_scope(db.session, current_user)
                  for d in svc.serving_delegates(db.session, c)]
        form.delegate_id.choices = [("", "（请选择）")] + [(str(d.id), f"{d.name}（{d.congress}）") for d in people]
    else:
        me = delegate_of_user(db.session, current_user)
        form.delegate_id.choices = [(str(me.id), me.name)] if me else []
    return form


@bp.get("/inquiries")
@login_required
@require_role(*READERS)
def inquiries():
    overdue_only = request.args.get("overdue") == "1"
    today = today_local()
    rows = list(db.session.scalars(svc.inquiries_in_scope(db.session, current_user)
                                   .order_by(Inquiry.submitted_on.desc(), Inquiry.id.desc())))
    late = {i.id for i in rows if svc.is_inquiry_overdue(i, today)}
    if overdue_only:
        rows = [i for i in rows if i.id in late and i.replied_on is None]
    form = _inquiry_form() if svc.can_register_inquiry(current_user) else None
    if form is not None and not form.is_submitted():
        form.submitted_on.data = today
    return render_template("assembly/inquiries.html", rows=rows, late=late, overdue_only=overdue_only, form=form,
                           labels=svc.INQUIRY_LABELS, reply_days=svc.INQUIRY_REPLY_DAYS, today=today)


@bp.post("/inquiries")
@login_required
@require_role(*REGISTRARS)
def inquiry_register():
    form = _inquiry_form()
    if not form.validate_on_submit():
        flash_form_errors(form)
        return redirect(url_for("assembly.inquiries"))
    made: list[Inquiry] = []
    if not run_service(lambda: made.append(svc.register_inquiry(
            db.session, current_user, form.kind.data, form.delegate_id.data, form.department.data, form.subject.data,
            form.content.data, form.submitted_on.data, form.due_on.data, utcnow())), "已登记"):
        return redirect(url_for("assembly.inquiries"))
    return redirect(url_for("assembly.inquiry", inquiry_id=made[0].id))


@bp.get("/inquiries/<int:inquiry_id>")
@login_required
@require_role(*READERS)
def inquiry(inquiry_id: int):
    try:
        found = svc.inquiry_or_404(db.session, current_user, inquiry_id)
    except NotFound:
        abort(404)
    manage = can_manage_sessions(current_user)
    return render_template("assembly/inquiry.html", i=found, manage=manage, labels=svc.INQUIRY_LABELS,
                           reply_form=ReplyForm(formdata=None) if manage else None, today=today_local(),
                           overdue=svc.is_inquiry_overdue(found, today_local()))


@bp.post("/inquiries/<int:inquiry_id>/reply")
@login_required
@require_role(*MANAGERS)
def inquiry_reply(inquiry_id: int):
    form = ReplyForm()
    if not form.validate_on_submit():
        flash_form_errors(form)
    else:
        run_service(lambda: svc.record_inquiry_reply(db.session, current_user, inquiry_id, form.reply.data,
                                                     form.replied_on.data, utcnow()), "已登记答复")
    return redirect(url_for("assembly.inquiry", inquiry_id=inquiry_id))

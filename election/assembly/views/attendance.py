"""年会 pages: sign-in and quorum (the roll with 应到/实到/请假/缺席 and the quorum line; the clerk signs delegates
in, records leave, undoes; a delegate signs himself in) and the discussion groups with their minutes. Thin views."""
from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from sqlalchemy import select

from election.accounts.models import User
from election.assembly.forms import DelegateForm, GroupForm, LeaveForm, MinutesForm
from election.assembly.permissions import can_manage_sessions
from election.assembly.services import attendance as att
from election.assembly.services import groups as grp
from election.assembly.services.sessions import STATUS_LABELS
from election.assembly.views.blueprint import bp
from election.assembly.views.sessions import MANAGERS, VIEWERS, meeting_or_404
from election.core.clock import utcnow
from election.core.db import db
from election.core.forms import ConfirmForm, flash_form_errors, run_service
from election.core.permissions import require_role
from election.core.roles import Role

ROLL_READERS = (Role.admin, Role.office, Role.auditor, Role.teller)  # the whole roll; a delegate sees his own line


def _to_attendance(session_id: int):
    return redirect(url_for("assembly.attendance", assembly_session_id=session_id))


@bp.get("/sessions/<int:assembly_session_id>/attendance")
@login_required
@require_role(*ROLL_READERS)
def attendance(assembly_session_id: int):
    meeting = meeting_or_404(assembly_session_id)
    view = att.roll_view(db.session, meeting)
    return render_template("assembly/attendance.html", s=meeting, view=view, labels=STATUS_LABELS,
                           can_manage=can_manage_sessions(current_user), confirm=ConfirmForm(),
                           leave_form=LeaveForm(), one=DelegateForm())


@bp.post("/sessions/<int:assembly_session_id>/attendance/sign-in")
@login_required
@require_role(*MANAGERS)
def sign_in(assembly_session_id: int):
    if ConfirmForm().validate_on_submit():
        raw = request.form.getlist("delegate_ids")
        if not all(r.isdigit() for r in raw):
            flash("请勾选要签到的代表", "danger")
        else:
            run_service(lambda: att.sign_in(db.session, current_user, assembly_session_id, [int(r) for r in raw],
                                            utcnow()), "已签到")
    return _to_attendance(assembly_session_id)


@bp.post("/sessions/<int:assembly_session_id>/attendance/leave")
@login_required
@require_role(*MANAGERS)
def record_leave(assembly_session_id: int):
    form = LeaveForm()
    if not form.validate_on_submit():
        flash_form_errors(form)
    else:
        run_service(lambda: att.record_leave(db.session, current_user, assembly_session_id, form.delegate_id.data,
                                             form.reason.data, utcnow()), "已登记请假")
    return _to_attendance(assembly_session_id)


@bp.post("/sessions/<int:assembly_session_id>/attendance/undo")
@login_required
@require_role(*MANAGERS)
def undo_attendance(assembly_session_id: int):
    form = DelegateForm()
    if not form.validate_on_submit():
        flash_form_errors(form)
    else:
        run_service(lambda: att.undo_attendance(db.session, current_user, assembly_session_id, form.delegate_id.data,
                                                utcnow()), "已撤销")
    return _to_attendance(assembly_session_id)


@bp.post("/sessions/<int:assembly_session_id>/sign-in")
@login_required
@require_role(Role.delegate)
def self_sign_in(assembly_session_id: int):
    meeting_or_404(assembly_session_id)
    if ConfirmForm().validate_on_submit():
        run_service(lambda: att.self_sign_in(db.session, current_user, assembly_session_id, utcnow()), "您已签到")
    return redirect(url_for("assembly.session", assembly_session_id=assembly_session_id))


# ---------------------------------------------------------------------------------------------- groups
def _to_groups(session_id: int):
    return redirect(url_for("assembly.groups", assembly_session_id=session_id))


@bp.get("/sessions/<int:assembly_session_id>/groups")
@login_required
@require_role(*VIEWERS)
def groups(assembly_session_id: int):
    meeting = meeting_or_404(assembly_session_id)
    rows = grp.groups_of(db.session, meeting)
    placed = {m.delegate_id for g in rows for m in g.members}
    roll = att.roll_view(db.session, meeting).on_roll if can_manage_sessions(current_user) else []
    writers = {g.minutes_by_id for g in rows if g.minutes_by_id}
    authors = dict(db.session.execute(select(User.id, User.display_name).where(User.id.in_(writers))).all()) \
        if writers else {}
    return render_template("assembly/groups.html", s=meeting, groups=rows, unplaced=[d for d in roll if d.id not in placed],
                           roll=roll, can_manage=can_manage_sessions(current_user), confirm=ConfirmForm(),
                           group_form=GroupForm(), one=DelegateForm(), minutes_form=MinutesForm(), authors=authors)


@bp.post("/sessions/<int:assembly_session_id>/groups/generate")
@login_required
@require_role(*MANAGERS)
def groups_generate(assembly_session_id: int):
    if ConfirmForm().validate_on_submit():
        run_service(lambda: grp.generate_groups(db.session, current_user, assembly_session_id, utcnow()),
                    "已按代表小组分组")
    return _to_groups(assembly_session_id)


@bp.post("/sessions/<int:assembly_session_id>/groups")
@login_required
@require_role(*MANAGERS)
def group_create(assembly_session_id: int):
    form = GroupForm()
    if not form.validate_on_submit():
        flash_form_errors(form)
    else:
        run_service(lambda: grp.create_group(db.session, current_user, assembly_session_id, form.name.data, utcnow()),
                    "已增加分组")
    return _to_groups(assembly_session_id)


def _group_post(assembly_session_id: int, group_id: int, action, success: str):
    form = DelegateForm()
    if not form.validate_on_submit():
        flash_form_errors(form)
    else:
        run_service(lambda: action(form.delegate_id.data), success)
    return _to_groups(assembly_session_id)


@bp.post("/sessions/<int:assembly_session_id>/groups/<int:group_id>/members")
@login_required
@require_role(*MANAGERS)
def group_member(assembly_session_id: int, group_id: int):
    return _group_post(assembly_session_id, group_id, lambda d: grp.assign_member(
        db.session, current_user, assembly_session_id, group_id, d, utcnow()), "已调整分组")


@bp.post("/sessions/<int:assembly_session_id>/groups/<int:group_id>/members/remove")
@login_required
@require_role(*MANAGERS)
def group_member_remove(assembly_session_id: int, group_id: int):
    return _group_post(assembly_session_id, group_id, lambda d: grp.remove_member(
        db.session, current_user, assembly_session_id, group_id, d, utcnow()), "已移出本组")


@bp.post("/sessions/<int:assembly_session_id>/groups/<int:group_id>/convener")
@login_required
@require_role(*MANAGERS)
def group_convener(assembly_session_id: int, group_id: int):
    return _group_post(assembly_session_id, group_id, lambda d: grp.set_convener(
        db.session, current_user, assembly_session_id, group_id, d, utcnow()), "已指定召集人")


@bp.post("/sessions/<int:assembly_session_id>/groups/<int:group_id>/minutes")
@login_required
@require_role(*MANAGERS)
def group_minutes(assembly_session_id: int, group_id: int):
    form = MinutesForm()
    if not form.validate_on_submit():
        flash_form_errors(form)
    else:
        run_service(lambda: grp.save_minutes(db.session, current_user, assembly_session_id, group_id,
                                             form.minutes.data, utcnow()), "讨论纪要已保存")
    return _to_groups(assembly_session_id)

"""年会 pages: the list of sessions, creating and editing one, its overview (notice, agenda with what earlier
sessions raised, 列席, materials) and its steps (notice, sign-in opened, held), and its .docx documents. Thin views."""
from __future__ import annotations

from pathlib import Path

from flask import Response, abort, current_app, flash, redirect, render_template, request, send_file, url_for
from flask_login import current_user, login_required
from sqlalchemy import select

from election.assembly import documents as docs
from election.assembly.forms import AgendaForm, GuestForm, ItemForm, MaterialForm, SessionForm
from election.assembly.models import AssemblySession
from election.assembly.permissions import can_manage_sessions, session_or_404, sessions_in_scope
from election.assembly.services import attendance as att
from election.assembly.services import materials as mat
from election.assembly.services import sessions as svc
from election.assembly.services.followup_report import followup_report
from election.assembly.views.blueprint import bp
from election.core.clock import today_local, utcnow
from election.core.db import db
from election.core.forms import ConfirmForm, flash_form_errors, run_service
from election.core.permissions import has_role, require_role
from election.core.roles import Role
from election.directory.models import Organisation
from election.directory.scope import org_scope
from election.documents.filenames import attachment_headers, document_filename
from election.duties.services.activities import UploadedFile

VIEWERS = (Role.admin, Role.office, Role.auditor, Role.teller, Role.delegate)  # = can_view_sessions
MANAGERS = (Role.admin, Role.office)  # = can_manage_sessions
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def meeting_or_404(session_id: int, *, lock: bool = False) -> AssemblySession:
    from election.core.exceptions import NotFound

    try:
        return session_or_404(db.session, current_user, session_id, lock=lock)
    except NotFound:
        abort(404)


def _back(session_id: int):
    return redirect(url_for("assembly.session", assembly_session_id=session_id))


@bp.get("/")
@login_required
@require_role(*VIEWERS)
def index():
    rows = list(db.session.scalars(sessions_in_scope(select(AssemblySession), current_user, db.session)
                                   .order_by(AssemblySession.opens_on.desc(), AssemblySession.id.desc())))
    return render_template("assembly/index.html", rows=rows, labels=svc.STATUS_LABELS,
                           can_manage=can_manage_sessions(current_user))


def _organisations() -> list[tuple[int, str]]:
    scope = org_scope(current_user)
    q = select(Organisation.id, Organisation.name).order_by(Organisation.name)
    if scope is not None:
        q = q.where(Organisation.id.in_(scope or [-1]))
    return [(0, "（不指定）")] + [(i, n) for i, n in db.session.execute(q.limit(500))]


def _session_form(meeting: AssemblySession | None = None) -> SessionForm:
    form = SessionForm(obj=meeting) if meeting is not None and request.method == "GET" else SessionForm()
    form.congress.choices = [(c, c) for c in svc.congress_choices(db.session, current_user)]
    form.organisation_id.choices = _organisations()
    if meeting is not None and request.method == "GET":
        form.quorum_inclusive.data = "1" if meeting.quorum_inclusive else "0"
        form.organisation_id.data = meeting.organisation_id or 0
    return form


def _input(form: SessionForm) -> svc.SessionInput:
    inclusive = {"1": True, "0": False}.get(form.quorum_inclusive.data or "")
    return svc.SessionInput(
        congress=form.congress.data or "", meeting_no=form.meeting_no.data, title=form.title.data or "",
        opens_on=form.opens_on.data, closes_on=form.closes_on.data, place=form.place.data or "",
        notice_days=form.notice_days.data, quorum_preset=form.quorum_preset.data, quorum_num=form.quorum_num.data,
        quorum_den=form.quorum_den.data, quorum_inclusive=inclusive, self_sign_in=bool(form.self_sign_in.data),
        proposals_open_on=form.proposals_open_on.data, proposals_close_on=form.proposals_close_on.data,
        organisation_id=form.organisation_id.data or None)


@bp.route("/sessions/new", methods=["GET", "POST"])
@login_required
@require_role(*MANAGERS)
def session_new():
    form = _session_form()
    if request.method == "POST":
        if not form.validate_on_submit():
            flash_form_errors(form)
        else:
            created = []
            if run_service(lambda: created.append(svc.create_session(db.session, current_user, _input(form),
                                                                     utcnow())), "已创建会议，请排定议程"):
                return _back(created[0].id)
    return render_template("assembly/session_form.html", form=form, meeting=None, presets=svc.wq.PRESETS)


@bp.route("/sessions/<int:assembly_session_id>/edit", methods=["GET", "POST"])
@login_required
@require_role(*MANAGERS)
def session_edit(assembly_session_id: int):
    meeting = meeting_or_404(assembly_session_id)
    form = _session_form(meeting)
    if request.method == "POST":
        if not form.validate_on_submit():
            flash_form_errors(form)
        elif run_service(lambda: svc.update_session(db.session, current_user, meeting.id, _input(form), utcnow()),
                         "会议信息已保存"):
            return _back(meeting.id)
    return render_template("assembly/session_form.html", form=form, meeting=meeting, presets=svc.wq.PRESETS)


@bp.get("/sessions/<int:assembly_session_id>")
@login_required
@require_role(*VIEWERS)
def session(assembly_session_id: int):
    meeting = meeting_or_404(assembly_session_id)
    report = followup_report(db.session, meeting, today_local())
    me, mine = att.my_attendance(db.session, current_user, meeting) if has_role(current_user, Role.delegate) \
        else (None, None)
    materials = [m for m in meeting.materials if m.distributed_at is not None or not has_role(current_user, Role.delegate)]
    return render_template(
        "assembly/session.html", s=meeting, report=report, labels=svc.STATUS_LABELS, kinds=svc.AGENDA_LABELS,
        rule=svc.rule_of(meeting), due=svc.notice_due(meeting), materials=materials, me=me, mine=mine,
        can_manage=can_manage_sessions(current_user), agenda_form=AgendaForm(), item_form=ItemForm(),
        guest_form=GuestForm(), material_form=MaterialForm(), confirm=ConfirmForm(),
        has_followup_item=any(i.kind == "followup" for i in meeting.agenda))


def _item_post(action, success: str, assembly_session_id: int):
    form = ItemForm()
    if not form.validate_on_submit():
        flash_form_errors(form)
    else:
        run_service(lambda: action(form), success)
    return _back(assembly_session_id)


@bp.post("/sessions/<int:assembly_session_id>/agenda")
@login_required
@require_role(*MANAGERS)
def agenda_add(assembly_session_id: int):
    form = AgendaForm()
    if not form.validate_on_submit():
        flash_form_errors(form)
    else:
        run_service(lambda: svc.add_agenda_item(db.session, current_user, assembly_session_id, form.kind.data,
                                                form.title.data, form.note.data, utcnow()), "已增加议程事项")
    return _back(assembly_session_id)


@bp.post("/sessions/<int:assembly_session_id>/agenda/edit")
@login_required
@require_role(*MANAGERS)
def agenda_edit(assembly_session_id: int):
    form = AgendaForm()
    if not form.validate_on_submit():
        flash_form_errors(form)
    elif not (form.item_id.data or "").isdigit():
        flash("请选择要修改的议程事项", "danger")
    else:
        run_service(lambda: svc.update_agenda_item(db.session, current_user, assembly_session_id, int(form.item_id.data),
                                                   form.kind.data, form.title.data, form.note.data, utcnow()),
                    "议程事项已修改")
    return _back(assembly_session_id)


@bp.post("/sessions/<int:assembly_session_id>/agenda/delete")
@login_required
@require_role(*MANAGERS)
def agenda_delete(assembly_session_id: int):
    return _item_post(lambda f: svc.delete_agenda_item(db.session, current_user, assembly_session_id, f.item_id.data,
                                                       utcnow()), "已删除议程事项", assembly_session_id)


@bp.post("/sessions/<int:assembly_session_id>/agenda/move")
@login_required
@require_role(*MANAGERS)
def agenda_move(assembly_session_id: int):
    return _item_post(lambda f: svc.move_agenda_item(db.session, current_user, assembly_session_id, f.item_id.data,
                                                     f.direction.data or "", utcnow()), "议程顺序已调整",
                      assembly_session_id)


@bp.post("/sessions/<int:assembly_session_id>/guests")
@login_required
@require_role(*MANAGERS)
def guest_add(assembly_session_id: int):
    form = GuestForm()
    if not form.validate_on_submit():
        flash_form_errors(form)
    else:
        run_service(lambda: svc.add_guest(db.session, current_user, assembly_session_id, form.name.data,
                                          form.workplace.data, form.reason.data, utcnow()), "已增加列席人员")
    return _back(assembly_session_id)


@bp.post("/sessions/<int:assembly_session_id>/guests/remove")
@login_required
@require_role(*MANAGERS)
def guest_remove(assembly_session_id: int):
    return _item_post(lambda f: svc.remove_guest(db.session, current_user, assembly_session_id, f.item_id.data,
                                                 utcnow()), "已删除列席人员", assembly_session_id)


@bp.post("/sessions/<int:assembly_session_id>/materials")
@login_required
@require_role(*MANAGERS)
def material_upload(assembly_session_id: int):
    form = MaterialForm()
    if not form.validate_on_submit():
        flash_form_errors(form)
    else:
        f = request.files.get("file")
        upload = UploadedFile(f.filename or "", f.read()) if f else UploadedFile("", b"")
        run_service(lambda: mat.upload_material(db.session, current_user, assembly_session_id, form.title.data, upload,
                                                current_app.config["UPLOAD_DIR"], utcnow()), "已上传会议材料")
    return _back(assembly_session_id)


@bp.post("/sessions/<int:assembly_session_id>/materials/delete")
@login_required
@require_role(*MANAGERS)
def material_delete(assembly_session_id: int):
    return _item_post(lambda f: mat.delete_material(db.session, current_user, assembly_session_id, f.item_id.data,
                                                    current_app.config["UPLOAD_DIR"], utcnow()),
                      "已删除会议材料", assembly_session_id)


@bp.get("/sessions/<int:assembly_session_id>/materials/<int:material_id>")
@login_required
@require_role(*VIEWERS)
def material(assembly_session_id: int, material_id: int):
    m = mat.material_for_download(db.session, current_user, assembly_session_id, material_id)
    path = Path(current_app.config["UPLOAD_DIR"]) / m.stored_name
    if not path.is_file():
        abort(404)
    return send_file(path, mimetype=m.content_type, download_name=m.original_name,
                     as_attachment=not m.content_type.startswith("image/"))


@bp.post("/sessions/<int:assembly_session_id>/notice")
@login_required
@require_role(*MANAGERS)
def send_notice(assembly_session_id: int):
    if ConfirmForm().validate_on_submit():
        told = []
        run_service(lambda: told.append(svc.send_notice(db.session, current_user, assembly_session_id, utcnow())),
                    "通知已发出，会议材料已分发给代表")
    return _back(assembly_session_id)


@bp.post("/sessions/<int:assembly_session_id>/open")
@login_required
@require_role(*MANAGERS)
def open_session(assembly_session_id: int):
    if ConfirmForm().validate_on_submit() and run_service(
            lambda: svc.open_session(db.session, current_user, assembly_session_id, today_local(), utcnow()),
            "已开始签到"):
        return redirect(url_for("assembly.attendance", assembly_session_id=assembly_session_id))
    return _back(assembly_session_id)


@bp.post("/sessions/<int:assembly_session_id>/hold")
@login_required
@require_role(*MANAGERS)
def hold_session(assembly_session_id: int):
    if ConfirmForm().validate_on_submit():
        run_service(lambda: svc.hold_session(db.session, current_user, assembly_session_id, utcnow()),
                    "已确认会议召开，应到、实到人数已固定")
    return redirect(url_for("assembly.attendance", assembly_session_id=assembly_session_id))


def _docx(meeting: AssemblySession, name: str, data: bytes) -> Response:
    filename = document_filename(meeting.title, name, today_local())
    return Response(data, mimetype=DOCX, headers=attachment_headers(filename))


@bp.get("/sessions/<int:assembly_session_id>/notice.docx")
@login_required
@require_role(*VIEWERS)
def notice_docx(assembly_session_id: int):
    meeting = meeting_or_404(assembly_session_id)
    return _docx(meeting, "年会通知", docs.render_notice(db.session, meeting, today_local()))


@bp.get("/sessions/<int:assembly_session_id>/agenda.docx")
@login_required
@require_role(*VIEWERS)
def agenda_docx(assembly_session_id: int):
    meeting = meeting_or_404(assembly_session_id)
    report = followup_report(db.session, meeting, today_local())
    return _docx(meeting, "议程", docs.render_agenda(meeting, report, today_local()))

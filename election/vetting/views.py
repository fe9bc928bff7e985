"""考察, the two 公示 and complaints: pages for the office, the 考察组 and 纪检. Thin views."""
from __future__ import annotations

from io import BytesIO

from flask import Blueprint, abort, flash, redirect, render_template, request, send_file, url_for
from flask_login import current_user, login_required
from sqlalchemy import select

from election.accounts.models import User
from election.core.clock import today_local, utcnow
from election.core.db import db
from election.core.exceptions import NotFound, PermissionDenied, ServiceError
from election.core.forms import ConfirmForm, flash_form_errors, run_service
from election.core.roles import Role
from election.directory.models import ElectionUnit
from election.documents.filenames import document_filename
from election.elections.models import Election
from election.nominations.models import Nominee
from election.vetting import notice_views, print_views
from election.vetting import services as svc
from election.vetting.forms import (
    AssignForm,
    ComplaintAssignForm,
    ComplaintCheckForm,
    ComplaintConcludeForm,
    ComplaintForm,
    ConcludeForm,
    DisciplineForm,
    NoticeForm,
    VettingForm,
)
from election.vetting.models import Complaint, Notice
from workflow.pipeline.stages import Stage

bp = Blueprint("vetting", __name__, url_prefix="/vetting")
for _rule, _endpoint, _view, _methods in notice_views.ROUTES:   # 公示 drafts: edit, delete
    bp.add_url_rule(_rule, _endpoint, login_required(_view), methods=list(_methods))
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


# ----------------------------------------------------------------------------------------------- helpers
def _require_view() -> None:
    if not svc.can_view_vetting(current_user):
        abort(403)


def _require_manage() -> None:
    if not svc.can_manage_vetting(current_user):
        abort(403)


def _election(election_id: int) -> Election:
    return db.session.get(Election, election_id) or abort(404)


def _ids(values: list[str]) -> list[int]:
    return [int(v) for v in values if v.isdigit()]


def _docx(data: bytes, election: Election, document_name: str):
    """Send a generated document under the one file-name rule (选举名称_文书名称_日期.docx)."""
    name = document_filename(election.title, document_name, today_local(), "docx")
    return send_file(BytesIO(data), mimetype=DOCX, as_attachment=True, download_name=name)


def _users(*roles: Role) -> list[User]:
    return list(db.session.scalars(select(User).where(User.role.in_([r.value for r in roles]), User.active.is_(True))
                                   .order_by(User.id)))


# ----------------------------------------------------------------------------------------------- overview
@bp.get("/<int:election_id>")
@login_required
def board(election_id: int):
    _require_view()
    election = _election(election_id)
    rows = svc.vetting_board(db.session, election, current_user)
    notices = svc.notices_overview(db.session, election_id) if current_user.role != Role.inspector else []
    return render_template("vetting/board.html", election=election, rows=rows, notices=notices,
                           Conclusion=svc.Conclusion, NoticeStatus=svc.NoticeStatus, kinds=svc.RosterKind)


# ----------------------------------------------------------------------------------------------- selections
def _selection(election_id: int, step: str):
    _require_manage()
    election = _election(election_id)
    source = "nominated" if step == "shortlisted" else "shortlisted"
    pool = svc.people_at(db.session, election, source, submitted_only=step == "shortlisted")
    if step == "preliminary":
        passed = {r.nominee.id for r in svc.vetting_board(db.session, election, current_user)
                  if r.vetting is not None and r.vetting.conclusion == "passed"}
        pool = [(n, u) for n, u in pool if n.id in passed]
    form = ConfirmForm()
    reached = {"shortlisted": ("shortlisted", "preliminary", "confirmed"), "preliminary": ("preliminary", "confirmed")}
    chosen_ids = {n.id for n, _ in pool if n.step in reached[step]}
    if request.method == "POST":
        if not form.validate_on_submit():
            abort(400)
        chosen_ids = set(_ids(request.form.getlist("nominee_id")))
        if request.form.get("action") == "save":
            service = svc.select_shortlist if step == "shortlisted" else svc.select_preliminary
            label = "考察对象" if step == "shortlisted" else "初步人选"
            if run_service(lambda: service(db.session, current_user, election_id, chosen_ids, utcnow()),
                           f"已保存{label}{len(chosen_ids)}名。"):
                return redirect(url_for(f"vetting.{'shortlist' if step == 'shortlisted' else 'preliminary'}",
                                        election_id=election_id))
    chosen = [n for n, _ in pool if n.id in chosen_ids]
    counters = svc.compute_selection_counters(election, chosen, step, today_local())
    from election.quotas.services import build_report

    report = build_report(election, chosen, step, today_local()) if election.quota_rules else None
    return render_template("vetting/select.html", election=election, pool=pool, chosen_ids=chosen_ids, form=form,
                           counters=counters, step=step, report=report, editable=election.stage == (
                               Stage.shortlist if step == "shortlisted" else Stage.preliminary))


@bp.route("/<int:election_id>/shortlist", methods=["GET", "POST"])
@login_required
def shortlist(election_id: int):
    return _selection(election_id, "shortlisted")


@bp.route("/<int:election_id>/preliminary", methods=["GET", "POST"])
@login_required
def preliminary(election_id: int):
    return _selection(election_id, "preliminary")


# ----------------------------------------------------------------------------------------------- one person
def _person_context(nominee_id: int, **forms):
    _require_view()
    nominee = db.session.get(Nominee, nominee_id) or abort(404)
    election = _election(nominee.election_id)
    row = svc.vetting_row(db.session, election, nominee_id, current_user)
    if row is None:  # an inspector not assigned to this person, or not a 考察对象
        abort(404 if svc.can_manage_vetting(current_user) else 403)
    v = row.vetting
    vform = forms.get("vetting_form") or VettingForm(data={
        "file_audit": (v.file_audit or "") if v else "", "file_audit_note": v.file_audit_note if v else "",
        "petition_check": v.petition_check if v else "", "personal_report_check": v.personal_report_check if v else "",
        "appraisal_count": v.appraisal_count if v else None, "interview_count": v.interview_count if v else None,
        "integrity_received": v.integrity_received if v else False,
        "from_enterprise": v.from_enterprise if v else svc.looks_like_enterprise(nominee.workplace_title),
        "regulator_opinion": v.regulator_opinion if v else ""})
    assign_form = forms.get("assign_form") or AssignForm()
    assign_form.user_id.choices = [(u.id, u.display_name) for u in _users(Role.inspector)]
    missing = svc.check_vetting_complete(v, row.leader) if v else None
    return render_template(
        "vetting/person.html", election=election, row=row, nominee=nominee, vetting=v, vetting_form=vform,
        discipline_form=forms.get("discipline_form") or DisciplineForm(
            data={"opinion": v.discipline_opinion if v else ""}),
        conclude_form=forms.get("conclude_form") or ConcludeForm(), assign_form=assign_form, missing=missing,
        can_edit=svc.can_edit_vetting(current_user, row.inspector_ids),
        can_discipline=svc.can_record_discipline(current_user), can_manage=svc.can_manage_vetting(current_user),
        Conclusion=svc.Conclusion, confirm_form=ConfirmForm())


@bp.get("/people/<int:nominee_id>")
@login_required
def person(nominee_id: int):
    return _person_context(nominee_id)


@bp.post("/people/<int:nominee_id>/record")
@login_required
def record(nominee_id: int):
    _require_view()
    form = VettingForm()
    if not form.validate_on_submit():
        return _person_context(nominee_id, vetting_form=form), 400
    data = svc.VettingInput(file_audit=form.file_audit.data or None, file_audit_note=form.file_audit_note.data or "",
                            petition_check=form.petition_check.data, personal_report_check=form.personal_report_check.data,
                            appraisal_count=form.appraisal_count.data, interview_count=form.interview_count.data,
                            integrity_received=form.integrity_received.data, from_enterprise=form.from_enterprise.data,
                            regulator_opinion=form.regulator_opinion.data)
    run_service(lambda: svc.record_vetting(db.session, current_user, nominee_id, data, utcnow()), "考察材料已保存。")
    return redirect(url_for("vetting.person", nominee_id=nominee_id))


@bp.post("/people/<int:nominee_id>/discipline")
@login_required
def discipline(nominee_id: int):
    if not svc.can_record_discipline(current_user):
        abort(403)
    form = DisciplineForm()
    if not form.validate_on_submit():
        return _person_context(nominee_id, discipline_form=form), 400
    run_service(lambda: svc.record_discipline_opinion(db.session, current_user, nominee_id, form.opinion.data,
                                                      utcnow()), "纪检机关意见已录入。")
    return redirect(url_for("vetting.person", nominee_id=nominee_id))


@bp.post("/people/<int:nominee_id>/conclude")
@login_required
def conclude(nominee_id: int):
    _require_view()
    form = ConcludeForm()
    if not form.validate_on_submit():
        return _person_context(nominee_id, conclude_form=form), 400
    run_service(lambda: svc.conclude_vetting(db.session, current_user, nominee_id, form.conclusion.data,
                                             form.reason.data or "", utcnow()), "考察结论已登记。")
    return redirect(url_for("vetting.person", nominee_id=nominee_id))


@bp.post("/people/<int:nominee_id>/assign")
@login_required
def assign(nominee_id: int):
    _require_manage()
    form = AssignForm()
    if not form.validate_on_submit() or not form.user_id.data:
        flash("请选择考察组成员。", "danger")
    else:
        remove = request.form.get("action") == "remove"
        run_service(lambda: svc.assign_inspector(db.session, current_user, nominee_id, form.user_id.data, utcnow(),
                                                 remove=remove), "已取消分工。" if remove else "已分配考察组成员。")
    return redirect(url_for("vetting.person", nominee_id=nominee_id))


# ----------------------------------------------------------------------------------------------- notices
def _notice_form(election: Election) -> NoticeForm:
    contact = svc.default_contact(election)
    return NoticeForm(data={"posted_on": today_local(), "office_name": contact.name, "office_phone": contact.phone,
                            "office_address": contact.address, "office_mailbox": contact.mailbox})


@bp.route("/<int:election_id>/notices", methods=["GET", "POST"])
@login_required
def notices(election_id: int):
    _require_view()
    if current_user.role == Role.inspector:
        abort(403)
    election = _election(election_id)
    form = _notice_form(election) if request.method == "GET" else NoticeForm()
    if request.method == "POST":
        _require_manage()
        if form.validate_on_submit():
            contact = svc.ContactInput(form.office_name.data, form.office_phone.data, form.office_address.data,
                                       form.office_mailbox.data)
            create = svc.create_second_notice if election.stage == Stage.preliminary else svc.create_first_notices
            action = lambda: create(db.session, current_user, election_id, form.posted_on.data, contact, utcnow(),
                                    form.backdate_reason.data or "")
            if run_service(action, "公示草稿已生成，请核对名单后发布。"):
                return redirect(url_for("vetting.notices", election_id=election_id))
    return render_template("vetting/notices.html", election=election, notices=svc.notices_overview(db.session, election_id),
                           form=form, NoticeStatus=svc.NoticeStatus, confirm_form=ConfirmForm(),
                           can_manage=svc.can_manage_vetting(current_user),
                           next_kind="second" if election.stage == Stage.preliminary else "first")


def _notice(notice_id: int) -> Notice:
    _require_view()
    if current_user.role == Role.inspector:
        abort(403)
    return db.session.get(Notice, notice_id) or abort(404)


def _notice_page(notice_id: int, status: int = 200, **forms):
    notice = _notice(notice_id)
    election = _election(notice.election_id)
    people = svc.sort_people(election, svc.notice_people(db.session, notice))
    complaint_form = forms.get("complaint_form") or ComplaintForm(data={"received_on": today_local()})
    complaint_form.nominee_id.choices = [(p.id, p.name) for p in people]
    handlers = [(u.id, f"{u.display_name}（{u.role_label}）") for u in _users(Role.inspector, Role.discipline, Role.office)]
    assign_form = ComplaintAssignForm()
    assign_form.user_id.choices = handlers
    unit_name = ""
    if notice.election_unit_id:
        eu = db.session.get(ElectionUnit, notice.election_unit_id)
        unit_name = eu.unit.name if eu else ""
    return render_template("vetting/notice.html", election=election, notice=notice, people=people, unit_name=unit_name,
                           complaints=svc.complaints_of(db.session, notice_id), complaint_form=complaint_form,
                           assign_form=assign_form, check_form=forms.get("check_form") or ComplaintCheckForm(),
                           conclude_form=forms.get("conclude_form") or ComplaintConcludeForm(),
                           confirm_form=ConfirmForm(), NoticeStatus=svc.NoticeStatus, Channel=svc.Channel,
                           ComplaintStatus=svc.ComplaintStatus, ComplaintConclusion=svc.ComplaintConclusion,
                           can_manage=svc.can_manage_vetting(current_user),
                           can_edit=svc.can_edit_notice(current_user, notice),
                           can_handle=lambda c: svc.can_handle_complaint(current_user, c)), status


@bp.get("/notices/<int:notice_id>")
@login_required
def notice(notice_id: int):
    return _notice_page(notice_id)


@bp.post("/notices/<int:notice_id>/publish")
@login_required
def publish(notice_id: int):
    _require_manage()
    if not ConfirmForm().validate_on_submit():
        abort(400)
    run_service(lambda: svc.publish_notice(db.session, current_user, notice_id, utcnow()), "公示已发布。")
    return redirect(url_for("vetting.notice", notice_id=notice_id))


@bp.post("/notices/<int:notice_id>/end")
@login_required
def end(notice_id: int):
    _require_manage()
    if not ConfirmForm().validate_on_submit():
        abort(400)
    run_service(lambda: svc.end_notice(db.session, current_user, notice_id, today_local(), utcnow()), "公示已结束。")
    return redirect(url_for("vetting.notice", notice_id=notice_id))


@bp.post("/notices/<int:notice_id>/complaints")
@login_required
def register(notice_id: int):
    _require_manage()
    form = ComplaintForm()
    if not form.validate_on_submit():
        return _notice_page(notice_id, 400, complaint_form=form)
    data = svc.ComplaintInput(form.nominee_id.data, form.channel.data, form.received_on.data, form.content.data,
                              form.real_name.data)
    run_service(lambda: svc.register_complaint(db.session, current_user, notice_id, data, utcnow()), "反映已登记。")
    return redirect(url_for("vetting.notice", notice_id=notice_id))


def _complaint(complaint_id: int) -> Complaint:
    _require_view()
    return db.session.get(Complaint, complaint_id) or abort(404)


@bp.post("/complaints/<int:complaint_id>/assign")
@login_required
def assign_complaint(complaint_id: int):
    _require_manage()
    complaint = _complaint(complaint_id)
    form = ComplaintAssignForm()
    if form.validate_on_submit() and form.user_id.data:
        run_service(lambda: svc.assign_complaint(db.session, current_user, complaint_id, form.user_id.data, utcnow()),
                    "反映已交办。")
    else:
        flash("请选择承办人。", "danger")
    return redirect(url_for("vetting.notice", notice_id=complaint.notice_id))


@bp.post("/complaints/<int:complaint_id>/check")
@login_required
def check_complaint(complaint_id: int):
    complaint = _complaint(complaint_id)
    if not svc.can_handle_complaint(current_user, complaint):
        abort(403)
    form = ComplaintCheckForm()
    if not form.validate_on_submit():
        flash_form_errors(form)
    else:
        run_service(lambda: svc.record_complaint_check(db.session, current_user, complaint_id, form.findings.data,
                                                       utcnow()), "核查情况已登记。")
    if current_user.role == Role.inspector:
        return redirect(url_for("vetting.complaint_task", complaint_id=complaint_id))
    return redirect(url_for("vetting.notice", notice_id=complaint.notice_id))


@bp.get("/complaints/<int:complaint_id>")
@login_required
def complaint_task(complaint_id: int):
    """The page an assigned 考察组 member or 纪检 user works a complaint on."""
    complaint = _complaint(complaint_id)
    if not svc.can_handle_complaint(current_user, complaint):
        abort(403)
    return render_template("vetting/complaint.html", complaint=complaint, check_form=ComplaintCheckForm(
        data={"findings": complaint.findings}), Channel=svc.Channel, ComplaintStatus=svc.ComplaintStatus)


@bp.post("/complaints/<int:complaint_id>/conclude")
@login_required
def conclude_complaint(complaint_id: int):
    _require_manage()
    complaint = _complaint(complaint_id)
    form = ComplaintConcludeForm()
    if not form.validate_on_submit():
        flash_form_errors(form)
    else:
        run_service(lambda: svc.conclude_complaint(db.session, current_user, complaint_id, form.conclusion.data,
                                                   form.effect.data, utcnow()), "反映已办结。")
    return redirect(url_for("vetting.notice", notice_id=complaint.notice_id))


# ----------------------------------------------------------------------------------------------- print & documents
@bp.get("/<int:election_id>/print/<kind>")
@login_required
def print_list(election_id: int, kind: str):
    _require_manage_or_read()
    election = _election(election_id)
    try:
        which = svc.RosterKind(kind)
    except ValueError:
        abort(404)
    rows = svc.people_at(db.session, election, which.value, submitted_only=which is svc.RosterKind.nominated)
    return render_template("vetting/print_list.html", election=election, which=which, rows=rows,
                           pad=bool((election.settings or {}).get("pad_single_given_name")))


@bp.get("/<int:election_id>/notices/print")
@login_required
def print_notices(election_id: int):
    """Every 公示 of an election on A4: scope, period, status and complaints (open / all)."""
    _require_manage_or_read()
    election = _election(election_id)
    return render_template("vetting/print_notices.html", election=election,
                           data=print_views.notices_of(db.session, election_id), NoticeStatus=svc.NoticeStatus,
                           today=today_local())


@bp.get("/notices/<int:notice_id>/print")
@login_required
def print_notice(notice_id: int):
    notice = _notice(notice_id)
    data = svc.notice_data(db.session, notice)
    return render_template("vetting/print_notice.html", notice=notice, data=data)


@bp.get("/notices/<int:notice_id>/complaints/print")
@login_required
def print_complaints(notice_id: int):
    """The 反映 received during one 公示 and how each was handled, on A4 (by date received)."""
    notice = _notice(notice_id)
    data = svc.notice_data(db.session, notice)
    return render_template("vetting/print_complaints.html", notice=notice, data=data,
                           complaints=svc.complaints_of(db.session, notice_id), Channel=svc.Channel,
                           ComplaintStatus=svc.ComplaintStatus, ComplaintConclusion=svc.ComplaintConclusion,
                           today=today_local())


def _require_manage_or_read() -> None:
    """Lists of all people: the office, 纪检 and the auditor; not a 考察组 member (assigned people only)."""
    _require_view()
    if current_user.role == Role.inspector:
        abort(403)


@bp.get("/<int:election_id>/docs/roster-<kind>.docx")
@login_required
def roster_docx(election_id: int, kind: str):
    _require_manage_or_read()
    if kind not in svc.RosterKind.__members__:
        abort(404)
    election = _election(election_id)
    return _docx(svc.render_roster_document(db.session, election_id, kind), election,
                 f"{svc.RosterKind(kind).label}名册")


@bp.get("/<int:election_id>/docs/forms-<kind>.docx")
@login_required
def forms_docx(election_id: int, kind: str):
    _require_manage_or_read()
    if kind not in svc.RosterKind.__members__:
        abort(404)
    nominee_id = request.args.get("nominee", type=int)
    try:
        data = svc.render_registration_document(db.session, election_id, kind, nominee_id, today_local())
    except (PermissionDenied, NotFound):
        raise
    except ServiceError as exc:
        flash(exc.message, "danger")
        return redirect(url_for("vetting.board", election_id=election_id))
    return _docx(data, _election(election_id), f"{svc.RosterKind(kind).label}登记表")


@bp.get("/<int:election_id>/docs/report.docx")
@login_required
def report_docx(election_id: int):
    _require_manage_or_read()
    election = _election(election_id)
    return _docx(svc.render_report_document(db.session, election_id, today_local()), election, "情况报告")


@bp.get("/notices/<int:notice_id>.docx")
@login_required
def notice_docx(notice_id: int):
    notice = _notice(notice_id)
    unit = f"（{notice.election_unit.unit.name}）" if notice.election_unit is not None else ""
    label = "第一次公示" if notice.kind == "first" else "第二次公示"
    return _docx(svc.render_notice_document(db.session, notice.id), db.session.get(Election, notice.election_id),
                 f"{label}{unit}")

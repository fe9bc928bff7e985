"""年会 pages: 民主评议, 民主测评 and 信任投票 (docs/rules.md §7) — the session's list and the set-up form, one
appraisal's page (settings, the count's state, the results once confirmed), each teller's entry form, the
comparison of the two entries, confirm and publish, the 民主评议结果通报 (.docx) and its print page. A 代表 sees an
appraisal only once it is published. Thin views: form → service → flash → redirect."""
from __future__ import annotations

import io

from flask import abort, current_app, flash, redirect, render_template, request, send_file, url_for
from flask_login import current_user, login_required
from wtforms import IntegerField, SelectField, StringField, TextAreaField
from wtforms.validators import InputRequired, Length, NumberRange, Optional

from election.assembly.appraisal_documents import columns_of, render_results_docx, row_cells
from election.assembly.permissions import (
    can_confirm_appraisal,
    can_enter_appraisal,
    can_manage_sessions,
    session_or_404,
)
from election.assembly.services import appraisals as svc
from election.assembly.views.blueprint import bp
from election.core.clock import today_local, utcnow
from election.core.db import db
from election.core.exceptions import NotFound
from election.core.forms import ConfirmForm, Form, flash_form_errors, run_service
from election.core.permissions import require_role
from election.core.roles import Role
from election.documents.filenames import document_filename

VIEWERS = (Role.admin, Role.office, Role.auditor, Role.teller, Role.delegate)  # = can_view_sessions
MANAGERS = (Role.admin, Role.office)  # = can_manage_sessions
COUNTERS = (Role.admin, Role.office, Role.auditor, Role.teller)  # = svc.can_see_counting
CONFIRMERS = (Role.admin, Role.office, Role.teller)  # = can_confirm_appraisal
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


class AppraisalForm(Form):
    kind = SelectField("类型", choices=list(svc.KIND_LABELS.items()), validate_choice=True)
    title = StringField("名称（留空按类型自动生成）", validators=[Optional(), Length(max=200)])
    grades = StringField("等次（用逗号分隔，留空按类型默认）", validators=[Optional(), Length(max=200)])
    good = StringField("计入好评率的等次（逗号分隔）", validators=[Optional(), Length(max=200)])
    poor = StringField("计入差评率的等次", validators=[Optional(), Length(max=32)])
    poor_threshold = StringField("差评率超过此比例即标注（如 1/3）", validators=[Optional(), Length(max=16)])
    flag_label = StringField("标注为", validators=[Optional(), Length(max=16)])
    pass_share = StringField("信任票超过此比例为获得信任（如 1/2）", validators=[Optional(), Length(max=16)])
    objects = TextAreaField("测评对象（每行一个：单位写名称；个人写“姓名，职务”）",
                            validators=[InputRequired("请列出测评对象"), Length(max=20000)])


class OpenForm(Form):
    ballots_issued = IntegerField("发出票数", validators=[InputRequired("请填写发出票数"), NumberRange(min=1, max=100000)])
    ballots_collected = IntegerField("收回票数", validators=[InputRequired("请填写收回票数"),
                                                        NumberRange(min=0, max=100000)])


def _input(form: AppraisalForm) -> svc.AppraisalInput:
    settings = {}
    if form.good.data:
        settings["good"] = svc.parse_grades(form.good.data)
    for key in ("poor", "poor_threshold", "flag_label", "pass_share"):
        value = (getattr(form, key).data or "").strip()
        if value:
            settings[key] = value
    return svc.AppraisalInput(form.kind.data, form.title.data or "", svc.parse_grades(form.grades.data or ""),
                              settings, svc.parse_objects(form.objects.data))


def _form_of(a) -> AppraisalForm:
    s = a.settings or {}
    lines = "\n".join(o.name + (f"，{o.post}" if o.post else "") for o in a.objects)
    return AppraisalForm(kind=a.kind, title=a.title, grades="，".join(a.grades), good="，".join(s.get("good") or ()),
                         poor=s.get("poor") or "", poor_threshold=s.get("poor_threshold") or "",
                         flag_label=s.get("flag_label") or "", pass_share=s.get("pass_share") or "", objects=lines)


def _appraisal(appraisal_id: int):
    try:
        return svc.load_appraisal(db.session, current_user, appraisal_id)
    except NotFound:
        abort(404)


# ---------------------------------------------------------------------------------------------- the session's list
@bp.get("/sessions/<int:assembly_session_id>/appraisals")
@login_required
@require_role(*VIEWERS)
def appraisals(assembly_session_id: int):
    meeting = session_or_404(db.session, current_user, assembly_session_id)
    rows = svc.session_appraisals(db.session, current_user, meeting.id)
    may_create = can_manage_sessions(current_user) and meeting.status in svc.SETUP_STATUSES
    return render_template("assembly/appraisals.html", s=meeting, tab="appraisals", rows=rows,
                           form=AppraisalForm() if may_create else None, kinds=svc.KIND_LABELS,
                           statuses=svc.STATUS_LABELS)


@bp.post("/sessions/<int:assembly_session_id>/appraisals")
@login_required
@require_role(*MANAGERS)
def create_appraisal(assembly_session_id: int):
    form = AppraisalForm()
    created = []
    if not form.validate_on_submit():
        flash_form_errors(form)
    else:
        run_service(lambda: created.append(svc.create_appraisal(db.session, current_user, assembly_session_id,
                                                                _input(form), utcnow())), "已设置测评，请核对测评对象")
    if created:
        return redirect(url_for("assembly.appraisal", appraisal_id=created[0].id))
    return redirect(url_for("assembly.appraisals", assembly_session_id=assembly_session_id))


# ------------------------------------------------------------------------------------------------- one appraisal
@bp.get("/appraisals/<int:appraisal_id>")
@login_required
@require_role(*VIEWERS)
def appraisal(appraisal_id: int):
    a = _appraisal(appraisal_id)
    manager = can_manage_sessions(current_user)
    counting = svc.can_see_counting(current_user)
    cmp = svc.compare(db.session, a) if counting and a.status == "open" else None
    return render_template(
        "assembly/appraisal.html", a=a, s=a.session, tab="appraisals", kinds=svc.KIND_LABELS,
        statuses=svc.STATUS_LABELS, rules=svc.rules_of(a), results=svc.results_of(a), cmp=cmp,
        edit_form=_form_of(a) if manager and a.status == "draft" else None,
        open_form=OpenForm() if manager and a.status == "draft" and a.session.status in svc.COUNT_STATUSES else None,
        may_enter=can_enter_appraisal(current_user) and a.status == "open",
        may_confirm=can_confirm_appraisal(current_user) and a.status == "open" and cmp is not None and cmp.agree,
        may_publish=manager and a.status == "confirmed",
        may_follow_up=manager and a.status == "published" and "assembly.followup_add" in current_app.view_functions,
        today=today_local(), confirm_form=ConfirmForm())


@bp.post("/appraisals/<int:appraisal_id>")
@login_required
@require_role(*MANAGERS)
def update_appraisal(appraisal_id: int):
    form = AppraisalForm()
    if not form.validate_on_submit():
        flash_form_errors(form)
    else:
        run_service(lambda: svc.update_appraisal(db.session, current_user, appraisal_id, _input(form), utcnow()),
                    "测评设置已保存")
    return redirect(url_for("assembly.appraisal", appraisal_id=appraisal_id))


@bp.post("/appraisals/<int:appraisal_id>/open")
@login_required
@require_role(*MANAGERS)
def open_appraisal(appraisal_id: int):
    form = OpenForm()
    if not form.validate_on_submit():
        flash_form_errors(form)
    else:
        run_service(lambda: svc.open_appraisal(db.session, current_user, appraisal_id, form.ballots_issued.data,
                                               form.ballots_collected.data, utcnow()),
                    "已开始计票，请两位监票计票人员分别录入")
    return redirect(url_for("assembly.appraisal", appraisal_id=appraisal_id))


# -------------------------------------------------------------------------------------------------- double entry
def _figures_from_form(a) -> dict:
    """The entry form's fields: ``invalid`` and ``n-<object id>-<grade index>``; an empty box is 0."""
    def number(name: str) -> int:
        raw = (request.form.get(name) or "").strip()
        return int(raw) if raw.isdigit() else (0 if raw == "" else -1)

    objects = {str(o.id): {g: number(f"n-{o.id}-{i}") for i, g in enumerate(a.grades)} for o in a.objects}
    return {"invalid": number("invalid"), "objects": objects}


@bp.route("/appraisals/<int:appraisal_id>/entry/<int:entry_no>", methods=["GET", "POST"])
@login_required
@require_role(Role.teller)
def appraisal_entry(appraisal_id: int, entry_no: int):
    if entry_no not in (1, 2):
        abort(404)
    a = _appraisal(appraisal_id)
    if request.method == "POST":
        form = ConfirmForm()
        if not form.validate_on_submit():
            flash_form_errors(form)
        else:
            figures = _figures_from_form(a)
            if any(n < 0 for row in figures["objects"].values() for n in row.values()) or figures["invalid"] < 0:
                flash("票数应为不小于0的整数，请核对。", "danger")
            elif run_service(lambda: svc.enter_figures(db.session, current_user, a.id, entry_no, figures, utcnow()),
                             f"第{entry_no}次录入已保存"):
                return redirect(url_for("assembly.appraisal", appraisal_id=a.id))
        db.session.expire_all()
        a = _appraisal(appraisal_id)
    entry = next((e for e in a.entries if e.entry_no == entry_no), None)
    values = entry.figures if entry is not None and entry.teller_id == current_user.id else None
    return render_template("assembly/appraisal_entry.html", a=a, s=a.session, tab="appraisals", entry_no=entry_no,
                           entry=entry, values=values, form=ConfirmForm())


@bp.get("/appraisals/<int:appraisal_id>/compare")
@login_required
@require_role(*COUNTERS)
def appraisal_compare(appraisal_id: int):
    a = _appraisal(appraisal_id)
    return render_template("assembly/appraisal.html", a=a, s=a.session, tab="appraisals", kinds=svc.KIND_LABELS,
                           statuses=svc.STATUS_LABELS, rules=svc.rules_of(a), results=None,
                           cmp=svc.compare(db.session, a), compare_only=True, confirm_form=ConfirmForm(),
                           may_confirm=False, may_enter=False, may_publish=False, may_follow_up=False)


@bp.post("/appraisals/<int:appraisal_id>/confirm")
@login_required
@require_role(*CONFIRMERS)
def confirm_appraisal(appraisal_id: int):
    if ConfirmForm().validate_on_submit():
        run_service(lambda: svc.confirm_appraisal(db.session, current_user, appraisal_id, utcnow()),
                    "两次录入一致，票数已确认")
    return redirect(url_for("assembly.appraisal", appraisal_id=appraisal_id))


@bp.post("/appraisals/<int:appraisal_id>/publish")
@login_required
@require_role(*MANAGERS)
def publish_appraisal(appraisal_id: int):
    if ConfirmForm().validate_on_submit():
        run_service(lambda: svc.publish_appraisal(db.session, current_user, appraisal_id, utcnow()),
                    "结果已公布，本届代表可以查看")
    return redirect(url_for("assembly.appraisal", appraisal_id=appraisal_id))


# ------------------------------------------------------------------------------------------------------ documents
def _confirmed(appraisal_id: int):
    a = _appraisal(appraisal_id)
    res = svc.results_of(a)
    if res is None:
        abort(404)
    return a, res


@bp.get("/appraisals/<int:appraisal_id>/result.docx")
@login_required
@require_role(*VIEWERS)
def appraisal_docx(appraisal_id: int):
    a, _res = _confirmed(appraisal_id)
    today = today_local()
    signer = a.session.organisation.name if a.session.organisation else "中共党委"
    roll, present = svc.attendance_figures(db.session, a.session)
    data = render_results_docx(a.session, svc.session_results(db.session, current_user, a.session), signer, today,
                               roll=roll, present=present)
    name = document_filename(a.session.title, "民主评议结果通报", today, "docx")
    return send_file(io.BytesIO(data), mimetype=DOCX, as_attachment=True, download_name=name)


@bp.get("/appraisals/<int:appraisal_id>/print")
@login_required
@require_role(*VIEWERS)
def appraisal_print(appraisal_id: int):
    a, res = _confirmed(appraisal_id)
    return render_template("print/assembly_appraisal.html", a=a, s=a.session, res=res, columns=columns_of(res),
                           rows=[row_cells(i, r, res) for i, r in enumerate(res.rows, 1)], today=today_local())

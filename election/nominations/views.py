"""差额推荐 pages: the recommending unit's task page and self-service list; the office's overview
and exports. Views are thin: form → service → flash → redirect; the services check permissions again."""
from __future__ import annotations

import io

from flask import Blueprint, Response, abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from election.calendar.services import load_calendar
from election.core.clock import today_local, utcnow
from election.core.db import db
from election.core.exceptions import ServiceError
from election.core.forms import ConfirmForm
from election.core.page_cache import cached_page
from election.core.permissions import (
    ELECTION_READERS,
    ELECTION_STAFF,
    can_edit_unit_list,
    can_manage_elections,
    can_see_full_id_numbers,
    require_role,
)
from election.documents.data import PersonRow
from election.documents.filenames import attachment_headers, document_filename
from election.documents.rosters import render_roster, roster_from_people
from election.nominations import services as svc
from election.nominations.columns import REGISTRATION_FIELDS
from election.nominations.forms import NomineeForm, ReopenForm, StatisticsForm, UploadForm
from election.nominations.models import Nominee
from election.nominations.template import render_nominee_template
from workflow.common.idcard import mask_id
from workflow.common.titles import join_title
from workflow.pipeline.deadlines import compute_deadline_status

bp = Blueprint("units", __name__)

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _download(data: bytes, mime: str, election_title: str, document_name: str) -> Response:
    """A generated file under the one name rule (选举名称_文书名称_日期.xlsx/.docx), UTF-8 name in filename*."""
    name = document_filename(election_title, document_name, today_local(), "docx" if mime == DOCX else "xlsx")
    return Response(data, mimetype=mime, headers=attachment_headers(name))


def _page_or_404(election_unit_id: int) -> svc.UnitPage:
    # the scope is part of the query itself: another unit's id finds nothing
    view = svc.unit_page(db.session, election_unit_id, current_user, today_local())
    if view is None:
        abort(404)
    return view


def _render_detail(view: svc.UnitPage, *, upload_result: svc.ImportOutcome | None = None,
                   upload_form: UploadForm | None = None, stats_form: StatisticsForm | None = None, status: int = 200):
    deadline = compute_deadline_status(view.due, today_local(), load_calendar(db.session)) if view.due else None
    if stats_form is None:
        eu = view.election_unit
        stats_form = StatisticsForm(data={"participating_orgs": eu.participating_orgs,
                                          "participating_members": eu.participating_members,
                                          "summary_text": eu.summary_text or ""})
    html = render_template("nominations/detail.html", view=view, deadline=deadline, upload_result=upload_result,
                           upload_form=upload_form or UploadForm(), stats_form=stats_form, confirm_form=ConfirmForm(),
                           reopen_form=ReopenForm(), can_edit=can_edit_unit_list(current_user, view.election_unit.unit_id),
                           can_manage=can_manage_elections(current_user), format_rate=svc.format_rate,
                           consequence=svc.SUBMIT_CONSEQUENCE)
    return html, status


@bp.get("/units/<int:election_unit_id>")
@login_required
@cached_page()
def detail(election_unit_id: int):
    return _render_detail(_page_or_404(election_unit_id))


@bp.get("/units/<int:election_unit_id>/template.xlsx")
@login_required
def template(election_unit_id: int):
    view = _page_or_404(election_unit_id)
    name = view.election_unit.unit.name
    data = render_nominee_template(name, view.categories, view.election.title)
    return _download(data, XLSX, view.election.title, f"{name}推荐人选名册模板")


@bp.post("/units/<int:election_unit_id>/upload")
@login_required
def upload(election_unit_id: int):
    _page_or_404(election_unit_id)
    form = UploadForm()
    if not form.validate_on_submit():
        flash("；".join(e for errs in form.errors.values() for e in errs) or "请选择要上传的.xlsx文件", "danger")
        return redirect(url_for("units.detail", election_unit_id=election_unit_id))
    data = form.file.data.read()
    if len(data) >= current_app.config.get("BACKGROUND_IMPORT_BYTES", 256 * 1024):  # a big file: progress bar
        from election.tasks.queue import job
        from election.tasks.views import start_and_watch

        return start_and_watch(f"上传推荐人选名单（{form.file.data.filename or 'xlsx'}）",
                               job("nominee_import", election_unit_id=election_unit_id, data=data, today=today_local(),
                                   now=utcnow()))
    try:
        outcome = svc.import_nominee_file(db.session, current_user, election_unit_id, data, today_local(), utcnow())
    except ServiceError as exc:
        if exc.status >= 403:
            raise
        flash(exc.message, "danger")
        return redirect(url_for("units.detail", election_unit_id=election_unit_id))
    if outcome.ok:
        flash(f"上传成功：已保存{outcome.stored_count}名推荐人选（已替换原名单）。", "success")
        for note in outcome.notes:
            flash(note, "warning")
        return redirect(url_for("units.detail", election_unit_id=election_unit_id))
    # nothing was stored: the page lists every error by row and column
    return _render_detail(_page_or_404(election_unit_id), upload_result=outcome, status=422)


def _category_choices(form: NomineeForm, view: svc.UnitPage) -> None:
    form.category.choices = [("", "请选择")] + [(c, c) for c in view.categories]


def _show_errors(form: NomineeForm, errors) -> None:
    for e in errors:
        field = form.COLUMN_FIELDS.get(e.column)
        target = getattr(form, field) if field else None
        if target is not None:
            target.errors = [*target.errors, e.message] if isinstance(target.errors, list) else [e.message]
        else:
            form.form_errors.append(e.message)


@bp.route("/units/<int:election_unit_id>/nominees/new", methods=["GET", "POST"])
@login_required
def add(election_unit_id: int):
    view = _page_or_404(election_unit_id)
    if not can_edit_unit_list(current_user, view.election_unit.unit_id):
        abort(403)
    form = NomineeForm()
    return _nominee_form_page(view, form, None, lambda values: svc.add_nominee(
        db.session, current_user, election_unit_id, values, today_local(), utcnow()),
        f"已添加推荐人选{form.name.data}。")


def _nominee_form_page(view: svc.UnitPage, form: NomineeForm, nominee: Nominee | None, save, success: str):
    """The add / edit form: the service checks the row as an upload would; errors go next to their fields."""
    _category_choices(form, view)
    back = url_for("units.detail", election_unit_id=view.election_unit.id)
    if form.validate_on_submit():
        try:
            outcome = save(form.values())
        except ServiceError as exc:
            if exc.status >= 403:
                raise
            flash(exc.message, "danger")
            return redirect(back)
        if outcome.ok:
            flash(success, "success")
            return redirect(back)
        _show_errors(form, outcome.errors)
    return render_template("nominations/nominee_form.html", view=view, form=form, nominee=nominee), \
        (422 if request.method == "POST" else 200)


def _nominee_of(view: svc.UnitPage, nominee_id: int) -> Nominee:
    nominee = next((n for n in view.nominees if n.id == nominee_id), None)
    if nominee is None:
        abort(404)
    return nominee


@bp.route("/units/<int:election_unit_id>/nominees/<int:nominee_id>/edit", methods=["GET", "POST"])
@login_required
def edit(election_unit_id: int, nominee_id: int):
    view = _page_or_404(election_unit_id)
    if not can_edit_unit_list(current_user, view.election_unit.unit_id):
        abort(403)
    nominee = _nominee_of(view, nominee_id)
    if request.method == "GET":
        form = NomineeForm(data={
            "name": nominee.name, "gender": nominee.gender, "ethnicity": nominee.ethnicity,
            "id_number": nominee.id_number, "birth_month": f"{nominee.birth_date:%Y-%m}",
            "native_place": nominee.native_place, "education": nominee.education,
            "party_join_date": f"{nominee.party_join_date:%Y-%m}" if nominee.party_join_date else "",
            "work_start_date": f"{nominee.work_start_date:%Y-%m}" if nominee.work_start_date else "",
            "workplace_title": nominee.workplace_title, "category": nominee.category, "remark": nominee.remark,
            **{f: getattr(nominee, f) for f in REGISTRATION_FIELDS}})
    else:
        form = NomineeForm()
    return _nominee_form_page(view, form, nominee, lambda values: svc.update_nominee(
        db.session, current_user, nominee_id, values, today_local(), utcnow()), f"已保存推荐人选{form.name.data}的修改。")


@bp.post("/units/<int:election_unit_id>/nominees/<int:nominee_id>/delete")
@login_required
def delete(election_unit_id: int, nominee_id: int):
    view = _page_or_404(election_unit_id)
    nominee = _nominee_of(view, nominee_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    try:
        svc.delete_nominee(db.session, current_user, nominee.id, today_local(), utcnow())
        flash(f"已删除推荐人选{nominee.name}。", "success")
    except ServiceError as exc:
        if exc.status >= 403:
            raise
        flash(exc.message, "danger")
    return redirect(url_for("units.detail", election_unit_id=election_unit_id))


@bp.post("/units/<int:election_unit_id>/submit")
@login_required
def submit(election_unit_id: int):
    _page_or_404(election_unit_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    try:
        blockers = svc.submit_list(db.session, current_user, election_unit_id, today_local(), utcnow())
    except ServiceError as exc:
        if exc.status >= 403:
            raise
        flash(exc.message, "danger")
        return redirect(url_for("units.detail", election_unit_id=election_unit_id))
    if blockers:
        for b in blockers:
            flash(b.message, "danger")
    else:
        flash("名单已提交并锁定。如需修改，请联系选举办退回。", "success")
    return redirect(url_for("units.detail", election_unit_id=election_unit_id))


@bp.post("/units/<int:election_unit_id>/statistics")
@login_required
def statistics(election_unit_id: int):
    view = _page_or_404(election_unit_id)
    form = StatisticsForm()
    if not form.validate_on_submit():
        return _render_detail(view, stats_form=form, status=422)
    try:
        result = svc.save_statistics(db.session, current_user, election_unit_id, form.participating_orgs.data,
                                     form.participating_members.data, form.summary_text.data, today_local(), utcnow())
    except ServiceError as exc:
        if exc.status >= 403:
            raise
        form.form_errors.append(exc.message)
        return _render_detail(_page_or_404(election_unit_id), stats_form=form, status=422)
    flash(f"统计表已保存：基层党组织参与率{svc.format_rate(result.org_rate)}，"
          f"党员参与率{svc.format_rate(result.member_rate)}。", "success")
    return redirect(url_for("units.detail", election_unit_id=election_unit_id))


@bp.post("/units/<int:election_unit_id>/reopen")
@login_required
@require_role(*ELECTION_STAFF)
def reopen(election_unit_id: int):
    _page_or_404(election_unit_id)
    form = ReopenForm()
    if not form.validate_on_submit():
        flash("；".join(e for errs in form.errors.values() for e in errs) or "请填写退回理由", "danger")
        return redirect(url_for("units.detail", election_unit_id=election_unit_id))
    svc.reopen_unit(db.session, current_user, election_unit_id, form.reason.data, today_local(), utcnow(),
                    until=form.until.data)
    flash("已退回该单位的名单，单位可重新修改并提交。", "success")
    return redirect(url_for("units.detail", election_unit_id=election_unit_id))


# --- the office -------------------------------------------------------------------------------------------
def _overview_or_404(election_id: int) -> svc.Overview:
    view = svc.nominations_overview(db.session, election_id)
    if view is None:
        abort(404)
    return view


@bp.get("/elections/<int:election_id>/nominations")
@login_required
@require_role(*ELECTION_READERS)
def overview(election_id: int):
    view = _overview_or_404(election_id)
    deadline = compute_deadline_status(view.due, today_local(), load_calendar(db.session)) if view.due else None
    return render_template("nominations/overview.html", view=view, deadline=deadline, format_rate=svc.format_rate,
                           show_full_id=can_see_full_id_numbers(current_user))


def _roster_title(election) -> str:
    return join_title(election.title, "推荐人选名册")


@bp.get("/elections/<int:election_id>/nominations/roster.<fmt>")
@login_required
@require_role(*ELECTION_READERS)
def roster(election_id: int, fmt: str):
    view = _overview_or_404(election_id)
    election = view.election
    people = svc.roster_people(db.session, election, submitted_only=request.args.get("all") != "1")
    title = _roster_title(election)
    pad = bool((election.settings or {}).get("pad_single_given_name", False))
    if fmt == "docx":  # meant for posting: never an ID number
        rows = [PersonRow(n.name, n.gender, n.ethnicity, n.birth_date, n.native_place, n.education,
                          n.party_join_date, n.workplace_title, n.category) for n, _ in people]
        data = roster_from_people(title, rows, pad_single_given_name=pad, extra_columns=("推荐单位",),
                                  extra_values=[(unit,) for _, unit in people],
                                  note="按姓氏笔画排序" + ("（单名加空格）" if pad else ""))
        return _download(render_roster(data), DOCX, election.title, "推荐人选名册")
    if fmt != "xlsx":
        abort(404)
    return _download(_roster_xlsx(title, people, can_see_full_id_numbers(current_user), pad), XLSX, election.title,
                     "推荐人选名册")


def _roster_xlsx(title: str, people, full_ids: bool, pad: bool) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    from election.core.xlsx_write import append_row

    wb = Workbook()
    ws = wb.active
    ws.title = "推荐人选名册"
    append_row(ws, [title])
    ws["A1"].font = Font(size=14, bold=True)
    append_row(ws, ["按姓氏笔画排序" + ("（单名加空格）" if pad else "") + f"，共{len(people)}名；身份证号"
               + ("完整显示，请妥善保管" if full_ids else "已隐去中间位")])
    headers = ["序号", "姓名", "性别", "民族", "出生年月", "籍贯", "学历", "入党时间", "参加工作时间", "工作单位及职务",
               "身份类别", "推荐单位", "身份证号"]
    append_row(ws, headers)
    for i, (n, unit) in enumerate(people, start=1):
        append_row(ws, [i, n.name, n.gender, n.ethnicity, f"{n.birth_date:%Y.%m}", n.native_place, n.education,
                   f"{n.party_join_date:%Y.%m}" if n.party_join_date else "",
                   f"{n.work_start_date:%Y.%m}" if n.work_start_date else "", n.workplace_title, n.category, unit,
                   n.id_number if full_ids else mask_id(n.id_number)])
    for col, width in zip("ABCDEFGHIJKLM", (6, 10, 6, 10, 10, 14, 12, 10, 12, 36, 14, 20, 22)):
        ws.column_dimensions[col].width = width
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


@bp.get("/elections/<int:election_id>/nominations/statistics.xlsx")
@login_required
@require_role(*ELECTION_READERS)
def statistics_export(election_id: int):
    from openpyxl import Workbook
    from openpyxl.styles import Font

    from election.core.xlsx_write import append_row

    view = _overview_or_404(election_id)
    title = join_title(view.election.title, "推荐提名工作统计表")
    wb = Workbook()
    ws = wb.active
    ws.title = "统计表"
    append_row(ws, [title])
    ws["A1"].font = Font(size=14, bold=True)
    append_row(ws, ["推荐单位", "名单状态", "推荐人选数", "基层党组织数", "参加推荐的基层党组织数", "基层党组织参与率", "党员数",
               "参加推荐的党员数", "党员参与率", "工作小结"])
    totals = [0, 0, 0, 0, 0]
    summaries = {eu_id: text for eu_id, text in svc.summaries(db.session, election_id)}
    for r in view.rows:
        p = r.participation
        append_row(ws, [r.unit_name, STATUS_LABELS.get(r.status, r.status), r.count, p.orgs, p.participating_orgs,
                   svc.format_rate(p.org_rate), p.members, p.participating_members, svc.format_rate(p.member_rate),
                   summaries.get(r.election_unit_id) or ""])
        for i, v in enumerate((r.count, p.orgs, p.participating_orgs or 0, p.members, p.participating_members or 0)):
            totals[i] += v
    from fractions import Fraction

    append_row(ws, ["合计", "", totals[0], totals[1], totals[2],
               svc.format_rate(Fraction(totals[2], totals[1]) if totals[1] else None), totals[3], totals[4],
               svc.format_rate(Fraction(totals[4], totals[3]) if totals[3] else None), ""])
    for col, width in zip("ABCDEFGHIJ", (22, 10, 10, 12, 14, 12, 10, 14, 12, 60)):
        ws.column_dimensions[col].width = width
    buf = io.BytesIO()
    wb.save(buf)
    return _download(buf.getvalue(), XLSX, view.election.title, "推荐提名工作统计表")


STATUS_LABELS = {"draft": "未提交", "submitted": "已提交", "exempted": "已免报"}


# --- print views: layout in templates/print/base.html ------------------------------------------------------
@bp.get("/units/<int:election_unit_id>/print")
@login_required
def print_detail(election_unit_id: int):
    """The unit's list on A4, names in 姓氏笔画 order (the election's setting), no ID numbers."""
    from election.vetting.services import sort_people

    view = _page_or_404(election_unit_id)
    pad = bool((view.election.settings or {}).get("pad_single_given_name", False))
    return render_template("nominations/print_detail.html", view=view, nominees=sort_people(view.election, view.nominees),
                           pad=pad, today=today_local())


@bp.get("/elections/<int:election_id>/nominations/print")
@login_required
@require_role(*ELECTION_READERS)
def print_overview(election_id: int):
    view = _overview_or_404(election_id)
    return render_template("nominations/print_overview.html", view=view, format_rate=svc.format_rate, today=today_local())

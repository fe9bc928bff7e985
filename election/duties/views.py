"""代表任期履职 pages (issue 8): thin views — form → service → flash → redirect."""
from __future__ import annotations

from datetime import date
from pathlib import Path

from flask import Blueprint, Response, abort, current_app, flash, redirect, render_template, request, send_file, url_for
from flask_login import current_user, login_required
from sqlalchemy import select

from election.core.clock import today_local, utcnow
from election.core.db import db
from election.core.exceptions import NotFound, PermissionDenied, ServiceError
from election.core.forms import ConfirmForm
from election.core.page_cache import cached_page
from election.core.permissions import has_role, require
from election.core.roles import Role
from election.directory.models import DelegateOffice, Unit
from election.duties import print_views
from election.duties import services as svc
from election.duties.forms import (
    ActivityForm,
    AssessForm,
    AssignForm,
    ByElectionForm,
    ImportForm,
    NominateForm,
    PetitionForm,
    PetitionMoveForm,
    ProposalForm,
    RatingForm,
    ReplyForm,
    ReturnForm,
    RuleSetForm,
    StatusForm,
    SummaryForm,
)
from election.duties.models import (
    LEVELS,
    ActivityAttachment,
    ActivityRecord,
    Petition,
    Proposal,
    TermDelegate,
)
from workflow import duties as wd
from workflow.common.results import DomainError
from workflow.duties.delegate_status import DecisionRecord, DelegateStatus, StatusReason
from workflow.duties.petitions import PetitionLimits, PetitionState

bp = Blueprint("duties", __name__, url_prefix="/duties")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _fail(exc: ServiceError) -> None:
    if isinstance(exc, (PermissionDenied, NotFound)):
        raise exc
    flash(exc.message, "danger")


def _year() -> int:
    y = request.args.get("year", type=int)
    return y if y and 2000 <= y <= 2100 else today_local().year


def _limits() -> PetitionLimits:
    c = current_app.config
    return PetitionLimits(take_up_days=int(c.get("PETITION_TAKE_UP_DAYS", 3)),
                          answer_days=int(c.get("PETITION_ANSWER_DAYS", 7)))


def _office_delegates(office_id: int | None) -> list[TermDelegate]:
    q = select(TermDelegate).where(TermDelegate.status == "serving").order_by(TermDelegate.name)
    if office_id is not None:
        q = q.where(TermDelegate.office_id == office_id)
    return list(db.session.scalars(q).unique())


def _require_staff() -> None:
    require(svc.can_view_duties(current_user), "您没有访问履职管理的权限。")


def _require_duty_user() -> None:
    """Staff of the duty area, or a delegate acting on his or her own records."""
    require(svc.can_view_duties(current_user) or has_role(current_user, Role.delegate), "您没有访问履职管理的权限。")


def _require_duty_writer(*extra: Role) -> None:
    """Those who act on duty records: the 组织部 and office staff (and EXTRA roles); the 审计 only reads."""
    require(svc.can_manage_delegates(current_user) or has_role(current_user, Role.studio, *extra),
            "您只能查看，不能办理此事项。")


def _require_managers() -> None:
    require(svc.can_manage_delegates(current_user), "只有组织部工作人员可以办理此事项。")


def _in_scope(obj, allowed) -> None:
    """Out of the user's office/own records answers exactly like a missing id: 404, no existence oracle."""
    if obj is None or not allowed(obj):
        abort(404)


@bp.get("/")
@login_required
def index():
    if has_role(current_user, Role.delegate):
        return redirect(url_for("duties.me"))
    if has_role(current_user, Role.studio):
        return redirect(url_for("duties.verify"))
    _require_staff()
    return redirect(url_for("duties.rankings"))


# --- the delegate's own page ---------------------------------------------------------------------------
@bp.get("/me")
@login_required
def me():
    delegate = svc.delegate_of_user(db.session, current_user)
    if delegate is None:
        abort(404)
    year = _year()
    standing = svc.my_standing(db.session, delegate, year, today_local())
    summary = db.session.scalar(select(svc.AnnualSummary.text).where(svc.AnnualSummary.delegate_id == delegate.id,
                                                                     svc.AnnualSummary.year == year))
    form = SummaryForm(text=summary or "")
    return render_template("duties/me.html", s=standing, year=year, summary_form=form, Status=wd.ActivityStatus)


@bp.post("/me/summary")
@login_required
def summary():
    delegate = svc.delegate_of_user(db.session, current_user)
    if delegate is None:
        abort(404)
    form = SummaryForm()
    if form.validate_on_submit():
        try:
            svc.submit_summary(db.session, current_user, delegate.id, today_local().year, form.text.data, utcnow())
            flash("个人履职总结已提交。", "success")
        except ServiceError as exc:
            _fail(exc)
    else:
        flash("请填写个人履职总结。", "danger")
    return redirect(url_for("duties.me"))


# --- activities ----------------------------------------------------------------------------------------
def _activity_form(delegate: TermDelegate | None) -> tuple[ActivityForm, list[TermDelegate]]:
    form = ActivityForm()
    people = [delegate] if delegate else _office_delegates(svc.office_scope(current_user))
    form.delegate_id.choices = [(d.id, d.name) for d in people]
    books = svc.load_rulebooks(db.session)
    target = delegate or (people[0] if people else None)
    code = svc.load_assignments(db.session).code_for(target.office_id, target.level) if target else \
        svc.DEFAULT_RULESET
    book = books.get(code) or books[svc.DEFAULT_RULESET]
    rs = book.in_force(today_local()) if book.index_in_force(today_local()) >= 0 else book.versions[-1]
    form.type_code.choices = [("", "请选择")] + [(t.code, f"{t.label}（{t.points_text}）") for t in rs.activity_types]
    return form, people


@bp.route("/activities/new", methods=["GET", "POST"])
@login_required
def activity_new():
    delegate = svc.delegate_of_user(db.session, current_user) if has_role(current_user, Role.delegate) else None
    if has_role(current_user, Role.delegate) and delegate is None:
        abort(404)
    if delegate is None:
        _require_staff()
    form, people = _activity_form(delegate)
    if request.method == "GET":
        form.on.data = today_local()
        if delegate:
            form.delegate_id.data = delegate.id
    if form.validate_on_submit():
        files = [svc.UploadedFile(f.filename or "", f.read()) for f in (form.files.data or []) if f and f.filename]
        data = svc.ActivityInput(form.type_code.data, form.on.data, form.place.data or "", form.description.data,
                                 form.people.data or "", form.grade.data or None)
        did = delegate.id if delegate else form.delegate_id.data
        try:
            svc.log_activity(db.session, current_user, did, data, files, current_app.config["UPLOAD_DIR"],
                             today_local(), utcnow())
        except ServiceError as exc:
            _fail(exc)
        else:
            flash("活动已登记，等待工作室核实。", "success")
            return redirect(url_for("duties.me") if delegate else url_for("duties.verify"))
    return render_template("duties/activity_form.html", form=form, delegate=delegate, people=people)


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


# --- rankings ------------------------------------------------------------------------------------------
def _ranking():
    _require_staff()
    return svc.compute_ranking(db.session, current_user, _year(), request.args.get("group") or None,
                               request.args.get("period", 0, type=int) or 0, today_local())


RANKING_PAGE_SIZE = 200  # rows of the ranking table per page


@bp.get("/rankings")
@login_required
@cached_page()
def rankings():
    try:
        view = _ranking()
    except ServiceError as exc:
        _fail(exc)
        return redirect(url_for("duties.rankings")) if request.args else render_template("duties/empty.html")
    # a level of a province can hold tens of thousands: the table in pages, ranks from the whole group
    pages = max(1, -(-len(view.lines) // RANKING_PAGE_SIZE))
    page = min(max(request.args.get("page", 1, type=int) or 1, 1), pages)
    shown = view.lines[(page - 1) * RANKING_PAGE_SIZE:page * RANKING_PAGE_SIZE]
    return render_template("duties/rankings.html", view=view, year=_year(), shown=shown, page=page, pages=pages)


@bp.get("/rankings.xlsx")
@login_required
def rankings_xlsx():
    view = _ranking()
    return Response(svc.render_ranking_xlsx(view), mimetype=XLSX, headers={
        "Content-Disposition": f"attachment; filename*=UTF-8''ranking-{view.year}.xlsx"})


# --- petitions -----------------------------------------------------------------------------------------
def _petition_form() -> PetitionForm:
    form = PetitionForm()
    scope = svc.office_scope(current_user)
    offices = db.session.scalars(select(DelegateOffice).order_by(DelegateOffice.id)).all()
    form.office_id.choices = [(o.id, o.name) for o in offices if scope is None or o.id == scope]
    form.delegate_id.choices = [(0, "（无）")] + [(d.id, f"{d.name}（{d.office.name if d.office else ''}）")
                                                for d in _office_delegates(scope)]
    return form


@bp.route("/petitions", methods=["GET", "POST"])
@login_required
def petitions():
    _require_staff()
    form = _petition_form()
    if form.validate_on_submit():
        data = svc.PetitionInput(form.resident_name.data, form.content.data, form.resident_phone.data or "",
                                 form.delegate_id.data or None, form.office_id.data or None)
        try:
            p = svc.register_petition(db.session, current_user, data, utcnow())
            flash("诉求已登记。", "success")
            return redirect(url_for("duties.petition", petition_id=p.id))
        except ServiceError as exc:
            _fail(exc)
    items = svc.list_petitions(db.session, current_user)
    overdue = svc.overdue_of(items, today_local(), _limits())
    return render_template("duties/petitions.html", items=items, overdue=overdue, form=form, State=PetitionState,
                           limits=_limits())


@bp.get("/petitions/<int:petition_id>")
@login_required
def petition(petition_id: int):
    _require_staff()
    p = db.session.get(Petition, petition_id)
    _in_scope(p, lambda p: svc.can_staff_office(current_user, p.office_id) or has_role(current_user, Role.auditor))
    overdue = svc.overdue_of([p], today_local(), _limits())[p.id]
    return render_template("duties/petition.html", p=p, overdue=overdue, moves=svc.enabled_moves(p),
                           form=PetitionMoveForm(), State=PetitionState, Grade=wd.SatisfactionGrade,
                           steps=list(PetitionState))


@bp.post("/petitions/<int:petition_id>/move")
@login_required
def petition_move(petition_id: int):
    _require_duty_writer()
    _in_scope(db.session.get(Petition, petition_id), lambda p: svc.can_staff_office(current_user, p.office_id))
    form = PetitionMoveForm()
    if not form.validate_on_submit():
        abort(400)
    data = {k: getattr(form, k).data for k in ("receiver", "handler", "reply", "grade", "feedback_note",
                                               "archive_note", "reason") if k in request.form}
    try:
        blockers = svc.move_petition(db.session, current_user, petition_id, form.target.data, data, utcnow())
    except ServiceError as exc:
        _fail(exc)
        blockers = []
    else:
        if not blockers:
            flash(f"已进入“{PetitionState(form.target.data).label}”。", "success")
    for b in blockers:
        flash(b.message, "danger")
    return redirect(url_for("duties.petition", petition_id=petition_id))


# --- proposals -----------------------------------------------------------------------------------------
@bp.route("/proposals", methods=["GET", "POST"])
@login_required
def proposals():
    delegate = svc.delegate_of_user(db.session, current_user) if has_role(current_user, Role.delegate) else None
    if delegate is None:
        _require_staff()
    scope = svc.office_scope(current_user)
    form = ProposalForm()
    people = _office_delegates(delegate.office_id if delegate else scope)
    form.lead_delegate_id.choices = [(delegate.id, delegate.name)] if delegate else [(d.id, d.name) for d in people]
    form.cosigner_ids.choices = [(d.id, d.name) for d in _office_delegates(None)]
    if request.method == "GET":
        form.submitted_on.data = today_local()
    if form.validate_on_submit():
        data = svc.ProposalInput(delegate.id if delegate else form.lead_delegate_id.data, form.title.data,
                                 form.grounds.data, form.solution.data, form.submitted_on.data,
                                 tuple(form.cosigner_ids.data or ()), form.handling_unit.data or "", form.kind.data)
        try:
            p = svc.create_proposal(db.session, current_user, data, utcnow())
            flash("提案已登记。", "success")
            return redirect(url_for("duties.proposal", proposal_id=p.id))
        except ServiceError as exc:
            _fail(exc)
    items = print_views.proposals_for(db.session, current_user, delegate)
    return render_template("duties/proposals.html", items=items, form=form, Grade=wd.SatisfactionGrade)


@bp.get("/proposals/<int:proposal_id>")
@login_required
def proposal(proposal_id: int):
    _require_duty_user()
    p = db.session.get(Proposal, proposal_id)
    _in_scope(p, lambda p: svc.can_log_for(current_user, p.lead) or has_role(current_user, Role.auditor))
    cos = db.session.scalars(select(TermDelegate).where(TermDelegate.id.in_([c.delegate_id for c in p.cosigners]))
                             ).unique().all()
    reply = ReplyForm(handling_unit=p.handling_unit, reply=p.reply, replied_on=p.replied_on or today_local())
    return render_template("duties/proposal.html", p=p, cosigners=cos, reply_form=reply, assess_form=AssessForm(),
                           Grade=wd.SatisfactionGrade,
                           can_reply=svc.can_staff_office(current_user, p.lead.office_id))


@bp.post("/proposals/<int:proposal_id>/reply")
@login_required
def proposal_reply(proposal_id: int):
    _require_duty_writer()
    _in_scope(db.session.get(Proposal, proposal_id), lambda p: svc.can_staff_office(current_user, p.lead.office_id))
    form = ReplyForm()
    if form.validate_on_submit():
        try:
            svc.reply_proposal(db.session, current_user, proposal_id, form.handling_unit.data, form.reply.data,
                               form.replied_on.data, utcnow())
            flash("答复已登记。", "success")
        except ServiceError as exc:
            _fail(exc)
    else:
        for errors in form.errors.values():
            for e in errors:
                flash(e, "danger")
    return redirect(url_for("duties.proposal", proposal_id=proposal_id))


@bp.post("/proposals/<int:proposal_id>/assess")
@login_required
def proposal_assess(proposal_id: int):
    _require_duty_writer(Role.delegate)
    _in_scope(db.session.get(Proposal, proposal_id), lambda p: svc.can_log_for(current_user, p.lead))
    form = AssessForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        svc.assess_proposal(db.session, current_user, proposal_id, form.assessment.data, utcnow())
        flash("评价已保存。", "success")
    except ServiceError as exc:
        _fail(exc)
    return redirect(url_for("duties.proposal", proposal_id=proposal_id))


# --- annual review -------------------------------------------------------------------------------------
@bp.get("/review")
@login_required
def review():
    _require_staff()
    year = _year()
    board = svc.review_board(db.session, current_user, year)
    rating_form = RatingForm()
    rating_form.part_code.choices = [(p.code, f"{p.label}（{p.rated_by}）") for p in svc.REVIEW_PARTS]
    return render_template("duties/review.html", board=board, year=year, parts=svc.REVIEW_PARTS,
                           rating_form=rating_form, form=ConfirmForm(),
                           can_decide=svc.can_manage_delegates(current_user))


@bp.post("/review/rate")
@login_required
def review_rate():
    _require_staff()
    form = RatingForm()
    form.part_code.choices = [(p.code, p.label) for p in svc.REVIEW_PARTS]
    year = request.form.get("year", type=int) or today_local().year
    if form.validate_on_submit():
        try:
            svc.rate_part(db.session, current_user, form.delegate_id.data, year, form.part_code.data,
                          form.rating.data, form.body.data or "", form.comment.data or "", utcnow())
            flash("评定已保存。", "success")
        except ServiceError as exc:
            _fail(exc)
    else:
        flash("请选择要评定的部分和等次。", "danger")
    return redirect(url_for("duties.review", year=year))


@bp.post("/review/nominate")
@login_required
def review_nominate():
    _require_staff()
    form = NominateForm()
    year = request.form.get("year", type=int) or today_local().year
    if not form.validate_on_submit():
        abort(400)
    try:
        blockers = svc.propose_model_delegates(db.session, current_user, year, form.unit_name.data,
                                               form.delegate_ids.data or [], utcnow())
    except ServiceError as exc:
        _fail(exc)
    else:
        for b in blockers:
            flash(b.message, "danger")
        if not blockers:
            flash(f"{form.unit_name.data}的推荐名单已保存。", "success")
    return redirect(url_for("duties.review", year=year))


@bp.post("/review/nominations/<int:nomination_id>")
@login_required
def review_decide(nomination_id: int):
    _require_managers()
    if not ConfirmForm().validate_on_submit() or request.form.get("decision") not in ("approve", "reject"):
        abort(400)
    try:
        n = svc.decide_model_delegate(db.session, current_user, nomination_id,
                                      request.form["decision"] == "approve", utcnow())
        flash("已作出决定。", "success")
        year = n.year
    except ServiceError as exc:
        _fail(exc)
        year = None
    return redirect(url_for("duties.review", year=year or today_local().year))


@bp.get("/review/<int:delegate_id>/record.docx")
@login_required
def review_record(delegate_id: int):
    _require_duty_user()
    data = svc.duty_record_for(db.session, current_user, delegate_id, _year())
    return Response(data, mimetype=DOCX, headers={
        "Content-Disposition": f"attachment; filename*=UTF-8''duty-record-{delegate_id}.docx"})


@bp.get("/review/bulletin.docx")
@login_required
def review_bulletin():
    try:
        data = svc.bulletin_for(db.session, current_user, _year(), request.args.get("issuer") or "中共某区委组织部",
                                today_local())
    except ServiceError as exc:
        _fail(exc)
        return redirect(url_for("duties.review", year=_year()))
    return Response(data, mimetype=DOCX, headers={
        "Content-Disposition": f"attachment; filename*=UTF-8''bulletin-{_year()}.docx"})


# --- rule sets (管理员) --------------------------------------------------------------------------------
@bp.get("/rules")
@login_required
def rules():
    require(svc.can_manage_rules(current_user), "只有管理员可以管理履职规则。")
    books = svc.load_rulebooks(db.session)
    offices = db.session.scalars(select(DelegateOffice).order_by(DelegateOffice.id)).all()
    form = AssignForm()
    form.code.choices = [(c, b.versions[-1].name) for c, b in books.items()]
    return render_template("duties/rules.html", books=books, offices=offices, levels=LEVELS,
                           assignments=svc.load_assignments(db.session), form=form)


@bp.post("/rules/assign")
@login_required
def rules_assign():
    require(svc.can_manage_rules(current_user), "只有管理员可以管理履职规则。")
    form = AssignForm()
    form.code.choices = [(c, c) for c in svc.load_rulebooks(db.session)]
    if not form.validate_on_submit():
        abort(400)
    kind, _, value = form.target.data.partition(":")
    try:
        if kind == "office" and value.isdigit():
            svc.assign_ruleset(db.session, current_user, form.code.data, utcnow(), office_id=int(value))
        else:
            svc.assign_ruleset(db.session, current_user, form.code.data, utcnow(), level=value)
        flash("已保存。", "success")
    except ServiceError as exc:
        _fail(exc)
    return redirect(url_for("duties.rules"))


def _points_value(text: str):
    text = (text or "").strip().replace("：", ":").replace("，", ",")
    if text.isdigit():
        return int(text)
    pairs = []
    for part in filter(None, (x.strip() for x in text.split(","))):
        grade, _, pts = part.partition(":")
        if not pts.strip().isdigit():
            raise ServiceError(f"分值“{text}”格式不对：固定分值写整数（如 5），按满意度写“非常满意:6,基本满意:5”")
        pairs.append((grade.strip(), int(pts)))
    if not pairs:
        raise ServiceError("请填写分值")
    return tuple(pairs)


@bp.route("/rules/<code>", methods=["GET", "POST"])
@login_required
def rules_edit(code: str):
    require(svc.can_manage_rules(current_user), "只有管理员可以管理履职规则。")
    books = svc.load_rulebooks(db.session)
    book = books.get(code)
    if book is None:
        abort(404)
    current = book.versions[-1]
    form = RuleSetForm()
    blockers = []
    if request.method == "GET":
        form.name.data, form.publication.data = current.name, current.publication.value
        form.version_from.data = today_local()
        for entry, t in zip(form.types.entries, current.activity_types):
            f = entry.form
            f.code.data, f.label.data, f.yearly_cap.data = t.code, t.label, t.yearly_cap
            f.points.data = str(t.points) if isinstance(t.points, int) else \
                ",".join(f"{wd.SatisfactionGrade(g).label}:{p}" for g, p in t.points)
            f.group.data, f.co_signer_code.data = t.group, t.co_signer_code or ""
        for entry, r in zip(form.requirements.entries, current.requirements):
            f = entry.form
            f.code.data, f.label.data, f.min_count.data, f.period.data = r.code, r.label, r.min_count, r.period.value
            f.types.data = "、".join(r.types)
    elif form.validate_on_submit():
        try:
            types = tuple(wd.ActivityType(e.form.code.data.strip(), (e.form.label.data or "").strip(),
                                          _points_value(e.form.points.data), yearly_cap=e.form.yearly_cap.data,
                                          group=(e.form.group.data or "").strip(),
                                          co_signer_code=(e.form.co_signer_code.data or "").strip() or None)
                          for e in form.types.entries if (e.form.code.data or "").strip())
            reqs = tuple(wd.Requirement(e.form.code.data.strip(), (e.form.label.data or "").strip(),
                                        e.form.min_count.data or 1, e.form.period.data,
                                        types=tuple(x for x in (e.form.types.data or "").replace(",", "、")
                                                    .replace("，", "、").split("、") if x.strip()),
                                        due=next((r.due for r in current.requirements
                                                  if r.code == e.form.code.data.strip() and r.period.value == "year"),
                                                 None))
                         for e in form.requirements.entries if (e.form.code.data or "").strip() and e.form.period.data)
            version = current.revise(form.version_from.data, name=form.name.data.strip(), activity_types=types,
                                     requirements=reqs, publication=form.publication.data)
            blockers = svc.save_ruleset_version(db.session, current_user, version, today_local(), utcnow())
            if not blockers:
                flash(f"新版本已保存，自{wd.cn_date(version.version_from)}起施行；此前的积分不变。", "success")
                return redirect(url_for("duties.rules_edit", code=code))
        except DomainError as exc:
            flash(exc.message, "danger")
        except ServiceError as exc:
            _fail(exc)
    return render_template("duties/rules_edit.html", book=book, current=current, form=form, blockers=blockers)


# --- delegates -----------------------------------------------------------------------------------------
@bp.get("/delegates")
@login_required
def delegates():
    _require_staff()
    q = select(TermDelegate).order_by(TermDelegate.level, TermDelegate.office_id, TermDelegate.id)
    scope = svc.office_scope(current_user)
    if scope is not None:
        q = q.where(TermDelegate.office_id == scope)
    items = list(db.session.scalars(q).unique())
    return render_template("duties/delegates.html", items=items, form=ImportForm(), errors=None,
                           Status=DelegateStatus, can_manage=svc.can_manage_delegates(current_user))


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
        from election.tasks.bulk import delegate_import_work
        from election.tasks.views import start_and_watch

        return start_and_watch("delegate_import", f"导入代表名册（{form.file.data.filename or 'xlsx'}）",
                               delegate_import_work(data, utcnow()))
    try:
        result = svc.import_delegates(db.session, current_user, data, utcnow())
    except ServiceError as exc:
        _fail(exc)
        return redirect(url_for("duties.delegates"))
    if result.ok:
        flash(f"已导入{len(result.rows)}名代表。", "success")
        return redirect(url_for("duties.delegates"))
    items = list(db.session.scalars(select(TermDelegate).order_by(TermDelegate.id)).unique())
    return render_template("duties/delegates.html", items=items, form=form, errors=result.errors,
                           Status=DelegateStatus, can_manage=True), 422


@bp.get("/delegates/template.xlsx")
@login_required
def delegates_template():
    _require_staff()
    return Response(svc.render_delegate_template(), mimetype=XLSX,
                    headers={"Content-Disposition": "attachment; filename*=UTF-8''delegates-template.xlsx"})


@bp.get("/delegates/<int:delegate_id>")
@login_required
def delegate(delegate_id: int):
    _require_staff()
    d = db.session.get(TermDelegate, delegate_id)
    # the office's own staff, the 组织部, or the 审计 read-only (as the delegate list and the API's detail)
    _in_scope(d, lambda d: svc.can_staff_office(current_user, d.office_id) or has_role(current_user, Role.auditor))
    history = db.session.scalars(select(svc.DelegateStatusChange).where(
        svc.DelegateStatusChange.delegate_id == d.id).order_by(svc.DelegateStatusChange.id)).all()
    by_form = ByElectionForm(start=today_local())
    by_form.unit_id.choices = [(u.id, u.name) for u in db.session.scalars(select(Unit).order_by(Unit.id))]
    if d.electing_unit_id:
        by_form.unit_id.data = d.electing_unit_id
    return render_template("duties/delegate.html", d=d, history=history, status_form=StatusForm(),
                           by_form=by_form, Status=DelegateStatus, Reason=StatusReason,
                           can_manage=svc.can_manage_delegates(current_user),
                           vacancies=svc.vacancies_of_unit(db.session, d) if d.status == "terminated" else [])


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


# --- print views (issue 12): A4, people in 姓氏笔画 order; layout in templates/print/base.html -------------------
def _office_arg() -> int | None:
    return request.args.get("office", type=int) or None


def _office_name(office_id: int | None) -> str:
    office = db.session.get(DelegateOffice, office_id) if office_id else None
    return office.name if office else ""


@bp.get("/delegates/print")
@login_required
def print_delegates():
    _require_staff()
    office_id = svc.office_scope(current_user) or _office_arg()
    groups = print_views.delegates_by_office(db.session, current_user, office_id,
                                             serving_only=request.args.get("all") != "1")
    return render_template("duties/print_delegates.html", groups=groups, office=_office_name(office_id),
                           serving_only=request.args.get("all") != "1", Status=DelegateStatus, today=today_local())


@bp.get("/activities/print")
@login_required
def print_activities():
    _require_staff()
    year = _year()
    books = svc.load_rulebooks(db.session)
    ys = books[svc.DEFAULT_RULESET].scoring_year(year) if svc.DEFAULT_RULESET in books else None
    first, last = (ys.start, ys.end) if ys else (date(year, 1, 1), date(year, 12, 31))
    office_id = svc.office_scope(current_user) or _office_arg()
    groups = print_views.activities_by_delegate(db.session, current_user, first, last, office_id)
    return render_template("duties/print_activities.html", groups=groups, year=year, first=first, last=last,
                           office=_office_name(office_id), labels=svc.type_labels(books.values()),
                           status_labels=print_views.ACTIVITY_STATUS_LABELS, today=today_local())


@bp.get("/rankings/print")
@login_required
def print_rankings():
    view = _ranking()
    return render_template("duties/print_rankings.html", view=view, today=today_local())


@bp.get("/petitions/print")
@login_required
def print_petitions():
    _require_staff()
    items = svc.list_petitions(db.session, current_user)
    return render_template("duties/print_petitions.html", items=items, State=PetitionState,
                           overdue=svc.overdue_of(items, today_local(), _limits()), today=today_local())


@bp.get("/proposals/print")
@login_required
def print_proposals():
    delegate = svc.delegate_of_user(db.session, current_user) if has_role(current_user, Role.delegate) else None
    if delegate is None:
        _require_staff()
    items = print_views.proposals_for(db.session, current_user, delegate)
    return render_template("duties/print_proposals.html", items=items, delegate=delegate, Grade=wd.SatisfactionGrade,
                           today=today_local())


@bp.get("/review/<int:delegate_id>/record")
@login_required
def print_record(delegate_id: int):
    _require_duty_user()
    record = print_views.duty_record(db.session, current_user, delegate_id, _year(), today_local())
    return render_template("duties/print_record.html", r=record, today=today_local())

from __future__ import annotations

import re
from datetime import date

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from sqlalchemy import select

from election.calendar.services import load_calendar
from election.core.clock import today_local, utcnow
from election.core.db import db
from election.core.exceptions import ServiceError
from election.core.forms import ConfirmForm
from election.core.page_cache import cached_page
from election.core.permissions import ELECTION_READERS, ELECTION_STAFF, can_manage_elections, require_role
from election.dashboard.blockers import group_blockers
from election.directory.models import ElectionUnit
from election.directory.queries import active_units
from election.directory.scope import elections_in_scope
from election.elections import queries
from election.elections import services as svc
from election.elections.facts import build_facts
from election.elections.forms import CopyForm, DecisionForm, ElectionForm, ExemptForm, MoveForm, TimelineForm
from election.elections.forms import categories_text as _categories_text
from election.elections.forms import fill_rules as _fill_rules
from election.elections.forms import parse_categories as _parse_categories
from election.elections.forms import rules_from_form as _rules_from_form
from election.elections.models import Election, StageChange
from election.vetting.services.permissions import can_view_vetting
from workflow.common.results import DomainError
from workflow.pipeline.deadlines import compute_deadline_status, compute_timeline
from workflow.pipeline.facts import StageHistoryEntry
from workflow.pipeline.stages import PIPELINE, MoveKind, Stage
from workflow.pipeline.transitions import check_transition, enabled_transitions
from workflow.quotas.categories import DEFAULT_CATEGORIES

bp = Blueprint("elections", __name__, url_prefix="/elections")


@bp.get("/")
@login_required
@require_role(*ELECTION_READERS)
def index():
    return render_template("elections/index.html", overview=queries.elections_overview(db.session, current_user),
                           copy_form=_copy_form())


def _copy_form() -> CopyForm:
    form = CopyForm()
    form.source_id.choices = [(e.id, e.title) for e in db.session.scalars(
        elections_in_scope(select(Election).order_by(Election.id.desc()), current_user))]
    return form


@bp.get("/<int:election_id>")
@login_required
@require_role(*ELECTION_READERS)
@cached_page()
def detail(election_id: int):
    view = queries.election_detail(db.session, election_id)
    if view is None:
        abort(404)
    today = today_local()
    facts = build_facts(db.session, view.election, today)
    calendar = load_calendar(db.session)
    due = facts.due_dates.get(facts.stage)
    deadline = compute_deadline_status(due, today, calendar) if due else None
    decision = check_transition(facts)
    moves = enabled_transitions(facts) if can_manage_elections(current_user) else []
    from election.quotas.services import compliance_report

    report = compliance_report(db.session, view.election, today)
    return render_template("elections/detail.html", view=view, facts=facts, deadline=deadline, decision=decision,
                           report=report, blocker_groups=group_blockers(decision.blockers),
                           moves=moves, MoveKind=MoveKind, move_form=MoveForm(), decision_form=DecisionForm(),
                           exempt_form=ExemptForm(), decision_kinds=svc.DECISION_KINDS,
                           decisions=queries.decisions(db.session, election_id),
                           show_vetting=can_view_vetting(current_user))


# --- set-up ---------------------------------------------------------------------------------------------
def _meeting_rules(form: ElectionForm) -> dict:
    """The meeting rules as typed; left at another preset's defaults, they follow the chosen preset."""
    rules = {"quorum": (form.quorum.data or "1/2").strip(), "quorum_strict": bool(form.quorum_strict.data),
             "majority_base": form.majority_base.data}
    if any(rules == defaults for name, defaults in svc.MEETING_RULES.items() if name != form.preset.data):
        return dict(svc.MEETING_RULES.get(form.preset.data, rules))
    return rules


def _setup_from_form(form: ElectionForm) -> svc.ElectionSetup:
    rules = _meeting_rules(form)
    return svc.ElectionSetup(
        title=form.title.data, seats=form.seats.data, level=form.level.data, electing_body=form.electing_body.data or "",
        convening_body=form.convening_body.data or "", higher_nominated_seats=form.higher_nominated_seats.data or 0,
        preset=form.preset.data, age_reference_date=form.age_reference_date.data, voters=form.voters.data,
        margin_unit_list=form.margin_unit_list.data, margin_final_ballot=form.margin_final_ballot.data,
        shortlist_count=form.shortlist_count.data or 0, preliminary_count=form.preliminary_count.data or 0,
        quorum=rules["quorum"], quorum_strict=rules["quorum_strict"], majority_base=rules["majority_base"],
        pad_single_given_name=form.pad_single_given_name.data, categories=_parse_categories(form.categories.data),
        quota_rules=_rules_from_form(form))


def _form_from_setup(setup: svc.ElectionSetup) -> ElectionForm:
    form = ElectionForm(data={k: v for k, v in setup.__dict__.items() if k not in ("categories", "quota_rules")})
    form.categories.data = _categories_text(setup.categories)
    _fill_rules(form, setup.quota_rules)
    return form


@bp.route("/new", methods=["GET", "POST"])
@login_required
@require_role(*ELECTION_STAFF)
def new():
    if request.method == "GET":
        categories = {k: list(v) for k, v in DEFAULT_CATEGORIES.items()}
        form = _form_from_setup(svc.ElectionSetup(title="", seats=16, categories=categories))
        form.seats.data = None
    else:
        form = ElectionForm()
    if form.validate_on_submit():
        try:
            election = svc.create_election(db.session, current_user, _setup_from_form(form), utcnow())
        except ServiceError as exc:
            flash(exc.message, "danger")
        else:
            flash(f"已创建选举“{election.title}”，请继续设置推荐单位名额和时间安排。", "success")
            return redirect(url_for("elections.detail", election_id=election.id))
    return render_template("elections/form.html", form=form, election=None)


@bp.route("/<int:election_id>/edit", methods=["GET", "POST"])
@login_required
@require_role(*ELECTION_STAFF)
def edit(election_id: int):
    election = db.session.get(Election, election_id) or abort(404)
    form = _form_from_setup(svc.setup_of(election)) if request.method == "GET" else ElectionForm()
    if form.validate_on_submit():
        try:
            svc.update_election(db.session, current_user, election_id, _setup_from_form(form), utcnow())
        except ServiceError as exc:
            flash(exc.message, "danger")
        else:
            flash("工作方案已保存。", "success")
            return redirect(url_for("elections.detail", election_id=election_id))
    return render_template("elections/form.html", form=form, election=election)


@bp.post("/copy")
@login_required
@require_role(*ELECTION_STAFF)
def copy():
    form = _copy_form()
    if not form.validate_on_submit():
        flash("；".join(e for errs in form.errors.values() for e in errs), "danger")
        return redirect(url_for("elections.index"))
    try:
        election = svc.copy_election(db.session, current_user, form.source_id.data, form.title.data, utcnow(),
                                     shift_days=form.shift_days.data or 0)
    except ServiceError as exc:
        flash(exc.message, "danger")
        return redirect(url_for("elections.index"))
    flash(f"已复制为新选举“{election.title}”（处于制定工作方案阶段），请检查并修改。", "success")
    return redirect(url_for("elections.detail", election_id=election.id))


@bp.route("/<int:election_id>/allocations", methods=["GET", "POST"])
@login_required
@require_role(*ELECTION_STAFF)
def allocations(election_id: int):
    election = db.session.get(Election, election_id) or abort(404)
    current = {eu.unit_id: eu for eu in db.session.scalars(select(ElectionUnit)
                                                           .where(ElectionUnit.election_id == election_id))}
    # the 推荐单位 in force in the directory, and any already allocated (even if retired since)
    units = active_units(db.session, svc.allocation_scope(db.session, election))
    units += sorted((eu.unit for eu in current.values() if eu.unit not in units), key=lambda u: u.code)
    form = ConfirmForm()
    if form.validate_on_submit():
        rows, problems = [], []
        for unit in units:
            if not request.form.get(f"use_{unit.id}"):
                continue
            try:
                quota = int(request.form.get(f"quota_{unit.id}") or 0)
                report = int(request.form.get(f"report_{unit.id}") or 0)
                breakdown = _parse_breakdown(request.form.get(f"breakdown_{unit.id}", ""))
            except ValueError as exc:
                problems.append(f"“{unit.name}”：{exc}")
                continue
            rows.append(svc.AllocationRow(unit.id, quota, report, breakdown))
        if problems:
            for p in problems:
                flash(p, "danger")
        else:
            try:
                svc.set_allocations(db.session, current_user, election_id, rows, utcnow())
            except ServiceError as exc:
                flash(exc.message, "danger")
            else:
                flash(f"已保存{len(rows)}个推荐单位的名额分配。", "success")
                return redirect(url_for("elections.detail", election_id=election_id))
    return render_template("elections/allocations.html", election=election, units=units, current=current, form=form,
                           breakdown_text=_breakdown_text)


def _parse_breakdown(text: str) -> dict:
    result = {}
    for part in re.split(r"[、,，;；\n]+", text or ""):
        part = part.strip()
        if not part:
            continue
        m = re.fullmatch(r"(.+?)\s*[:：]?\s*(\d+)\s*名?", part)
        if not m:
            raise ValueError(f"类别人数“{part}”应写作“类别 人数”，如“局级领导干部 6”")
        result[m.group(1).strip()] = int(m.group(2))
    return result


def _breakdown_text(breakdown: dict | None) -> str:
    return "、".join(f"{k} {v}" for k, v in (breakdown or {}).items())


@bp.route("/<int:election_id>/timeline", methods=["GET", "POST"])
@login_required
@require_role(*ELECTION_READERS)
def timeline(election_id: int):
    election = db.session.get(Election, election_id) or abort(404)
    form = TimelineForm(data={d.stage: d.due_date for d in election.dues})
    if request.method == "POST":
        if not can_manage_elections(current_user):
            abort(403)
        if form.validate_on_submit():
            # every stage of the form: an emptied field clears that stage's due date
            dues = {s.value: getattr(form, s.value).data for s in PIPELINE}
            try:
                change = svc.set_timeline(db.session, current_user, election_id, dues, utcnow())
            except ServiceError as exc:
                flash(exc.message, "danger")
            else:
                flash(change.summary, "success" if change.changed or change.cleared else "warning")
                if change.age_reference_moved:
                    flash(f"{change.notice}。", "warning")
                return redirect(url_for("elections.timeline", election_id=election_id))
    today = today_local()
    facts = build_facts(db.session, election, today)
    history = [StageHistoryEntry(Stage(c.from_stage) if c.from_stage else None, Stage(c.to_stage),
                                 _local_day(c.at), c.reason)
               for c in db.session.scalars(select(StageChange).where(StageChange.election_id == election_id)
                                           .order_by(StageChange.at, StageChange.id))]
    try:
        rows = compute_timeline(facts, history, load_calendar(db.session))
    except DomainError as exc:
        rows, _ = [], flash(exc.message, "warning")
    changes = queries.stage_changes(db.session, election_id)
    return render_template("elections/timeline.html", election=election, form=form, rows=rows, changes=changes,
                           today=today, stages=PIPELINE)


def _local_day(at) -> date:
    from election.core.clock import to_local

    return to_local(at).date()


# --- moves ----------------------------------------------------------------------------------------------
def _version(form: MoveForm) -> int | None:
    try:
        return int(form.version.data)
    except (TypeError, ValueError):
        return None


def _flash_decision(decision, success: str) -> None:
    if decision.allowed:
        flash(success, "success")
    for b in decision.blockers:
        flash(b.message, "danger")


@bp.post("/<int:election_id>/advance")
@login_required
@require_role(*ELECTION_STAFF)
def advance(election_id: int):
    form = MoveForm()
    if not form.validate_on_submit():
        abort(400)
    decision = svc.advance_stage(db.session, election_id, current_user, utcnow(), today_local(),
                                 overdue_reason=form.reason.data or "", expected_version=_version(form))
    _flash_decision(decision, f"已进入“{decision.target.label}”阶段" if decision.target else "")
    return redirect(url_for("elections.detail", election_id=election_id))


@bp.post("/<int:election_id>/return")
@login_required
@require_role(*ELECTION_STAFF)
def go_back(election_id: int):
    form = MoveForm()
    if not form.validate_on_submit():
        abort(400)
    decision = svc.return_stage(db.session, election_id, current_user, form.target.data or "", form.reason.data or "",
                                utcnow(), today_local(), expected_version=_version(form))
    _flash_decision(decision, f"已退回到“{decision.target.label}”阶段" if decision.target else "")
    return redirect(url_for("elections.detail", election_id=election_id))


@bp.post("/<int:election_id>/abort")
@login_required
@require_role(*ELECTION_STAFF)
def abort_election(election_id: int):
    form = MoveForm()
    if not form.validate_on_submit():
        abort(400)
    decision = svc.abort_election(db.session, election_id, current_user, form.reason.data or "", utcnow(),
                                  today_local(), expected_version=_version(form))
    _flash_decision(decision, "选举已中止")
    return redirect(url_for("elections.detail", election_id=election_id))


@bp.post("/<int:election_id>/decisions")
@login_required
@require_role(*ELECTION_STAFF)
def record_decision(election_id: int):
    form = DecisionForm()
    if form.validate_on_submit():
        try:
            svc.record_decision(db.session, current_user, election_id, form.kind.data, form.body.data,
                                form.held_on.data, form.doc_number.data, utcnow(), today=today_local())
        except ServiceError as exc:
            flash(exc.message, "danger")
        else:
            flash(f"已登记{svc.DECISION_KINDS.get(form.kind.data, '决定')}。", "success")
    else:
        for errors in form.errors.values():
            for e in errors:
                flash(e, "danger")
    return redirect(url_for("elections.detail", election_id=election_id))


@bp.post("/<int:election_id>/units/<int:election_unit_id>/exempt")
@login_required
@require_role(*ELECTION_STAFF)
def exempt(election_id: int, election_unit_id: int):
    form = ExemptForm()
    if form.validate_on_submit():
        try:
            svc.exempt_unit(db.session, current_user, election_unit_id, form.reason.data, utcnow())
        except ServiceError as exc:
            flash(exc.message, "danger")
        else:
            flash("已登记免报。", "success")
    else:
        flash("请填写免报理由。", "danger")
    return redirect(url_for("elections.detail", election_id=election_id))


# --- quota compliance --------------------------------------------------------------------------------------
@bp.post("/<int:election_id>/quota-panel")
@login_required
@require_role(*ELECTION_READERS)
@cached_page(form=True)
def quota_panel(election_id: int):
    """The panel for a choice of people, re-rendered as the office ticks boxes (static/quota-panel.js)."""
    from election.quotas.services import compliance_report

    election = db.session.get(Election, election_id) or abort(404)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    # the ticked people: "ids" dot-joined (static/quota-panel.js; commas accepted too), or nominee_ids repeated
    raw = request.form.get("ids", "").replace(",", ".").split(".") + request.form.getlist("nominee_ids")
    ids = [int(x) for x in raw if x.isdigit()]
    step = request.form.get("step") or None
    report = compliance_report(db.session, election, today_local(), step=step, selected_ids=ids)
    panel = (render_template("elections/_quota_panel.html", report=report) if report is not None
             else "<p class=\"muted\">本选举未设置结构要求。</p>")
    if request.form.get("with_counters") and step in ("shortlisted", "preliminary"):
        # the selection page's counters (当前勾选 …) come with the panel, in their own part
        from election.nominations.models import Nominee
        from election.vetting.services import compute_selection_counters

        chosen = db.session.scalars(select(Nominee).where(Nominee.election_id == election.id,
                                                          Nominee.id.in_(ids))).all() if ids else []
        counters = compute_selection_counters(election, chosen, step, today_local())
        return render_template("elections/_live_parts.html", panel=panel, counters=counters)
    return panel


@bp.get("/<int:election_id>/compliance.<fmt>")
@login_required
@require_role(*ELECTION_READERS)
def compliance_download(election_id: int, fmt: str):
    from flask import Response

    from election.quotas.services import (
        STEP_LABELS,
        compliance_report,
        render_report_docx,
        render_report_xlsx,
    )

    election = db.session.get(Election, election_id) or abort(404)
    step = request.args.get("step")
    if fmt not in ("xlsx", "docx") or (step and step not in STEP_LABELS):
        abort(404)
    report = compliance_report(db.session, election, today_local(), step=step)
    if report is None:
        flash("本选举当前阶段没有可检查的名单，或未设置结构要求。", "warning")
        return redirect(url_for("elections.detail", election_id=election_id))
    if fmt == "xlsx":
        data, mime = render_report_xlsx(report), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    else:
        data = render_report_docx(report, today_local())
        mime = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    from election.documents.filenames import attachment_headers, document_filename

    name = document_filename(election.title, f"{report.step_label}结构比例情况", today_local(), fmt)
    return Response(data, mimetype=mime, headers=attachment_headers(name))

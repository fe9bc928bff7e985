"""Pages of 预备人选 and the ballot: the office runs the meeting and rounds; the 监票计票人员 enter the
count twice and confirm it when both entries agree. Thin views: form → service → flash → redirect."""
from __future__ import annotations

import io

from flask import Blueprint, abort, flash, redirect, render_template, request, send_file, url_for
from flask_login import current_user, login_required
from sqlalchemy import select

from election.core.clock import today_local, utcnow
from election.core.db import db
from election.core.exceptions import ServiceError
from election.core.forms import ConfirmForm
from election.core.permissions import ELECTION_READERS, ELECTION_STAFF, require_role
from election.core.roles import Role
from election.documents.filenames import document_filename
from election.elections.models import Election
from election.nominations.models import Nominee
from election.voting import services as svc
from election.voting.forms import (
    BallotForm,
    ConfirmMeetingForm,
    HigherNomineeForm,
    OpenRoundForm,
    PlanForm,
    ReportForm,
    ScrutineerForm,
    parse_totals_form,
    split_names,
    totals_form_data,
)
from election.voting.models import BallotPaper, BallotRound, ConfirmMeeting, Scrutineer
from workflow.common.strokes import sort_by_name

bp = Blueprint("voting", __name__)

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _flash_blockers(blockers) -> None:
    for b in blockers:
        flash(b.message, "warning")


# --- 预备人选 ------------------------------------------------------------------------------------------
@bp.get("/elections/<int:election_id>/voting/candidates")
@login_required
@require_role(*ELECTION_READERS)
def candidates(election_id: int):
    election = svc.load_election(db.session, election_id)
    people = sort_by_name(db.session.scalars(select(Nominee).where(
        Nominee.election_id == election_id, Nominee.step.in_(("preliminary", "confirmed")))).all(),
        lambda p: p.name, pad_single_given_name=svc.pads_single_names(election))
    meeting = db.session.scalar(select(ConfirmMeeting).where(ConfirmMeeting.election_id == election_id))
    meeting_form = ConfirmMeetingForm(obj=meeting) if meeting else ConfirmMeetingForm()
    return render_template("voting/candidates.html", election=election, people=people, meeting=meeting,
                           meeting_form=meeting_form, higher_form=_higher_form(election),
                           higher=svc.higher_people(db.session, election_id), confirm_form=ConfirmForm(),
                           approval_recorded=svc.approval_recorded(db.session, election_id))


@bp.post("/elections/<int:election_id>/voting/confirm-meeting")
@login_required
@require_role(*ELECTION_STAFF)
def confirm_meeting(election_id: int):
    form = ConfirmMeetingForm()
    if not form.validate_on_submit():
        for field, errs in form.errors.items():
            flash(f"{getattr(form, field).label.text}：{'；'.join(errs)}", "danger")
        return redirect(url_for("voting.candidates", election_id=election_id))
    chosen = tuple(int(v) for v in request.form.getlist("chosen") if v.isdigit())
    votes = {}
    for key, value in request.form.items():
        if key.startswith("votes-") and value.strip():
            if not value.strip().isdigit():
                flash("得票应为不小于0的整数，请改正。", "danger")
                return redirect(url_for("voting.candidates", election_id=election_id))
            votes[int(key[6:])] = int(value)
    data = svc.ConfirmInput(held_on=form.held_on.data, members=form.members.data, attendance=form.attendance.data,
                            mode=form.mode.data, chosen_ids=chosen, votes=votes, max_chosen=form.max_chosen.data,
                            body=form.body.data)
    try:
        out = svc.record_confirm_meeting(db.session, current_user, election_id, data, utcnow())
    except ServiceError as exc:
        flash(exc.message, "danger")
    else:
        flash(f"已确定预备人选{len(out.chosen)}名：{'、'.join(out.chosen)}", "success")
        _flash_blockers(out.warnings)
    return redirect(url_for("voting.candidates", election_id=election_id))


@bp.post("/elections/<int:election_id>/voting/approval")
@login_required
@require_role(*ELECTION_STAFF)
def approval(election_id: int):
    if not ConfirmForm().validate_on_submit():
        abort(400)
    struck = {int(k[7:]): v for k, v in request.form.items() if k.startswith("strike-") and k[7:].isdigit() and v.strip()}
    try:
        out = svc.record_approval_list(db.session, current_user, election_id, struck, utcnow())
    except ServiceError as exc:
        flash(exc.message, "danger")
    else:
        flash(f"已登记批复名单：同意{len(out.chosen)}名", "success")
        _flash_blockers(out.warnings)
    return redirect(url_for("voting.candidates", election_id=election_id))


def _higher_form(election) -> HigherNomineeForm:
    """身份类别 from the election's own category tree: it feeds the structure counts as a nominee's does."""
    form = HigherNomineeForm()
    form.category.choices = [("", "请选择")] + [(c, c) for c in svc.higher_categories(election)]
    return form


@bp.post("/elections/<int:election_id>/voting/higher")
@login_required
@require_role(*ELECTION_STAFF)
def add_higher(election_id: int):
    form = _higher_form(svc.load_election(db.session, election_id))
    if not form.validate_on_submit():
        for field, errs in form.errors.items():
            flash(f"{getattr(form, field).label.text}：{'；'.join(errs)}", "danger")
    else:
        try:
            svc.add_higher_nominee(db.session, current_user, election_id, svc.HigherNomineeInput(
                form.name.data, form.gender.data, form.birth_date.data, form.ethnicity.data or "汉族",
                form.category.data or "", form.workplace_title.data or ""), utcnow())
            flash(f"已登记上级提名人选“{form.name.data}”", "success")
        except ServiceError as exc:
            flash(exc.message, "danger")
    return redirect(url_for("voting.candidates", election_id=election_id))


# --- meeting and rounds --------------------------------------------------------------------------------
@bp.get("/elections/<int:election_id>/voting")
@login_required
@require_role(*ELECTION_READERS)
def meeting(election_id: int):
    view = svc.voting_view(db.session, election_id)
    election = view.election
    preset = svc.rule_preset(election)
    eligible = request.args.get("eligible", type=int) or election.voters
    present = request.args.get("present", type=int)
    quorum = None
    if eligible:
        quorum = {"need": preset.quorum_minimum(eligible), "text": preset.describe_quorum(),
                  "met": preset.quorum_met(eligible, present) if present is not None else None,
                  "threshold_base": preset.majority_base.label}
    form = OpenRoundForm(data={"eligible": eligible, "present": present})
    scrutineers = db.session.scalars(select(Scrutineer).where(Scrutineer.election_id == election_id)).all()
    plan_form = PlanForm(data={"candidates_count": svc.default_additional_count(election, max(view.state.empty_seats, 1))})
    return render_template("voting/meeting.html", view=view, election=election, preset=preset, quorum=quorum,
                           form=form, plan_form=plan_form, scrutineer_form=ScrutineerForm(), scrutineers=scrutineers,
                           pending=view.state.pending, kind_labels=svc.KIND_LABELS, status_labels=svc.STATUS_LABELS)


@bp.post("/elections/<int:election_id>/voting/rounds")
@login_required
@require_role(*ELECTION_STAFF)
def open_round(election_id: int):
    form = OpenRoundForm()
    if not form.validate_on_submit():
        for field, errs in form.errors.items():
            flash(f"{getattr(form, field).label.text}：{'；'.join(errs)}", "danger")
        return redirect(url_for("voting.meeting", election_id=election_id))
    try:
        rnd = svc.open_round(db.session, current_user, election_id, svc.RoundInput(
            form.eligible.data, form.present.data, form.ballots_issued.data, form.ballots_collected.data,
            form.count_mode.data), utcnow())
    except ServiceError as exc:
        flash(exc.message, "danger")
        return redirect(url_for("voting.meeting", election_id=election_id))
    if rnd.status == "closed":
        flash(rnd.explanation.replace("\n", ""), "danger")
    else:
        flash(f"第{rnd.round_no}轮（{svc.KIND_LABELS[rnd.kind]}）开始：应选{rnd.seats}名，候选人{len(rnd.candidates)}名", "success")
    return redirect(url_for("voting.round_page", round_id=rnd.id))


@bp.post("/elections/<int:election_id>/voting/plan")
@login_required
@require_role(*ELECTION_STAFF)
def plan(election_id: int):
    form = PlanForm()
    if not form.validate_on_submit():
        flash("请按提示填写下一步安排。", "danger")
    else:
        try:
            svc.plan_next_round(db.session, current_user, election_id, form.action.data, utcnow(),
                                candidates_count=form.candidates_count.data, seats_removed=form.seats_removed.data,
                                basis=form.basis.data or None, note=form.note.data or "")
            flash("已登记下一步安排", "success")
        except ServiceError as exc:
            flash(exc.message, "danger")
    return redirect(url_for("voting.meeting", election_id=election_id))


@bp.post("/elections/<int:election_id>/voting/scrutineers")
@login_required
@require_role(*ELECTION_STAFF)
def add_scrutineer(election_id: int):
    form = ScrutineerForm()
    if form.validate_on_submit():
        try:
            svc.add_scrutineer(db.session, current_user, election_id, form.name.data, form.duty.data, utcnow())
            flash(f"已登记“{form.name.data}”", "success")
        except ServiceError as exc:
            flash(exc.message, "danger")
    else:
        flash("请填写姓名。", "danger")
    return redirect(url_for("voting.meeting", election_id=election_id))


@bp.get("/voting/rounds/<int:round_id>")
@login_required
@require_role(*ELECTION_READERS)
def round_page(round_id: int):
    rnd = svc.load_round(db.session, round_id)
    election = svc.load_election(db.session, rnd.election_id)
    cmp = svc.compare_entries(db.session, round_id)
    papers = []
    if rnd.count_mode == "ballots":
        papers = db.session.scalars(select(BallotPaper).where(BallotPaper.round_id == round_id)
                                    .order_by(BallotPaper.seq)).all()
    return render_template("voting/round.html", rnd=rnd, election=election, cmp=cmp, papers=papers,
                           confirm_form=ConfirmForm(), ballot_form=BallotForm(), kind_labels=svc.KIND_LABELS,
                           status_labels=svc.STATUS_LABELS, can_enter=svc.can_enter_count(current_user),
                           can_confirm=svc.can_confirm_count(current_user))


@bp.route("/voting/rounds/<int:round_id>/entry/<int:entry_no>", methods=["GET", "POST"])
@login_required
@require_role(Role.teller)
def entry(round_id: int, entry_no: int):
    if entry_no not in (1, 2):
        abort(404)
    rnd = svc.load_round(db.session, round_id)
    election = svc.load_election(db.session, rnd.election_id)
    form = ConfirmForm()
    errors: dict[str, str] = {}
    values: dict[str, str] = {}
    if request.method == "POST":
        if not form.validate_on_submit():
            abort(400)
        values = request.form.to_dict()
        totals, errors = parse_totals_form(values, rnd.candidates)
        if totals is not None:
            try:
                svc.enter_totals(db.session, current_user, round_id, entry_no, totals, utcnow())
            except ServiceError as exc:
                errors["_form"] = exc.message
            else:
                flash(f"第{entry_no}次录入已保存", "success")
                return redirect(url_for("voting.round_page", round_id=round_id))
    else:
        existing = next((e for e in rnd.entries if e.entry_no == entry_no), None)
        values = totals_form_data(existing.totals if existing else None, rnd.candidates)
    return render_template("voting/entry.html", rnd=rnd, election=election, entry_no=entry_no, form=form,
                           errors=errors, values=values), (200 if not errors else 422)


@bp.post("/voting/rounds/<int:round_id>/confirm")
@login_required
@require_role(Role.teller, *ELECTION_STAFF)
def confirm(round_id: int):
    if not ConfirmForm().validate_on_submit():
        abort(400)
    try:
        svc.confirm_count(db.session, current_user, round_id, utcnow())
        flash("两次录入一致，计票结果已确认", "success")
    except ServiceError as exc:
        flash(exc.message, "danger")
    return redirect(url_for("voting.round_page", round_id=round_id))


@bp.post("/voting/rounds/<int:round_id>/ballots")
@login_required
@require_role(Role.teller)
def add_ballot(round_id: int):
    form = BallotForm()
    if not form.validate_on_submit():
        abort(400)
    rnd = svc.load_round(db.session, round_id)
    marks = {name: request.form.get(f"mark-{i}", "") for i, name in enumerate(rnd.candidates)}
    try:
        paper = svc.enter_ballot(db.session, current_user, round_id, [n for n, m in marks.items() if m == "for"],
                                 [n for n, m in marks.items() if m == "against"], split_names(form.write_in.data),
                                 utcnow())
        flash(f"第{paper.seq}张选票已录入" + ("（无效票）" if paper.void else ""), "warning" if paper.void else "success")
    except ServiceError as exc:
        flash(exc.message, "danger")
    return redirect(url_for("voting.round_page", round_id=round_id))


@bp.post("/voting/rounds/<int:round_id>/close")
@login_required
@require_role(*ELECTION_STAFF)
def close(round_id: int):
    if not ConfirmForm().validate_on_submit():
        abort(400)
    try:
        result = svc.close_round(db.session, current_user, round_id, utcnow())
        flash(f"本轮计票结束：{result.next.label}", "success")
    except ServiceError as exc:
        flash(exc.message, "danger")
    return redirect(url_for("voting.round_page", round_id=round_id))


# --- results -------------------------------------------------------------------------------------------
@bp.get("/elections/<int:election_id>/voting/results")
@login_required
@require_role(*ELECTION_READERS)
def results(election_id: int):
    view = svc.voting_view(db.session, election_id)
    return render_template("voting/results.html", view=view, election=view.election, tables=_result_tables(view),
                           confirm_form=ConfirmForm(), report_form=ReportForm(), kind_labels=svc.KIND_LABELS)


def _result_tables(view) -> list[tuple]:
    """Each closed round with one row per name: votes for, against, abstaining, and the outcome."""
    tables = []
    for rnd in view.rounds:
        if rnd.status != "closed":
            continue
        r = rnd.result
        listed = set(rnd.candidates)
        against = r.get("against", {})
        rows = [{"name": n, "for": v, "against": against.get(n, 0) if n in listed else None,
                 "abstain": (r["valid_ballots"] - v - against.get(n, 0)) if n in listed else None,
                 "write_in": n not in listed, "elected": n in r["elected"], "tied": n in r["tied"]}
                for n, v in r["votes"].items()]
        tables.append((rnd, rows))
    return tables


@bp.get("/elections/<int:election_id>/voting/results/print")
@login_required
@require_role(*ELECTION_READERS)
def print_results(election_id: int):
    view = svc.voting_view(db.session, election_id)
    return render_template("voting/print_results.html", view=view, election=view.election, tables=_result_tables(view),
                           kind_labels=svc.KIND_LABELS, today=today_local())


@bp.post("/elections/<int:election_id>/voting/result")
@login_required
@require_role(*ELECTION_STAFF)
def record_result(election_id: int):
    if not ConfirmForm().validate_on_submit():
        abort(400)
    try:
        out = svc.record_result(db.session, current_user, election_id, utcnow())
        flash(f"选举结果已录入：当选代表{len(out.elected)}名", "success")
        _flash_blockers(out.quota_warnings)
    except ServiceError as exc:
        flash(exc.message, "danger")
    return redirect(url_for("voting.results", election_id=election_id))


@bp.post("/elections/<int:election_id>/voting/report")
@login_required
@require_role(*ELECTION_STAFF)
def report(election_id: int):
    form = ReportForm()
    if not form.validate_on_submit():
        flash("请填写上报日期和文号。", "danger")
    else:
        try:
            svc.record_result_report(db.session, current_user, election_id, form.reported_on.data, form.doc_number.data,
                                     utcnow())
            flash("已登记选举结果上报", "success")
        except ServiceError as exc:
            flash(exc.message, "danger")
    return redirect(url_for("voting.results", election_id=election_id))


# --- documents -----------------------------------------------------------------------------------------
DOCUMENTS = {
    "ballot": ("选票", DOCX, lambda s, e, t: svc.first_ballot_docx(s, e)),
    "confirmed-roster": ("预备人选名册", DOCX, lambda s, e, t: svc.confirmed_roster_docx(s, e)),
    "confirmed-forms": ("预备人选登记表", DOCX, lambda s, e, t: svc.registration_docx(s, e, "confirmed", t)),
    "confirm-report": ("预备人选情况报告", DOCX, lambda s, e, t: svc.confirm_report_docx(s, e, t)),
    "result-report": ("选举情况报告", DOCX, lambda s, e, t: svc.result_report_docx(s, e, t)),
    "elected-roster": ("当选代表名册", DOCX, lambda s, e, t: svc.elected_roster_docx(s, e)),
    "elected-roster-xlsx": ("当选代表名册", XLSX, lambda s, e, t: svc.elected_roster_xlsx(s, e)),
    "elected-forms": ("当选代表登记表", DOCX, lambda s, e, t: svc.registration_docx(s, e, "elected", t)),
    "elected-forms-xlsx": ("当选代表登记表", XLSX, lambda s, e, t: svc.registration_xlsx(s, e)),
}


@bp.get("/elections/<int:election_id>/voting/documents/<kind>")
@login_required
@require_role(*ELECTION_READERS)
def document(election_id: int, kind: str):
    if kind not in DOCUMENTS:
        abort(404)
    document_name, mimetype, render = DOCUMENTS[kind]
    try:
        data = render(db.session, election_id, today_local())
    except ServiceError as exc:
        flash(exc.message, "danger")
        return redirect(request.referrer or url_for("voting.results", election_id=election_id))
    election = db.session.get(Election, election_id) or abort(404)
    filename = document_filename(election.title, document_name, today_local(), "xlsx" if mimetype == XLSX else "docx")
    return send_file(io.BytesIO(data), mimetype=mimetype, as_attachment=True, download_name=filename)


@bp.get("/voting/rounds/<int:round_id>/ballot.docx")
@login_required
@require_role(*ELECTION_READERS)
def ballot(round_id: int):
    data = svc.ballot_docx(db.session, round_id)
    ballot_round = db.session.get(BallotRound, round_id) or abort(404)
    election = db.session.get(Election, ballot_round.election_id) or abort(404)
    filename = document_filename(election.title, f"选票（第{ballot_round.round_no}轮）", today_local(), "docx")
    return send_file(io.BytesIO(data), mimetype=DOCX, as_attachment=True, download_name=filename)




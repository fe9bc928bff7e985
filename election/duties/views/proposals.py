"""提案 and 提议 pages: registering one with its co-signers, the list, one proposal, the handling unit's reply and
the assessment of that reply."""
from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from sqlalchemy import select

from election.core.clock import today_local, utcnow
from election.core.db import db
from election.core.exceptions import ServiceError
from election.core.permissions import has_role, require
from election.core.roles import Role
from election.duties import print_views
from election.duties import services as svc
from election.duties.forms import AssessForm, ProposalForm, ReplyForm
from election.duties.models import Proposal, TermDelegate
from election.duties.views.blueprint import _office_delegates, bp
from election.duties.views.guards import _fail, _in_scope, _require_duty_user, _require_duty_writer, _require_staff
from workflow import duties as wd


@bp.route("/proposals", methods=["GET", "POST"])
@login_required
def proposals():
    delegate = svc.delegate_of_user(db.session, current_user) if has_role(current_user, Role.delegate) else None
    if delegate is None:
        _require_staff()
        if request.method == "POST":
            require(svc.can_record_duties(current_user), "您只能查看，不能登记提案。")  # the 审计 only reads
    scope = svc.office_scope(current_user)
    form = ProposalForm()
    people = _office_delegates(delegate.office_id if delegate else scope)
    form.lead_delegate_id.choices = [(delegate.id, delegate.name)] if delegate else [(d.id, d.name) for d in people]
    # the lead never co-signs his own: not offered (the service refuses it too); the page hides the lead picked above
    form.cosigner_ids.choices = [(d.id, d.name) for d in _office_delegates(None) if not (delegate and d.id == delegate.id)]
    form.cosigner_ids.render_kw = {"data-exclude-selected-of": form.lead_delegate_id.id}
    if request.method == "GET":
        form.submitted_on.data = today_local()
    if form.validate_on_submit():
        # a delegate leads his own unless the form names another: the service refuses that like a missing id
        lead_id = (form.lead_delegate_id.data or delegate.id) if delegate else form.lead_delegate_id.data
        data = svc.ProposalInput(lead_id, form.title.data,
                                 form.grounds.data, form.solution.data, form.submitted_on.data,
                                 tuple(form.cosigner_ids.data or ()), form.handling_unit.data or "", form.kind.data)
        try:
            p = svc.create_proposal(db.session, current_user, data, utcnow())
            flash("提案已登记。", "success")
            return redirect(url_for("duties.proposal", proposal_id=p.id))
        except ServiceError as exc:
            _fail(exc)
    items = print_views.proposals_for(db.session, current_user, delegate)
    from election.assembly.services.proposal_rules import FILING_LABELS

    return render_template("duties/proposals.html", items=items, form=form, Grade=wd.SatisfactionGrade,
                           filing_labels=FILING_LABELS)


@bp.get("/proposals/<int:proposal_id>")
@login_required
def proposal(proposal_id: int):
    _require_duty_user()
    p = db.session.get(Proposal, proposal_id)
    _in_scope(p, lambda p: svc.can_log_for(current_user, p.lead) or has_role(current_user, Role.auditor))
    cos = db.session.scalars(select(TermDelegate).where(TermDelegate.id.in_([c.delegate_id for c in p.cosigners]))
                             ).unique().all()
    reply = ReplyForm(handling_unit=p.handling_unit, reply=p.reply, replied_on=p.replied_on or today_local())
    from election.assembly.models import AssemblySession
    from election.assembly.services.proposal_rules import FILING_LABELS, is_overdue, may_reply

    meeting = db.session.get(AssemblySession, p.session_id) if p.session_id else None  # submitted to a 年会
    return render_template("duties/proposal.html", p=p, cosigners=cos, reply_form=reply, assess_form=AssessForm(),
                           Grade=wd.SatisfactionGrade, can_reply=may_reply(current_user, p), meeting=meeting,
                           can_assess=svc.can_log_for(current_user, p.lead),
                           filing_label=FILING_LABELS.get(p.filing or "", ""), overdue=is_overdue(p, today_local()))


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

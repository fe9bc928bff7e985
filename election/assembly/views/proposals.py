"""年会 pages: the session's 提案 (docs/rules.md §7) — the counts by 立案 state, the list with lead, co-signers, state,
承办单位, deadline, reply and assessment; the submit form while the window is open (a 代表 his own, the 组织部 for
any delegate on the roll); the 立案 review forms for the 组织部; the 汇总表 to print. Thin views: form → service →
flash → redirect. The reply and the assessment are the proposal's own page (duties.proposal)."""
from __future__ import annotations

from flask import redirect, render_template, request, url_for
from flask_login import current_user, login_required
from sqlalchemy import select
from wtforms import HiddenField, IntegerField, SelectField, SelectMultipleField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from election.assembly.permissions import can_manage_sessions, session_or_404
from election.assembly.services import proposals as svc
from election.assembly.services import proposals_queries as q
from election.assembly.views.blueprint import bp
from election.core.clock import today_local, utcnow
from election.core.db import db
from election.core.fields import LenientDateField
from election.core.forms import Form, flash_form_errors, run_service
from election.core.permissions import has_role, require_role
from election.core.roles import Role
from election.duties.models import TermDelegate
from election.duties.services.permissions import delegate_of_user
from election.duties.services.proposals import ProposalInput
from workflow.duties.delegate_status import DelegateStatus

VIEWERS = (Role.admin, Role.office, Role.auditor, Role.teller, Role.delegate)  # = can_view_sessions
SUBMITTERS = (Role.admin, Role.office, Role.delegate)
MANAGERS = (Role.admin, Role.office)  # = can_manage_sessions


class SubmitForm(Form):
    kind = SelectField("类型", choices=[("proposal", "提案"), ("motion", "提议")])
    lead_delegate_id = SelectField("领衔代表", coerce=int, choices=[], validate_choice=False)
    cosigner_ids = SelectMultipleField("联署代表（可多选）", coerce=int, choices=[], validate_choice=False)
    title = StringField("案由", validators=[DataRequired("请填写案由"), Length(max=200)])
    grounds = TextAreaField("案据", validators=[DataRequired("请填写案据"), Length(max=4000)])
    solution = TextAreaField("方案", validators=[DataRequired("请填写方案"), Length(max=4000)])
    handling_unit = StringField("建议承办单位", validators=[Optional(), Length(max=128)])


class ReviewForm(Form):
    proposal_id = IntegerField("提案", validators=[InputRequired("请选择要审查的提案")])
    expected = HiddenField("审查前的状态")
    decision = SelectField("审查结果", choices=[(k, svc.FILING_LABELS[k]) for k in svc.DECISIONS])
    handling_unit = StringField("承办单位", validators=[Optional(), Length(max=svc.MAX_UNIT)])
    reply_due_on = LenientDateField("答复期限", validators=[Optional()], require_day=True)
    reason = TextAreaField("理由", validators=[Optional(), Length(max=svc.MAX_REASON)])


def _roll(meeting) -> list[TermDelegate]:
    return list(db.session.scalars(select(TermDelegate).where(TermDelegate.congress == meeting.congress,
                                                              TermDelegate.status == DelegateStatus.serving)
                                   .order_by(TermDelegate.id)))


def _submit_form(meeting, me: TermDelegate | None) -> SubmitForm:
    form = SubmitForm()
    people = _roll(meeting)
    form.lead_delegate_id.choices = [(me.id, me.name)] if me else [(d.id, d.name) for d in people]
    form.cosigner_ids.choices = [(d.id, d.name) for d in people if not (me and d.id == me.id)]
    form.cosigner_ids.render_kw = {"data-exclude-selected-of": form.lead_delegate_id.id}
    return form


@bp.get("/sessions/<int:assembly_session_id>/proposals")
@login_required
@require_role(*VIEWERS)
def proposals(assembly_session_id: int):
    meeting = session_or_404(db.session, current_user, assembly_session_id)
    today = today_local()
    state = request.args.get("state") if request.args.get("state") in q.STATE_FILTERS else None
    view = q.session_proposals(db.session, meeting, today)
    me = delegate_of_user(db.session, current_user) if has_role(current_user, Role.delegate) else None
    may_submit = has_role(current_user, *SUBMITTERS) and svc.window_open(meeting, today)
    return render_template("assembly/proposals.html", s=meeting, tab="proposals", view=view, rows=view.only(state),
                           state=state, labels=q.STATE_FILTER_LABELS, window=svc.window_label(meeting),
                           window_problem=svc.window_problem(meeting, today),
                           form=_submit_form(meeting, me) if may_submit else None,
                           can_review=can_manage_sessions(current_user), decisions=svc.DECISIONS,
                           filing_labels=svc.FILING_LABELS, me=me, today=today)


@bp.post("/sessions/<int:assembly_session_id>/proposals")
@login_required
@require_role(*SUBMITTERS)
def submit_proposal(assembly_session_id: int):
    meeting = session_or_404(db.session, current_user, assembly_session_id)
    me = delegate_of_user(db.session, current_user) if has_role(current_user, Role.delegate) else None
    form = _submit_form(meeting, me)
    if not form.validate_on_submit():
        flash_form_errors(form)
    else:
        # a 代表 leads his own unless the form names another: the service refuses that like a missing id
        lead_id = form.lead_delegate_id.data or (me.id if me else 0)
        data = ProposalInput(lead_id, form.title.data, form.grounds.data, form.solution.data, today_local(),
                             tuple(form.cosigner_ids.data or ()), form.handling_unit.data or "", form.kind.data)
        run_service(lambda: svc.submit_proposal(db.session, current_user, meeting.id, data, utcnow()),
                    "提案已提交，等待立案审查。")
    return redirect(url_for("assembly.proposals", assembly_session_id=assembly_session_id))


@bp.post("/sessions/<int:assembly_session_id>/proposals/review")
@login_required
@require_role(*MANAGERS)
def review_proposal(assembly_session_id: int):
    meeting = session_or_404(db.session, current_user, assembly_session_id)
    form = ReviewForm()
    if not form.validate_on_submit():
        flash_form_errors(form)
    else:
        data = svc.ReviewInput(form.proposal_id.data, form.decision.data, form.handling_unit.data or "",
                               form.reply_due_on.data, form.reason.data or "", form.expected.data or "pending")
        run_service(lambda: svc.review_proposal(db.session, current_user, meeting.id, data, utcnow()),
                    f"已{svc.FILING_LABELS[data.decision]}。")
    return redirect(url_for("assembly.proposals", assembly_session_id=assembly_session_id))


@bp.get("/sessions/<int:assembly_session_id>/proposals/print")
@login_required
@require_role(*VIEWERS)
def print_proposals(assembly_session_id: int):
    meeting = session_or_404(db.session, current_user, assembly_session_id)
    today = today_local()
    view = q.session_proposals(db.session, meeting, today)
    return render_template("assembly/print_proposals.html", s=meeting, view=view, labels=q.STATE_FILTER_LABELS,
                           today=today)

"""「转入代表名册」 pages: from a recorded election result, the preview (who, what the election knew of each, a 工作室
and a login per person) and the transfer, whose answer is the 账号通知单 (one-time passwords shown once); and the
roll's bulk form setting the 工作室 and 代表小组 (组长) of the ticked delegates. The 组织部 (管理员, 选举办) only."""
from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from sqlalchemy import select

from election.core.clock import today_local, utcnow
from election.core.db import db
from election.core.exceptions import ServiceError
from election.core.forms import ConfirmForm
from election.directory.models import DelegateOffice
from election.duties.forms import TransferForm
from election.duties.services import transfer as tr
from election.duties.views.blueprint import bp
from election.duties.views.guards import _fail, _require_managers
from election.elections.models import Election


def _election(election_id: int) -> Election:
    return db.session.get(Election, election_id) or abort(404)


def _int(value: str | None) -> int | None:
    return int(value) if value and value.isdigit() and len(value) < 12 else None


def _choices(form: TransferForm, plan: tr.TransferPlan) -> tr.TransferChoices:
    ids = [r.delegate.id for r in plan.pending]
    logins = frozenset(i for i in ids if request.form.get(f"login-{i}"))
    offices = {i: o for i in ids for o in [_int(request.form.get(f"office-{i}"))] if o}
    usernames = {i: u.strip() for i in ids for u in [request.form.get(f"username-{i}") or ""] if u.strip()}
    return tr.TransferChoices(congress=form.congress.data or None, term_start=form.term_start.data,
                              years=form.years.data, logins=logins, offices=offices, usernames=usernames)


@bp.route("/transfer/<int:election_id>", methods=["GET", "POST"])
@login_required
def transfer(election_id: int):
    _require_managers()
    election = _election(election_id)
    form = TransferForm()
    status = 200
    if request.method == "POST":
        if request.form.get("preview"):
            form.validate_on_submit()
        elif form.validate_on_submit():
            plan = tr.plan_transfer(db.session, election, tr.TransferChoices(congress=form.congress.data or None))
            try:
                out = tr.transfer_elected(db.session, current_user, election.id, _choices(form, plan), utcnow())
            except ServiceError as exc:
                _fail(exc)
                status = 422
            else:
                msg = f"已转入代表名册{len(out.added)}名" + (f"，创建登录账号{len(out.slips)}个" if out.slips else "") + "。"
                if out.already:
                    msg += f"{len(out.already)}名此前已转入，未重复添加。"
                flash(msg, "success" if out.added else "info")
                for s in out.skipped:
                    flash(s, "warning")
                if out.slips:
                    return render_template("accounts/slips.html", slips=out.slips, title="代表账号通知单",
                                           address=request.host_url.rstrip("/") + url_for("auth.login"),
                                           today=today_local(), back_url=url_for("duties.delegates"),
                                           back_label="返回代表名册")
                return redirect(url_for("duties.delegates"))
        else:
            status = 422
    plan = tr.plan_transfer(db.session, election, tr.TransferChoices(
        congress=form.congress.data or None, term_start=form.term_start.data if request.method == "POST" else None,
        years=form.years.data or 5))
    if request.method == "GET":
        form.congress.data, form.term_start.data, form.years.data = plan.congress, plan.term_start, 5
    offices = list(db.session.scalars(select(DelegateOffice).order_by(DelegateOffice.name)))
    return render_template("duties/transfer.html", election=election, plan=plan, form=form, offices=offices), status


@bp.post("/delegates/assign")
@login_required
def delegates_assign():
    _require_managers()
    if not ConfirmForm().validate_on_submit():
        abort(400)
    ids = tuple(i for i in (_int(v) for v in request.form.getlist("delegate_id")) if i)
    office = request.form.get("office_id", "keep")
    office_id = tr.KEEP if office == "keep" else (None if office == "none" else _int(office))
    if office_id is None and office != "none":
        abort(400)
    group = request.form.get("group_name", "").strip()
    clear_group = bool(request.form.get("clear_group"))
    try:
        rows = tr.assign_delegates(db.session, current_user, tr.Assignment(
            ids, office_id=office_id, group_name="" if clear_group else (group or None),
            leader_id=_int(request.form.get("leader_id"))), utcnow())
    except ServiceError as exc:
        _fail(exc)
    else:
        flash(f"已为{len(rows)}名代表分配工作室和代表小组。", "success")
    return redirect(url_for("duties.delegates"))

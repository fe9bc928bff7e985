"""The way into 代表任期履职 (/duties/ sends each role to its page) and the delegate's own page: points, rank,
requirements, recent activities and the 个人履职总结."""
from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_login import current_user, login_required
from sqlalchemy import select

from election.core.clock import today_local, utcnow
from election.core.db import db
from election.core.exceptions import ServiceError
from election.core.permissions import has_role
from election.core.roles import Role
from election.duties import services as svc
from election.duties.forms import SummaryForm
from election.duties.models import AnnualSummary
from election.duties.views.blueprint import _year, bp
from election.duties.views.guards import _fail, _require_staff
from workflow import duties as wd


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
    summary = db.session.scalar(select(AnnualSummary.text).where(AnnualSummary.delegate_id == delegate.id,
                                                                 AnnualSummary.year == year))
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

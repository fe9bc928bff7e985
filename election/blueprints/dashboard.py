from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_login import current_user, login_required

from election.clock import utcnow
from election.db import db
from election.forms import ConfirmForm
from election.permissions import Role, can_view_election
from election.services import queries

bp = Blueprint("dashboard", __name__)


@bp.get("/")
@login_required
def index():
    if current_user.role == Role.unit:
        tasks = queries.unit_tasks(db.session, current_user.unit_id)
        return render_template("dashboard/unit.html", tasks=tasks, unit=current_user.unit)
    if can_view_election(current_user):
        return render_template("dashboard/office.html", overview=queries.elections_overview(db.session))
    return render_template("dashboard/other.html")


@bp.get("/notifications")
@login_required
def notifications():
    from election.services.notifications import recent

    return render_template("dashboard/notifications.html", items=recent(db.session, current_user.id),
                           form=ConfirmForm())


@bp.post("/notifications/read")
@login_required
def notifications_read():
    from election.services.notifications import mark_all_read

    if ConfirmForm().validate_on_submit():
        mark_all_read(db.session, current_user.id, utcnow())
        flash("已全部标记为已读。", "success")
    return redirect(url_for("dashboard.notifications"))

from __future__ import annotations

from flask import Blueprint, render_template
from flask_login import current_user, login_required

from election.db import db
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

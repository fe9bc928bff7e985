from __future__ import annotations

from flask import Blueprint, abort, render_template
from flask_login import current_user, login_required

from election.db import db
from election.services import queries

bp = Blueprint("units", __name__, url_prefix="/units")


@bp.get("/<int:election_unit_id>")
@login_required
def detail(election_unit_id: int):
    # the scope is part of the query itself: another unit's id finds nothing (issue 2)
    view = queries.unit_list(db.session, election_unit_id, current_user)
    if view is None:
        abort(404)
    return render_template("units/detail.html", view=view)

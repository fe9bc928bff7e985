from __future__ import annotations

from flask import Blueprint, abort, render_template
from flask_login import login_required

from election.db import db
from election.permissions import ELECTION_READERS, require_role
from election.services import queries

bp = Blueprint("elections", __name__, url_prefix="/elections")


@bp.get("/")
@login_required
@require_role(*ELECTION_READERS)
def index():
    return render_template("elections/index.html", overview=queries.elections_overview(db.session))


@bp.get("/<int:election_id>")
@login_required
@require_role(*ELECTION_READERS)
def detail(election_id: int):
    view = queries.election_detail(db.session, election_id)
    if view is None:
        abort(404)
    return render_template("elections/detail.html", view=view)

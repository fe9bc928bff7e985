"""The 上下级 blueprint ``bp`` (/levels): the upper committee's pages and the 选举单位's 上报 pages."""
from __future__ import annotations

from flask import Blueprint

bp = Blueprint("levels", __name__, url_prefix="/levels")


@bp.context_processor
def _level_predicates():
    """The levels area's ``can_*`` predicates for its pages: a form is shown by the predicate its POST checks."""
    from election.levels import scope

    return {"level_perm": scope}

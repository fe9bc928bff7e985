"""The 年会 blueprint ``bp`` (/assembly): the sessions of the congress and the work between them."""
from __future__ import annotations

from flask import Blueprint

bp = Blueprint("assembly", __name__, url_prefix="/assembly")


@bp.context_processor
def _assembly_predicates():
    """The area's ``can_*`` predicates for its pages: a form is shown by the predicate its POST checks."""
    from election.assembly import permissions

    return {"assembly_perm": permissions}

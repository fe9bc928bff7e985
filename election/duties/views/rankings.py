"""履职积分排名 pages: the ranking of an office or a level, shown ``RANKING_PAGE_SIZE`` rows a page (ranks from the
whole group), and its .xlsx export."""
from __future__ import annotations

from flask import Response, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from election.core.clock import today_local
from election.core.db import db
from election.core.exceptions import ServiceError
from election.core.page_cache import cached_page
from election.documents.filenames import attachment_headers, document_filename
from election.duties import services as svc
from election.duties.views.blueprint import XLSX, _year, bp
from election.duties.views.guards import _fail, _require_staff


def _ranking():
    _require_staff()
    return svc.compute_ranking(db.session, current_user, _year(), request.args.get("group") or None,
                               request.args.get("period", 0, type=int) or 0, today_local())


RANKING_PAGE_SIZE = 200  # rows of the ranking table per page


@bp.get("/rankings")
@login_required
@cached_page()
def rankings():
    try:
        view = _ranking()
    except ServiceError as exc:
        _fail(exc)
        return redirect(url_for("duties.rankings")) if request.args else render_template("duties/empty.html")
    # a level of a province can hold tens of thousands: the table in pages, ranks from the whole group
    pages = max(1, -(-len(view.lines) // RANKING_PAGE_SIZE))
    page = min(max(request.args.get("page", 1, type=int) or 1, 1), pages)
    shown = view.lines[(page - 1) * RANKING_PAGE_SIZE:page * RANKING_PAGE_SIZE]
    return render_template("duties/rankings.html", view=view, year=_year(), shown=shown, page=page, pages=pages)


@bp.get("/rankings.xlsx")
@login_required
def rankings_xlsx():
    view = _ranking()
    name = document_filename("", f"{view.year}年度履职积分排名", today_local(), "xlsx")
    return Response(svc.render_ranking_xlsx(view), mimetype=XLSX, headers=attachment_headers(name))

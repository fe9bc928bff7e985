"""上下级 pages: the upper committee's view — its congresses (/levels/, the landing page of the 上级组织部门), one
congress's 选举单位 and congress-wide structure, the combined roster, and its documents (汇总名册, 结构情况报告).
Readers: can_view_congress; a congress outside the user's part of the directory is 404 (congress_or_404)."""
from __future__ import annotations

from functools import wraps
from io import BytesIO

from flask import abort, current_app, render_template, send_file
from flask_login import current_user, login_required

from election.core.clock import today_local
from election.core.db import db
from election.core.page_cache import cached_page
from election.core.permissions import can_view_election
from election.documents.filenames import document_filename
from election.levels import congress_documents as docs
from election.levels.scope import can_view_congress
from election.levels.services import overview as svc
from election.levels.views.blueprint import bp
from workflow.levels.congress import Status

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
STATUS_TAGS = {Status.safe: "ok", Status.feasible: "warn", Status.infeasible: "bad"}
# pages of the other levels parts, linked when they are installed (found by their URL, not their endpoint name)
SETUP_NEW = "/levels/congresses/new"
CONGRESS_REPORTS = "/levels/congresses/<int:congress_id>/reports"
REPORT = "/levels/reports/<int:report_id>"


@bp.app_context_processor
def _levels_nav():
    """The 上级选举 links of the main navigation (templates/base.html), for those who read congresses."""
    return {"can_view_congress": can_view_congress}


def congress_reader(view):
    """Login, then can_view_congress (403 otherwise); the scope check of the congress is the service's (404)."""
    @wraps(view)
    @login_required
    def wrapped(*args, **kwargs):
        if not can_view_congress(current_user):
            abort(403)
        return view(*args, **kwargs)

    return wrapped


def _endpoints() -> dict[str, str | None]:
    """Endpoints of the other levels pages this installation has: set-up, the reports queue, a package."""
    by_rule = {rule.rule: rule.endpoint for rule in current_app.url_map.iter_rules() if "GET" in (rule.methods or ())}
    return {"setup_new": by_rule.get(SETUP_NEW), "reports": by_rule.get(CONGRESS_REPORTS), "report": by_rule.get(REPORT)}


def _signer(congress) -> str:
    return f"{congress.organisation.name}组织部"


@bp.get("/")
@congress_reader
def index():
    congresses = svc.list_congresses(db.session, current_user)
    return render_template("levels/index.html", congresses=congresses, pages=_endpoints())


@bp.get("/congresses/<int:congress_id>")
@congress_reader
@cached_page()
def overview(congress_id: int):
    view = svc.congress_overview(db.session, current_user, congress_id, today_local())
    return render_template("levels/overview_congress.html", view=view, congress=view.congress, Status=Status,
                           status_tags=STATUS_TAGS, pages=_endpoints(),
                           election_links=can_view_election(current_user))


@bp.get("/congresses/<int:congress_id>/roster")
@congress_reader
@cached_page()
def roster(congress_id: int):
    congress, rows = svc.congress_roster(db.session, current_user, congress_id)
    return render_template("levels/overview_roster.html", congress=congress, rows=rows,
                           pages=_endpoints())


@bp.get("/congresses/<int:congress_id>/roster/print")
@congress_reader
def roster_print(congress_id: int):
    congress, rows = svc.congress_roster(db.session, current_user, congress_id)
    return render_template("levels/overview_print_roster.html", congress=congress, rows=rows, today=today_local())


@bp.get("/congresses/<int:congress_id>/roster/download/<fmt>")
@congress_reader
def roster_download(congress_id: int, fmt: str):
    if fmt not in ("docx", "xlsx"):
        abort(404)
    congress, rows = svc.congress_roster(db.session, current_user, congress_id)
    today = today_local()
    if fmt == "docx":
        data, mimetype = docs.render_roster_docx(congress.title, rows, today, _signer(congress)), DOCX
    else:
        data, mimetype = docs.render_roster_xlsx(congress.title, rows, today), XLSX
    name = document_filename(congress.title, "汇总名册", today, fmt)
    return send_file(BytesIO(data), mimetype=mimetype, as_attachment=True, download_name=name)


@bp.get("/congresses/<int:congress_id>/structure-report")
@congress_reader
def structure_report(congress_id: int):
    today = today_local()
    view = svc.congress_overview(db.session, current_user, congress_id, today)
    data = docs.render_structure_docx(view, _signer(view.congress))
    name = document_filename(view.congress.title, "结构情况报告", today, "docx")
    return send_file(BytesIO(data), mimetype=DOCX, as_attachment=True, download_name=name)

"""Background tasks (issue 12): start bulk work, watch its progress bar, download the result (owner only)."""
from __future__ import annotations

from urllib.parse import quote

from flask import Blueprint, abort, current_app, flash, jsonify, redirect, render_template, request, send_file, url_for
from flask_login import current_user, login_required
from sqlalchemy import select

from election import tasks as runner
from election.clock import today_local
from election.db import db
from election.exceptions import NotFound
from election.forms import ConfirmForm
from election.models import Election
from election.permissions import ELECTION_READERS, can_see_full_id_numbers, require_role
from election.services import exports
from election.services.compliance import STEP_LABELS

bp = Blueprint("tasks", __name__, url_prefix="/tasks")


def _nominee_import_available() -> bool:
    """The big nominee import runs here only if the nominations service exposes a bulk-import function."""
    try:
        from election.services import nominations
    except ImportError:
        return False
    return callable(getattr(nominations, "import_nominees_bulk", None))


@bp.get("/")
@login_required
def index():
    elections = []
    from election.permissions import can_view_election

    if can_view_election(current_user):
        elections = list(db.session.scalars(select(Election).order_by(Election.id.desc())))
    return render_template("tasks/index.html", tasks=runner.recent_tasks(db.session, current_user.id),
                           elections=elections, steps=STEP_LABELS, form=ConfirmForm(),
                           import_available=_nominee_import_available())


def _election_from_form() -> Election:
    try:
        election_id = int(request.form.get("election_id", ""))
    except ValueError:
        election_id = 0
    election = db.session.get(Election, election_id)
    if election is None:
        raise NotFound("请选择一个选举。")
    return election


def _start(kind: str, title: str, work):
    task_id = runner.create_task(db.session, current_user, kind, title).id
    runner.start_task(current_app._get_current_object(), task_id, work)
    flash("任务已开始，完成后可在本页下载结果；您可以离开本页，稍后在“后台任务”中查看。", "success")
    return redirect(url_for("tasks.status", task_id=task_id))


@bp.post("/registration-forms")
@login_required
@require_role(*ELECTION_READERS)
def start_registration_forms():
    if not ConfirmForm().validate_on_submit():
        abort(400)
    election = _election_from_form()
    step = request.form.get("step", "")
    if step not in STEP_LABELS:
        flash("请选择要生成登记表的名单。", "danger")
        return redirect(url_for("tasks.index"))
    return _start("registration_forms", f"{election.title}：全部{STEP_LABELS[step]}登记表",
                  exports.registration_forms_work(election.id, step, today_local()))


@bp.post("/nominees-export")
@login_required
@require_role(*ELECTION_READERS)
def start_nominees_export():
    if not ConfirmForm().validate_on_submit():
        abort(400)
    election = _election_from_form()
    return _start("nominees_export", f"{election.title}：推荐人选汇总表（Excel）",
                  exports.nominees_xlsx_work(election.id, can_see_full_id_numbers(current_user)))


@bp.get("/<int:task_id>")
@login_required
def status(task_id: int):
    task = runner.get_task(db.session, current_user, task_id)
    return render_template("tasks/status.html", task=task)


@bp.get("/<int:task_id>.json")
@login_required
def status_json(task_id: int):
    task = runner.get_task(db.session, current_user, task_id)
    return jsonify(id=task.id, status=task.status, status_label=task.status_label, progress=task.progress,
                   message=task.message, finished=task.finished,
                   download_url=url_for("tasks.download", task_id=task.id) if task.status == "done" else None,
                   download_name=task.download_name)


@bp.get("/<int:task_id>/download")
@login_required
def download(task_id: int):
    task = runner.get_task(db.session, current_user, task_id)
    path = runner.result_file(current_app, task)
    response = send_file(path, as_attachment=True, download_name=task.download_name or path.name, max_age=0)
    response.headers["Content-Disposition"] = (f"attachment; filename*=UTF-8''{quote(task.download_name or path.name)}")
    return response

"""Background tasks: start bulk work, watch its progress bar, download the result (owner only)."""
from __future__ import annotations

from urllib.parse import quote

from flask import Blueprint, abort, current_app, flash, jsonify, redirect, render_template, request, send_file, url_for
from flask_login import current_user, login_required
from sqlalchemy import select

from election.core.clock import today_local
from election.core.db import db
from election.core.exceptions import NotFound
from election.core.forms import ConfirmForm
from election.core.permissions import ELECTION_READERS, can_see_full_id_numbers, require_role
from election.directory.scope import elections_in_scope
from election.elections.models import Election
from election.quotas.services import STEP_LABELS
from election.tasks import queue, runner

bp = Blueprint("tasks", __name__, url_prefix="/tasks")
# where a finished task's data lives in the app besides its file: (endpoint, link text)
RESULT_PAGES = {"delegate_import": ("duties.delegates", "查看代表名册"),
                "ranking_export": ("duties.rankings", "查看积分排名"),
                "nominee_import": ("dashboard.index", "返回本单位任务")}


@bp.get("/")
@login_required
def index():
    elections = []
    from election.core.permissions import can_view_election
    from election.duties.services import can_view_duties

    if can_view_election(current_user):
        elections = list(db.session.scalars(elections_in_scope(select(Election).order_by(Election.id.desc()),
                                                               current_user)))
    return render_template("tasks/index.html", tasks=runner.recent_tasks(db.session, current_user.id),
                           elections=elections, steps=STEP_LABELS, form=ConfirmForm(),
                           can_rank=can_view_duties(current_user), year=today_local().year)


def _election_from_form() -> Election:
    try:
        election_id = int(request.form.get("election_id", ""))
    except ValueError:
        election_id = 0
    election = db.session.get(Election, election_id)
    if election is None:
        raise NotFound("请选择一个选举。")
    return election


def start_and_watch(title: str, the_job: queue.Job):
    """Queue THE_JOB as a task of the current user and send the browser to its progress page; when the user or the
    system already has as many tasks in hand as allowed, or the queue cannot be reached, say so (nothing runs)."""
    app = current_app._get_current_object()
    try:
        task_id = runner.create_task(db.session, current_user, the_job.name, title,
                                     max_running=int(app.config.get("TASKS_MAX_RUNNING", runner.MAX_RUNNING))).id
    except runner.TaskLimitReached as exc:
        flash(exc.message, "danger")
        return redirect(url_for("tasks.index"))
    try:
        queue.enqueue(app, task_id, the_job)
    except queue.QueueUnavailable as exc:
        flash(str(exc), "danger")
        return redirect(url_for("tasks.index"))
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
    return start_and_watch(f"{election.title}：全部{STEP_LABELS[step]}登记表",
                           queue.job("registration_forms", election_id=election.id, step=step, today=today_local()))


@bp.post("/nominees-export")
@login_required
@require_role(*ELECTION_READERS)
def start_nominees_export():
    if not ConfirmForm().validate_on_submit():
        abort(400)
    election = _election_from_form()
    return start_and_watch(f"{election.title}：推荐人选汇总表（Excel）",
                           queue.job("nominees_export", election_id=election.id,
                                     full_id_numbers=can_see_full_id_numbers(current_user)))


@bp.post("/rankings-export")
@login_required
def start_ranking_export():
    """The year's points ranking (.xlsx): one sheet for the chosen group, or one per group the user may see."""
    from election.duties.services import can_view_duties

    if not can_view_duties(current_user):
        abort(403)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    year = request.form.get("year", type=int)
    if not year or not 2000 <= year <= 2100:
        flash("请填写要导出的年度（如2026）。", "danger")
        return redirect(url_for("tasks.index"))
    group = request.form.get("group") or None
    scope = "当前范围" if group else "全部范围"
    return start_and_watch(f"{year}年度履职积分排名（{scope}，Excel）",
                           queue.job("ranking_export", year=year, group=group, today=today_local()))


@bp.get("/<int:task_id>")
@login_required
def status(task_id: int):
    task = runner.get_task(db.session, current_user, task_id)
    page = RESULT_PAGES.get(task.kind)
    return render_template("tasks/status.html", task=task,
                           result_page=(url_for(page[0]), page[1]) if page else None)


@bp.get("/<int:task_id>.json")
@login_required
def status_json(task_id: int):
    task = runner.get_task(db.session, current_user, task_id)
    return jsonify(id=task.id, status=task.status, status_label=task.status_label, progress=task.progress,
                   message=task.message, finished=task.finished,
                   download_url=url_for("tasks.download", task_id=task.id) if task.has_file else None,
                   download_name=task.download_name)


@bp.get("/<int:task_id>/download")
@login_required
def download(task_id: int):
    task = runner.get_task(db.session, current_user, task_id)
    path = runner.result_file(current_app, task)
    response = send_file(path, as_attachment=True, download_name=task.download_name or path.name, max_age=0)
    response.headers["Content-Disposition"] = (f"attachment; filename*=UTF-8''{quote(task.download_name or path.name)}")
    return response

from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from election.core.clock import to_local, today_local, utcnow
from election.core.db import db
from election.core.forms import ConfirmForm
from election.core.page_cache import cached_page
from election.core.permissions import ELECTION_READERS, can_manage_elections, can_view_election, require_role
from election.core.roles import Role
from election.dashboard import services as dash
from election.dashboard import work
from election.dashboard.setup import setup_steps
from election.directory.scope import org_scope
from election.elections import queries
from election.elections.models import Election

bp = Blueprint("dashboard", __name__)

# the 履职 pages a delegate or a studio worker starts from, labelled as in the duties sub-navigation
# (templates/duties/_macros.html) and the manual (docs/manual/06-delegates.md)
DUTY_LINKS = {
    Role.delegate: (("duties.me", "我的履职"), ("duties.activity_new", "登记履职活动"), ("duties.proposals", "我的提案")),
    Role.studio: (("duties.verify", "活动核实"), ("duties.activity_new", "代登记活动"), ("duties.rankings", "积分排名"),
                  ("duties.petitions", "群众诉求"), ("duties.proposals", "提案提议"), ("duties.review", "年度考评"),
                  ("duties.delegates", "代表名册")),
}


def _duty_links() -> list[tuple[str, str]]:
    """The user's starting points in the duties area, if that area is installed."""
    if "duties.me" not in current_app.view_functions:
        return []
    return [(url_for(endpoint), label) for endpoint, label in DUTY_LINKS.get(current_user.role, ())]


def _local_day(at):
    return to_local(at).date()


@bp.get("/")
@login_required
@cached_page()
def index():
    if current_user.role == Role.upper:     # the upper committee starts from its congresses (上级选举)
        return redirect(url_for("levels.index"))
    today = today_local()
    if current_user.role == Role.unit:
        view = dash.unit_dashboard(db.session, current_user.unit_id, today)
        return render_template("dashboard/unit.html", tasks=view.tasks, view=view, unit=current_user.unit)
    if current_user.role == Role.inspector:
        return render_template("dashboard/inspector.html", work=work.inspector_work(db.session, current_user.id))
    if current_user.role == Role.discipline:
        return render_template("dashboard/discipline.html", work=work.discipline_work(db.session, current_user.id,
                                                                                       org_scope(current_user)))
    if current_user.role == Role.teller:
        from election.assembly.services.appraisals import waiting_for_entry  # 年会测评 in the teller's part

        return render_template("dashboard/teller.html", work=work.teller_work(db.session, current_user.id,
                                                                               org_scope(current_user)),
                               appraisals=waiting_for_entry(db.session, current_user))
    if can_view_election(current_user):     # the office and the 组织部; the 审计 reads the same without actions
        view = dash.office_dashboard(db.session, today, _local_day, request.args.get("election", type=int),
                                     current_user)
        manager = can_manage_elections(current_user)
        steps = setup_steps(db.session) if manager else []
        return render_template("dashboard/office.html", overview=view.overview, view=view, read_only=not manager,
                               setup=steps if not all(s.done for s in steps) else [])
    return render_template("dashboard/other.html", duty_links=_duty_links(), **_duty_work(today),
                           is_delegate=current_user.role in (Role.delegate, Role.studio))


def _duty_work(today) -> dict:
    """The 代表's duties due now, or the 工作室's queues, when the duties area is installed."""
    if "duties.me" not in current_app.view_functions:
        return {}
    from election.dashboard import duty_work
    from election.duties.services import delegate_of_user as duties_delegate
    from workflow.duties.petitions import PetitionLimits

    if current_user.role == Role.delegate:
        work = duty_work.delegate_work(db.session, current_user, today)
        mine = None
        if work is not None and "assembly.index" in current_app.view_functions:  # 党代会年会, when installed
            from election.assembly.services.mine import my_sessions

            mine = my_sessions(db.session, duties_delegate(db.session, current_user), today)
        return {"delegate_work": work, "my_sessions": mine}
    if current_user.role == Role.studio:
        c = current_app.config
        limits = PetitionLimits(take_up_days=int(c.get("PETITION_TAKE_UP_DAYS", 3)),
                                answer_days=int(c.get("PETITION_ANSWER_DAYS", 7)))
        return {"studio_work": duty_work.studio_work(db.session, current_user, today, limits)}
    return {}


@bp.get("/notifications")
@login_required
def notifications():
    from election.notifications.services import recent

    return render_template("dashboard/notifications.html", items=recent(db.session, current_user.id),
                           form=ConfirmForm())


@bp.post("/notifications/read")
@login_required
def notifications_read():
    from election.notifications.services import mark_all_read

    if ConfirmForm().validate_on_submit():
        mark_all_read(db.session, current_user.id, utcnow())
        flash("已全部标记为已读。", "success")
    return redirect(url_for("dashboard.notifications"))


# --- print views (A4; see the @media print rules in static/app.css) ----------------------------------------
@bp.get("/print/elections/<int:election_id>/units")
@login_required
@require_role(*ELECTION_READERS)
def print_units(election_id: int):
    view = queries.election_detail(db.session, election_id)
    if view is None:
        abort(404)
    return render_template("dashboard/print_units.html", view=view, today=today_local())


@bp.get("/print/elections/<int:election_id>/compliance")
@login_required
@require_role(*ELECTION_READERS)
def print_compliance(election_id: int):
    from election.quotas.services import STEP_LABELS, compliance_report

    election = db.session.get(Election, election_id) or abort(404)
    step = request.args.get("step") or None
    if step is not None and step not in STEP_LABELS:
        abort(404)
    report = compliance_report(db.session, election, today_local(), step=step)
    return render_template("dashboard/print_compliance.html", election=election, report=report, today=today_local())


@bp.get("/print/elections/<int:election_id>/people")
@login_required
@require_role(*ELECTION_READERS)
def print_people(election_id: int):
    """A list of people at one step (推荐人选 … 预备人选) in 姓氏笔画 order; no ID numbers."""
    from election.quotas.services import STEP_LABELS
    from election.tasks.exports import people_of_step

    election = db.session.get(Election, election_id) or abort(404)
    step = request.args.get("step") or "nominated"
    if step not in STEP_LABELS:
        abort(404)
    people = people_of_step(db.session, election, step)
    return render_template("dashboard/print_people.html", election=election, people=people,
                           step_label=STEP_LABELS[step], today=today_local())

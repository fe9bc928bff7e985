"""履职规则 pages (管理员): the rule sets, the one an office or a level uses, and a new version of a rule set in force
from a date (points written as "5" or "非常满意:6,基本满意:5")."""
from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from election.core.clock import today_local, utcnow
from election.core.db import db
from election.core.exceptions import ServiceError
from election.core.permissions import require
from election.directory.queries import active_offices
from election.duties import services as svc
from election.duties.forms import AssignForm, RuleSetForm
from election.duties.models import LEVELS
from election.duties.views.blueprint import bp
from election.duties.views.guards import _fail
from workflow import duties as wd
from workflow.common.results import DomainError


@bp.get("/rules")
@login_required
def rules():
    require(svc.can_manage_rules(current_user), "只有管理员可以管理履职规则。")
    books = svc.load_rulebooks(db.session)
    offices = active_offices(db.session)
    form = AssignForm()
    form.code.choices = [(c, b.versions[-1].name) for c, b in books.items()]
    return render_template("duties/rules.html", books=books, offices=offices, levels=LEVELS,
                           assignments=svc.load_assignments(db.session), form=form)


@bp.post("/rules/assign")
@login_required
def rules_assign():
    require(svc.can_manage_rules(current_user), "只有管理员可以管理履职规则。")
    form = AssignForm()
    form.code.choices = [(c, c) for c in svc.load_rulebooks(db.session)]
    if not form.validate_on_submit():
        abort(400)
    kind, _, value = form.target.data.partition(":")
    try:
        if kind == "office" and value.isdigit():
            svc.assign_ruleset(db.session, current_user, form.code.data, utcnow(), office_id=int(value))
        else:
            svc.assign_ruleset(db.session, current_user, form.code.data, utcnow(), level=value)
        flash("已保存。", "success")
    except ServiceError as exc:
        _fail(exc)
    return redirect(url_for("duties.rules"))


def _points_value(text: str):
    text = (text or "").strip().replace("：", ":").replace("，", ",")
    if text.isdigit():
        return int(text)
    pairs = []
    for part in filter(None, (x.strip() for x in text.split(","))):
        grade, _, pts = part.partition(":")
        if not pts.strip().isdigit():
            raise ServiceError(f"分值“{text}”格式不对：固定分值写整数（如 5），按满意度写“非常满意:6,基本满意:5”")
        pairs.append((grade.strip(), int(pts)))
    if not pairs:
        raise ServiceError("请填写分值")
    return tuple(pairs)


@bp.route("/rules/<code>", methods=["GET", "POST"])
@login_required
def rules_edit(code: str):
    require(svc.can_manage_rules(current_user), "只有管理员可以管理履职规则。")
    books = svc.load_rulebooks(db.session)
    book = books.get(code)
    if book is None:
        abort(404)
    current = book.versions[-1]
    form = RuleSetForm()
    blockers = []
    if request.method == "GET":
        form.name.data, form.publication.data = current.name, current.publication.value
        form.version_from.data = today_local()
        for entry, t in zip(form.types.entries, current.activity_types):
            f = entry.form
            f.code.data, f.label.data, f.yearly_cap.data = t.code, t.label, t.yearly_cap
            f.points.data = str(t.points) if isinstance(t.points, int) else \
                ",".join(f"{wd.SatisfactionGrade(g).label}:{p}" for g, p in t.points)
            f.group.data, f.co_signer_code.data = t.group, t.co_signer_code or ""
        for entry, r in zip(form.requirements.entries, current.requirements):
            f = entry.form
            f.code.data, f.label.data, f.min_count.data, f.period.data = r.code, r.label, r.min_count, r.period.value
            f.types.data = "、".join(r.types)
    elif form.validate_on_submit():
        try:
            types = [{"code": e.form.code.data, "label": e.form.label.data,
                      "points": _points_value(e.form.points.data), "yearly_cap": e.form.yearly_cap.data,
                      "group": e.form.group.data, "co_signer_code": e.form.co_signer_code.data}
                     for e in form.types.entries if (e.form.code.data or "").strip()]
            reqs = [{"code": e.form.code.data, "label": e.form.label.data, "min_count": e.form.min_count.data,
                     "period": e.form.period.data,
                     "types": [x for x in (e.form.types.data or "").replace(",", "、").replace("，", "、").split("、")
                               if x.strip()]}
                    for e in form.requirements.entries]
            version = svc.revised_ruleset(current, form.version_from.data, form.name.data, form.publication.data,
                                          types, reqs)
            blockers = svc.save_ruleset_version(db.session, current_user, version, today_local(), utcnow())
            if not blockers:
                flash(f"新版本已保存，自{wd.cn_date(version.version_from)}起施行；此前的积分不变。", "success")
                return redirect(url_for("duties.rules_edit", code=code))
        except DomainError as exc:
            flash(exc.message, "danger")
        except ServiceError as exc:
            _fail(exc)
    return render_template("duties/rules_edit.html", book=book, current=current, form=form, blockers=blockers)

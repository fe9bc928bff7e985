"""年度考评 pages: the review board, the rating of each part, a unit's 模范履职党代表 list and the 组织部's decision,
and the two .docx documents (the 履职纪实表, the 通报)."""
from __future__ import annotations

from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from election.core.clock import today_local, utcnow
from election.core.db import db
from election.core.exceptions import ServiceError
from election.core.forms import ConfirmForm
from election.documents.filenames import attachment_headers, document_filename
from election.duties import services as svc
from election.duties.forms import NominateForm, RatingForm
from election.duties.models import TermDelegate
from election.duties.views.blueprint import DOCX, _year, bp
from election.duties.views.guards import (
    _fail,
    _require_duty_user,
    _require_duty_writer,
    _require_managers,
    _require_staff,
)


@bp.get("/review")
@login_required
def review():
    _require_staff()
    year = _year()
    board = svc.review_board(db.session, current_user, year)
    rating_form = RatingForm()
    rating_form.part_code.choices = [(p.code, f"{p.label}（{p.rated_by}）") for p in svc.REVIEW_PARTS]
    return render_template("duties/review.html", board=board, year=year, parts=svc.REVIEW_PARTS,
                           rating_form=rating_form, form=ConfirmForm())


@bp.post("/review/rate")
@login_required
def review_rate():
    _require_duty_writer()
    form = RatingForm()
    form.part_code.choices = [(p.code, p.label) for p in svc.REVIEW_PARTS]
    year = request.form.get("year", type=int) or today_local().year
    if form.validate_on_submit():
        try:
            svc.rate_part(db.session, current_user, form.delegate_id.data, year, form.part_code.data,
                          form.rating.data, form.body.data or "", form.comment.data or "", utcnow())
            flash("评定已保存。", "success")
        except ServiceError as exc:
            _fail(exc)
    else:
        flash("请选择要评定的部分和等次。", "danger")
    return redirect(url_for("duties.review", year=year))


@bp.post("/review/nominate")
@login_required
def review_nominate():
    _require_managers()
    form = NominateForm()
    year = request.form.get("year", type=int) or today_local().year
    if not form.validate_on_submit():
        abort(400)
    try:
        blockers = svc.propose_model_delegates(db.session, current_user, year, form.unit_name.data,
                                               form.delegate_ids.data or [], utcnow())
    except ServiceError as exc:
        _fail(exc)
    else:
        for b in blockers:
            flash(b.message, "danger")
        if not blockers:
            flash(f"{form.unit_name.data}的推荐名单已保存。", "success")
    return redirect(url_for("duties.review", year=year))


@bp.post("/review/nominations/<int:nomination_id>")
@login_required
def review_decide(nomination_id: int):
    _require_managers()
    if not ConfirmForm().validate_on_submit() or request.form.get("decision") not in ("approve", "reject"):
        abort(400)
    try:
        n = svc.decide_model_delegate(db.session, current_user, nomination_id,
                                      request.form["decision"] == "approve", utcnow())
        flash("已作出决定。", "success")
        year = n.year
    except ServiceError as exc:
        _fail(exc)
        year = None
    return redirect(url_for("duties.review", year=year or today_local().year))


@bp.get("/review/<int:delegate_id>/record.docx")
@login_required
def review_record(delegate_id: int):
    _require_duty_user()
    data = svc.duty_record_for(db.session, current_user, delegate_id, _year())  # in scope: the delegate exists
    delegate = db.session.get(TermDelegate, delegate_id)
    name = document_filename("", f"{delegate.name}{_year()}年度履职纪实表", today_local(), "docx")
    return Response(data, mimetype=DOCX, headers=attachment_headers(name))


@bp.get("/review/bulletin.docx")
@login_required
def review_bulletin():
    try:
        data = svc.bulletin_for(db.session, current_user, _year(), request.args.get("issuer") or "中共某区委组织部",
                                today_local())
    except ServiceError as exc:
        _fail(exc)
        return redirect(url_for("duties.review", year=_year()))
    name = document_filename("", f"{_year()}年度模范履职党代表通报", today_local(), "docx")
    return Response(data, mimetype=DOCX, headers=attachment_headers(name))

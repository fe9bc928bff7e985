"""上下级 pages: setup — the upper committee's election (congress), its 选举单位' allocations (a table and an .xlsx
template and import), 下发 / 关联 of their elections, and its own nominees with their assignment and results.
Thin views: form → service → flash → redirect. The 审计 reads every page; only can_manage_congress writes."""
from __future__ import annotations

from datetime import date

from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from sqlalchemy import select

from election.core.clock import utcnow
from election.core.db import db
from election.core.exceptions import ServiceError
from election.core.forms import ConfirmForm
from election.core.permissions import require_role
from election.core.roles import Role
from election.core.xlsx import SheetRejected
from election.directory.models import Organisation
from election.directory.scope import org_scope
from election.elections.forms import categories_text, fill_rules, parse_categories, rules_from_form
from election.elections.models import Election
from election.levels import readers
from election.levels.forms import AssignForm, CongressForm, LinkForm, NomineeForm, SheetForm
from election.levels.models import CongressNominee, CongressUnit
from election.levels.scope import can_manage_congress, congress_or_404
from election.levels.services import nominees as nom
from election.levels.services import setup as st
from election.levels.views.blueprint import bp
from workflow.pipeline.stages import PIPELINE, Stage
from workflow.quotas.categories import DEFAULT_CATEGORIES

VIEWERS = (Role.upper, Role.admin, Role.auditor)  # = can_view_congress
MANAGERS = (Role.upper, Role.admin)               # = can_manage_congress
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _manage() -> None:
    if not can_manage_congress(current_user):
        abort(403)


def _flash_form_errors(form) -> None:
    for errors in form.errors.values():
        for e in errors:
            flash(e if isinstance(e, str) else "；".join(str(x) for x in (e.values() if isinstance(e, dict) else e)),
                  "danger")


# ---------------------------------------------------------------------------------------------- 上级选举
def _org_choices() -> list[tuple[int, str]]:
    scope = org_scope(current_user)
    query = select(Organisation).where(Organisation.category.in_(st.ELECTING_CATEGORIES),
                                       Organisation.retired_at.is_(None)).order_by(Organisation.code)
    if scope is not None:
        query = query.where(Organisation.id.in_(scope))
    return [(o.id, o.name) for o in db.session.scalars(query)]


def _congress_input(form: CongressForm) -> st.CongressInput:
    return st.CongressInput(
        title=form.title.data or "", organisation_id=form.organisation_id.data, seats=form.seats.data,
        age_reference_date=form.age_reference_date.data, categories=parse_categories(form.categories.data),
        quota_rules=rules_from_form(form),
        timeline={s.value: getattr(form, f"due_{s.value}").data for s in PIPELINE})


def _congress_form(congress=None) -> CongressForm:
    if request.method != "GET":
        form = CongressForm()
    elif congress is None:
        form = CongressForm(data={"organisation_id": getattr(current_user, "organisation_id", None)})
        form.categories.data = categories_text({k: list(v) for k, v in DEFAULT_CATEGORIES.items()})
    else:
        form = CongressForm(data={"title": congress.title, "organisation_id": congress.organisation_id,
                                  "seats": congress.seats, "age_reference_date": congress.age_reference_date,
                                  **{f"due_{s}": date.fromisoformat(d) for s, d in (congress.timeline or {}).items()}})
        form.categories.data = categories_text(congress.categories or {})
        fill_rules(form, congress.quota_rules or [])
    form.organisation_id.choices = _org_choices()
    return form


def _save_congress(form: CongressForm, congress=None):
    try:
        data = _congress_input(form)
        if congress is None:
            return st.create_congress(db.session, current_user, data, utcnow())
        return st.update_congress(db.session, current_user, congress.id, data, utcnow())
    except ServiceError as exc:
        if exc.status == 404:
            raise
        flash(exc.message, "danger")
    return None


@bp.route("/congresses/new", methods=["GET", "POST"])
@login_required
@require_role(*MANAGERS)
def congress_new():
    form = _congress_form()
    if form.validate_on_submit() and (congress := _save_congress(form)) is not None:
        flash(f"已创建上级选举“{congress.title}”，请继续分配各选举单位的名额。", "success")
        return redirect(url_for("levels.allocations", congress_id=congress.id))
    return render_template("levels/setup_congress.html", form=form, congress=None, stages=PIPELINE)


@bp.route("/congresses/<int:congress_id>/edit", methods=["GET", "POST"])
@login_required
@require_role(*MANAGERS)
def congress_edit(congress_id: int):
    congress = congress_or_404(db.session, current_user, congress_id)
    form = _congress_form(congress)
    if form.validate_on_submit() and _save_congress(form, congress) is not None:
        flash("上级选举已保存；已下发的选举单位的选举随之更新。", "success")
        return redirect(url_for("levels.allocations", congress_id=congress_id))
    return render_template("levels/setup_congress.html", form=form, congress=congress, stages=PIPELINE)


# ---------------------------------------------------------------------------------------------- 名额分配
def _allocation_rows(congress) -> list[dict]:
    units = {u.organisation_id: u for u in congress.units}
    rows = []
    for org in st.electing_units(db.session, congress):
        unit = units.get(org.id)
        rules = list(unit.quota_rules or []) if unit else []
        rows.append({"org": org, "unit": unit, "structure": readers.columns_from_rules(rules),
                     "others": readers.other_rules(rules)})
    return rows


def _rows_from_form(congress) -> tuple[list[st.AllocationInput], list[str]]:
    units = {u.organisation_id: u for u in congress.units}
    rows, problems = [], []
    for org in st.electing_units(db.session, congress):
        def number(name: str) -> int | None:
            text = (request.form.get(f"{name}_{org.id}") or "").strip()
            if not text:
                return None
            if not text.isdigit():
                problems.append(f"“{org.name}”：“{text}”应为0或正整数")
                return None
            return int(text)

        seats, higher = number("seats") or 0, number("higher") or 0
        structure = {c.code: number(c.code) for c in readers.STRUCTURE_COLUMNS}
        if not seats:
            continue
        keep = units[org.id].quota_rules if org.id in units else []
        rows.append(st.AllocationInput(org.id, seats, higher, readers.rules_from_columns(structure, keep),
                                       (request.form.get(f"note_{org.id}") or "")[:500]))
    return rows, problems


def _flash_saved(result: dict) -> None:
    flash(f"名额分配已保存：共分配{result['allocated']}名，未分配{result['unallocated']}名"
          + (f"；已同步到{len(result['pushed'])}个选举单位的选举" if result["pushed"] else "") + "。", "success")


@bp.route("/congresses/<int:congress_id>/allocations", methods=["GET", "POST"])
@login_required
@require_role(*VIEWERS)
def allocations(congress_id: int):
    congress = congress_or_404(db.session, current_user, congress_id)
    form = ConfirmForm()
    if request.method == "POST":
        _manage()
        if form.validate_on_submit():
            rows, problems = _rows_from_form(congress)
            for p in problems:
                flash(p, "danger")
            if not problems:
                try:
                    result = st.save_allocations(db.session, current_user, congress_id, rows, utcnow())
                except ServiceError as exc:
                    flash(exc.message, "danger")
                else:
                    _flash_saved(result)
                    return redirect(url_for("levels.allocations", congress_id=congress_id))
    allocated = sum(u.seats + u.higher_seats for u in congress.units)
    return render_template("levels/setup_allocations.html", congress=congress, rows=_allocation_rows(congress),
                           columns=readers.STRUCTURE_COLUMNS, form=form, sheet_form=SheetForm(), allocated=allocated,
                           can_manage=can_manage_congress(current_user))


@bp.get("/congresses/<int:congress_id>/allocations/template")
@login_required
@require_role(*VIEWERS)
def allocations_template(congress_id: int):
    from election.documents.filenames import attachment_headers, document_filename

    congress = congress_or_404(db.session, current_user, congress_id)
    data = readers.write_allocation_template([
        (r["org"].code, r["org"].name, r["unit"].seats if r["unit"] else 0,
         r["unit"].higher_seats if r["unit"] else 0, r["structure"], r["unit"].note if r["unit"] else "")
        for r in _allocation_rows(congress)])
    name = document_filename(congress.title, "名额分配表", date.today(), "xlsx")
    return Response(data, mimetype=XLSX, headers=attachment_headers(name))


@bp.post("/congresses/<int:congress_id>/allocations/import")
@login_required
@require_role(*MANAGERS)
def allocations_import(congress_id: int):
    congress = congress_or_404(db.session, current_user, congress_id)
    form = SheetForm()
    back = redirect(url_for("levels.allocations", congress_id=congress_id))
    if not form.validate_on_submit() or not form.file.data:
        flash("请选择要导入的名额分配表（.xlsx）。", "danger")
        return back
    try:
        result, errors = st.import_allocation_sheet(db.session, current_user, congress.id, form.file.data.read(), utcnow())
    except SheetRejected as exc:
        flash(exc.message, "danger")
        return back
    except ServiceError as exc:
        flash(exc.message, "danger")
        return back
    if errors:
        return render_template("levels/setup_import_errors.html", congress=congress, errors=errors), 422
    _flash_saved(result)
    return back


# ---------------------------------------------------------------------------------------------- 下发选举
def _linkable(unit: CongressUnit) -> list[Election]:
    from election.directory.scope import subtree_ids

    orgs = subtree_ids(db.session, unit.organisation_id)
    return [e for e in db.session.scalars(select(Election).where(Election.organisation_id.in_(orgs),
                                                                 Election.congress_id.is_(None))
                                          .order_by(Election.id.desc()))
            if not Stage(e.stage).is_final]


@bp.route("/congresses/<int:congress_id>/children", methods=["GET", "POST"])
@login_required
@require_role(*VIEWERS)
def children(congress_id: int):
    congress = congress_or_404(db.session, current_user, congress_id)
    form = ConfirmForm()
    if request.method == "POST":
        _manage()
        if form.validate_on_submit():
            try:
                created = st.create_children(db.session, current_user, congress_id, utcnow())
            except ServiceError as exc:
                flash(exc.message, "danger")
            else:
                flash(f"已下发{len(created)}个选举单位的选举：{'、'.join(e.title for e in created)}。", "success")
                return redirect(url_for("levels.children", congress_id=congress_id))
    units = sorted(congress.units, key=lambda u: u.organisation.code)
    linkable = {u.id: _linkable(u) for u in units if not u.election_id} if can_manage_congress(current_user) else {}
    return render_template("levels/setup_children.html", congress=congress, units=units, linkable=linkable,
                           form=form, link_form=LinkForm(), Stage=Stage, can_manage=can_manage_congress(current_user))


@bp.post("/congresses/<int:congress_id>/children/link")
@login_required
@require_role(*MANAGERS)
def children_link(congress_id: int):
    congress_or_404(db.session, current_user, congress_id)
    form = LinkForm()
    if form.validate_on_submit():
        try:
            child = st.link_child(db.session, current_user, form.congress_unit_id.data, form.election_id.data,
                                  utcnow())
        except ServiceError as exc:
            if exc.status == 404:
                raise
            flash(exc.message, "danger")
        else:
            flash(f"已关联选举“{child.title}”，其名额、结构要求和时间安排已按上级下达的同步。", "success")
    else:
        _flash_form_errors(form)
    return redirect(url_for("levels.children", congress_id=congress_id))


# ---------------------------------------------------------------------------------------------- 市委提名人选
def _nominee_form(congress, nominee=None) -> NomineeForm:
    if request.method == "GET" and nominee is not None:
        form = NomineeForm(obj=nominee)
    else:
        form = NomineeForm()
    form.category.choices = [(c, c) for c in nom.congress_categories(congress)]
    return form


def _nominee_input(form: NomineeForm) -> nom.NomineeInput:
    return nom.NomineeInput(name=form.name.data or "", gender=form.gender.data, birth_date=form.birth_date.data,
                            ethnicity=(form.ethnicity.data or "汉族").strip(), category=form.category.data or "",
                            workplace_title=form.workplace_title.data or "", note=form.note.data or "")


@bp.route("/congresses/<int:congress_id>/nominees", methods=["GET", "POST"])
@login_required
@require_role(*VIEWERS)
def nominees(congress_id: int):
    congress = congress_or_404(db.session, current_user, congress_id)
    form = _nominee_form(congress)
    if request.method == "POST":
        _manage()
        if form.validate_on_submit():
            try:
                person = nom.register_nominee(db.session, current_user, congress_id, _nominee_input(form), utcnow())
            except ServiceError as exc:
                flash(exc.message, "danger")
            else:
                flash(f"已登记市委提名人选“{person.name}”，请分配到选举单位。", "success")
                return redirect(url_for("levels.nominees", congress_id=congress_id))
    people = db.session.scalars(select(CongressNominee).where(CongressNominee.congress_id == congress_id)
                                .order_by(CongressNominee.id)).all()
    units = sorted(congress.units, key=lambda u: u.organisation.code)
    assign_form = AssignForm()
    assign_form.congress_unit_id.choices = [(0, "（不分配）")] + [(u.id, u.organisation.name) for u in units]
    counts = {u.id: sum(1 for p in people if p.congress_unit_id == u.id) for u in units}
    return render_template("levels/setup_nominees.html", congress=congress, people=people, form=form, units=units,
                           counts=counts, assign_form=assign_form, results=nom.nominee_results(db.session, congress),
                           can_manage=can_manage_congress(current_user))


def _person(congress_nominee_id: int):
    person = db.session.get(CongressNominee, congress_nominee_id) or abort(404)
    return congress_or_404(db.session, current_user, person.congress_id), person


@bp.route("/congress-nominees/<int:congress_nominee_id>/edit", methods=["GET", "POST"])
@login_required
@require_role(*MANAGERS)
def nominee_edit(congress_nominee_id: int):
    congress, person = _person(congress_nominee_id)
    form = _nominee_form(congress, person)
    if form.validate_on_submit():
        try:
            nom.update_nominee(db.session, current_user, person.id, _nominee_input(form), utcnow())
        except ServiceError as exc:
            flash(exc.message, "danger")
        else:
            flash("已保存。", "success")
            return redirect(url_for("levels.nominees", congress_id=congress.id))
    return render_template("levels/setup_nominee_edit.html", congress=congress, person=person, form=form)


@bp.post("/congress-nominees/<int:congress_nominee_id>/delete")
@login_required
@require_role(*MANAGERS)
def nominee_delete(congress_nominee_id: int):
    congress, person = _person(congress_nominee_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    try:
        nom.delete_nominee(db.session, current_user, person.id, utcnow())
    except ServiceError as exc:
        flash(exc.message, "danger")
    else:
        flash("已删除。", "success")
    return redirect(url_for("levels.nominees", congress_id=congress.id))


@bp.post("/congress-nominees/<int:congress_nominee_id>/assign")
@login_required
@require_role(*MANAGERS)
def nominee_assign(congress_nominee_id: int):
    congress, person = _person(congress_nominee_id)
    form = AssignForm()
    form.congress_unit_id.choices = [(0, "")] + [(u.id, u.organisation.name) for u in congress.units]
    if form.validate_on_submit():
        try:
            nom.assign_nominee(db.session, current_user, person.id, form.congress_unit_id.data or None, utcnow())
        except ServiceError as exc:
            if exc.status == 404:
                raise
            flash(exc.message, "danger")
        else:
            flash(f"已保存“{person.name}”的分配。", "success")
    else:
        flash("请选择选举单位。", "danger")
    return redirect(url_for("levels.nominees", congress_id=congress.id))

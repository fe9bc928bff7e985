"""公文措辞 pages: the list of an election's documents, one document's text (预览 / 保存), 恢复默认. Thin views."""
from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from election.core.clock import today_local, utcnow
from election.core.db import db
from election.core.forms import ConfirmForm
from election.core.permissions import can_edit_wording
from election.elections.models import Election
from election.wording import services as svc
from election.wording.forms import WordingForm

bp = Blueprint("wording", __name__, url_prefix="/elections")


def _allowed_election(election_id: int) -> Election:
    if not can_edit_wording(current_user):
        abort(403)
    return db.session.get(Election, election_id) or abort(404)


@bp.get("/<int:election_id>/wording")
@login_required
def index(election_id: int):
    election = _allowed_election(election_id)
    items = svc.wording_items(db.session, current_user, election.id)
    return render_template("wording/index.html", election=election, items=items)


@bp.route("/<int:election_id>/wording/<kind>", methods=["GET", "POST"])
@login_required
def edit(election_id: int, kind: str):
    election = _allowed_election(election_id)
    which = svc.parse_kind(kind)
    item = next(i for i in svc.wording_items(db.session, current_user, election.id) if i.kind is which)
    form = WordingForm() if request.method == "POST" else WordingForm(data={"body": item.body})
    errors: list[str] = []
    status = 200
    if form.is_submitted():
        if not form.validate():
            errors = [e for errs in form.errors.values() for e in errs]
        elif form.save.data:
            errors = svc.save_wording(db.session, current_user, election.id, which, form.body.data, utcnow())
            if not errors:
                flash(f"已保存{which.label}的措辞。", "success")
                return redirect(url_for("wording.edit", election_id=election.id, kind=which.value))
        else:
            errors = svc.check_template(which, form.body.data)
        status = 422 if errors else 200
    shown = None
    if not errors:
        shown = svc.preview(db.session, current_user, election.id, which,
                            form.body.data if form.is_submitted() else item.body, today_local())
    return render_template("wording/edit.html", election=election, item=item, form=form, errors=errors,
                           preview=shown, placeholders=svc.placeholder_rows(which), reset_form=ConfirmForm(),
                           table_line="{" + svc.TABLE + "}"), status


@bp.post("/<int:election_id>/wording/<kind>/reset")
@login_required
def reset(election_id: int, kind: str):
    election = _allowed_election(election_id)
    which = svc.parse_kind(kind)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    if svc.restore_default(db.session, current_user, election.id, which, utcnow()):
        flash(f"{which.label}已恢复为系统默认措辞。", "success")
    else:
        flash(f"{which.label}使用的已是系统默认措辞。", "info")
    return redirect(url_for("wording.edit", election_id=election.id, kind=which.value))

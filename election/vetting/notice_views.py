"""公示 drafts: the office corrects a draft (title, first day, contact office, people) or deletes it until it is
published. Plain view functions; ``election.vetting.views`` registers them on the vetting blueprint."""
from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from election.core.clock import utcnow
from election.core.db import db
from election.core.exceptions import NotFound, PermissionDenied, ServiceError
from election.core.forms import ConfirmForm
from election.elections.models import Election
from election.vetting import services as svc
from election.vetting.forms import NoticeDraftForm
from election.vetting.models import Notice


def _draft_or_refuse(notice_id: int) -> Notice | None:
    """The draft the current user may edit; a published one flashes why not (None), others are 403/404."""
    if not svc.can_manage_vetting(current_user):
        abort(403)
    notice = db.session.get(Notice, notice_id) or abort(404)
    if not svc.can_edit_notice(current_user, notice):
        flash(f"该公示{svc.NoticeStatus(notice.status).label}，名单和公示期已经对外公布，不能再修改或删除。", "danger")
        return None
    return notice


def _contact(form: NoticeDraftForm) -> svc.ContactInput:
    return svc.ContactInput(form.office_name.data or "", form.office_phone.data or "", form.office_address.data or "",
                            form.office_mailbox.data or "")


def edit_notice(notice_id: int):
    notice = _draft_or_refuse(notice_id)
    if notice is None:
        return redirect(url_for("vetting.notice", notice_id=notice_id))
    election = db.session.get(Election, notice.election_id) or abort(404)
    pool = svc.sort_people(election, svc.notice_pool(db.session, notice))
    chosen = {p.id for p in svc.notice_people(db.session, notice)}
    if request.method == "GET":
        form = NoticeDraftForm(data={"title": notice.title, "posted_on": notice.posted_on,
                                     "office_name": notice.office_name, "office_phone": notice.office_phone,
                                     "office_address": notice.office_address, "office_mailbox": notice.office_mailbox})
    else:
        form = NoticeDraftForm()
        chosen = {int(v) for v in request.form.getlist("nominee_id") if v.isdigit()}
        if form.validate_on_submit():
            data = svc.NoticeDraftInput(form.title.data, form.posted_on.data, _contact(form), frozenset(chosen),
                                        form.backdate_reason.data or "")
            try:
                svc.update_notice_draft(db.session, current_user, notice_id, data, utcnow())
            except (PermissionDenied, NotFound):
                raise
            except ServiceError as exc:
                flash(exc.message, "danger")
            else:
                flash("公示草稿已保存，请核对后发布。", "success")
                return redirect(url_for("vetting.notice", notice_id=notice_id))
    return render_template("vetting/notice_edit.html", election=election, notice=notice, form=form, pool=pool,
                           chosen=chosen), 200 if request.method == "GET" or not form.errors else 400


def delete_notice(notice_id: int):
    if not ConfirmForm().validate_on_submit():
        abort(400)
    notice = _draft_or_refuse(notice_id)
    if notice is None:
        return redirect(url_for("vetting.notice", notice_id=notice_id))
    election_id = notice.election_id
    try:
        title = svc.delete_notice_draft(db.session, current_user, notice_id, utcnow())
    except (PermissionDenied, NotFound):
        raise
    except ServiceError as exc:
        flash(exc.message, "danger")
        return redirect(url_for("vetting.notice", notice_id=notice_id))
    flash(f"已删除公示草稿“{title}”。", "success")
    return redirect(url_for("vetting.notices", election_id=election_id))


# (rule, endpoint, view, methods): registered by election.vetting.views
ROUTES = (
    ("/notices/<int:notice_id>/edit", "edit_notice", edit_notice, ("GET", "POST")),
    ("/notices/<int:notice_id>/delete", "delete_notice", delete_notice, ("POST",)),
)

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from election.accounts.forms import in_part, organisation_choices
from election.accounts.models import User
from election.accounts.services import create_user
from election.admin.forms import AuditFilterForm, HolidayForm, HolidayNoticeForm, UserForm
from election.audit import queries
from election.audit.display import audit_rows
from election.core.clock import utcnow
from election.core.db import db
from election.core.exceptions import ServiceError
from election.core.permissions import require_role
from election.core.roles import Role
from election.directory import queries as directory
from election.directory.scope import org_scope

bp = Blueprint("admin", __name__, url_prefix="/admin")


@bp.get("/audit")
@login_required
@require_role(Role.admin, Role.auditor)
def audit():
    form = AuditFilterForm(request.args)
    valid = form.validate()  # a bad date is named on the page and left out of the filter
    page = max(request.args.get("page", 1, type=int), 1)
    result = queries.audit_page(db.session, object_type=form.object_type.data or None,
                                object_id=form.object_id.data or None, actor=form.actor.data or None, page=page,
                                object_name=form.object_name.data or None,
                                date_from=form.date_from.data if valid else None,
                                date_to=form.date_to.data if valid else None)
    rows = audit_rows(db.session, result.entries)
    filters = {k: v for k, v in request.args.items() if k != "page" and v}
    return render_template("admin/audit.html", form=form, result=result, rows=rows, filters=filters)


@bp.route("/users", methods=["GET", "POST"])
@login_required
@require_role(Role.admin)
def users():
    form = UserForm()
    part = org_scope(current_user)  # a 管理员 limited to a part of the directory gives accounts only there
    form.unit_id.choices = [(0, "（无）")] + [(u.id, u.name) for u in directory.active_units(db.session, part)]
    form.office_id.choices = [(0, "（无）")] + [(o.id, o.name) for o in
                                               in_part(directory.active_offices(db.session), part)]
    form.organisation_id.choices = organisation_choices(current_user)
    if form.validate_on_submit():
        try:
            user = create_user(db.session, current_user, username=form.username.data, password=form.password.data,
                               role=form.role.data, display_name=form.display_name.data,
                               unit_id=form.unit_id.data or None, office_id=form.office_id.data or None,
                               now=utcnow(), one_time=True, organisation_id=form.organisation_id.data or None)
        except ServiceError as exc:
            flash(exc.message, "danger")
        else:
            flash(f"已创建用户“{user.display_name}”。", "success")
            return redirect(url_for("admin.users"))
    query = select(User).options(joinedload(User.organisation)).order_by(User.role, User.username)
    if part is not None:
        query = query.where(User.organisation_id.in_(part))
    people = db.session.scalars(query).all()
    return render_template("admin/users.html", form=form, users=people)


def _parse_days(text: str, what: str) -> list:
    import re
    from datetime import date, timedelta

    days = []
    for n, line in enumerate((text or "").splitlines(), start=1):
        line = line.strip()
        if not line:
            continue
        parts = re.split(r"\s*(?:至|~|—|到)\s*", line)
        try:
            start = date.fromisoformat(parts[0])
            end = date.fromisoformat(parts[1]) if len(parts) > 1 else start
        except ValueError:
            raise ServiceError(f"{what}第{n}行“{line}”不是有效日期，应写作 2027-10-01 或 2027-10-01至2027-10-07") from None
        if end < start:
            raise ServiceError(f"{what}第{n}行的结束日期早于开始日期")
        days.extend(start + timedelta(days=i) for i in range((end - start).days + 1))
    return days


@bp.route("/holidays", methods=["GET", "POST"])
@login_required
@require_role(Role.admin)
def holidays():
    from election.calendar.services import set_calendar_year

    form = HolidayForm()
    if form.validate_on_submit():
        try:
            set_calendar_year(db.session, current_user, form.year.data, _parse_days(form.holidays.data, "放假日期"),
                              _parse_days(form.workdays.data, "调休上班日期"), utcnow())
        except ServiceError as exc:
            flash(exc.message, "danger")
        else:
            flash(f"已保存{form.year.data}年的节假日设置，该年工作日以此为准。", "success")
            return redirect(url_for("admin.holidays"))
    return _holidays_page(form, HolidayNoticeForm(formdata=None))


@bp.post("/holidays/notice")
@login_required
@require_role(Role.admin)
def holiday_notice():
    """识别: the notice's days on month calendars with a 确认保存 button; 确认保存: the year stored."""
    from election.calendar.preview import month_grids
    from election.calendar.services import import_holiday_notice, read_holiday_notice

    form = HolidayNoticeForm()
    if not form.validate_on_submit():
        return _holidays_page(HolidayForm(formdata=None), form, status=400)
    try:
        if request.form.get("action") == "save":
            notice = import_holiday_notice(db.session, current_user, form.text.data, utcnow())
            flash(f"已按通知保存{notice.year}年的节假日设置：放假{len(notice.in_year()[0])}天、"
                  f"调休上班{len(notice.in_year()[1])}天，该年工作日以此为准。", "success")
            return redirect(url_for("admin.holidays"))
        notice = read_holiday_notice(form.text.data)
    except ServiceError as exc:
        form.text.errors = [*form.text.errors, *exc.message.split("；")]
        return _holidays_page(HolidayForm(formdata=None), form, status=422)
    return _holidays_page(HolidayForm(formdata=None), form, notice=notice, grids=month_grids(notice))


def _holidays_page(form, notice_form, status: int = 200, **preview):
    from election.calendar.models import CalendarDay
    from election.calendar.preview import WEEKDAY_HEADINGS

    days = db.session.scalars(select(CalendarDay).order_by(CalendarDay.day)).all()
    return render_template("admin/holidays.html", form=form, notice_form=notice_form, days=days,
                           weekday_headings=WEEKDAY_HEADINGS, **preview), status

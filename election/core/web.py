"""Template helpers: navigation per role, local times, masked ID numbers."""
from __future__ import annotations

from datetime import date

from flask import Flask
from flask_login import current_user

from election.core import permissions
from election.core.clock import format_local
from election.core.page_cache import unread_from_stamp
from election.documents.gbt9704 import format_date_cn as documents_date_cn
from election.documents.gbt9704 import format_month_table
from workflow.common.idcard import mask_id


def show_id_number(value: str | None) -> str:
    """The whole number for the 管理员, 110***********1234 for everyone else."""
    if not value:
        return ""
    return value if permissions.can_see_full_id_numbers(current_user) else mask_id(value)


def format_date_cn(value: date | None) -> str:
    """2026年3月1日: Arabic numerals without leading zeros (docs/rules.md §4)."""
    return documents_date_cn(value) if value else ""


NAV = [
    ("dashboard.index", "工作台", None),
    ("elections.index", "选举管理", permissions.can_view_election),
    ("duties.index", "代表履职", permissions.can_open_duties),
    ("assembly.index", "党代会年会", permissions.can_view_sessions),
    ("directory.index", "组织机构", permissions.can_view_directory),
    ("admin.audit", "审计日志", permissions.can_view_audit),
    ("admin.users", "用户管理", permissions.can_manage_users),
    ("admin.holidays", "节假日设置", permissions.can_manage_users),
]


def register_template_helpers(app: Flask) -> None:
    from workflow.common.titles import join_title

    app.jinja_env.filters.update(local_time=format_local, date_cn=format_date_cn, month=format_month_table,
                                 id_number=show_id_number, mask_id=mask_id, title_with=join_title)

    from election.core.stage_labels import stage_label

    app.jinja_env.globals["stage_label"] = stage_label

    @app.context_processor
    def _inject():
        from election.core.db import db
        from election.notifications.services import unread_count

        items = [(endpoint, label) for endpoint, label, pred in NAV
                 if current_user.is_authenticated and (pred is None or pred(current_user))]
        unread = 0
        if current_user.is_authenticated:  # read with the page stamp when the page cache asked for it
            unread = unread_from_stamp()
            if unread is None:
                unread = unread_count(db.session, current_user.id)
        return {"nav_items": items, "perm": permissions, "unread_notifications": unread}

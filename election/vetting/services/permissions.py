"""Who may do what in 考察 and 公示: the ``can_*`` predicates that both the pages (show the button) and the use cases
(allow the action) call, so they never disagree.
"""
from __future__ import annotations

from collections.abc import Iterable

from election.core.permissions import has_role
from election.core.roles import Role
from election.vetting.models import Complaint, Notice


def can_manage_vetting(user) -> bool:
    """The office picks 考察对象 and 初步人选, assigns 考察组, runs the 公示 and closes complaints."""
    return has_role(user, Role.admin, Role.office)


def can_view_vetting(user) -> bool:
    """Vetting pages; a 考察组 member sees only the people assigned to them, unit users see nothing."""
    return has_role(user, Role.admin, Role.office, Role.inspector, Role.discipline, Role.auditor)


def can_record_discipline(user) -> bool:
    """纪检机关意见 is recorded by the 纪检 role (docs/rules.md §5 纪检机关意见必听)."""
    return has_role(user, Role.discipline)


def can_edit_vetting(user, assigned_user_ids: Iterable[int]) -> bool:
    """The office, or a 考察组 member assigned to this person."""
    if can_manage_vetting(user):
        return True
    return has_role(user, Role.inspector) and user.id in set(assigned_user_ids)


def can_handle_complaint(user, complaint: Complaint) -> bool:
    return can_manage_vetting(user) or (complaint.assigned_to_id is not None and getattr(user, "id", None)
                                        == complaint.assigned_to_id and has_role(user, Role.inspector, Role.discipline))


def can_edit_notice(user, notice: Notice) -> bool:
    """A 公示 draft is edited or deleted by the office until it is published; a published one is fixed."""
    return can_manage_vetting(user) and notice.status == "draft"

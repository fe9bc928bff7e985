"""Who may count: 监票计票人员 enter the totals and the ballots (two tellers, double entry), and they or the office
confirm the count. The pages and the use cases call the same ``can_*`` predicates.
"""
from __future__ import annotations

from election.core.permissions import has_role
from election.core.roles import Role


def can_enter_count(user) -> bool:
    """监票计票人员 enter the totals and the ballots (double entry by two tellers)."""
    return has_role(user, Role.teller)


def can_confirm_count(user) -> bool:
    return has_role(user, Role.teller, Role.office, Role.admin)

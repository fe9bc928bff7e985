"""Double entry by two tellers, the one rule the election count and the 年会's appraisals share (docs/rules.md
§3.3, §7): each figure sheet is entered twice, independently, by two different tellers; a teller may correct
only his own entry, never the other's, and never both entries."""
from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from election.core.exceptions import ServiceError


def own_entry(entries: Mapping[int, Any], entry_no: int, actor) -> Any | None:
    """The actor's existing entry ENTRY_NO (to correct it), or None when it is still to be made; refused when the
    actor made the other entry or another teller made this one. ENTRIES: entry_no -> a row with ``teller_id``
    and ``teller``."""
    if entry_no not in (1, 2):
        raise ServiceError("录入次序只能是第一次或第二次。")
    other = entries.get(3 - entry_no)
    if other is not None and other.teller_id == actor.id:
        raise ServiceError(f"您已完成第{3 - entry_no}次录入；两次录入须由两位计票人员分别独立完成。")
    entry = entries.get(entry_no)
    if entry is not None and entry.teller_id != actor.id:
        raise ServiceError(f"第{entry_no}次录入已由{entry.teller.display_name}完成，只能由其本人修改。")
    return entry


def check_two_tellers(first, second) -> None:
    """Before confirming: both entries made, by two different tellers (checked again where it counts)."""
    if first is None or second is None:
        raise ServiceError("须两位计票人员分别录入后才能确认。")
    if first.teller_id == second.teller_id:
        raise ServiceError("两次录入出自同一位计票人员，不能确认；请由另一位计票人员重新完成其中一次录入。")

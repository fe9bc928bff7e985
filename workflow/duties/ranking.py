"""Rankings of delegates by points within each group (an office, a level …).

Standard competition ranking: equal points share a rank and the next rank skips (1, 2, 2, 4). Tied delegates
are listed in a fixed order — by the caller's name key (e.g. 姓氏笔画 from workflow.common.strokes), then by id —
never at random. 来源: docs/rules.md §6 盐田 ("ranked within each office").
"""
from __future__ import annotations

from collections.abc import Hashable, Mapping
from typing import Any, NamedTuple


class RankRow(NamedTuple):
    """One delegate's place (a NamedTuple: a district's 10⁵ rows are built in C)."""

    delegate_id: Any
    points: int
    rank: int
    tied: bool = False  # shares its rank with another delegate

    @property
    def rank_text(self) -> str:
        return f"第{self.rank}名" + ("（并列）" if self.tied else "")


def _order_key(names: Mapping[Any, Any] | None):
    if names is None:
        return lambda item: (-item[1], item[0])
    # (0, name) sorts before (1,): delegates without a name key come after named ones with equal points.
    return lambda item: (-item[1], (0, names[item[0]]) if item[0] in names else (1,), item[0])


def rank_group(points: Mapping[Any, int], ids: list[Any] | tuple[Any, ...],
               names: Mapping[Any, Any] | None = None) -> list[RankRow]:
    """Rank ``ids`` by ``points`` (absent → 0)."""
    items = sorted(((d, points.get(d, 0)) for d in ids), key=_order_key(names))
    rows: list[RankRow] = []
    n = len(items)
    rank = 0
    for i, (did, pts) in enumerate(items):
        if i == 0 or pts != items[i - 1][1]:
            rank = i + 1
        tied = (i > 0 and items[i - 1][1] == pts) or (i + 1 < n and items[i + 1][1] == pts)
        rows.append(RankRow(did, pts, rank, tied))
    return rows


def rank_delegates(
    points: Mapping[Any, int],
    groups: Mapping[Any, Hashable],
    names: Mapping[Any, Any] | None = None,
) -> dict[Hashable, list[RankRow]]:
    """group key → that group's ranking.

    The delegates ranked are exactly the keys of ``groups`` (delegate id → office/level key); one without
    points has 0. A delegate in ``points`` but not in ``groups`` belongs to no ranking. Groups come out in the
    order they first appear in ``groups``.
    """
    members: dict[Hashable, list[Any]] = {}
    for did, g in groups.items():
        lst = members.get(g)
        if lst is None:
            members[g] = [did]
        else:
            lst.append(did)
    return {g: rank_group(points, ids, names) for g, ids in members.items()}


def standing_of(rankings: Mapping[Hashable, list[RankRow]], delegate_id: Any) -> tuple[Hashable, RankRow, int] | None:
    """A delegate's own standing: (group, row, group size), or None if not ranked."""
    for g, rows in rankings.items():
        for row in rows:
            if row.delegate_id == delegate_id:
                return g, row, len(rows)
    return None

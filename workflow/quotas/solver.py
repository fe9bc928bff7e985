"""Exact integer feasibility over attribute classes (docs/rules.md §3.2, "feasible when some outcome does").

People who match exactly the same rules are interchangeable, so an outcome is a count ``x[c]`` per class
``c`` with ``0 <= x[c] <= size[c]``, ``sum(x) = seats`` and, for every rule ``r``,
``low[r] <= sum(x[c] for c matching r) <= high[r]``. Rules overlap, so this is an integer program; it is
solved by depth-first branch and bound over the classes. Every branch is either explored or cut by a
bound that no completion can beat, and failed states are remembered, so the answer is exact: a returned
vector is a real outcome, and ``None`` means that no outcome exists.
"""
from __future__ import annotations

from collections.abc import Sequence


def solve(sizes: Sequence[int], masks: Sequence[int], lows: Sequence[int], highs: Sequence[int | None],
          seats: int, late: Sequence[bool] = ()) -> list[int] | None:
    """Return counts per class meeting every bound with exactly ``seats`` people, or None if impossible.

    ``masks[c]`` has bit ``r`` set when class ``c`` matches rule ``r``; ``lows[r]`` is 0 for no minimum and
    ``highs[r]`` None for no maximum. Classes flagged ``late`` are used only after all others, the most
    generic first and as many of it as possible (so a suggested addition asks for as little as it can).
    """
    n_rules = len(lows)
    n_classes = len(sizes)
    if seats < 0 or sum(sizes) < seats:
        return None
    top = seats + 1
    high = tuple(top if h is None else max(min(h, top), -1) for h in highs)
    if any(h < 0 for h in high):
        return None
    min_mask = sum(1 << r for r in range(n_rules) if lows[r] > 0)
    max_mask = sum(1 << r for r in range(n_rules) if high[r] < seats)
    # Classes that serve many minimums first, then those touching few maximums; fillers last.
    late = tuple(late) + (False,) * (n_classes - len(late))

    def rank(c: int) -> tuple:
        hits, caps = (masks[c] & min_mask).bit_count(), (masks[c] & max_mask).bit_count()
        return (1, hits, caps, c) if late[c] else (0, -hits, caps, c)

    order = sorted((c for c in range(n_classes) if sizes[c] > 0), key=rank)
    is_late = [late[c] for c in order]
    size = [sizes[c] for c in order]
    mask = [masks[c] for c in order]
    members = [tuple(r for r in range(n_rules) if mask[i] >> r & 1) for i in range(len(order))]
    depth = len(order)
    cap = [0] * (depth + 1)
    cap_r = [[0] * n_rules for _ in range(depth + 1)]
    for i in range(depth - 1, -1, -1):
        cap[i] = cap[i + 1] + size[i]
        row = cap_r[i + 1][:]
        for r in members[i]:
            row[r] += size[i]
        cap_r[i] = row
    # Pairwise capacities (classes matching both a and b), for the rules that bind at all.
    bind = [r for r in range(n_rules) if lows[r] > 0 or high[r] < seats]
    pairs = [(a, b) for a in bind for b in bind if a != b]
    both_bits = [(1 << a) | (1 << b) for a, b in pairs]
    cap_ab = [[0] * len(pairs) for _ in range(depth + 1)]
    for i in range(depth - 1, -1, -1):
        row = cap_ab[i + 1][:]
        for j, bits in enumerate(both_bits):
            if mask[i] & bits == bits:
                row[j] += size[i]
        cap_ab[i] = row

    failed: set[tuple] = set()
    chosen = [0] * depth

    def bounds_hold(i: int, s: int, need: tuple[int, ...], room: tuple[int, ...]) -> bool:
        if s > cap[i]:
            return False
        rest = cap[i]
        caps = cap_r[i]
        for r in range(n_rules):
            if need[r] > s or need[r] > caps[r] or s - (rest - caps[r]) > room[r]:
                return False
        both = cap_ab[i]
        for j, (a, b) in enumerate(pairs):
            na, ab = need[a], both[j]
            if na:
                # a's picks come from a-and-b (at most b's room) and a-without-b
                if na > caps[a] - ab + min(room[b], ab):
                    return False
                nb = need[b]
                # a or b: picks of both count once
                if a < b and nb and na + nb - min(s, ab) > min(s, caps[a] + caps[b] - ab):
                    return False
            elif a < b and room[a] < s and room[b] < s:
                # picks outside both at most rest - (a or b); the rest fall in a or b
                forced = s - (rest - (caps[a] + caps[b] - ab))
                if forced > room[a] + room[b]:
                    return False
        return True

    def value_range(i: int, s: int, need: tuple[int, ...], room: tuple[int, ...]) -> tuple[int, int]:
        nxt, caps = cap[i + 1], cap_r[i + 1]
        lo, hi = max(0, s - nxt), min(size[i], s)
        m = mask[i]
        for r in range(n_rules):
            if m >> r & 1:
                lo = max(lo, need[r] - caps[r])
                hi = min(hi, room[r])
            else:
                hi = min(hi, s - need[r])
                lo = max(lo, s - nxt + caps[r] - room[r])
        return lo, hi

    # Iterative depth-first search (class lists can be longer than Python's recursion limit).
    def frame(i, s, need, room):
        key = (i, s, need, tuple(min(x, s) for x in room))
        if key in failed or not bounds_hold(i, s, need, room):
            return None
        lo, hi = value_range(i, s, need, room)
        if lo > hi:
            failed.add(key)
            return None
        m = mask[i]
        useful = is_late[i] or any(need[r] > 0 for r in members[i])
        values = range(hi, lo - 1, -1) if useful else range(lo, hi + 1)
        return key, (s, need, room, m, values)

    start_need = tuple(max(0, x) for x in lows)
    if depth == 0:
        return [0] * n_classes if seats == 0 and not any(start_need) else None
    root = frame(0, seats, start_need, high)
    if root is None:
        return None
    stack = [(0, root[0], root[1][0], root[1][1], root[1][2], root[1][3], iter(root[1][4]))]
    while stack:
        i, key, s, need, room, m, values = stack[-1]
        advanced = False
        for x in values:
            chosen[i] = x
            if m:
                need2 = tuple(max(0, need[r] - x) if m >> r & 1 else need[r] for r in range(n_rules))
                room2 = tuple(room[r] - x if m >> r & 1 else room[r] for r in range(n_rules))
            else:
                need2, room2 = need, room
            if i + 1 == depth:
                if s - x == 0 and not any(need2) and min(room2, default=0) >= 0:
                    return _unorder(order, chosen, n_classes)
                continue
            child = frame(i + 1, s - x, need2, room2)
            if child is None:
                continue
            ckey, (cs, cneed, croom, cm, cvalues) = child
            stack.append((i + 1, ckey, cs, cneed, croom, cm, iter(cvalues)))
            advanced = True
            break
        if not advanced:
            failed.add(key)
            stack.pop()
    return None


def _unorder(order: list[int], chosen: list[int], n_classes: int) -> list[int]:
    out = [0] * n_classes
    for i, c in enumerate(order):
        out[c] = chosen[i]
    return out

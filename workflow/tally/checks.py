"""Checks of a round's inputs before counting: the setup, every ballot, the tellers' totals; each returns every
problem it finds, in Chinese (来源: docs/rules.md §3.3)."""
from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from itertools import chain

from workflow.common.results import Blocker, DomainError
from workflow.common.text import normalize_name
from workflow.tally.rules import SRC, Ballot, RoundSetup, Totals, TotalsField

MAX_LISTED_PROBLEMS = 20  # a DomainError lists this many problems, then says how many more there are


# ---------------------------------------------------------------------------------------------------------
# Checks


def check_setup(setup: RoundSetup) -> list[Blocker]:
    """Every problem with a round's figures (not with its outcome)."""
    out: list[Blocker] = []

    def bad(code: str, message: str) -> None:
        out.append(Blocker(f"tally.setup.{code}", message, SRC))

    for label, value, minimum in (("应选名额", setup.seats, 1), ("应到会人数", setup.eligible, 1),
                                  ("实到会人数", setup.present, 0), ("收回选票数", setup.ballots_collected, 0)):
        if isinstance(value, bool) or not isinstance(value, int):
            bad("not_integer", f"{label}应为整数，现为“{value}”。")
        elif value < minimum:
            bad("too_small", f"{label}不能小于{minimum}，现为{value}，请改正。")
    if not out and setup.present > setup.eligible:
        bad("present_above_eligible", f"实到会人数（{setup.present}）多于应到会人数（{setup.eligible}），请核对。")
    if not setup.candidates:
        bad("no_candidates", "候选人名单为空，请填写本轮候选人。")
    for name in setup.candidates:
        if not is_name(name):
            bad("candidate_name", f"候选人姓名“{name}”无效：应为不含首尾空格的非空文字。")
    repeated = [n for n, c in Counter(setup.candidates).items() if c > 1]
    if repeated:
        bad("candidate_repeated", f"候选人名单中重复出现：{'、'.join(map(str, repeated))}，请删去重复的姓名。")
    return out


def check_ballots(setup: RoundSetup, ballots: Sequence[Ballot]) -> list[Blocker]:
    """Every data-entry problem in individual ballots: a name twice on one ballot, a name both for and against
    (or written in as well), a for/against name that is not a candidate, an empty write-in name. These are
    errors of transcription, not void ballots; a void ballot is one with more for-votes than seats
    (来源: docs/rules.md §3.3; decision in the module docstring)."""
    out: list[Blocker] = []
    for i, b in enumerate(ballots):
        if ballot_repeats(b):
            out.append(_repeat_blocker(i, b))
    listed = set(setup.candidates)
    for key, what in (("for", "赞成"), ("against", "不赞成")):
        unknown = set(chain.from_iterable(b.get(key, ()) for b in ballots)) - listed
        if unknown:
            for i, b in enumerate(ballots):
                for name in b.get(key, ()):
                    if name in unknown:
                        out.append(Blocker(f"tally.ballot.unknown_{key}",
                                           f"第{i + 1}张选票：{what}的“{name}”不在候选人名单中；另选他人请填在 write_in 中。",
                                           SRC))
    for i, b in enumerate(ballots):
        for name in b.get("write_in", ()):
            if not is_name(name):
                out.append(Blocker("tally.ballot.write_in_name",
                                   f"第{i + 1}张选票：另选他人的姓名“{name}”无效，应为不含首尾空格的非空文字。", SRC))
    return out


def ballot_repeats(b: Ballot) -> bool:
    """A name twice on the ballot (or for and against at once); a written-in name is compared as normalised
    (``normalize_name``: "张\u200b三" or "张 三" written in beside 张三 is 张三 twice)."""
    f, a, w = b.get("for", ()), b.get("against", ()), b.get("write_in", ())
    if w:
        return len({normalize_name(n) for n in chain(f, a, w)}) != len(f) + len(a) + len(w)
    return len({*f, *a}) != len(f) + len(a)


def _repeat_blocker(i: int, b: Ballot) -> Blocker:
    """The first name that appears more than once on ballot ``i`` (0-based), and where."""
    where: dict[str, tuple[str, list[str]]] = {}
    for key, what in (("for", "赞成"), ("against", "不赞成"), ("write_in", "另选他人")):
        for name in b.get(key, ()):
            where.setdefault(normalize_name(name), (name, []))[1].append(what)
    name, places = next(v for v in where.values() if len(v[1]) > 1)
    if len(set(places)) == 1:
        detail = f"在{places[0]}中重复出现"
    else:
        detail = f"同时出现在{'和'.join(dict.fromkeys(places))}中（一人在一张选票上只能有一种意见）"
    return Blocker("tally.ballot.name_repeated", f"第{i + 1}张选票：“{name}”{detail}，请按选票原样改正。", SRC)


def check_totals(setup: RoundSetup, totals: Totals) -> list[Blocker]:
    """Every problem with a teller's totals (来源: docs/rules.md §3.3)."""
    out: list[Blocker] = []

    def bad(code: str, message: str) -> None:
        out.append(Blocker(f"tally.totals.{code}", message, SRC))

    counts_ok = True
    for label, value in (("有效票", totals.valid), ("无效票", totals.invalid)):
        if not _is_count(value):
            bad("not_count", f"{label}应为不小于0的整数，现为“{value}”。")
            counts_ok = False
    if counts_ok and totals.valid + totals.invalid != setup.ballots_collected:
        bad("ballots_mismatch", f"有效票{totals.valid}张加无效票{totals.invalid}张，不等于收回选票{setup.ballots_collected}张，请核对。")
    listed = set(setup.candidates)
    for fld, mapping in ((TotalsField.for_votes, totals.for_votes), (TotalsField.against, totals.against),
                         (TotalsField.write_in, totals.write_in)):
        for name, n in mapping.items():
            if fld is not TotalsField.write_in and name not in listed:
                bad(f"unknown_{fld.value}", f"{fld.label}中的“{name}”不在候选人名单中；另选他人请填在 write_in 中。")
            elif fld is TotalsField.write_in and not is_name(name):
                bad("write_in_name", f"另选他人的姓名“{name}”无效，应为不含首尾空格的非空文字。")
            if not _is_count(n):
                bad("not_count", f"“{name}”的{fld.label}应为不小于0的整数，现为“{n}”。")
                counts_ok = False
    if not counts_ok or out:
        return out
    votes = merge_votes(setup.candidates, totals.for_votes, totals.write_in)
    for name, n in votes.items():
        if n + totals.against.get(name, 0) > totals.valid:
            extra = f"与不赞成票{totals.against[name]}张合计" if totals.against.get(name) else ""
            bad("above_valid", f"“{name}”得票{n}张{extra}多于有效票{totals.valid}张：每张有效票对一人至多一票，请核对。")
    if sum(votes.values()) > totals.valid * setup.seats:
        bad("too_many_votes", f"赞成票（含另选他人）合计{sum(votes.values())}张，多于有效票{totals.valid}张×应选名额"
                              f"{setup.seats}名，不可能出现，请核对。")
    return out


def is_name(name: object) -> bool:
    return isinstance(name, str) and bool(name) and name.strip() == name


def _is_count(n: object) -> bool:
    return isinstance(n, int) and not isinstance(n, bool) and n >= 0


def raise_for_blockers(blockers: list[Blocker], heading: str) -> None:
    """Raise one DomainError listing the blockers' messages (at most MAX_LISTED_PROBLEMS), if there are any."""
    if blockers:
        lines = [b.message for b in blockers[:MAX_LISTED_PROBLEMS]]
        if len(blockers) > MAX_LISTED_PROBLEMS:
            lines.append(f"……另有{len(blockers) - MAX_LISTED_PROBLEMS}处问题。")
        raise DomainError(heading + "\n" + "\n".join(lines), blockers[0].code)


def merge_votes(candidates: Iterable[str], for_votes: Mapping[str, int], write_in: Mapping[str, int]) -> dict[str, int]:
    """Votes per person: every listed candidate (0 included), plus written-in names with votes. A write-in of a
    listed candidate's name counts for that candidate (decision, docs/tally.md). Names are matched as normalised
    (``normalize_name``: NFKC, no spaces, no invisible characters), so "张\u200b三", "张　三" and 张三 are one person;
    a written-in person keeps the first spelling met."""
    votes = {name: for_votes.get(name, 0) for name in candidates}
    spelling = {normalize_name(name): name for name in votes}
    for name, n in write_in.items():
        target = spelling.setdefault(normalize_name(name), name)
        if n or target in votes:
            votes[target] = votes.get(target, 0) + n
    return votes

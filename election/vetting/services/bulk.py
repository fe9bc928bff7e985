"""考察 for many people at once (issue 20): the 考察组's records, the 纪检机关意见 and the conclusions of a list.

Each is ONE transaction, all or nothing, applying exactly the rules of the one-person use cases (records.py's
``check_*`` and ``apply_*``, which those call too); every refused item is named by its position and name
("第4项（张三）：…"). The people a caller may act on are the 考察对象 of the election the board shows him (a 考察组
member: only those assigned to him) — anyone else is refused as "not a 考察对象 of this election", whether missing,
of another election or not assigned, so nothing leaks. Audit: one entry per person (a person's history is read by
object, election/audit/queries.py), written together by ``audit_many``. Cost: a fixed number of statements whatever
the list's length — the people (locked, in id order), their records and their 考察组 read in chunks of CHUNK ids;
the new records, the changed fields and the audit entries written one statement each (election/core/bulk_sql.py).
"""
from __future__ import annotations

import dataclasses
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from election.audit.services import audit_many
from election.core.bulk_sql import insert_rows, update_rows
from election.core.db import transaction
from election.core.exceptions import ServiceError
from election.core.permissions import has_role, require
from election.core.roles import Role
from election.elections.models import Election
from election.nominations.models import Nominee
from election.vetting.models import InspectorAssignment, Vetting
from election.vetting.services.enums import Conclusion
from election.vetting.services.people import VETTING_STAGES, _election, _reached, _require_stage, is_leader
from election.vetting.services.permissions import can_record_discipline
from election.vetting.services.records import (
    RECORD_FIELDS,
    VettingInput,
    apply_conclusion,
    apply_discipline,
    apply_record,
    check_conclusion,
    check_discipline,
    check_record,
    empty_record,
    looks_like_enterprise,
    verdict_of,
)

CHUNK = 900  # ids per IN list (SQLite allows 999 variables per statement in older builds)


@dataclass(frozen=True)
class ItemProblem:
    index: int      # 0-based position in the list
    message: str    # "第4项（张三）：<the rule's reason>"


class ItemsRefused(ServiceError):
    """Some items of a bulk call break a rule: nothing was written; PROBLEMS names each one."""

    def __init__(self, problems: Sequence[ItemProblem]):
        self.problems = list(problems)
        super().__init__("；".join(p.message for p in self.problems))


@dataclass
class _People:
    election: Election
    nominees: dict[int, Nominee]
    vettings: dict[int, Vetting]
    assigned: dict[int, list[int]]
    leaders: dict[str, bool] = dataclasses.field(default_factory=dict)

    def leader(self, category: str) -> bool:
        """is_leader, once per category (it reads the election's category tree)."""
        if category not in self.leaders:
            self.leaders[category] = is_leader(self.election, category)
        return self.leaders[category]


def _chunks(ids: list[int]) -> list[list[int]]:
    return [ids[i:i + CHUNK] for i in range(0, len(ids), CHUNK)]


def _load(session: Session, election_id: int, ids: list[int], what: str) -> _People:
    """The election (its stage checked) and the listed people of it, locked in id order (a bulk call sent twice at
    once waits for the first, then sees its work), with their records and 考察组: three statements per chunk."""
    election = _election(session, election_id)
    _require_stage(election, VETTING_STAGES, what)
    nominees: dict[int, Nominee] = {}
    vettings: dict[int, Vetting] = {}
    assigned: dict[int, list[int]] = defaultdict(list)
    for chunk in _chunks(sorted(set(ids))):
        nominees.update((n.id, n) for n in session.scalars(
            select(Nominee).where(Nominee.id.in_(chunk), Nominee.election_id == election.id).order_by(Nominee.id)
            .with_for_update(of=Nominee).execution_options(populate_existing=True)))
        vettings.update((v.nominee_id, v) for v in session.scalars(
            select(Vetting).where(Vetting.nominee_id.in_(chunk)).execution_options(populate_existing=True)))
        for nid, uid in session.execute(select(InspectorAssignment.nominee_id, InspectorAssignment.user_id)
                                        .where(InspectorAssignment.nominee_id.in_(chunk))):
            assigned[nid].append(uid)
    return _People(election, nominees, vettings, assigned)


def _visible(actor, people: _People, nominee_id: int) -> Nominee | None:
    """The person as the 考察 board shows him to ACTOR (api_examinations._row_or_404): a 考察对象 of this election
    (removed ones too), and for a 考察组 member one assigned to him; else None."""
    nominee = people.nominees.get(nominee_id)
    if nominee is None or not _reached(nominee, "shortlisted"):
        return None
    if has_role(actor, Role.inspector) and actor.id not in people.assigned.get(nominee_id, ()):
        return None
    return nominee


def _checked(actor, people: _People, ids: Sequence[int], check: Callable[[int, Nominee], None]) -> list[Nominee]:
    """The listed people, each through CHECK (the one-person rules); every refused item named, or ItemsRefused."""
    problems: list[ItemProblem] = []
    first: dict[int, int] = {}
    out = []
    for i, nid in enumerate(ids):
        if nid in first:
            problems.append(ItemProblem(i, f"第{i + 1}项：人员（编号{nid}）重复，已在第{first[nid] + 1}项"))
            continue
        first[nid] = i
        nominee = _visible(actor, people, nid)
        if nominee is None:
            problems.append(ItemProblem(i, f"第{i + 1}项：人员（编号{nid}）不是本次选举的考察对象"))
            continue
        try:
            check(i, nominee)
        except ServiceError as exc:  # PermissionDenied too: that person is refused, the list with him
            problems.append(ItemProblem(i, f"第{i + 1}项（{nominee.name}）：{exc.message}"))
            continue
        out.append(nominee)
    if problems:
        raise ItemsRefused(problems)
    return out


def _start_records(session: Session, people: _People, nominees: list[Nominee]) -> None:
    """The empty records (as start_vetting) of those who have none, inserted at once and read back per chunk."""
    new = [empty_record(n) for n in nominees if n.id not in people.vettings]
    if not new:
        return
    insert_rows(session, Vetting.__table__, new)  # the columns' defaults fill the rest, as for start_vetting
    for chunk in _chunks([row["nominee_id"] for row in new]):
        people.vettings.update((v.nominee_id, v) for v in session.scalars(
            select(Vetting).where(Vetting.nominee_id.in_(chunk))))


def _store(session: Session, objs: list, fields: tuple[str, ...]) -> None:
    """Store FIELDS of OBJS, as the apply_* functions set them, in one statement (bulk_sql.update_rows) rather than
    the unit of work's statement per row; the objects' attributes are then expired, so no flush writes them again."""
    if not objs:
        return
    keys = ("id", *fields)
    with session.no_autoflush:
        update_rows(session, type(objs[0]).__table__, keys, [tuple(getattr(o, k) for k in keys) for o in objs])
        for o in objs:
            session.expire(o, list(fields))


def _bulk(k: int) -> str:
    return f"（批量操作，共{k}人）"


def record_vetting_many(session: Session, actor, election_id: int, items: Sequence[tuple[int, VettingInput]],
                        now: datetime) -> list[int]:
    """The 考察组's records of a list of people (record_vetting for each, all or nothing). An input whose
    ``from_enterprise`` is None keeps the record's value, or the first guess from the workplace (as the page's
    form). -> the nominee ids."""
    ids = [nid for nid, _ in items]
    with transaction(session):
        people = _load(session, election_id, ids, "录入考察材料")
        data: dict[int, VettingInput] = {}

        def check(i: int, nominee: Nominee) -> None:
            given, vetting = items[i][1], people.vettings.get(nominee.id)
            if given.from_enterprise is None:
                given = dataclasses.replace(given, from_enterprise=vetting.from_enterprise if vetting is not None
                                            else looks_like_enterprise(nominee.workplace_title))
            check_record(actor, people.election, nominee, people.assigned.get(nominee.id, ()), vetting, given,
                         people.leader(nominee.category))
            data[nominee.id] = given

        nominees = _checked(actor, people, ids, check)
        _start_records(session, people, nominees)
        entries = []
        for nominee in nominees:
            before, after = apply_record(people.vettings[nominee.id], data[nominee.id], now)
            entries.append((nominee, f"录入{nominee.name}的考察材料" + _bulk(len(nominees)), before, after))
        _store(session, [people.vettings[n.id] for n in nominees], (*RECORD_FIELDS, "updated_at"))
        audit_many(session, actor, "vetting.record", entries, now=now)
    return ids


def record_discipline_opinions(session: Session, actor, election_id: int, items: Sequence[tuple[int, str]],
                               now: datetime) -> list[int]:
    """纪检机关意见 for a list of people (record_discipline_opinion for each, all or nothing). -> the ids."""
    require(can_record_discipline(actor), "纪检机关意见只能由纪检人员录入。")
    ids = [nid for nid, _ in items]
    with transaction(session):
        people = _load(session, election_id, ids, "录入纪检机关意见")
        nominees = _checked(actor, people, ids, lambda i, nominee: check_discipline(nominee, items[i][1]))
        opinion = {nid: text for nid, text in items}
        _start_records(session, people, nominees)
        entries = []
        for nominee in nominees:
            before, after = apply_discipline(actor, people.vettings[nominee.id], opinion[nominee.id], now)
            entries.append((nominee, f"录入{nominee.name}的纪检机关意见" + _bulk(len(nominees)), before, after))
        _store(session, [people.vettings[n.id] for n in nominees],
               ("discipline_opinion", "discipline_by_id", "discipline_at"))
        audit_many(session, actor, "vetting.discipline", entries, now=now)
    return ids


def conclude_many(session: Session, actor, election_id: int, items: Sequence[tuple[int, str, str]],
                  now: datetime) -> list[int]:
    """考察结论 for a list of people: (nominee_id, "passed" | "unfit", reason) each, as conclude_vetting, all or
    nothing. -> the ids."""
    ids = [nid for nid, _, _ in items]
    with transaction(session):
        people = _load(session, election_id, ids, "作出考察结论")
        verdicts = {}

        def check(i: int, nominee: Nominee) -> None:
            _, conclusion, reason = items[i]
            verdict = verdict_of(conclusion, reason)
            check_conclusion(actor, nominee, people.assigned.get(nominee.id, ()), people.vettings.get(nominee.id),
                             verdict, people.leader(nominee.category))
            verdicts[nominee.id] = (verdict, reason)

        nominees = _checked(actor, people, ids, check)
        _start_records(session, people, nominees)
        entries = []
        for nominee in nominees:
            verdict, reason = verdicts[nominee.id]
            summary, after = apply_conclusion(actor, nominee, people.vettings[nominee.id], verdict, reason, now)
            entries.append((nominee, summary + _bulk(len(nominees)), None, after))
        _store(session, [people.vettings[n.id] for n in nominees],
               ("conclusion", "concluded_by_id", "concluded_at", "conclusion_reason"))
        _store(session, [n for n in nominees if verdicts[n.id][0] is Conclusion.unfit], ("removed_reason",))
        audit_many(session, actor, "vetting.conclude", entries, now=now)
    return ids

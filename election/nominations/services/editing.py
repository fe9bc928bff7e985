"""A unit changes its draft list: a whole .xlsx uploaded (all or nothing, ``import_nominee_file``), or one
nominee added, edited or deleted through the form, with the same checks as an upload.
"""
from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import delete, func, insert, select
from sqlalchemy.orm import Session

from election.audit.services import audit
from election.core.db import transaction
from election.core.exceptions import NotFound
from election.core.xlsx import SheetRejected
from election.directory.models import ElectionUnit
from election.elections.facts import category_tree
from election.elections.models import Election
from election.nominations.columns import REGISTRATION_FIELDS, RowError
from election.nominations.models import Nominee
from election.nominations.nominee_checks import check_nominee_fields, make_context, nominated_elsewhere_errors
from election.nominations.readers import parse_nominee_rows, parse_nominee_sheet
from election.nominations.services.gate import (
    ELSEWHERE,
    _conflict,
    _get_unit,
    _lock,
    _record_conflicts,
    _require_editable,
    _require_unit_user,
    _taken_elsewhere,
    allowed_categories,
)

# ---------------------------------------------------------------------------------------------- results


@dataclass(frozen=True)
class ImportOutcome:
    """What an upload did: nothing stored unless ``errors`` is empty and the file was not refused."""

    errors: tuple[RowError, ...]
    notes: tuple[str, ...]
    stored_count: int
    refusal: str = ""  # the whole file was refused (SheetRejected): how to fix it

    @property
    def ok(self) -> bool:
        return not self.errors and not self.refusal


@dataclass(frozen=True)
class EditOutcome:
    """A one-by-one add or edit: the field errors (RowError.row is 0), or the stored nominee's id."""

    errors: tuple[RowError, ...]
    nominee_id: int | None = None

    @property
    def ok(self) -> bool:
        return not self.errors


# ---------------------------------------------------------------------------------------------- uploads


def _nominee_values(row, position: int, election_id: int, eu_id: int, now: datetime) -> dict:
    return {"election_id": election_id, "election_unit_id": eu_id, "position": position, "name": row.name,
            "gender": row.gender.label, "ethnicity": row.ethnicity, "id_number": row.id_number,
            "birth_date": row.birth_date, "native_place": row.native_place, "education": row.education,
            "party_join_date": row.party_join_date.first_day,
            "work_start_date": row.work_start_date.first_day if row.work_start_date else None,
            "workplace_title": row.workplace_title, "category": row.category, "remark": row.remark,
            "birthplace": row.birthplace, "health": row.health, "professional_title": row.professional_title,
            "resume": row.resume, "rewards": row.rewards, "step": "nominated", "created_at": now}


def import_nominee_file(session: Session, actor, election_unit_id: int, data: bytes | Sequence[dict], today: date,
                        now: datetime) -> ImportOutcome:
    """Check the whole file; with no error at all, replace the unit's draft list with it (all or nothing). DATA is
    the .xlsx, or the list as JSON items (the API), checked as the same list in the template's sheet."""
    with transaction(session):  # a short read: who may upload, and against which categories
        eu = _get_unit(session, election_unit_id)
        _require_unit_user(actor, eu)
        election = eu.election
        _require_editable(session, election, eu, today)
        categories = allowed_categories(category_tree(election))
        unit_name = eu.unit.name
    try:  # the slow part runs outside any transaction
        if isinstance(data, bytes):
            parsed = parse_nominee_sheet(data, allowed_categories=categories, today=today, unit_name=unit_name)
        else:
            parsed = parse_nominee_rows(data, allowed_categories=categories, today=today)
    except SheetRejected as exc:
        return ImportOutcome((), (), 0, refusal=exc.message)

    with transaction(session):
        election, eu = _lock(session, election_unit_id)
        _require_editable(session, election, eu, today)  # re-checked under the lock: a submit may have won
        taken = _taken_elsewhere(session, election.id, eu.id, [r.id_number for r in parsed.rows])
        elsewhere = nominated_elsewhere_errors(parsed.rows, taken)
        result = parsed.with_errors(elsewhere)
        if elsewhere:
            _record_conflicts(session, actor, eu, [_conflict(r.id_number, r.name, r.row, taken[r.id_number], now)
                                                   for r in parsed.rows if r.id_number in taken], now)
        if result.errors:
            return ImportOutcome(tuple(result.errors), tuple(result.notes), 0)
        before = session.scalar(select(func.count()).select_from(Nominee)
                                .where(Nominee.election_unit_id == eu.id)) or 0
        session.execute(delete(Nominee).where(Nominee.election_unit_id == eu.id)
                        .execution_options(synchronize_session=False))
        if parsed.rows:
            session.execute(insert(Nominee), [_nominee_values(r, i, election.id, eu.id, now)
                                              for i, r in enumerate(parsed.rows, start=1)])
        eu.duplicate_conflicts = None
        audit(session, actor, "nominations.import", eu, now=now,
              summary=f"{eu.unit.name}上传推荐人选名单{len(parsed.rows)}名（替换原名单{before}名）",
              before={"count": before}, after={"count": len(parsed.rows), "names": [r.name for r in parsed.rows]})
    session.expire_all()
    return ImportOutcome((), tuple(parsed.notes), len(parsed.rows))


# ---------------------------------------------------------------------------------------------- one by one

FORM_FIELDS = ("name", "gender", "ethnicity", "id_number", "birth_month", "native_place", "education",
               "party_join_date", "work_start_date", "workplace_title", "category", "remark", *REGISTRATION_FIELDS)


def _check_one(session: Session, actor, election: Election, eu: ElectionUnit, values: Mapping[str, object],
               today: date, now: datetime, exclude_id: int | None):
    ctx = make_context(allowed_categories(category_tree(election)), today)
    row, errors = check_nominee_fields({k: v for k, v in values.items() if k in FORM_FIELDS}, row=0, ctx=ctx)
    if row is None:
        return None, errors
    own = session.execute(select(Nominee.id, Nominee.position, Nominee.id_number, Nominee.name, Nominee.birth_date)
                          .where(Nominee.election_unit_id == eu.id)).all()
    for other in own:
        if other.id == exclude_id:
            continue
        if other.id_number == row.id_number:
            return None, [RowError(0, "身份证号", f"本单位名单中已有此人（{other.name}），同一人只能填写一次")]
        if (other.name, other.birth_date) == (row.name, row.birth_date):
            return None, [RowError(0, "姓名", f"本单位名单中已有姓名和出生日期都相同的“{other.name}”，请核实是否重复填写了同一人")]
    taken = _taken_elsewhere(session, election.id, eu.id, [row.id_number])
    if taken:
        _record_conflicts(session, actor, eu, [_conflict(row.id_number, row.name, 0, taken[row.id_number], now)], now)
        return None, [RowError(0, "身份证号", ELSEWHERE)]
    return row, []


def add_nominee(session: Session, actor, election_unit_id: int, values: Mapping[str, object], today: date,
                now: datetime) -> EditOutcome:
    """Add one person to the unit's draft list, with the same checks as an upload."""
    with transaction(session):
        election, eu = _lock(session, election_unit_id)
        _require_unit_user(actor, eu)
        _require_editable(session, election, eu, today)
        row, errors = _check_one(session, actor, election, eu, values, today, now, None)
        if row is None:
            return EditOutcome(tuple(errors))
        last = session.scalar(select(func.max(Nominee.position)).where(Nominee.election_unit_id == eu.id)) or 0
        nominee = Nominee(**_nominee_values(row, last + 1, election.id, eu.id, now))
        session.add(nominee)
        session.flush()
        audit(session, actor, "nominations.add", nominee, now=now, summary=f"{eu.unit.name}添加推荐人选{row.name}",
              after={"name": row.name, "category": row.category})
    return EditOutcome((), nominee.id)


def _nominee_in_unit(session: Session, nominee_id: int) -> Nominee:
    nominee = session.get(Nominee, nominee_id)
    if nominee is None:
        raise NotFound("推荐人选不存在。")
    return nominee


def update_nominee(session: Session, actor, nominee_id: int, values: Mapping[str, object], today: date,
                   now: datetime) -> EditOutcome:
    with transaction(session):
        nominee = _nominee_in_unit(session, nominee_id)
        election, eu = _lock(session, nominee.election_unit_id)
        _require_unit_user(actor, eu)
        _require_editable(session, election, eu, today)
        row, errors = _check_one(session, actor, election, eu, values, today, now, nominee.id)
        if row is None:
            return EditOutcome(tuple(errors), nominee.id)
        before = {"name": nominee.name, "category": nominee.category}
        for key, value in _nominee_values(row, nominee.position, election.id, eu.id, now).items():
            if key not in ("created_at", "position", "step"):
                setattr(nominee, key, value)
        audit(session, actor, "nominations.update", nominee, now=now, summary=f"{eu.unit.name}修改推荐人选{row.name}",
              before=before, after={"name": row.name, "category": row.category})
    return EditOutcome((), nominee.id)


def delete_nominee(session: Session, actor, nominee_id: int, today: date, now: datetime) -> None:
    with transaction(session):
        nominee = _nominee_in_unit(session, nominee_id)
        election, eu = _lock(session, nominee.election_unit_id)
        _require_unit_user(actor, eu)
        _require_editable(session, election, eu, today)
        audit(session, actor, "nominations.delete", nominee, now=now, summary=f"{eu.unit.name}删除推荐人选{nominee.name}",
              before={"name": nominee.name, "category": nominee.category})
        session.delete(nominee)

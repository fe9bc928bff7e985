"""Reads of the directory: the tree for its page, the choices other pages offer (推荐单位 for an allocation, 党代表工作室
for a delegate or a user), and what refers to an organisation. A fixed number of statements whatever the size."""
from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import ForeignKey, Table, func, or_, select, true
from sqlalchemy.orm import Session, aliased, joinedload

from election.core.db import Base
from election.directory.models import DelegateOffice, Organisation, Unit
from workflow.directory.tree import STUDIO, OrgRecord, export_order


def record_of(org: Organisation, parent_code: str | None) -> OrgRecord:
    return OrgRecord(org.code, org.name, org.category, parent_code, org.grassroots_orgs, org.members,
                     org.contact_person or "", org.contact_phone or "")


def all_records(session: Session, within: frozenset[int] | None = None) -> dict[str, OrgRecord]:
    """Every organisation (retired ones too) as plain records, by 编码, in one statement; WITHIN (a user's part of
    the directory, election.directory.scope) keeps only those organisations — the part's own top keeps its 上级编码."""
    parent = aliased(Organisation)
    query = select(Organisation, parent.code).outerjoin(parent, Organisation.parent_id == parent.id)
    if within is not None:
        query = query.where(Organisation.id.in_(within))
    rows = session.execute(query.order_by(Organisation.id)).all()
    return {org.code: record_of(org, parent_code) for org, parent_code in rows}


@dataclass
class TreeNode:
    org: Organisation
    depth: int
    children: list[TreeNode] = field(default_factory=list)
    unit_id: int | None = None
    office_id: int | None = None


def tree_rows(session: Session, *, include_retired: bool = False,
              within: frozenset[int] | None = None) -> list[TreeNode]:
    """The directory in its export order (parents first, siblings by 编码) with each node's depth: five statements.
    WITHIN (a user's part of the directory): only those organisations, the part's top at depth 0."""
    orgs = session.scalars(select(Organisation)).all()
    if within is not None:
        orgs = [o for o in orgs if o.id in within]
    if not include_retired:
        orgs = [o for o in orgs if o.retired_at is None]
    by_id = {o.id: o for o in orgs}
    records = [record_of(o, by_id[o.parent_id].code if o.parent_id in by_id else None) for o in orgs]
    by_code = {o.code: o for o in orgs}
    # a 推荐单位 stands directly under a 选举单位 (a district's own unit, left from before a city came above it, is not)
    bodies = electing_bodies(session)
    units = {org_id: unit_id for org_id, unit_id in session.execute(
        select(Unit.organisation_id, Unit.id).where(Unit.organisation_id.is_not(None))).all()
        if org_id in by_id and by_id[org_id].parent_id in bodies}
    offices = dict(session.execute(select(DelegateOffice.organisation_id, DelegateOffice.id)
                                   .where(DelegateOffice.organisation_id.is_not(None))).all())
    depth: dict[str, int] = {}
    out = []
    for r in export_order(records):
        depth[r.code] = depth.get(r.parent_code, -1) + 1 if r.parent_code in depth else 0
        org = by_code[r.code]
        out.append(TreeNode(org, depth[r.code], unit_id=units.get(org.id), office_id=offices.get(org.id)))
    return out


def search(session: Session, text: str, limit: int = 200,
           within: frozenset[int] | None = None) -> list[Organisation]:
    """Organisations whose 名称 or 编码 contains the text, by 编码 (only those WITHIN a user's part, when given)."""
    like = f"%{text.strip()}%"
    query = select(Organisation).options(joinedload(Organisation.parent)) \
        .where(or_(Organisation.name.like(like), Organisation.code.like(like)))
    if within is not None:
        query = query.where(Organisation.id.in_(within))
    return list(session.scalars(query.order_by(Organisation.code).limit(limit)))


def top(session: Session) -> Organisation | None:
    """The 选举单位 at the top of the tree (the one organisation without a 上级)."""
    return session.scalars(select(Organisation).where(Organisation.parent_id.is_(None))
                           .order_by(Organisation.id).limit(1)).first()


def _congresses() -> Table | None:
    return Base.metadata.tables.get("congresses")  # the levels area's table (not imported: it builds on this one)


def electing_bodies(session: Session) -> frozenset[int]:
    """The 选举单位 of the tree: its top; or, when the top is an upper committee that runs an election of its own
    over several 选举单位 (a 上级选举, e.g. 中共某市委员会), the organisations directly under the top, 党代表工作室
    aside. 来源: docs/rules.md §1 (选举单位、推荐单位), §8.4."""
    head = top(session)
    if head is None:
        return frozenset()
    congresses = _congresses()
    upper = congresses is not None and session.scalar(
        select(congresses.c.id).where(congresses.c.organisation_id == head.id).limit(1)) is not None
    if not upper:
        return frozenset({head.id})
    return frozenset(session.scalars(select(Organisation.id).where(Organisation.parent_id == head.id,
                                                                   Organisation.category != STUDIO)))


def active_units(session: Session, within: frozenset[int] | None = None) -> list[Unit]:
    """The 推荐单位 an election may allocate seats to, by 编码: those whose directory entry is in force and stands
    directly under a 选举单位 (units from before the directory, with no entry, too); WITHIN (a user's part of the
    directory): only the 推荐单位 there."""
    bodies = electing_bodies(session)
    in_force = Organisation.retired_at.is_(None) & (Organisation.parent_id.in_(bodies) if bodies else true())
    query = select(Unit).outerjoin(Organisation, Unit.organisation_id == Organisation.id) \
        .where(or_(Organisation.id.is_(None), in_force))
    if within is not None:
        query = query.where(Unit.organisation_id.in_(within))
    return list(session.scalars(query.order_by(Unit.code)))


def active_offices(session: Session) -> list[DelegateOffice]:
    """The 党代表工作室 a delegate or a user may be attached to: those in force, in the order they were made."""
    return list(session.scalars(select(DelegateOffice)
                                .outerjoin(Organisation, DelegateOffice.organisation_id == Organisation.id)
                                .where(or_(Organisation.id.is_(None), Organisation.retired_at.is_(None)))
                                .order_by(DelegateOffice.id)))


def references(session: Session, org: Organisation) -> dict[str, int]:
    """What refers to an organisation, by table: its sub-organisations and everything that names its 推荐单位 or
    党代表工作室 (elections, nominees' lists, users, delegates, activities …), read from the schema's foreign keys, so
    a table added later is counted too."""
    counts: dict[str, int] = {}
    children = session.scalar(select(func.count()).select_from(Organisation).where(Organisation.parent_id == org.id))
    if children:
        counts["organisations"] = children
    for model, column in ((Unit, Unit.organisation_id), (DelegateOffice, DelegateOffice.organisation_id)):
        linked = session.scalar(select(model.id).where(column == org.id))
        if linked is None:
            continue
        for table in model.metadata.sorted_tables:
            for fk in table.foreign_keys:
                if fk.column.table is model.__table__ and isinstance(fk, ForeignKey):
                    n = session.scalar(select(func.count()).select_from(table).where(fk.parent == linked))
                    if n:
                        counts[table.name] = counts.get(table.name, 0) + n
    return counts


def is_studio(org: Organisation) -> bool:
    return org.category == STUDIO


def is_unit(session: Session, org: Organisation) -> bool:
    """Whether the organisation is a 推荐单位 (it has its Unit and stands directly under a 选举单位)."""
    return org.parent_id in electing_bodies(session) and \
        session.scalar(select(Unit.id).where(Unit.organisation_id == org.id)) is not None

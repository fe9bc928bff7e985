"""Use cases of the organisation directory: add, edit (and move), retire, reinstate, delete one that nothing refers
to, import a sheet. Each is one transaction with one audit entry, checks the whole tree with the pure rules
(workflow.directory.tree) before it writes, and keeps the 推荐单位 and 党代表工作室 linked to the tree in step:
an organisation directly under a 选举单位 (党代表工作室 aside) is a 推荐单位, every 党代表工作室 is an office — the
选举单位 being the top, or each organisation under an upper committee at the top (queries.electing_bodies).
来源: docs/rules.md §1 (选举单位、推荐单位), §6 (党代表工作室), §8.4."""
from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from election.audit.services import audit
from election.core.db import transaction
from election.core.exceptions import NotFound, ServiceError
from election.core.permissions import can_manage_directory, require
from election.directory.models import DelegateOffice, Organisation, Unit
from election.directory.queries import all_records, electing_bodies, references
from election.directory.scope import subtree_ids
from workflow.directory.tree import STUDIO, OrgRecord, TreeProblem, changed_fields, check_tree, merged, plan_import

TABLE_LABELS = {"organisations": "下属组织", "election_units": "选举中的推荐单位", "users": "用户账号",
                "term_delegates": "代表", "api_tokens": "接口令牌", "activity_records": "履职活动",
                "petitions": "群众诉求", "duty_rule_assignments": "履职规则设置"}


class DirectoryRejected(ServiceError):
    """The change would break the tree; ``problems`` name the organisation and the column of each."""

    def __init__(self, problems: Sequence[TreeProblem]):
        self.problems = list(problems)
        super().__init__("；".join(p.message for p in problems))


@dataclass(frozen=True)
class ImportResult:
    added: int
    updated: int
    unchanged: int


def _check(records: Iterable[OrgRecord]) -> None:
    problems = check_tree(list(records))
    if problems:
        raise DirectoryRejected(problems)


def _validate_fields(r: OrgRecord) -> None:
    missing = [label for label, value in (("编码", r.code), ("名称", r.name), ("类别", r.category)) if not value.strip()]
    if missing:
        raise ServiceError(f"请填写{'、'.join(missing)}。")


def _part(session: Session, actor) -> frozenset[int] | None:
    """The actor's part of the directory (his organisation and what is under it), None for the whole installation."""
    organisation_id = getattr(actor, "organisation_id", None)
    return None if organisation_id is None else subtree_ids(session, organisation_id)


def _outside_part(session: Session, part: frozenset[int] | None, existing: Mapping[str, OrgRecord],
                  records: Sequence[OrgRecord]) -> list[TreeProblem]:
    """A user limited to a part of the directory changes and adds organisations only there: an organisation of
    another part is not his to change, and a new or moved one must stand under one of his (his part's own top
    keeps the 上级 it has). 来源: docs/rules.md §8.4."""
    if part is None:
        return []
    ids = _ids_by_code(session)
    problems = []
    for r in records:
        if r.code in existing and ids.get(r.code) not in part:
            problems.append(TreeProblem(r.code, "编码", f"编码“{r.code}”是“{existing[r.code].name}”，不在您负责的组织范围内，"
                                                      "不能修改"))
        elif r.code not in existing or existing[r.code].parent_code != r.parent_code:
            problems.extend(_parent_outside(part, ids, r))
    return problems


def _parent_outside(part: frozenset[int], ids: Mapping[str, int], r: OrgRecord) -> list[TreeProblem]:
    if not r.parent_code:
        return [TreeProblem(r.code, "上级编码", "请填写上级编码：您只能在本单位及其下属组织之下新增或移动组织")]
    if r.parent_code in ids and ids[r.parent_code] not in part:
        return [TreeProblem(r.code, "上级编码", f"上级编码“{r.parent_code}”不在您负责的组织范围内：您只能在本单位及"
                                               "其下属组织之下新增或移动组织")]
    return []  # a new organisation of the same sheet, or one that does not exist (the tree check names it)


def _get(session: Session, org_id: int, *, lock: bool = False,
         part: frozenset[int] | None = None) -> Organisation:
    """The organisation (locked for a change); another part's is "not found", as its page is."""
    query = select(Organisation).where(Organisation.id == org_id)
    org = session.scalar(query.with_for_update() if lock else query)
    if org is None or (part is not None and org.id not in part):
        raise NotFound("找不到该组织。")
    return org


def create_organisation(session: Session, actor, record: OrgRecord, now: datetime | None = None) -> Organisation:
    require(can_manage_directory(actor), "只有管理员和选举办工作人员可以维护组织机构。")
    _validate_fields(record)
    with transaction(session):
        existing = all_records(session)
        if record.code in existing:
            raise DirectoryRejected([TreeProblem(record.code, "编码", f"编码“{record.code}”已被“{existing[record.code].name}”使用")])
        outside = _outside_part(session, _part(session, actor), existing, [record])
        if outside:
            raise DirectoryRejected(outside)
        _check(merged(existing, [record]))
        org = _write(session, None, record, _ids_by_code(session))
        _sync_links(session, [org])
        audit(session, actor, "directory.create", org, summary=f"新增组织“{org.name}”（{org.category}）",
              after=_plain(record), now=now)
    return org


def update_organisation(session: Session, actor, org_id: int, record: OrgRecord,
                        now: datetime | None = None) -> Organisation:
    """Edit an organisation: its 编码, 名称, 类别, counts and contacts, and its 上级 (a move)."""
    require(can_manage_directory(actor), "只有管理员和选举办工作人员可以维护组织机构。")
    _validate_fields(record)
    with transaction(session):
        org = _get(session, org_id, lock=True, part=_part(session, actor))
        existing = all_records(session)
        before = existing[org.code]
        if record.code != org.code and record.code in existing:
            raise DirectoryRejected([TreeProblem(record.code, "编码", f"编码“{record.code}”已被“{existing[record.code].name}”使用")])
        renamed = {}
        for code, r in existing.items():  # the tree after the edit; children follow their parent's new 编码
            if code == org.code:
                renamed[record.code] = record
            else:
                renamed[code] = replace(r, parent_code=record.code) if r.parent_code == org.code else r
        if record.category == STUDIO and any(r.parent_code == record.code for r in renamed.values()):
            raise DirectoryRejected([TreeProblem(record.code, "类别", "该组织下还有下属组织，不能改为党代表工作室")])
        part = _part(session, actor)
        if part is not None and before.parent_code != record.parent_code:
            outside = _parent_outside(part, _ids_by_code(session), record)
            if outside:
                raise DirectoryRejected(outside)
        _check(renamed.values())
        changes = changed_fields(before, record)
        if not changes:
            return org
        _write(session, org, record, _ids_by_code(session))
        _sync_links(session, [org])
        verb = "移动" if "parent_code" in changes and len(changes) == 1 else "修改"
        audit(session, actor, "directory.update", org, summary=f"{verb}组织“{org.name}”",
              before={k: v[0] for k, v in changes.items()}, after={k: v[1] for k, v in changes.items()}, now=now)
    return org


def retire_organisation(session: Session, actor, org_id: int, reason: str, now: datetime) -> Organisation:
    """撤销: the organisation stays in history and in old documents, but is no longer offered anywhere; users
    scoped to its 推荐单位 or 工作室 can no longer log in."""
    require(can_manage_directory(actor), "只有管理员和选举办工作人员可以维护组织机构。")
    if not (reason or "").strip():
        raise ServiceError("撤销组织须写明原因。")
    with transaction(session):
        org = _get(session, org_id, lock=True, part=_part(session, actor))
        if org.retired_at is not None:
            raise ServiceError(f"“{org.name}”已于此前撤销。")
        active_children = session.scalars(select(Organisation.name).where(Organisation.parent_id == org.id,
                                                                          Organisation.retired_at.is_(None))).all()
        if active_children:
            raise ServiceError(f"“{org.name}”下还有{len(active_children)}个在用的下属组织（{'、'.join(active_children[:5])}"
                               f"{'等' if len(active_children) > 5 else ''}），请先撤销或移走它们。")
        org.retired_at = now
        org.retire_reason = reason.strip()
        audit(session, actor, "directory.retire", org, summary=f"撤销组织“{org.name}”：{org.retire_reason}", now=now)
    return org


def reinstate_organisation(session: Session, actor, org_id: int, now: datetime | None = None) -> Organisation:
    require(can_manage_directory(actor), "只有管理员和选举办工作人员可以维护组织机构。")
    with transaction(session):
        org = _get(session, org_id, lock=True, part=_part(session, actor))
        if org.retired_at is None:
            raise ServiceError(f"“{org.name}”没有撤销。")
        if org.parent is not None and org.parent.retired_at is not None:
            raise ServiceError(f"上级“{org.parent.name}”已撤销，请先恢复上级或把本组织移到其他上级下。")
        org.retired_at = None
        org.retire_reason = None
        audit(session, actor, "directory.reinstate", org, summary=f"恢复组织“{org.name}”", now=now)
    return org


def delete_organisation(session: Session, actor, org_id: int, now: datetime | None = None) -> None:
    """Only an organisation nothing refers to (entered by mistake); anything else is retired instead."""
    require(can_manage_directory(actor), "只有管理员和选举办工作人员可以维护组织机构。")
    with transaction(session):
        org = _get(session, org_id, lock=True, part=_part(session, actor))
        used = references(session, org)
        if used:
            what = "、".join(f"{TABLE_LABELS.get(t, t)}{n}条" for t, n in used.items())
            raise ServiceError(f"“{org.name}”已被{what}引用，不能删除；不再使用时请撤销。")
        for model in (Unit, DelegateOffice):
            linked = session.scalar(select(model).where(model.organisation_id == org.id))
            if linked is not None:
                session.delete(linked)
        name, code = org.name, org.code
        session.delete(org)
        audit(session, actor, "directory.delete", object_type="organisations", object_id=org_id,
              summary=f"删除误建的组织“{name}”（编码{code}）", before={"code": code, "name": name}, now=now)


def import_organisations(session: Session, actor, records: Sequence[OrgRecord], now: datetime | None = None,
                         rows: Mapping[str, int] | None = None) -> ImportResult:
    """All or nothing: organisations matched by 编码 are updated, new ones added, none deleted; the same file twice
    changes nothing the second time. ``rows`` (编码 → sheet row) lets a problem name its row."""
    if actor is not None:
        require(can_manage_directory(actor), "只有管理员和选举办工作人员可以维护组织机构。")
    with transaction(session):
        existing = all_records(session)
        outside = _outside_part(session, _part(session, actor), existing, records)
        if outside:
            raise DirectoryRejected(outside)
        _check(merged(existing, records))
        plan = plan_import(existing, records)
        if not plan.added and not plan.updated:
            return ImportResult(0, 0, len(plan.unchanged))
        ids = _ids_by_code(session)
        orgs = {o.code: o for o in session.scalars(select(Organisation))}
        touched: list[Organisation] = []
        unflushed: dict[str, Organisation] = {}
        for r in _parents_first([*plan.added, *(after for _, after in plan.updated)]):
            if r.parent_code in unflushed:  # its parent is new: write the level above first (one flush a level)
                session.flush()
                ids.update((code, o.id) for code, o in unflushed.items())
                unflushed.clear()
            org = _write(session, orgs.get(r.code), r, ids, flush=False)
            orgs[r.code] = org
            unflushed[r.code] = org
            touched.append(org)
        session.flush()
        _sync_links(session, touched)
        audit(session, actor, "directory.import", object_type="organisations", object_id="",
              summary=f"导入组织机构：新增{len(plan.added)}个、更新{len(plan.updated)}个、未变{len(plan.unchanged)}个",
              after={"added": [r.code for r in plan.added], "updated": [a.code for _, a in plan.updated]}, now=now)
    return ImportResult(len(plan.added), len(plan.updated), len(plan.unchanged))


# ------------------------------------------------------------------------------------------------ writing
def _ids_by_code(session: Session) -> dict[str, int]:
    return dict(session.execute(select(Organisation.code, Organisation.id)).all())


def _parents_first(records: Sequence[OrgRecord]) -> list[OrgRecord]:
    pending = {r.code: r for r in records}
    out: list[OrgRecord] = []
    placed: set[str] = set()
    while pending:
        ready = [r for r in pending.values() if r.parent_code not in pending or r.parent_code in placed]
        ready = ready or list(pending.values())  # the tree was checked: no cycle, so this never loops
        for r in sorted(ready, key=lambda x: x.code):
            out.append(r)
            placed.add(r.code)
            pending.pop(r.code)
    return out


def _write(session: Session, org: Organisation | None, r: OrgRecord, ids: dict[str, int], *,
           flush: bool = True) -> Organisation:
    if org is None:
        org = Organisation(code=r.code)
        session.add(org)
    org.code, org.name, org.category = r.code, r.name, r.category
    org.parent_id = ids.get(r.parent_code) if r.parent_code else None
    org.grassroots_orgs, org.members = r.grassroots_orgs, r.members
    org.contact_person, org.contact_phone = r.contact_person, r.contact_phone
    if flush:
        session.flush()
    return org


def _sync_links(session: Session, orgs: Sequence[Organisation]) -> None:
    """Give every 推荐单位 of the tree its Unit and every 党代表工作室 its office, named as the tree names them; a unit or
    office from before the directory with the same 编码 (or name) is linked rather than duplicated."""
    if not orgs:
        return
    bodies = electing_bodies(session)
    units = session.scalars(select(Unit)).all()
    unit_by_org = {u.organisation_id: u for u in units if u.organisation_id}
    # the 推荐单位 of a 选举单位 that became one since (an upper committee's election set up above the tree) too
    orgs = [*orgs, *(o for o in session.scalars(select(Organisation).where(Organisation.parent_id.in_(bodies))
                                                .order_by(Organisation.id))
                     if o.id not in unit_by_org and o not in orgs)] if bodies else list(orgs)
    free_units = {u.code: u for u in units if u.organisation_id is None} | \
                 {u.name: u for u in units if u.organisation_id is None}
    offices = session.scalars(select(DelegateOffice)).all()
    office_by_org = {o.organisation_id: o for o in offices if o.organisation_id}
    free_offices = {o.name: o for o in offices if o.organisation_id is None}
    unit_names = {u.name: u for u in units}
    office_names = {o.name: o for o in offices}
    for org in orgs:
        if org.category == STUDIO:
            office = office_by_org.get(org.id) or free_offices.pop(org.name, None)
            clash = office_names.get(org.name)
            if clash is not None and clash is not office:
                raise ServiceError(f"党代表工作室“{org.name}”与已有的同名工作室重复，请改用其他名称。")
            if office is None:
                office = DelegateOffice(name=org.name)
                session.add(office)
            office.organisation_id, office.name = org.id, org.name
            office_names[org.name] = office
        elif org.parent_id is not None and org.parent_id in bodies:
            unit = unit_by_org.get(org.id) or free_units.pop(org.code, None) or free_units.pop(org.name, None)
            clash = unit_names.get(org.name)
            if clash is not None and clash is not unit:
                raise ServiceError(f"推荐单位名称“{org.name}”与已有单位（编码{clash.code}）重复，请改用其他名称。")
            if unit is None:
                unit = Unit(code=org.code, name=org.name)
                session.add(unit)
            unit.organisation_id, unit.code, unit.name, unit.kind = org.id, org.code, org.name, org.category
            unit.grassroots_orgs, unit.members = org.grassroots_orgs, org.members
            unit_names[org.name] = unit
    session.flush()


def link_units(session: Session) -> None:
    """Give every 推荐单位 of the tree its Unit, in the caller's transaction: for a use case that makes the top an
    upper committee (its congress), whose 选举单位' own 推荐单位 become the ones elections allocate to."""
    _sync_links(session, list(session.scalars(select(Organisation).where(Organisation.parent_id.is_(None)))))


def _plain(r: OrgRecord) -> dict:
    return {"code": r.code, "name": r.name, "category": r.category, "parent_code": r.parent_code,
            "grassroots_orgs": r.grassroots_orgs, "members": r.members}

"""组织机构 over the API: the tree (listed parents first, searchable), one organisation, add, change (and move),
retire, reinstate, delete one nothing refers to, and the sheet in and out — each one call of the directory's use
cases, with the same checks and messages as the pages."""
from __future__ import annotations

import io

from flask import Response, send_file

from election.api import (
    DATETIME,
    PAGE_PARAMS,
    ApiError,
    B,
    I,
    Param,
    S,
    component,
    endpoint,
    not_found,
    nullable,
    obj,
    page_of,
    paginate_list,
    tag,
    uploaded_file,
    user,
    utc,
    validation,
)
from election.core.clock import today_local, utcnow
from election.core.db import db
from election.core.roles import Role
from election.core.xlsx import SheetRejected
from election.directory import queries, services
from election.directory.models import Organisation
from election.directory.readers import parse_directory_sheet, tree_errors, write_directory_sheet
from election.directory.scope import org_scope
from election.documents.filenames import document_filename
from workflow.directory.tree import CATEGORIES, OrgRecord

TAG = tag("组织机构", "选举单位、推荐单位、基层党组织和党代表工作室组成的组织机构树")
READ = (Role.admin, Role.office, Role.auditor)
WRITE = (Role.admin, Role.office)
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

FIELDS = {
    "code": S("编码", minLength=1, maxLength=32), "name": S("名称", minLength=1, maxLength=128),
    "category": S("类别", enum=list(CATEGORIES)),
    "parent_code": nullable(S("上级编码（最上级的选举单位为 null）", maxLength=32)),
    "grassroots_orgs": I("基层党组织数", minimum=0, maximum=10_000_000),
    "members": I("党员数", minimum=0, maximum=100_000_000),
    "contact_person": S("联系人", maxLength=64), "contact_phone": S("联系电话", maxLength=32),
}
ORGANISATION = component("Organisation", obj({
    "id": I(), **FIELDS, "depth": I("在树中的层级（最上级为0）"), "is_unit": B("是否为推荐单位（直接在选举单位下）"),
    "retired": B("是否已撤销"), "retired_at": nullable(DATETIME()), "retire_reason": nullable(S()),
}))
ORG_IN = obj(FIELDS, required=("code", "name", "category"))
RETIRE_IN = obj({"reason": S("撤销原因", minLength=1, maxLength=500)})
IMPORTED = component("DirectoryImport", obj({"added": I("新增"), "updated": I("更新"), "unchanged": I("未变")}))


def _json(org: Organisation, depth: int | None = None, is_unit: bool | None = None, *,
          parent_code: str | None = ...) -> dict:
    if parent_code is ...:
        parent_code = org.parent.code if org.parent else None
    return {"id": org.id, "code": org.code, "name": org.name, "category": org.category, "parent_code": parent_code, "grassroots_orgs": org.grassroots_orgs,
            "members": org.members, "contact_person": org.contact_person, "contact_phone": org.contact_phone,
            "depth": depth if depth is not None else _depth(org), "is_unit": bool(is_unit),
            "retired": org.retired_at is not None, "retired_at": utc(org.retired_at), "retire_reason": org.retire_reason}


def _depth(org: Organisation) -> int:
    depth, seen = 0, {org.id}
    while org.parent is not None and org.parent.id not in seen:
        org = org.parent
        seen.add(org.id)
        depth += 1
    return depth


def _org_or_404(org_id: int) -> Organisation:
    org = db.session.get(Organisation, org_id)
    if org is None:
        raise not_found("组织")
    return org


def _record(body: dict, base: OrgRecord | None = None) -> OrgRecord:
    values = {**(base.__dict__ if base else {}), **body}
    return OrgRecord(values["code"].strip(), values["name"].strip(), values["category"],
                     (values.get("parent_code") or "").strip() or None, values.get("grassroots_orgs") or 0,
                     values.get("members") or 0, (values.get("contact_person") or "").strip(),
                     (values.get("contact_phone") or "").strip())


def _rejected(exc: services.DirectoryRejected) -> ApiError:
    column_field = {"编码": "code", "名称": "name", "类别": "category", "上级编码": "parent_code",
                    "基层党组织数": "grassroots_orgs", "党员数": "members"}
    return validation(exc.message, [{"field": column_field.get(p.column, p.column), "code": p.code,
                                     "message": p.message} for p in exc.problems])


@endpoint("GET", "/organisations", summary="组织机构树", tag=TAG, response=page_of(ORGANISATION, "Organisation"),
          roles=READ, query=(*PAGE_PARAMS, Param("q", S(maxLength=64), "按名称或编码查找"),
                             Param("include_retired", B(), "包括已撤销的组织")),
          description="上级在前、同级按编码排列；给出 q 时列出名称或编码含有它的组织（按编码）。")
def list_organisations(args):
    if args["q"]:
        found = queries.search(db.session, args["q"], limit=10_000, within=org_scope(user()))
        if not args["include_retired"]:
            found = [o for o in found if o.retired_at is None]
        return paginate_list(found, args).as_dict(_json)
    nodes = queries.tree_rows(db.session, include_retired=bool(args["include_retired"]), within=org_scope(user()))
    codes = {n.org.id: n.org.code for n in nodes}  # the parents' 编码 without a statement per row
    return paginate_list(nodes, args).as_dict(
        lambda n: _json(n.org, n.depth, n.unit_id is not None, parent_code=codes.get(n.org.parent_id)))


@endpoint("GET", "/organisations/<int:org_id>", summary="一个组织", tag=TAG, response=ORGANISATION, roles=READ)
def get_organisation(org_id: int, args):
    org = _org_or_404(org_id)
    return _json(org, is_unit=queries.is_unit(db.session, org))


@endpoint("POST", "/organisations", summary="新增组织", tag=TAG, response=ORGANISATION, status=201, roles=WRITE,
          body=ORG_IN, errors=(422,), description="整棵树仍须合规：编码唯一、上级存在、只有一个最上级、无循环、党代表工作室下无组织。")
def create_organisation(args, body):
    try:
        org = services.create_organisation(db.session, user(), _record(body), utcnow())
    except services.DirectoryRejected as exc:
        raise _rejected(exc) from None
    return _json(org, is_unit=queries.is_unit(db.session, org))


@endpoint("PUT", "/organisations/<int:org_id>", summary="修改或移动组织", tag=TAG, response=ORGANISATION, roles=WRITE,
          body=obj(FIELDS, required=()), errors=(422,),
          description="只改给出的字段；改 parent_code 即把本组织连同下属组织移到新的上级之下。")
def update_organisation(org_id: int, args, body):
    org = _org_or_404(org_id)
    current = queries.record_of(org, org.parent.code if org.parent else None)
    try:
        services.update_organisation(db.session, user(), org.id, _record(body, current), utcnow())
    except services.DirectoryRejected as exc:
        raise _rejected(exc) from None
    db.session.expire_all()
    org = _org_or_404(org_id)
    return _json(org, is_unit=queries.is_unit(db.session, org))


@endpoint("POST", "/organisations/<int:org_id>/retire", summary="撤销组织", tag=TAG, response=ORGANISATION,
          roles=WRITE, body=RETIRE_IN, errors=(422,),
          description="撤销后保留在历史和已生成的公文中，不再出现在各种选项里，所属账户不能再登录；下属组织须先撤销或移走。")
def retire_organisation(org_id: int, args, body):
    org = services.retire_organisation(db.session, user(), _org_or_404(org_id).id, body["reason"], utcnow())
    return _json(org)


@endpoint("POST", "/organisations/<int:org_id>/reinstate", summary="恢复已撤销的组织", tag=TAG, response=ORGANISATION,
          roles=WRITE, errors=(422,))
def reinstate_organisation(org_id: int, args):
    org = services.reinstate_organisation(db.session, user(), _org_or_404(org_id).id, utcnow())
    return _json(org)


@endpoint("DELETE", "/organisations/<int:org_id>", summary="删除误建的组织", tag=TAG, response=None, status=204,
          roles=WRITE, errors=(422,), description="只能删除没有被任何记录引用的组织；已被引用的请撤销。")
def delete_organisation(org_id: int, args):
    services.delete_organisation(db.session, user(), _org_or_404(org_id).id, utcnow())
    return Response(status=204)


@endpoint("GET", "/organisations/file", summary="导出组织机构表（.xlsx）", tag=TAG, response=None, roles=READ,
          content_type=XLSX, description="表头：编码、名称、类别、上级编码、基层党组织数、党员数、联系人、联系电话；上级在前、同级按编码。")
def export_organisations(args):
    data = write_directory_sheet(list(queries.all_records(db.session, org_scope(user())).values()))
    name = document_filename("", "组织机构", today_local(), "xlsx")
    return send_file(io.BytesIO(data), mimetype=XLSX, as_attachment=True, download_name=name)


@endpoint("POST", "/organisations/file", summary="导入组织机构表（.xlsx）", tag=TAG, response=IMPORTED, roles=WRITE,
          upload=True, errors=(413, 422),
          description="与导出的格式相同。按编码更新已有组织、新增其余组织，从不删除；有任何错误则全部不导入，"
                      "details 中逐行列出（row 为表中的行号，column 为列名）。")
def import_organisations(args):
    data = uploaded_file("组织机构表")
    try:
        sheet = parse_directory_sheet(data)
    except SheetRejected as exc:
        raise ApiError(422, "file_refused", exc.message) from None
    errors = sheet.errors
    if not errors:
        try:
            result = services.import_organisations(db.session, user(), sheet.records, utcnow(), sheet.rows)
        except services.DirectoryRejected as exc:
            errors = tree_errors(exc.problems, sheet.rows)
        else:
            return {"added": result.added, "updated": result.updated, "unchanged": result.unchanged}
    details = [{"row": e.row, "column": e.column, "message": e.message} for e in errors]
    raise ApiError(422, "row_errors", f"组织机构表有{len(details)}处错误，未导入任何组织。请按逐行说明改正后重新导入。", details)

"""Nominees (推荐人选): read lists; a unit uploads its own list as JSON or .xlsx and submits it.

A JSON list is written into a sheet with the template's header and goes through the very same upload service
as the page (``import_nominee_file``), so it gets the same checks and the same row errors; only the row numbers
are turned into item numbers (第N条 = the N-th object of ``nominees``).
"""
from __future__ import annotations

import io
import re

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from sqlalchemy import select

from election.api import (
    DATE,
    DATETIME,
    PAGE_PARAMS,
    ApiError,
    B,
    I,
    Param,
    S,
    arr,
    component,
    endpoint,
    nullable,
    obj,
    page_of,
    paginate,
    tag,
    uploaded_file,
    user,
    utc,
    validation,
)
from election.api.scope import READERS, READERS_AND_UNIT, election_or_404, election_unit_or_404
from election.core.clock import today_local, utcnow
from election.core.db import db
from election.core.permissions import can_see_full_id_numbers
from election.core.roles import Role
from election.nominations.columns import COLUMNS
from election.nominations.models import Nominee
from workflow.common.idcard import mask_id

TAG = tag("推荐人选", "推荐人选名单：查看；推荐单位上传（JSON 或 .xlsx）并提交本单位名单")
STEPS = ["nominated", "shortlisted", "preliminary", "confirmed"]
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
HEADER_ROW = 1  # the JSON sheet's header; item N is sheet row N + 1

NOMINEE = component("Nominee", obj({
    "id": I(), "election_id": I(), "election_unit_id": I(), "position": I("名单中的顺序"), "name": S("姓名"),
    "gender": S(enum=["男", "女"]), "ethnicity": S("民族"), "id_number": S("身份证号（仅管理员可见全文，其余为脱敏）"),
    "birth_date": DATE(), "native_place": S(), "education": S(), "party_join_date": nullable(DATE()),
    "work_start_date": nullable(DATE()), "workplace_title": S("工作单位及职务"), "category": S("身份类别"),
    "remark": S(), "birthplace": S("出生地"), "health": S("健康状况"), "professional_title": S("专业技术职务"),
    "resume": S("简历，每段经历一行（换行分隔）"), "rewards": S("奖惩情况"), "step": S("进展：推荐人选/考察对象/初步人选/预备人选", enum=STEPS), "removed_reason": nullable(S()),
    "created_at": DATETIME(),
}))
ROW_ERROR = component("RowError", obj({"row": I("第几条（JSON）或表格第几行（.xlsx）"), "column": S("列名"),
                                       "message": S("中文：如何改正")}, description="与页面相同的逐行错误"))
IMPORTED = component("ImportResult", obj({"stored": I("保存的人数"), "notes": arr(S(), "被忽略或规范化的内容")}))
SUBMITTED = component("Submitted", obj({"election_unit_id": I(), "status": S(enum=["submitted"]),
                                        "submitted_at": DATETIME()}))
_FIELD_TEXT = {c.field: f"{c.header}{'（必填）' if c.required else ''}{'，' + c.hint if c.hint else ''}" for c in COLUMNS}
PERSON_IN = obj({c.field: S(_FIELD_TEXT[c.field], maxLength=max(500, 2 * c.max_length)) for c in COLUMNS}, required=[],
                description="一名推荐人选；字段与模板各列相同，日期写作 1975-03")
LIST_BODY = obj({"nominees": arr(PERSON_IN, "完整名单：替换本单位草稿名单", maxItems=5000)})


def nominee_json(n: Nominee) -> dict:
    shown = n.id_number if can_see_full_id_numbers(user()) else mask_id(n.id_number)
    return {"id": n.id, "election_id": n.election_id, "election_unit_id": n.election_unit_id, "position": n.position,
            "name": n.name, "gender": n.gender, "ethnicity": n.ethnicity, "id_number": shown,
            "birth_date": n.birth_date, "native_place": n.native_place, "education": n.education,
            "party_join_date": n.party_join_date, "work_start_date": n.work_start_date,
            "workplace_title": n.workplace_title, "category": n.category, "remark": n.remark,
            "birthplace": n.birthplace, "health": n.health, "professional_title": n.professional_title,
            "resume": n.resume, "rewards": n.rewards, "step": n.step,
            "removed_reason": n.removed_reason, "created_at": utc(n.created_at)}


_FILTERS = (*PAGE_PARAMS, Param("step", S(enum=STEPS), "只看达到该进展的人（含更后进展）"),
            Param("include_removed", B(), "包括已移出的人（默认 false）"))


def _filtered(query, args):
    if args["step"]:
        query = query.where(Nominee.step.in_(STEPS[STEPS.index(args["step"]):]))
    if not args["include_removed"]:
        query = query.where(Nominee.removed_reason.is_(None))
    return query


@endpoint("GET", "/election-units/<int:election_unit_id>/nominees", summary="一个推荐单位的名单", tag=TAG,
          response=page_of(NOMINEE, "Nominee"), roles=READERS_AND_UNIT, query=_FILTERS,
          description="推荐单位经办人只能查看本单位名单；其他单位的编号返回404。")
def unit_nominees(election_unit_id: int, args):
    eu = election_unit_or_404(user(), election_unit_id)
    query = _filtered(select(Nominee).where(Nominee.election_unit_id == eu.id), args)
    return paginate(db.session, query.order_by(Nominee.position, Nominee.id), args).as_dict(nominee_json)


@endpoint("GET", "/elections/<int:election_id>/nominees", summary="选举的全部推荐人选", tag=TAG,
          response=page_of(NOMINEE, "Nominee"), roles=READERS,
          query=(*_FILTERS, Param("election_unit_id", I(minimum=1, maximum=2_147_483_647), "按推荐单位筛选"),
                 Param("q", S(maxLength=64), "按姓名包含的文字筛选")))
def election_nominees(election_id: int, args):
    election = election_or_404(user(), election_id)
    query = _filtered(select(Nominee).where(Nominee.election_id == election.id), args)
    if args["election_unit_id"]:
        query = query.where(Nominee.election_unit_id == args["election_unit_id"])
    if args["q"]:
        query = query.where(Nominee.name.contains(args["q"].strip()))
    return paginate(db.session, query.order_by(Nominee.election_unit_id, Nominee.position, Nominee.id),
                    args).as_dict(nominee_json)


# ---------------------------------------------------------------------------------------------- uploads
def _refuse_control_characters(people: list[dict]) -> None:
    """What a sheet cannot hold is refused, naming the item and field (the list is checked as that sheet)."""
    problems = [{"field": f"nominees[{i}].{k}", "message": f"第{i + 1}条“{k}”含有不可见的控制字符，请删除"}
                for i, p in enumerate(people) for k, v in p.items() if ILLEGAL_CHARACTERS_RE.search(v)]
    if problems:
        raise validation("提交的数据有误，请按逐项说明修改。", problems)


def sheet_from_json(people: list[dict]) -> bytes:
    """The JSON list as a sheet with the template's header in row 1 (values as text, never formulas)."""
    _refuse_control_characters(people)
    wb = Workbook()
    ws = wb.active
    ws.title = "推荐人选名单"
    ws.append([c.header for c in COLUMNS])
    for number, person in enumerate(people, start=HEADER_ROW + 1):
        for col, column in enumerate(COLUMNS, start=1):
            value = person.get(column.field)
            if value is None or value == "":
                continue
            cell = ws.cell(row=number, column=col, value=value)
            cell.data_type = "s"  # "=…" stays text
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


_ROW = re.compile(r"第(\d+)行")


def _as_item(text: str) -> str:
    return _ROW.sub(lambda m: f"第{int(m.group(1)) - HEADER_ROW}条", text)


def _import(election_unit_id: int, data: bytes | list[dict], from_json: bool) -> dict:
    from election.nominations.services import import_nominee_file

    eu = election_unit_or_404(user(), election_unit_id)
    outcome = import_nominee_file(db.session, user(), eu.id, data, today_local(), utcnow())
    if outcome.refusal:
        raise ApiError(422, "file_refused", outcome.refusal)
    if outcome.errors:
        details = [{"row": e.row - HEADER_ROW if from_json else e.row, "column": e.column,
                    "message": _as_item(e.message) if from_json else e.message} for e in outcome.errors]
        what = "条" if from_json else "行"
        raise ApiError(422, "row_errors", f"名单有{len(details)}处错误，未保存任何人。请按逐{what}说明改正后重新上传。", details)
    return {"stored": outcome.stored_count, "notes": [_as_item(n) if from_json else n for n in outcome.notes]}


UPLOAD_TEXT = ("整体替换本单位的草稿名单：全部通过校验才保存，否则一个也不保存，并在 details 中返回与页面相同的逐行错误"
               "（含与其他推荐单位重复的人）。只能在“推荐提名”阶段、名单未提交且未过截止日期时上传。")


@endpoint("PUT", "/election-units/<int:election_unit_id>/nominees", summary="上传本单位名单（JSON）", tag=TAG,
          response=IMPORTED, roles=(Role.unit,), body=LIST_BODY, description=UPLOAD_TEXT + "错误中的“第N条”指 nominees 中的第N个对象。")
def upload_json(election_unit_id: int, args, body):
    eu = election_unit_or_404(user(), election_unit_id)
    _refuse_control_characters(body["nominees"])
    # checked as the same list in the template's sheet would be (readers.parse_nominee_rows), with no workbook
    return _import(eu.id, body["nominees"], from_json=True)


@endpoint("POST", "/election-units/<int:election_unit_id>/nominees/file", summary="上传本单位名单（.xlsx）", tag=TAG,
          response=IMPORTED, roles=(Role.unit,), upload=True, errors=(413,),
          description=UPLOAD_TEXT + "以 multipart/form-data 的 file 字段上传模板填写的 .xlsx（不超过5MB），"
                                    "或直接以 .xlsx 内容作请求体。")
def upload_file(election_unit_id: int, args):
    eu = election_unit_or_404(user(), election_unit_id)
    data = uploaded_file("名单文件")
    return _import(eu.id, data, from_json=False)


@endpoint("POST", "/election-units/<int:election_unit_id>/submit", summary="提交本单位名单", tag=TAG,
          response=SUBMITTED, roles=(Role.unit,),
          description="名单符合名额和差额要求时提交并锁定（需选举办退回方可修改）；否则返回422并列出全部原因。")
def submit(election_unit_id: int, args):
    from election.api import blockers
    from election.nominations.services import submit_list

    eu = election_unit_or_404(user(), election_unit_id)
    found = submit_list(db.session, user(), eu.id, today_local(), utcnow())
    if found:
        raise ApiError(422, "submit_blocked", "名单尚不能提交，请先处理以下问题。", blockers(found))
    db.session.refresh(eu)
    return {"election_unit_id": eu.id, "status": eu.status, "submitted_at": utc(eu.submitted_at)}

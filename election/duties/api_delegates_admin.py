"""The 代表名册 managed over the API, as the delegate pages offer it to the 组织部: the .xlsx roll imported (every
row or none, each error naming its sheet row and Chinese column) and the 补选 a delegate's vacancy opens. Each
operation is one call of the page's use case (election.duties.services.delegates: ``import_delegates``,
``start_by_election``) with the same predicate (can_manage_delegates).

The page hands a large roll to a background task; that task only runs ``import_delegates``, so the API runs the
same use case at once, within the upload limit (5 MB), and answers with its outcome."""
from __future__ import annotations

from datetime import date

from election.api import (
    MAX_ID,
    ApiError,
    I,
    S,
    arr,
    component,
    endpoint,
    obj,
    parse_date,
    uploaded_file,
    user,
    validation,
)
from election.core.clock import utcnow
from election.core.db import db
from election.directory.queries import active_units
from election.duties import services as svc
from election.duties.api_schemas import TAG, A, O
from election.duties.api_scope import _delegate_or_404
from election.elections.api import ELECTION, election_json

MANAGERS = (A, O)  # = svc.can_manage_delegates
FIRST_START, LAST_START = date(2000, 1, 1), date(2100, 12, 31)


def _example(schema: dict, *examples: dict) -> dict:
    return {**schema, "examples": list(examples)}


IMPORTED = component("DelegateImport", _example(obj({
    "imported": I("导入的代表人数", minimum=1), "names": arr(S(), "导入的代表姓名（按表中顺序）"),
}, description="代表名册导入的结果"), {"imported": 2, "names": ["张三", "李四"]}))
BY_ELECTION_IN = _example(obj({
    "start": S("补选开始日期，如 2026-07-01（各阶段截止日期按此推算）", format="date"),
    "unit_id": I("选举单位（推荐单位编号；省略为代表的原选举单位）", minimum=1, maximum=MAX_ID),
    "title": S("补选名称（省略为“某单位补选某届代表”）", maxLength=200),
}, required=["start"], description="因代表资格终止而启动的补选"), {"start": "2026-07-01"},
    {"start": "2026-07-01", "unit_id": 4, "title": "城关街道党工委补选区第十二次党代会代表"})


@endpoint("POST", "/duties/delegates/file", summary="导入代表名册（.xlsx）", tag=TAG, response=IMPORTED,
          status=201, roles=MANAGERS, upload=True, errors=(413, 422),
          description="与代表名册页面的“导入”相同（格式同该页面的导入模板）："
                      "multipart/form-data 的 file 字段，或以 .xlsx 内容作请求体。全部导入或全部不导入：有任何错误"
                      "返回422，details 中逐行列出（row 为表中的行号，column 为列名）。页面把大文件交给后台任务，"
                      "该任务执行的是同一用例；接口直接执行（不超过5MB）并返回结果。记一条审计记录。")
def import_term_delegates(args):
    data = uploaded_file("代表名册")
    result = svc.import_delegates(db.session, user(), data, utcnow())
    if not result.ok:
        details = [{"row": e.row, "column": e.column, "message": e.message} for e in result.errors]
        raise ApiError(422, "row_errors", f"代表名册有{len(details)}处错误，未导入任何代表。请按逐行说明改正后重新导入。",
                       details)
    return {"imported": len(result.rows), "names": [r.name for r in result.rows]}


@endpoint("POST", "/duties/delegates/<int:delegate_id>/by-election", summary="启动补选", tag=TAG,
          response=ELECTION, status=201, roles=MANAGERS, body=BY_ELECTION_IN, errors=(422,),
          description="与代表详情页面的“启动补选”相同：代表资格终止出缺后，为原选举单位新建一次选举，名额为"
                      "该单位同届全部未补选的空缺，时间安排按开始日期缩短；在任、停止执行或已启动补选的返回422。"
                      "返回新建的选举（之后在选举接口中推进）。记录补选的审计记录（及新建选举本身的记录）。")
def start_by_election(delegate_id: int, args, body):
    d = _delegate_or_404(delegate_id)
    start = parse_date(body["start"], "start", "补选开始日期")
    if not FIRST_START <= start <= LAST_START:
        raise validation("提交的数据有误，请按逐项说明修改。",
                         [{"field": "start", "message": "补选开始日期应在2000年至2100年之间"}])
    unit_id = body.get("unit_id")
    if unit_id is not None and unit_id not in {u.id for u in active_units(db.session)}:
        raise validation("提交的数据有误，请按逐项说明修改。",
                         [{"field": "unit_id", "message": f"推荐单位{unit_id}不存在或已撤销，请从推荐单位中选择"}])
    election = svc.start_by_election(db.session, user(), d.id, start, utcnow(), unit_id=unit_id,
                                     title=(body.get("title") or "").strip() or None)
    return election_json(election)

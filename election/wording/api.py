"""公文措辞 over the API, as the wording pages offer it: an election's documents with the text in force, one
document's text with its placeholders, saving the election's own text and restoring the default. The writes call
the pages' use cases (save_wording, restore_default): one transaction, one audit entry when something changed."""
from __future__ import annotations

from election.api import (
    DATETIME,
    PAGE_PARAMS,
    B,
    I,
    S,
    arr,
    component,
    endpoint,
    nullable,
    obj,
    page_of,
    paginate_list,
    tag,
    user,
    utc,
    validation,
)
from election.api.scope import election_or_404
from election.core.clock import utcnow
from election.core.db import db
from election.core.permissions import ELECTION_STAFF
from election.documents.wording import MAX_LENGTH, WordingKind
from election.wording import services as svc

TAG = tag("公文措辞", "每次选举的公示、情况报告的措辞：查看、修改、恢复默认")
STAFF = tuple(sorted(ELECTION_STAFF, key=lambda r: r.value))
KINDS = [k.value for k in WordingKind]
_KIND_TEXT = "；".join(f"{k.value} {k.label}" for k in WordingKind)


def _example(schema: dict, *examples: dict) -> dict:
    return {**schema, "examples": list(examples)}


WORDING = component("Wording", _example(obj({
    "election_id": I(), "kind": S(f"公文：{_KIND_TEXT}", enum=KINDS), "label": S("公文名称"),
    "body": S("正在使用的措辞（每段一行，{占位符}）"), "changed": B("本次选举有自己的措辞（false 为系统默认措辞）"),
    "updated_at": nullable(DATETIME("最后修改时间（默认措辞为 null）")),
    "placeholders": arr(obj({"name": S("占位符，如 {公示期}"), "description": S("替换为什么")}), "可用的占位符"),
}, description="一种公文的措辞"), {
    "election_id": 1, "kind": "report_confirmed", "label": "预备人选情况报告",
    "body": "按照工作安排，{发布机关}组织开展了{选举名称}的推荐提名和考察工作。\n应选名额{应选名额}名，预备人选{人数}名。",
    "changed": True, "updated_at": "2026-06-02T03:00:00Z",
    "placeholders": [{"name": "{应选名额}", "description": "应选代表名额"}]}))
WORDING_IN = _example(obj({
    "body": S(f"措辞：每段一行，只能使用列出的占位符；公示须有且只有一行单独写“{{{svc.TABLE}}}”（不超过{MAX_LENGTH}字）",
              minLength=1, maxLength=MAX_LENGTH * 2),
}, description="本次选举这种公文的措辞"),
    {"body": "经{发布机关}研究，确定{选举名称}初步人选{人数}名，现予公示：\n{名单表}\n公示时间：{公示期}。\n"
             "受理电话：{联系电话}；通信地址：{通信地址}；{邮箱名称}：{邮箱}。"})


def _item_json(election_id: int, item: svc.WordingItem) -> dict:
    return {"election_id": election_id, "kind": item.kind.value, "label": item.kind.label, "body": item.body,
            "changed": item.changed, "updated_at": utc(item.updated_at),
            "placeholders": [{"name": n, "description": d} for n, d in svc.placeholder_rows(item.kind)]}


def _item(election_id: int, kind: WordingKind) -> dict:
    db.session.expire_all()
    item = next(i for i in svc.wording_items(db.session, user(), election_id) if i.kind is kind)
    return _item_json(election_id, item)


@endpoint("GET", "/elections/<int:election_id>/wording", summary="选举的公文措辞", tag=TAG,
          response=page_of(WORDING, "Wording"), roles=STAFF, query=PAGE_PARAMS,
          description="与“公文措辞”页面相同：每种公文正在使用的措辞（本次选举自己的，或系统默认）。")
def list_wording(election_id: int, args):
    election = election_or_404(user(), election_id)
    items = svc.wording_items(db.session, user(), election.id)
    return paginate_list(items, args).as_dict(lambda i: _item_json(election.id, i))


@endpoint("GET", "/elections/<int:election_id>/wording/<kind>", summary="一种公文的措辞", tag=TAG, response=WORDING,
          roles=STAFF, description=f"kind：{_KIND_TEXT}。其他值返回404。")
def get_wording(election_id: int, kind: str, args):
    election = election_or_404(user(), election_id)
    return _item(election.id, svc.parse_kind(kind))


@endpoint("PUT", "/elections/<int:election_id>/wording/<kind>", summary="修改公文措辞", tag=TAG, response=WORDING,
          roles=STAFF, body=WORDING_IN, errors=(422,),
          description="与“公文措辞”页面“保存”同一用例：检查占位符（不认识的、不成对的括号、公示的名单表位置），有误时返回422"
                      "逐项说明，什么也不保存；与正在使用的措辞相同时不记录。有改动时记一条审计记录。")
def save_wording(election_id: int, kind: str, args, body):
    election = election_or_404(user(), election_id)
    which = svc.parse_kind(kind)
    errors = svc.save_wording(db.session, user(), election.id, which, body["body"], utcnow())
    if errors:
        raise validation(f"{which.label}的措辞有误，请按逐项说明修改。",
                         [{"field": "body", "message": f"措辞（body）：{e}"} for e in errors])
    return _item(election.id, which)


@endpoint("DELETE", "/elections/<int:election_id>/wording/<kind>", summary="恢复默认措辞", tag=TAG, response=WORDING,
          roles=STAFF,
          description="与“公文措辞”页面“恢复默认”同一用例：删除本次选举自己的措辞，此后使用系统默认措辞；"
                      "已是默认时不做改动（changed 为 false）。有改动时记一条审计记录。")
def reset_wording(election_id: int, kind: str, args):
    election = election_or_404(user(), election_id)
    which = svc.parse_kind(kind)
    svc.restore_default(db.session, user(), election.id, which, utcnow())
    return _item(election.id, which)

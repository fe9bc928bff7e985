"""One nominee at a time, over the API: a 推荐单位 adds, corrects or deletes one person of its draft list, as the
add / edit / delete forms of the unit page do — the same use cases (``add_nominee``, ``update_nominee``,
``delete_nominee``), so the same checks as an upload of the whole list, field by field."""
from __future__ import annotations

from flask import Response

from election.api import ApiError, endpoint, not_found, user
from election.api.scope import election_unit_or_404
from election.core.clock import today_local, utcnow
from election.core.db import db
from election.core.roles import Role
from election.directory.models import ElectionUnit
from election.nominations import services as svc
from election.nominations.api import NOMINEE, PERSON_IN, TAG, nominee_json
from election.nominations.columns import COLUMNS
from election.nominations.models import Nominee
from election.nominations.queries import scoped_election_units

UNIT = (Role.unit,)  # = can_edit_unit_list: the unit's own 经办人 only
_FIELD_OF_HEADER = {c.header: c.field for c in COLUMNS}
EXAMPLE = {"name": "张三", "gender": "男", "ethnicity": "汉族", "id_number": "110105197503071234",
           "birth_month": "1975-03", "native_place": "北京", "education": "大学", "party_join_date": "1998-07",
           "work_start_date": "1997-07", "workplace_title": "某街道党工委书记", "category": "基层一线"}
PERSON_BODY = {**PERSON_IN, "description": "一名推荐人选：字段与模板各列相同（整人保存，省略的字段为空），日期写作 1975-03",
               "examples": [EXAMPLE]}
SAVE_TEXT = ("只能在“推荐提名”阶段、本单位名单未提交且未过截止日期时；与上传整份名单相同的校验（含与其他推荐单位"
             "重复的人），不通过时返回422，details 逐项写明字段和改法，什么也不保存。记一条审计记录。")


def _values(body: dict) -> dict[str, str]:
    return {c.field: (body.get(c.field) or "") for c in COLUMNS}


def _refused(outcome: svc.EditOutcome) -> ApiError:
    details = [{"field": _FIELD_OF_HEADER.get(e.column, e.column), "column": e.column, "message": e.message}
               for e in outcome.errors]
    return ApiError(422, "validation_failed", f"该推荐人选有{len(details)}处错误，未保存。请按逐项说明改正。", details)


def _own_nominee_or_404(nominee_id: int) -> Nominee:
    """Another unit's person, or a missing one, is 404 alike (existence never leaks)."""
    nominee = db.session.get(Nominee, nominee_id)
    if nominee is None or db.session.scalar(
            scoped_election_units(user()).where(ElectionUnit.id == nominee.election_unit_id)) is None:
        raise not_found("推荐人选")
    return nominee


def _saved(nominee_id: int) -> dict:
    db.session.expire_all()
    return nominee_json(db.session.get(Nominee, nominee_id))


@endpoint("POST", "/election-units/<int:election_unit_id>/nominees", summary="添加一名推荐人选", tag=TAG,
          response=NOMINEE, status=201, roles=UNIT, body=PERSON_BODY, errors=(422,),
          description="与单位页面“添加推荐人选”相同，加在本单位草稿名单末尾。" + SAVE_TEXT)
def add_nominee(election_unit_id: int, args, body):
    eu = election_unit_or_404(user(), election_unit_id)
    outcome = svc.add_nominee(db.session, user(), eu.id, _values(body), today_local(), utcnow())
    if not outcome.ok:
        raise _refused(outcome)
    return _saved(outcome.nominee_id)


@endpoint("PUT", "/nominees/<int:nominee_id>", summary="修改一名推荐人选", tag=TAG, response=NOMINEE, roles=UNIT,
          body=PERSON_BODY, errors=(422,), description="与单位页面“修改”相同，整人保存，顺序不变。" + SAVE_TEXT)
def update_nominee(nominee_id: int, args, body):
    nominee = _own_nominee_or_404(nominee_id)
    outcome = svc.update_nominee(db.session, user(), nominee.id, _values(body), today_local(), utcnow())
    if not outcome.ok:
        raise _refused(outcome)
    return _saved(nominee.id)


@endpoint("DELETE", "/nominees/<int:nominee_id>", summary="删除一名推荐人选", tag=TAG, response=None, status=204,
          roles=UNIT, errors=(422,), description="与单位页面“删除”相同：只能在名单未提交、未过截止日期时。记一条审计记录。")
def delete_nominee(nominee_id: int, args):
    nominee = _own_nominee_or_404(nominee_id)
    svc.delete_nominee(db.session, user(), nominee.id, today_local(), utcnow())
    return Response(status=204)

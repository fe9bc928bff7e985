"""The session itself over the API (docs/rules.md §7), as its pages offer it: sessions (list, create, read,
update), the agenda, 列席 guests, materials (upload), the notice, opening the sign-in and recording the session as
held. Sign-in and groups are in api_attendance. The same use cases (election.assembly.services.sessions, materials)."""
from __future__ import annotations

from flask import current_app, request

from election.api import (
    DATE,
    DATETIME,
    B,
    I,
    S,
    arr,
    component,
    endpoint,
    nullable,
    obj,
    parse_date,
    tag,
    user,
    utc,
    validation,
)
from election.assembly.models import AssemblySession
from election.assembly.permissions import session_or_404, sessions_in_scope
from election.assembly.services import materials as mat
from election.assembly.services import sessions as svc
from election.core.clock import today_local, utcnow
from election.core.db import db
from election.core.roles import Role
from election.duties.services.activities import UploadedFile
from workflow.assembly.quorum import PRESETS

TAG = tag("年会", "党代会年会：会议筹备（会议信息、议程、列席人员、会议材料）、通知、签到与法定人数、确认召开、分组讨论")
VIEWERS = (Role.admin, Role.office, Role.auditor, Role.teller, Role.delegate)  # = can_view_sessions
MANAGERS = (Role.admin, Role.office)  # = can_manage_sessions
STATUS = S("状态：preparing 筹备中、notified 已通知、open 会议进行中（签到）、held 已召开", enum=list(svc.STATUS_LABELS))
AGENDA_KIND = S("议程类别：" + "、".join(f"{k} {v}" for k, v in svc.AGENDA_LABELS.items()), enum=list(svc.AGENDA_LABELS))
AGENDA_ITEM = obj({"id": I(), "seq": I("序号"), "kind": AGENDA_KIND, "kind_label": S("类别（中文）"),
                   "title": S("议程名称"), "note": S("说明")})
GUEST = obj({"id": I(), "name": S("姓名"), "workplace": S("工作单位及职务"), "reason": S("列席理由")})
MATERIAL = obj({"id": I(), "title": S("材料名称"), "original_name": S("原文件名"), "content_type": S("文件类型"),
                "size": I("字节数"), "distributed_at": nullable(DATETIME("分发给代表的时间")),
                "uploaded_at": DATETIME("上传时间")})
SESSION = component("AssemblySession", {**obj({
    "id": I(), "organisation_id": nullable(I("所属党委")), "congress": S("党代会（届次），与代表名册一致"),
    "meeting_no": I("第几次会议"), "title": S("会议名称"), "opens_on": DATE("开幕日期"), "closes_on": DATE("闭幕日期"),
    "place": S("地点"), "status": STATUS, "status_label": S("状态（中文）"), "notice_days": I("提前几天发出通知"),
    "notice_due": DATE("通知最迟发出日期"), "notified_at": nullable(DATETIME("通知发出时间")),
    "quorum": obj({"preset": S("规则"), "label": S("规则名称"), "num": I("比例分子"), "den": I("比例分母"),
                   "inclusive": B("恰好达到比例是否可以召开"), "wording": S("规则表述"), "settled": B("文件是否有明确规定（否为待定）")}),
    "self_sign_in": B("代表可否本人签到"), "proposals_open_on": nullable(DATE("提案征集开始")),
    "proposals_close_on": nullable(DATE("提案征集截止")), "opened_at": nullable(DATETIME("开始签到时间")),
    "held_at": nullable(DATETIME("确认召开时间")), "roll_count": nullable(I("应到（确认召开时固定）")),
    "present_count": nullable(I("实到（确认召开时固定）")),
    "agenda": arr(AGENDA_ITEM, "议程"), "guests": arr(GUEST, "列席人员"), "materials": arr(MATERIAL, "会议材料（代表只见已分发的）"),
}, description="一次党代会年会"), "examples": [{
    "id": 5, "organisation_id": 3, "congress": "区第十二次党代会", "meeting_no": 5,
    "title": "中国共产党某区第十二次代表大会第五次会议", "opens_on": "2026-12-15", "closes_on": "2026-12-16",
    "place": "区委党校礼堂", "status": "notified", "status_label": "已通知", "notice_days": 7, "notice_due": "2026-12-08",
    "notified_at": "2026-12-05T02:00:00Z",
    "quorum": {"preset": "township", "label": "乡镇党代会常任制（2004）", "num": 4, "den": 5, "inclusive": True,
               "wording": "五分之四以上（含）", "settled": True},
    "self_sign_in": False, "proposals_open_on": "2026-11-15", "proposals_close_on": "2026-12-10", "opened_at": None,
    "held_at": None, "roll_count": None, "present_count": None,
    "agenda": [{"id": 1, "seq": 1, "kind": "report", "kind_label": "审议工作报告", "title": "审议区委工作报告", "note": ""}],
    "guests": [{"id": 1, "name": "周明", "workplace": "区人大常委会副主任", "reason": "区领导"}], "materials": []}]})
SESSION_IN = {**obj({
    "organisation_id": nullable(I("所属党委（仅全系统用户可指定；省略为本人所在组织）", minimum=1)),
    "congress": S("党代会（届次），须与代表名册一致", minLength=1, maxLength=128),
    "meeting_no": I("第几次会议", minimum=1, maximum=99),
    "title": S("会议名称（留空自动生成）", maxLength=200),
    "opens_on": S("开幕日期，如 2026-12-15", format="date"), "closes_on": S("闭幕日期", format="date"),
    "place": S("地点", maxLength=200), "notice_days": I("提前几天发出通知（默认7）", minimum=0, maximum=60),
    "quorum_preset": S("到会人数规则：" + "、".join(f"{k} {r.label}" for k, r in PRESETS.items()), enum=list(PRESETS)),
    "quorum_num": nullable(I("到会比例分子（省略按规则）", minimum=1, maximum=100)),
    "quorum_den": nullable(I("到会比例分母", minimum=1, maximum=100)),
    "quorum_inclusive": nullable(B("恰好达到比例是否可以召开（省略按规则：可以）")),
    "self_sign_in": B("代表可否本人签到"),
    "proposals_open_on": nullable(S("提案征集开始日期", format="date")),
    "proposals_close_on": nullable(S("提案征集截止日期", format="date")),
}, required=["congress", "meeting_no", "opens_on", "closes_on"], description="会议信息"), "examples": [{
    "congress": "区第十二次党代会", "meeting_no": 5, "title": "中国共产党某区第十二次代表大会第五次会议",
    "opens_on": "2026-12-15", "closes_on": "2026-12-16", "place": "区委党校礼堂", "notice_days": 7,
    "quorum_preset": "township", "self_sign_in": False}]}
AGENDA_IN = {**obj({"kind": AGENDA_KIND, "title": S("议程名称（留空按类别）", maxLength=200),
                    "note": S("说明", maxLength=2000)}, required=["kind"], description="议程事项"),
             "examples": [{"kind": "report", "title": "审议区委工作报告", "note": ""}]}
AGENDA_EDIT_IN = {**obj({"item_id": I("议程事项编号", minimum=1), "kind": AGENDA_KIND,
                         "title": S("议程名称", maxLength=200), "note": S("说明", maxLength=2000)},
                        required=["item_id", "kind"], description="修改议程事项"),
                  "examples": [{"item_id": 1, "kind": "report", "title": "审议区委工作报告", "note": ""}]}
ITEM_IN = {**obj({"item_id": I("编号", minimum=1)}, required=["item_id"], description="要删除的一项"),
           "examples": [{"item_id": 1}]}
MOVE_IN = {**obj({"item_id": I("议程事项编号", minimum=1), "direction": S("up 上移 / down 下移", enum=["up", "down"])},
                 required=["item_id", "direction"], description="调整议程顺序"),
           "examples": [{"item_id": 2, "direction": "up"}]}
GUEST_IN = {**obj({"name": S("姓名", minLength=1, maxLength=64), "workplace": S("工作单位及职务", maxLength=200),
                   "reason": S("列席理由", maxLength=200)}, required=["name"], description="列席人员"),
            "examples": [{"name": "周明", "workplace": "区人大常委会副主任", "reason": "区领导"}]}
NOTICE_OUT = obj({"session": SESSION, "notified": I("收到站内通知的代表人数")})


def session_json(s: AssemblySession, *, delegate: bool = False) -> dict:
    rule = svc.rule_of(s)
    return {"id": s.id, "organisation_id": s.organisation_id, "congress": s.congress, "meeting_no": s.meeting_no,
            "title": s.title, "opens_on": s.opens_on, "closes_on": s.closes_on, "place": s.place, "status": s.status,
            "status_label": svc.STATUS_LABELS[s.status], "notice_days": s.notice_days, "notice_due": svc.notice_due(s),
            "notified_at": utc(s.notified_at),
            "quorum": {"preset": s.quorum_preset, "label": rule.label, "num": s.quorum_num, "den": s.quorum_den,
                       "inclusive": s.quorum_inclusive, "wording": rule.wording, "settled": rule.settled},
            "self_sign_in": s.self_sign_in, "proposals_open_on": s.proposals_open_on,
            "proposals_close_on": s.proposals_close_on, "opened_at": utc(s.opened_at), "held_at": utc(s.held_at),
            "roll_count": s.roll_count, "present_count": s.present_count,
            "agenda": [{"id": i.id, "seq": i.seq, "kind": i.kind, "kind_label": svc.AGENDA_LABELS[i.kind],
                        "title": i.title, "note": i.note} for i in s.agenda],
            "guests": [{"id": g.id, "name": g.name, "workplace": g.workplace, "reason": g.reason} for g in s.guests],
            "materials": [{"id": m.id, "title": m.title, "original_name": m.original_name,
                           "content_type": m.content_type, "size": m.size, "distributed_at": utc(m.distributed_at),
                           "uploaded_at": utc(m.uploaded_at)} for m in s.materials
                          if m.distributed_at is not None or not delegate]}


def _json(s: AssemblySession) -> dict:
    db.session.expire(s)
    return session_json(s, delegate=user().role == Role.delegate)


def _session(session_id: int) -> AssemblySession:
    return session_or_404(db.session, user(), session_id)


def _input(body: dict) -> svc.SessionInput:
    def day(key, label):
        return parse_date(body[key], key, label) if body.get(key) else None

    return svc.SessionInput(
        congress=body["congress"], meeting_no=body["meeting_no"], title=body.get("title", ""),
        opens_on=day("opens_on", "开幕日期"), closes_on=day("closes_on", "闭幕日期"), place=body.get("place", ""),
        notice_days=body.get("notice_days", 7), quorum_preset=body.get("quorum_preset", "township"),
        quorum_num=body.get("quorum_num"), quorum_den=body.get("quorum_den"),
        quorum_inclusive=body.get("quorum_inclusive"), self_sign_in=bool(body.get("self_sign_in", False)),
        proposals_open_on=day("proposals_open_on", "提案征集开始日期"),
        proposals_close_on=day("proposals_close_on", "提案征集截止日期"), organisation_id=body.get("organisation_id"))


@endpoint("GET", "/assembly/sessions", summary="年会列表", tag=TAG, response=arr(SESSION), roles=VIEWERS,
          description="与“党代会年会”页面相同：您所在组织的会议（开幕日期新的在前）；代表只见本届党代会的会议。")
def list_sessions(args):
    from sqlalchemy import select

    rows = db.session.scalars(sessions_in_scope(select(AssemblySession), user(), db.session)
                              .order_by(AssemblySession.opens_on.desc(), AssemblySession.id.desc()))
    return [session_json(s, delegate=user().role == Role.delegate) for s in rows]


@endpoint("POST", "/assembly/sessions", summary="新建会议", tag=TAG, response=SESSION, status=201, roles=MANAGERS,
          body=SESSION_IN, errors=(409, 422),
          description="与“新建会议”页面相同：同一届党代会的会议次数不能重复（409）；党代会须在代表名册中；"
                      "到会人数规则省略比例时按规则（五分之四以上，含本数）。")
def create_session(args, body):
    return _json(svc.create_session(db.session, user(), _input(body), utcnow()))


@endpoint("GET", "/assembly/sessions/<int:assembly_session_id>", summary="一次会议", tag=TAG, response=SESSION,
          roles=VIEWERS, description="会议信息、议程、列席人员和会议材料（代表只见已分发的材料）。")
def get_session(assembly_session_id: int, args):
    return session_json(_session(assembly_session_id), delegate=user().role == Role.delegate)


@endpoint("PUT", "/assembly/sessions/<int:assembly_session_id>", summary="修改会议信息", tag=TAG, response=SESSION,
          roles=MANAGERS, body=SESSION_IN, errors=(404, 409, 422),
          description="与“修改会议信息”页面相同：会议确认召开前可以修改；已发出通知的不能更换党代会。")
def update_session(assembly_session_id: int, args, body):
    return _json(svc.update_session(db.session, user(), assembly_session_id, _input(body), utcnow()))


@endpoint("POST", "/assembly/sessions/<int:assembly_session_id>/agenda", summary="增加议程事项", tag=TAG,
          response=SESSION, status=201, roles=MANAGERS, body=AGENDA_IN, errors=(404, 409, 422),
          description="排在最后；会议确认召开后不能再改议程（409）。")
def add_agenda_item(assembly_session_id: int, args, body):
    svc.add_agenda_item(db.session, user(), assembly_session_id, body["kind"], body.get("title", ""),
                        body.get("note", ""), utcnow())
    return _json(_session(assembly_session_id))


@endpoint("POST", "/assembly/sessions/<int:assembly_session_id>/agenda/edit", summary="修改议程事项", tag=TAG,
          response=SESSION, roles=MANAGERS, body=AGENDA_EDIT_IN, errors=(404, 409, 422),
          description="item_id 为本次会议的议程事项编号（其他会议的返回422）。")
def update_agenda_item(assembly_session_id: int, args, body):
    svc.update_agenda_item(db.session, user(), assembly_session_id, body["item_id"], body["kind"],
                           body.get("title", ""), body.get("note", ""), utcnow())
    return _json(_session(assembly_session_id))


@endpoint("POST", "/assembly/sessions/<int:assembly_session_id>/agenda/delete", summary="删除议程事项", tag=TAG,
          response=SESSION, roles=MANAGERS, body=ITEM_IN, errors=(404, 409, 422), description="其后各项依次前移。")
def delete_agenda_item(assembly_session_id: int, args, body):
    svc.delete_agenda_item(db.session, user(), assembly_session_id, body["item_id"], utcnow())
    return _json(_session(assembly_session_id))


@endpoint("POST", "/assembly/sessions/<int:assembly_session_id>/agenda/move", summary="调整议程顺序", tag=TAG,
          response=SESSION, roles=MANAGERS, body=MOVE_IN, errors=(404, 409, 422),
          description="与相邻一项交换位置；已是第一项（最后一项）时返回422。")
def move_agenda_item(assembly_session_id: int, args, body):
    svc.move_agenda_item(db.session, user(), assembly_session_id, body["item_id"], body["direction"], utcnow())
    return _json(_session(assembly_session_id))


@endpoint("POST", "/assembly/sessions/<int:assembly_session_id>/guests", summary="增加列席人员", tag=TAG,
          response=SESSION, status=201, roles=MANAGERS, body=GUEST_IN, errors=(404, 409, 422))
def add_guest(assembly_session_id: int, args, body):
    svc.add_guest(db.session, user(), assembly_session_id, body["name"], body.get("workplace", ""),
                  body.get("reason", ""), utcnow())
    return _json(_session(assembly_session_id))


@endpoint("POST", "/assembly/sessions/<int:assembly_session_id>/guests/delete", summary="删除列席人员", tag=TAG,
          response=SESSION, roles=MANAGERS, body=ITEM_IN, errors=(404, 409, 422))
def remove_guest(assembly_session_id: int, args, body):
    svc.remove_guest(db.session, user(), assembly_session_id, body["item_id"], utcnow())
    return _json(_session(assembly_session_id))


@endpoint("POST", "/assembly/sessions/<int:assembly_session_id>/materials", summary="上传会议材料", tag=TAG,
          response=SESSION, status=201, roles=MANAGERS, upload=True, errors=(404, 409, 413, 422),
          description="multipart/form-data：file 字段为文件（pdf、doc、docx、xls、xlsx、jpg、png，不超过5MB），"
                      "title 字段为材料名称（可省略，用文件名）。通知发出后上传的材料即时分发给代表。")
def upload_material(assembly_session_id: int, args):
    f = request.files.get("file")
    if f is None or not f.filename:
        raise validation("请以 multipart/form-data 的 file 字段上传会议材料。", [{"field": "file", "message": "缺少文件"}])
    mat.upload_material(db.session, user(), assembly_session_id, request.form.get("title", ""),
                        UploadedFile(f.filename, f.read()), current_app.config["UPLOAD_DIR"], utcnow())
    return _json(_session(assembly_session_id))


@endpoint("POST", "/assembly/sessions/<int:assembly_session_id>/materials/delete", summary="删除会议材料", tag=TAG,
          response=SESSION, roles=MANAGERS, body=ITEM_IN, errors=(404, 409, 422),
          description="只能删除尚未分发的材料；已随通知分发的返回409。")
def delete_material(assembly_session_id: int, args, body):
    mat.delete_material(db.session, user(), assembly_session_id, body["item_id"], current_app.config["UPLOAD_DIR"],
                        utcnow())
    return _json(_session(assembly_session_id))


@endpoint("POST", "/assembly/sessions/<int:assembly_session_id>/notice", summary="发出通知", tag=TAG,
          response=NOTICE_OUT, roles=MANAGERS, errors=(404, 409, 422),
          description="与会议页面的“发出通知并分发材料”相同：须已排定议程；会议改为“已通知”，会议材料分发给代表，"
                      "本届每名有账号的在任代表收到一条站内通知（时间、地点、链接）。重复发送返回409。")
def send_notice(assembly_session_id: int, args):
    told = svc.send_notice(db.session, user(), assembly_session_id, utcnow())
    return {"session": _json(_session(assembly_session_id)), "notified": told}


@endpoint("POST", "/assembly/sessions/<int:assembly_session_id>/open", summary="开始签到", tag=TAG, response=SESSION,
          roles=MANAGERS, errors=(404, 409, 422),
          description="与会议页面的“开始签到”相同：筹备中或已通知的会议，最早于开幕前一日（报到日）开始签到。")
def open_session(assembly_session_id: int, args):
    return _json(svc.open_session(db.session, user(), assembly_session_id, today_local(), utcnow()))


@endpoint("POST", "/assembly/sessions/<int:assembly_session_id>/hold", summary="确认会议召开", tag=TAG,
          response=SESSION, roles=MANAGERS, errors=(404, 409, 422),
          description="与签到页面的“确认会议召开”相同：按本届在任代表（出缺、停止执行职务的不计）计算法定人数，"
                      "不足时返回422并说明“应到…实到…还差N人”；达到时固定应到、实到人数，此后签到不能再改。")
def hold_session(assembly_session_id: int, args):
    return _json(svc.hold_session(db.session, user(), assembly_session_id, utcnow()))

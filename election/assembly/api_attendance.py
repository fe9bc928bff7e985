"""Sign-in, quorum and the discussion groups over the API (docs/rules.md §7), as the pages offer them: the roll
with 应到/实到/请假/缺席 and the quorum, signing many delegates in at once (all or nothing, each id checked to be on
this session's roll, per-item errors), leave, undo, a delegate's own sign-in; groups generated from the 代表小组 or
added, members moved, the convener and the minutes. The same use cases (services.attendance, services.groups)."""
from __future__ import annotations

from election.api import DATETIME, B, I, S, arr, component, endpoint, nullable, obj, tag, user, utc
from election.assembly.permissions import session_or_404
from election.assembly.services import attendance as att
from election.assembly.services import groups as grp
from election.core.clock import utcnow
from election.core.db import db
from election.core.roles import Role

TAG = tag("年会签到与分组", "党代会年会的签到、请假、法定人数和分组讨论")
READERS = (Role.admin, Role.office, Role.auditor, Role.teller)  # the whole roll
VIEWERS = (*READERS, Role.delegate)  # = can_view_sessions
MANAGERS = (Role.admin, Role.office)  # = can_manage_sessions
LINE = obj({"delegate_id": I(), "name": S("姓名"), "group_name": S("代表小组"),
            "attendance": S("present 已签到 / leave 请假 / absent 未到", enum=["present", "leave", "absent"]),
            "reason": S("请假理由"), "by_self": B("本人签到"), "recorded_at": nullable(DATETIME("登记时间"))})
ROLL = component("AssemblyRoll", {**obj({
    "session_id": I(), "status": S("会议状态"), "roll": I("应到（在任代表）"), "present": I("实到"), "on_leave": I("请假"),
    "absent": I("缺席"), "needed": I("法定人数（至少到会人数）"), "short": I("还差人数"), "met": B("是否达到法定人数"),
    "rule": S("规则表述"), "blockers": arr(S(), "不能确认召开的原因"), "delegates": arr(LINE, "在任代表（按姓名）"),
    "apart": arr(obj({"delegate_id": I(), "name": S("姓名"), "status": S("terminated 资格终止 / suspended 停止执行代表职务")}),
                 "不列入应到人数的代表"),
}, description="签到与到会"), "examples": [{
    "session_id": 5, "status": "open", "roll": 12, "present": 9, "on_leave": 1, "absent": 2, "needed": 10, "short": 1,
    "met": False, "rule": "五分之四以上（含）", "blockers": ["应到12人，实到9人，须五分之四以上（含）即至少10人到会，还差1人，不能召开。"],
    "delegates": [{"delegate_id": 31, "name": "王芳", "group_name": "第一代表小组", "attendance": "present", "reason": "",
                   "by_self": False, "recorded_at": "2026-12-15T00:30:00Z"}],
    "apart": [{"delegate_id": 44, "name": "钱进", "status": "terminated"}]}]})
SIGN_IN = {**obj({"delegate_ids": arr(I(minimum=1), "代表编号（须为本次会议名册中的在任代表）", minItems=1,
                                      maxItems=att.MAX_BULK)}, required=["delegate_ids"], description="签到"),
           "examples": [{"delegate_ids": [31, 32, 33]}]}
LEAVE = {**obj({"delegate_id": I("代表编号", minimum=1), "reason": S("请假理由", minLength=1, maxLength=200)},
               required=["delegate_id", "reason"], description="请假"), "examples": [{"delegate_id": 31, "reason": "出差"}]}
ONE = {**obj({"delegate_id": I("代表编号", minimum=1)}, required=["delegate_id"], description="一名代表"),
       "examples": [{"delegate_id": 31}]}
CONVENER = {**obj({"delegate_id": nullable(I("召集人（本组成员）的代表编号；null 为不指定", minimum=1))},
                  required=["delegate_id"], description="召集人"), "examples": [{"delegate_id": 31}]}
GROUP_IN = {**obj({"name": S("组名", minLength=1, maxLength=64)}, required=["name"], description="分组"),
            "examples": [{"name": "第一代表团"}]}
MINUTES = {**obj({"minutes": S("讨论纪要", maxLength=grp.MAX_MINUTES)}, required=["minutes"], description="讨论纪要"),
           "examples": [{"minutes": "代表们认真审议了区委工作报告，一致表示赞同。"}]}
GROUP = component("AssemblyGroup", obj({
    "id": I(), "name": S("组名"), "convener_id": nullable(I("召集人")),
    "members": arr(obj({"delegate_id": I(), "name": S("姓名")}), "成员"), "minutes": S("讨论纪要"),
    "minutes_at": nullable(DATETIME("纪要记录时间")), "minutes_by_id": nullable(I("纪要记录人"))}, description="讨论分组"))


def roll_json(view: att.RollView) -> dict:
    q = view.quorum

    def line(d):
        a = view.marks.get(d.id)
        return {"delegate_id": d.id, "name": d.name, "group_name": d.group_name or "",
                "attendance": a.status if a else "absent", "reason": a.reason if a else "",
                "by_self": bool(a and a.by_self), "recorded_at": utc(a.recorded_at) if a else None}

    return {"session_id": view.meeting.id, "status": view.meeting.status, "roll": q.roll, "present": q.present,
            "on_leave": view.on_leave, "absent": view.absent, "needed": q.needed, "short": q.short, "met": q.met,
            "rule": view.rule.wording, "blockers": [b.message for b in view.blockers],
            "delegates": [line(d) for d in view.on_roll],
            "apart": [{"delegate_id": d.id, "name": d.name, "status": d.status} for d in view.apart]}


def _roll(session_id: int, *, after_write: bool = True) -> dict:
    if after_write:  # the use case committed: read what it wrote
        db.session.expire_all()
    return roll_json(att.roll_view(db.session, session_or_404(db.session, user(), session_id)))


def group_json(g) -> dict:
    return {"id": g.id, "name": g.name, "convener_id": g.convener_id,
            "members": sorted(({"delegate_id": m.delegate_id, "name": m.delegate.name} for m in g.members),
                              key=lambda m: m["name"]),
            "minutes": g.minutes, "minutes_at": utc(g.minutes_at), "minutes_by_id": g.minutes_by_id}


def _groups(session_id: int, *, after_write: bool = True) -> list[dict]:
    if after_write:
        db.session.expire_all()
    return [group_json(g) for g in grp.groups_of(db.session, session_or_404(db.session, user(), session_id))]


@endpoint("GET", "/assembly/sessions/<int:assembly_session_id>/attendance", summary="签到与到会", tag=TAG,
          response=ROLL, roles=READERS, description="与“签到与到会”页面相同：应到、实到、请假、缺席和法定人数。")
def get_attendance(assembly_session_id: int, args):
    return _roll(assembly_session_id, after_write=False)


@endpoint("POST", "/assembly/sessions/<int:assembly_session_id>/attendance/sign-in", summary="为代表签到", tag=TAG,
          response=ROLL, roles=MANAGERS, body=SIGN_IN, errors=(404, 409, 422),
          description="全部签到或全部不签到：任何一个编号不在本次会议的名册中（其他届的代表、出缺或停止执行职务的代表）"
                      "都返回422，details 逐项说明（第N项）。已签到的不变，请假的改为签到。会议须在签到中。")
def sign_in(assembly_session_id: int, args, body):
    att.sign_in(db.session, user(), assembly_session_id, body["delegate_ids"], utcnow())
    return _roll(assembly_session_id)


@endpoint("POST", "/assembly/sessions/<int:assembly_session_id>/attendance/leave", summary="登记请假", tag=TAG,
          response=ROLL, roles=MANAGERS, body=LEAVE, errors=(404, 409, 422))
def record_leave(assembly_session_id: int, args, body):
    att.record_leave(db.session, user(), assembly_session_id, body["delegate_id"], body["reason"], utcnow())
    return _roll(assembly_session_id)


@endpoint("POST", "/assembly/sessions/<int:assembly_session_id>/attendance/undo", summary="撤销签到或请假", tag=TAG,
          response=ROLL, roles=MANAGERS, body=ONE, errors=(404, 409, 422),
          description="会议确认召开后签到情况固定，返回409。")
def undo_attendance(assembly_session_id: int, args, body):
    att.undo_attendance(db.session, user(), assembly_session_id, body["delegate_id"], utcnow())
    return _roll(assembly_session_id)


@endpoint("POST", "/assembly/sessions/<int:assembly_session_id>/sign-in", summary="代表本人签到", tag=TAG,
          response=obj({"session_id": I(), "attendance": S("present")}), roles=(Role.delegate,),
          errors=(404, 409, 422), description="会议允许本人签到且正在签到时，本届在任代表本人签到；已签到返回409。")
def self_sign_in(assembly_session_id: int, args):
    att.self_sign_in(db.session, user(), assembly_session_id, utcnow())
    return {"session_id": assembly_session_id, "attendance": "present"}


@endpoint("GET", "/assembly/sessions/<int:assembly_session_id>/groups", summary="分组讨论", tag=TAG,
          response=arr(GROUP), roles=VIEWERS, description="各组成员、召集人和讨论纪要。")
def list_groups(assembly_session_id: int, args):
    return _groups(assembly_session_id, after_write=False)


@endpoint("POST", "/assembly/sessions/<int:assembly_session_id>/groups/generate", summary="按代表小组分组", tag=TAG,
          response=arr(GROUP), status=201, roles=MANAGERS, errors=(404, 409, 422),
          description="按代表名册中的代表小组每组生成一个分组；已分组的返回409。")
def generate_groups(assembly_session_id: int, args):
    grp.generate_groups(db.session, user(), assembly_session_id, utcnow())
    return _groups(assembly_session_id)


@endpoint("POST", "/assembly/sessions/<int:assembly_session_id>/groups", summary="增加分组", tag=TAG,
          response=arr(GROUP), status=201, roles=MANAGERS, body=GROUP_IN, errors=(404, 409, 422))
def create_group(assembly_session_id: int, args, body):
    grp.create_group(db.session, user(), assembly_session_id, body["name"], utcnow())
    return _groups(assembly_session_id)


@endpoint("POST", "/assembly/sessions/<int:assembly_session_id>/groups/<int:group_id>/members", summary="编入或调入本组",
          tag=TAG, response=arr(GROUP), roles=MANAGERS, body=ONE, errors=(404, 409, 422),
          description="每名代表在一次会议中只在一个组：已在另一组的调入本组；已在本组返回409。")
def assign_member(assembly_session_id: int, group_id: int, args, body):
    grp.assign_member(db.session, user(), assembly_session_id, group_id, body["delegate_id"], utcnow())
    return _groups(assembly_session_id)


@endpoint("POST", "/assembly/sessions/<int:assembly_session_id>/groups/<int:group_id>/members/remove", summary="移出本组",
          tag=TAG, response=arr(GROUP), roles=MANAGERS, body=ONE, errors=(404, 422))
def remove_member(assembly_session_id: int, group_id: int, args, body):
    grp.remove_member(db.session, user(), assembly_session_id, group_id, body["delegate_id"], utcnow())
    return _groups(assembly_session_id)


@endpoint("POST", "/assembly/sessions/<int:assembly_session_id>/groups/<int:group_id>/convener", summary="指定召集人",
          tag=TAG, response=arr(GROUP), roles=MANAGERS, body=CONVENER, errors=(404, 422))
def set_convener(assembly_session_id: int, group_id: int, args, body):
    grp.set_convener(db.session, user(), assembly_session_id, group_id, body["delegate_id"], utcnow())
    return _groups(assembly_session_id)


@endpoint("PUT", "/assembly/sessions/<int:assembly_session_id>/groups/<int:group_id>/minutes", summary="记录讨论纪要",
          tag=TAG, response=arr(GROUP), roles=MANAGERS, body=MINUTES, errors=(404, 422))
def save_minutes(assembly_session_id: int, group_id: int, args, body):
    grp.save_minutes(db.session, user(), assembly_session_id, group_id, body["minutes"], utcnow())
    return _groups(assembly_session_id)

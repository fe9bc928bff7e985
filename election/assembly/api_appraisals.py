"""民主评议, 民主测评 and 信任投票 over the API (docs/rules.md §7), as the pages offer them: a session's list, setting
one up (objects included) and changing it while a draft, opening the count with the ballots, each teller's entry
(PUT entry 1 or 2), the comparison of the two, confirming, publishing and the results. The same use cases
(election.assembly.services.appraisals); a 代表 reads only published results. Only totals: no ballot's voter."""
from __future__ import annotations

from election.api import DATETIME, B, I, S, arr, component, endpoint, nullable, obj, tag, user, validation
from election.assembly.permissions import session_or_404
from election.assembly.services import appraisals as svc
from election.core.clock import utcnow
from election.core.db import db
from election.core.roles import Role

TAG = tag("年会测评", "党代会年会的民主评议、民主测评和信任投票：设置、两位监票计票人员分别录入、核对确认、公布结果")
VIEWERS = (Role.admin, Role.office, Role.auditor, Role.teller, Role.delegate)  # = can_view_sessions
MANAGERS = (Role.admin, Role.office)  # = can_manage_sessions
CONFIRMERS = (Role.admin, Role.office, Role.teller)  # = can_confirm_appraisal
COUNTERS = (Role.admin, Role.office, Role.auditor, Role.teller)  # = can_see_counting
KIND = S("类型：appraisal 民主评议、rating 民主测评、confidence 信任投票", enum=list(svc.KIND_LABELS))
STATUS = S("状态：draft 设置中、open 计票中、confirmed 已确认、published 已公布", enum=list(svc.STATUS_LABELS))
OBJECT_OUT = obj({"id": I(), "seq": I("在票上的次序"), "kind": S("unit 单位 / person 个人"), "name": S("名称或姓名"),
                  "post": S("职务（个人）")})
OBJECT_IN = obj({"name": S("单位名称或个人姓名", minLength=1, maxLength=128), "post": S("职务（个人）", maxLength=128),
                 "kind": S("unit 单位 / person 个人（省略时有职务的为个人）", enum=["unit", "person"])},
                required=["name"])
SETTINGS = obj({"good": arr(S(), "计入好评率的等次"), "poor": nullable(S("计入差评率的等次")),
                "poor_threshold": nullable(S("差评率超过此比例即标注，如 1/3（不含本数）")),
                "flag_label": S("标注，如 不称职"),
                "pass_share": nullable(S("信任投票：信任票超过有效票的此比例为获得信任，如 1/2（不含本数）"))},
               required=[], description="统计设定（省略的项按类型默认）")
RESULT = obj({"object_id": I(), "name": S("测评对象"), "votes": arr(I(), "各等次票数（按 grades 的次序）"),
              "blank": I("未评"), "good_rate": S("好评率（按有效票，保留一位小数）"), "poor_share": S("差评率"),
              "verdict": S("等次（票数相同时并列）或 获得信任/未获得信任"), "flagged": B("差评率是否超过规定比例")})
APPRAISAL = component("Appraisal", {**obj({
    "id": I(), "session_id": I("所属会议"), "kind": KIND, "title": S("名称"), "grades": arr(S(), "等次"),
    "settings": SETTINGS, "status": STATUS, "ballots_issued": I("发出票数"), "ballots_collected": I("收回票数"),
    "objects": arr(OBJECT_OUT, "测评对象（按票上次序）"),
    "entries": arr(obj({"entry_no": I("第几次录入"), "teller": S("录入人"), "entered_at": DATETIME("录入时间")}),
                   "已完成的录入（只对组织部、监票计票人员和审计显示）"),
    "valid": nullable(I("有效票（确认后）")), "invalid": nullable(I("无效票（确认后）")),
    "results": arr(RESULT, "各对象的结果（确认后）"), "published_at": nullable(DATETIME("公布时间")),
}, description="一项民主评议、民主测评或信任投票"), "examples": [{
    "id": 3, "session_id": 5, "kind": "rating", "title": "对区委领导班子和班子成员的民主测评",
    "grades": ["好", "较好", "一般", "差"],
    "settings": {"good": ["好", "较好"], "poor": "差", "poor_threshold": "1/3", "flag_label": "不称职",
                 "pass_share": None},
    "status": "published", "ballots_issued": 36, "ballots_collected": 36,
    "objects": [{"id": 7, "seq": 1, "kind": "unit", "name": "区委领导班子", "post": ""}],
    "entries": [{"entry_no": 1, "teller": "计票员甲", "entered_at": "2026-12-15T03:00:00Z"},
                {"entry_no": 2, "teller": "计票员乙", "entered_at": "2026-12-15T03:05:00Z"}],
    "valid": 35, "invalid": 1,
    "results": [{"object_id": 7, "name": "区委领导班子", "votes": [28, 5, 2, 0], "blank": 0, "good_rate": "94.3%",
                 "poor_share": "0.0%", "verdict": "好", "flagged": False}],
    "published_at": "2026-12-15T06:00:00Z"}]})
SETUP_IN = {**obj({"kind": KIND, "title": S("名称（省略按类型自动生成）", maxLength=200),
                   "grades": arr(S(minLength=1, maxLength=16), "等次（省略按类型默认）", maxItems=10),
                   "settings": SETTINGS, "objects": arr(OBJECT_IN, "测评对象（按票上次序）", minItems=1, maxItems=200)},
                  required=["kind", "objects"], description="测评的设置"),
            "examples": [{"kind": "rating", "title": "", "grades": ["好", "较好", "一般", "差"],
                          "settings": {"poor_threshold": "1/3", "flag_label": "不称职"},
                          "objects": [{"name": "区委领导班子"}, {"name": "张伟", "post": "区委书记"}]}]}
OPEN_IN = {**obj({"ballots_issued": I("发出票数", minimum=1, maximum=100000),
                  "ballots_collected": I("收回票数", minimum=0, maximum=100000)}, description="开始计票"),
           "examples": [{"ballots_issued": 36, "ballots_collected": 36}]}
ENTRY_IN = {**obj({"invalid": I("无效票", minimum=0, maximum=100000),
                   "objects": arr(obj({"object_id": I("测评对象", minimum=1), "votes": arr(
                       I(minimum=0, maximum=100000), "各等次票数（按 grades 的次序）", maxItems=10)}),
                                  "各对象的票数（未列出的对象按0计）", maxItems=200)}, description="一次录入"),
            "examples": [{"invalid": 1, "objects": [{"object_id": 7, "votes": [28, 5, 2, 0]}]}]}
COMPARISON = component("AppraisalComparison", obj({
    "complete": B("两次录入是否都已完成"), "agree": B("两次录入是否完全一致"),
    "differences": arr(obj({"object": S("测评对象（无效票为“无效票”）"), "grade": S("等次"), "first": I("第一次"),
                            "second": I("第二次")}), "每一处不同"),
}, description="两次录入的核对"))


def appraisal_json(a) -> dict:
    from election.api import utc

    res = svc.results_of(a)
    counting = svc.can_see_counting(user())
    return {
        "id": a.id, "session_id": a.session_id, "kind": a.kind, "title": a.title, "grades": list(a.grades),
        "settings": {k: (a.settings or {}).get(k) for k in ("good", "poor", "poor_threshold", "flag_label",
                                                             "pass_share")},
        "status": a.status, "ballots_issued": a.ballots_issued, "ballots_collected": a.ballots_collected,
        "objects": [{"id": o.id, "seq": o.seq, "kind": o.kind, "name": o.name, "post": o.post} for o in a.objects],
        "entries": [{"entry_no": e.entry_no, "teller": e.teller.display_name, "entered_at": utc(e.entered_at)}
                    for e in a.entries] if counting else [],
        "valid": res.valid if res else None, "invalid": res.invalid if res else None,
        "results": [{"object_id": r.obj.id, "name": r.obj.name, "votes": [n for _, n in r.result.counts],
                     "blank": r.result.blank, "good_rate": r.good_rate, "poor_share": r.poor_share,
                     "verdict": r.result.verdict, "flagged": r.result.flagged} for r in res.rows] if res else [],
        "published_at": utc(a.published_at),
    }


def _input(body) -> svc.AppraisalInput:
    objects = [svc.ObjectInput(o["name"], o.get("post", ""), o.get("kind", "")) for o in body["objects"]]
    settings = {k: v for k, v in (body.get("settings") or {}).items() if v is not None}
    return svc.AppraisalInput(body["kind"], body.get("title", ""), body.get("grades") or (), settings, objects)


def _one(appraisal_id: int):
    return svc.load_appraisal(db.session, user(), appraisal_id)


@endpoint("GET", "/assembly/sessions/<int:assembly_session_id>/appraisals", summary="本次会议的测评", tag=TAG,
          response=arr(APPRAISAL), roles=VIEWERS,
          description="与会议“民主评议与测评”页面相同。代表只能看到已公布的；不属于您的会议返回404。")
def list_appraisals(assembly_session_id: int, args):
    meeting = session_or_404(db.session, user(), assembly_session_id)
    return [appraisal_json(a) for a in svc.session_appraisals(db.session, user(), meeting.id)]


@endpoint("POST", "/assembly/sessions/<int:assembly_session_id>/appraisals", summary="设置测评", tag=TAG,
          response=APPRAISAL, status=201, roles=MANAGERS, body=SETUP_IN, errors=(404, 422),
          description="与“设置一项测评”相同：会议召开完毕前可以设置；等次、统计设定省略时按类型默认（民主评议、民主测评："
                      "好、较好、一般、差，差评率超过三分之一标注“不称职”；信任投票：信任、不信任、弃权，信任票超过半数）。")
def create_appraisal(assembly_session_id: int, args, body):
    return appraisal_json(svc.create_appraisal(db.session, user(), assembly_session_id, _input(body), utcnow()))


@endpoint("GET", "/assembly/appraisals/<int:appraisal_id>", summary="一项测评及其结果", tag=TAG, response=APPRAISAL,
          roles=VIEWERS, description="设置、录入情况和确认后的结果。代表只能看到已公布的（未公布返回404）。")
def get_appraisal(appraisal_id: int, args):
    return appraisal_json(_one(appraisal_id))


@endpoint("PUT", "/assembly/appraisals/<int:appraisal_id>", summary="修改测评设置", tag=TAG, response=APPRAISAL,
          roles=MANAGERS, body=SETUP_IN, errors=(404, 422),
          description="与测评页面的“修改设置”相同：开始计票前可以修改，测评对象按所列替换。")
def update_appraisal(appraisal_id: int, args, body):
    return appraisal_json(svc.update_appraisal(db.session, user(), appraisal_id, _input(body), utcnow()))


@endpoint("POST", "/assembly/appraisals/<int:appraisal_id>/open", summary="开始计票", tag=TAG, response=APPRAISAL,
          roles=MANAGERS, body=OPEN_IN, errors=(404, 422),
          description="会议开幕后，填写发出和收回票数开始计票。收回票数多于发出票数的，本次测评无效，应重新进行（422）。")
def open_appraisal(appraisal_id: int, args, body):
    return appraisal_json(svc.open_appraisal(db.session, user(), appraisal_id, body["ballots_issued"],
                                             body["ballots_collected"], utcnow()))


@endpoint("PUT", "/assembly/appraisals/<int:appraisal_id>/entries/<int:entry_no>", summary="录入票数", tag=TAG,
          response=APPRAISAL, roles=(Role.teller,), body=ENTRY_IN, errors=(404, 422),
          description="与录入页面相同：监票计票人员独立录入第1次或第2次；两次须由两位不同的人员完成，只能修改自己的录入。"
                      "每个对象各等次票数之和不能超过有效票数（收回票数减无效票数），有误时返回422并写明是哪个对象。")
def enter_appraisal_figures(appraisal_id: int, entry_no: int, args, body):
    a = _one(appraisal_id)
    known = {o.id: str(o.id) for o in a.objects}
    objects, problems = {}, []
    for i, row in enumerate(body["objects"]):
        if row["object_id"] not in known:
            problems.append({"field": f"objects[{i}].object_id", "message": "测评对象（object_id）不在本项测评中"})
        elif len(row["votes"]) != len(a.grades):
            problems.append({"field": f"objects[{i}].votes",
                             "message": f"各等次票数（votes）应有{len(a.grades)}项：{'、'.join(a.grades)}"})
        else:
            objects[known[row["object_id"]]] = dict(zip(a.grades, row["votes"], strict=True))
    if problems:
        raise validation("提交的数据有误，请按逐项说明修改。", problems)
    svc.enter_figures(db.session, user(), a.id, entry_no, {"invalid": body["invalid"], "objects": objects}, utcnow())
    db.session.expire_all()
    return appraisal_json(_one(appraisal_id))


@endpoint("GET", "/assembly/appraisals/<int:appraisal_id>/comparison", summary="核对两次录入", tag=TAG,
          response=COMPARISON, roles=COUNTERS, description="与“核对两次录入”页面相同：每一处不同的对象、等次和两次的票数。")
def compare_appraisal_entries(appraisal_id: int, args):
    cmp = svc.compare(db.session, _one(appraisal_id))
    return {"complete": cmp.complete, "agree": cmp.agree,
            "differences": [{"object": d.object_name, "grade": d.grade, "first": d.first, "second": d.second}
                            for d in cmp.differences]}


@endpoint("POST", "/assembly/appraisals/<int:appraisal_id>/confirm", summary="确认票数", tag=TAG, response=APPRAISAL,
          roles=CONFIRMERS, errors=(404, 422),
          description="两位监票计票人员的录入都已完成且完全一致时确认；否则返回422并说明。")
def confirm_appraisal(appraisal_id: int, args):
    return appraisal_json(svc.confirm_appraisal(db.session, user(), appraisal_id, utcnow()))


@endpoint("POST", "/assembly/appraisals/<int:appraisal_id>/publish", summary="公布结果", tag=TAG, response=APPRAISAL,
          roles=MANAGERS, errors=(404, 422), description="票数确认后公布；公布后本届代表可以查看结果。")
def publish_appraisal(appraisal_id: int, args):
    return appraisal_json(svc.publish_appraisal(db.session, user(), appraisal_id, utcnow()))

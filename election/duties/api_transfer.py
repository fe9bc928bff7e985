"""「转入代表名册」 over the API, as the page offers it to the 组织部 (管理员, 选举办): the preview of an election's
elected (what the election knew of each, who is already in the roll), the transfer with logins (the one-time
passwords come back once, as on the 账号通知单), and the roll's bulk 工作室 / 代表小组 assignment. Each operation calls
the page's use case (election.duties.services.transfer: ``plan_transfer``, ``transfer_elected``,
``assign_delegates``) with the same predicate (can_manage_delegates)."""
from __future__ import annotations

from election.api import DATE, MAX_ID, B, I, S, arr, component, endpoint, nullable, obj, parse_date, user, validation
from election.api.scope import election_or_404
from election.core.clock import utcnow
from election.core.db import db
from election.duties.api_schemas import TAG, A, O
from election.duties.models import LEVELS
from election.duties.services import transfer as tr

MANAGERS = (A, O)  # = can_manage_delegates
ID = I(minimum=1, maximum=MAX_ID)


def _example(schema: dict, *examples: dict) -> dict:
    return {**schema, "examples": list(examples)}


PERSON = obj({
    "delegate_id": I("当选人编号（选举结果中的代表记录）"), "name": S("姓名"), "gender": S("性别"), "ethnicity": S("民族"),
    "birth_date": nullable(DATE("出生年月")), "native_place": S("籍贯"), "party_join_date": nullable(DATE("入党时间")),
    "work_start_date": nullable(DATE("参加工作时间")), "education": S("学历"), "workplace": S("工作单位及职务"),
    "category": S("身份类别"), "username": S("默认登录用户名"),
    "term_delegate_id": nullable(I("已转入时的任期代表编号")), "problem": S("不能转入的原因（空为可以转入）"),
    "same_name_users": arr(S(), "系统中同名的已有账号（不会自动合并）"),
})
PLAN = component("TransferPlan", _example(obj({
    "election_id": I(), "offered": B("能否转入"), "refusal": S("不能转入的原因（中文）"),
    "level": nullable(S("代表层级", enum=list(LEVELS))), "congress": S("党代会届次"),
    "term_start": nullable(DATE("任期开始")), "term_end": nullable(DATE("任期结束")), "electing_unit": S("选举单位"),
    "by_election": B("是否补选（填补空缺名额，沿用本届届次与任期届满日）"), "people": arr(PERSON, "当选人"),
}, description="转入代表名册的预览（不写入任何数据）"), {
    "election_id": 7, "offered": True, "refusal": "", "level": "区", "congress": "区第十三次党代会",
    "term_start": "2026-12-01", "term_end": "2031-11-30", "electing_unit": "中共某区直属机关工作委员会",
    "by_election": False, "people": [{
        "delegate_id": 41, "name": "王芳", "gender": "女", "ethnicity": "汉族", "birth_date": "1975-03-01",
        "native_place": "陕西宝鸡", "party_join_date": "1998-07-01", "work_start_date": "1996-08-01", "education": "大学",
        "workplace": "某局局长", "category": "处级领导干部", "username": "db7x41", "term_delegate_id": None,
        "problem": "", "same_name_users": []}]}))
TRANSFER_IN = _example(obj({
    "congress": S("党代会届次（省略为由选举名称得出；补选沿用空缺名额的届次）", minLength=1, maxLength=128),
    "term_start": S("任期开始日期＝党代会召开日期，如 2026-12-01（省略为选举结果录入日）", format="date"),
    "years": I("任期年数（默认5）", minimum=1, maximum=tr.MAX_YEARS),
    "logins": arr(ID, "创建登录账号的当选人编号（省略为全部；[] 为都不创建）", maxItems=5000),
    "offices": arr(obj({"delegate_id": ID, "office_id": ID}), "逐人指定党代表工作室", maxItems=5000),
    "usernames": arr(obj({"delegate_id": ID, "username": S("登录用户名", minLength=3, maxLength=64)}),
                     "逐人指定登录用户名（省略为默认用户名）", maxItems=5000),
}, required=[], description="转入代表名册的选择"), {},
    {"congress": "区第十三次党代会", "term_start": "2026-12-01", "years": 5, "logins": [41],
     "offices": [{"delegate_id": 41, "office_id": 3}], "usernames": [{"delegate_id": 41, "username": "wangfang"}]})
TRANSFERRED = component("TransferOutcome", _example(obj({
    "election_id": I(), "added": arr(obj({"id": I("任期代表编号"), "name": S(), "source_delegate_id": I("当选人编号"),
                                          "username": nullable(S("登录用户名"))}), "本次转入的代表"),
    "already": arr(S(), "此前已转入的当选人（未重复添加）"), "skipped": arr(S(), "未能转入的当选人及原因"),
    "slips": arr(obj({"name": S(), "username": S(), "password": S("一次性密码（只返回这一次）")}), "账号通知单"),
}, description="转入结果"), {
    "election_id": 7, "added": [{"id": 120, "name": "王芳", "source_delegate_id": 41, "username": "wangfang"}],
    "already": [], "skipped": [], "slips": [{"name": "王芳", "username": "wangfang", "password": "abcd-EFGH-2345"}]}))
ASSIGN_IN = _example(obj({
    "delegate_ids": arr(ID, "勾选的任期代表编号", minItems=1, maxItems=5000),
    "office_id": nullable(I("党代表工作室编号（null 为不分配；省略为不变）", minimum=1, maximum=MAX_ID)),
    "group_name": S("代表小组（空字符串为移出小组；省略为不变）", maxLength=64),
    "leader_id": I("组长（勾选的代表之一；须同时填写代表小组）", minimum=1, maximum=MAX_ID),
}, required=["delegate_ids"], description="批量分配工作室和代表小组"),
    {"delegate_ids": [120, 121, 122], "office_id": 3, "group_name": "第一代表小组", "leader_id": 121})
ASSIGNED = component("DelegateAssignment", _example(obj({
    "delegates": arr(obj({"id": I(), "name": S(), "office_id": nullable(I()), "group_name": S(),
                          "group_role": nullable(S(enum=["组长", "副组长"]))}), "分配后的代表"),
}), {"delegates": [{"id": 120, "name": "王芳", "office_id": 3, "group_name": "第一代表小组", "group_role": None}]}))


def _plan_json(plan: tr.TransferPlan) -> dict:
    return {"election_id": plan.election.id, "offered": not plan.refusal and bool(plan.pending),
            "refusal": plan.refusal, "level": plan.level, "congress": plan.congress, "term_start": plan.term_start,
            "term_end": plan.term_end, "electing_unit": plan.electing_unit, "by_election": plan.by_election,
            "people": [{"delegate_id": r.delegate.id, "name": r.delegate.name, "gender": r.gender,
                        "ethnicity": r.ethnicity or "", "birth_date": r.birth_date, "native_place": r.native_place or "",
                        "party_join_date": r.party_join_date, "work_start_date": r.work_start_date,
                        "education": r.education or "", "workplace": r.workplace or "", "category": r.category or "",
                        "username": r.username, "term_delegate_id": r.transferred.id if r.transferred else None,
                        "problem": r.clash, "same_name_users": list(r.same_name_users)} for r in plan.rows]}


@endpoint("GET", "/elections/<int:election_id>/transfer", summary="转入代表名册预览", tag=TAG, response=PLAN,
          roles=MANAGERS,
          description="与“转入代表名册”页面相同：录入选举结果后，列出当选人及选举中掌握的信息（民族、籍贯、出生年月、"
                      "入党时间、参加工作时间、学历、工作单位及职务、身份类别），已转入的注明任期代表编号；"
                      "层级不是市、区（县）、镇的，refusal 说明原因。不写入任何数据。")
def get_transfer_plan(election_id: int, args):
    election = election_or_404(user(), election_id)
    return _plan_json(tr.plan_transfer(db.session, election))


def _pairs(items: list[dict], key: str, field: str) -> dict[int, object]:
    out: dict[int, object] = {}
    for i, item in enumerate(items):
        if item["delegate_id"] in out:
            raise validation("提交的数据有误，请按逐项说明修改。",
                             [{"field": f"{field}[{i}].delegate_id", "message": "同一当选人只能列一次"}])
        out[item["delegate_id"]] = item[key]
    return out


@endpoint("POST", "/elections/<int:election_id>/transfer", summary="转入代表名册", tag=TAG, response=TRANSFERRED,
          status=201, roles=MANAGERS, body=TRANSFER_IN, errors=(409, 422),
          description="与“转入代表名册”页面相同：每位当选人成为任期代表（层级、届次、任期自党代会召开日起、选举单位），"
                      "带上选举中掌握的信息并关联当选记录；logins 中的人各建一个“代表”账号，一次性密码只在本次返回"
                      "（首次登录须修改）。补选的当选人填补空缺名额。已转入的不会重复添加（already 列出）；全部已转入时"
                      "再次提交返回409。"
                      "用户名已被使用、层级不符等返回422；不是本次选举当选人的编号、不存在的工作室返回404。"
                      "一个事务，一条审计记录。")
def transfer_elected(election_id: int, args, body):
    election = election_or_404(user(), election_id)
    term_start = parse_date(body["term_start"], "term_start", "任期开始日期") if "term_start" in body else None
    choices = tr.TransferChoices(
        congress=body.get("congress"), term_start=term_start, years=body.get("years", 5),
        logins=frozenset(body["logins"]) if "logins" in body else None,
        offices=_pairs(body.get("offices", []), "office_id", "offices"),
        usernames=_pairs(body.get("usernames", []), "username", "usernames"))
    out = tr.transfer_elected(db.session, user(), election.id, choices, utcnow())
    names = {s.display_name: s.username for s in out.slips}
    return {"election_id": election.id,
            "added": [{"id": t.id, "name": t.name, "source_delegate_id": t.source_delegate_id,
                       "username": names.get(t.name)} for t in out.added],
            "already": list(out.already), "skipped": list(out.skipped),
            "slips": [{"name": s.display_name, "username": s.username, "password": s.password} for s in out.slips]}


@endpoint("POST", "/duties/delegates/assignment", summary="批量分配工作室和代表小组", tag=TAG, response=ASSIGNED,
          roles=MANAGERS, body=ASSIGN_IN, errors=(404, 422),
          description="与代表名册页面的“为勾选的代表分配工作室和代表小组”相同：office_id 省略为不变、null 为不分配；"
                      "group_name 省略为不变、空字符串为移出小组；leader_id 为组长（其余为组员）。"
                      "不存在的代表或工作室返回404。一条审计记录。")
def assign_delegates(args, body):
    data = tr.Assignment(tuple(body["delegate_ids"]), office_id=body.get("office_id", tr.KEEP),
                         group_name=body.get("group_name"), leader_id=body.get("leader_id"))
    rows = tr.assign_delegates(db.session, user(), data, utcnow())
    return {"delegates": [{"id": d.id, "name": d.name, "office_id": d.office_id, "group_name": d.group_name,
                           "group_role": d.group_role} for d in rows]}

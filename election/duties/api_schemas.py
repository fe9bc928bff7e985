"""The duties API's JSON schemas: the OpenAPI components (党代表工作室, 任期代表, 履职活动, 积分排名, 我的积分, 群众诉求,
提案) and the request bodies, with the tag and the roles the resources name. ``election.duties.api`` imports it first,
so the components keep their order in the document."""
from __future__ import annotations

from election.api import DATE, DATETIME, MAX_ID, B, I, S, arr, component, nullable, obj, tag
from election.core.roles import Role
from election.duties.models import LEVELS, RATINGS
from workflow import duties as wd
from workflow.duties.delegate_status import DelegateStatus, StatusReason
from workflow.duties.petitions import PetitionState

TAG = tag("代表履职", "任期内代表：名册、履职活动登记与核实、积分排名、群众诉求、提案")

A, O, ST, DL, AU = Role.admin, Role.office, Role.studio, Role.delegate, Role.auditor
STAFF = (A, O, ST, AU)            # = svc.can_view_duties
WRITERS = (A, O, ST)              # the 审计 reads duty records but never acts on them
STATUSES = [s.value for s in DelegateStatus]
ACTIVITY_STATUSES = [s.value for s in wd.ActivityStatus]
STATES = [s.value for s in PetitionState]
GRADES = [g.value for g in wd.SatisfactionGrade]
ID = I(minimum=1, maximum=MAX_ID)
YEAR = I(minimum=2000, maximum=2100)


def one_of(values: list[str], description: str = "") -> dict:
    return {"anyOf": [S(description, enum=values), {"type": "null"}]}


OFFICE = component("DelegateOffice", obj({"id": I(), "name": S("工作室名称"), "level": S("层级"), "address": S()}))
DELEGATE = component("TermDelegate", obj({
    "id": I(), "name": S("姓名"), "gender": S(enum=["男", "女"]), "birth_date": nullable(DATE()), "ethnicity": S(),
    "level": S("代表层级", enum=list(LEVELS)), "congress": S("党代会届次"), "term_start": DATE(), "term_end": DATE(),
    "electing_unit": S("选举单位"), "workplace": S("工作单位及职务"), "phone": S("联系电话"),
    "native_place": S("籍贯"), "party_join_date": nullable(DATE("入党时间（到月，记为当月1日）")),
    "work_start_date": nullable(DATE("参加工作时间（到月，记为当月1日）")), "education": S("学历"),
    "category": S("身份类别（选举时的）"),
    "source_delegate_id": nullable(I("当选记录编号：由选举结果转入时指向该次选举的当选代表")),
    "office_id": nullable(I()), "office_name": nullable(S("党代表工作室")), "group_name": S("代表小组"),
    "group_role": one_of(["组长", "副组长"]), "status": S(enum=STATUSES), "status_label": S("在任/资格终止/停止执行"),
    "status_reason": one_of([r.value for r in StatusReason], "资格变动原因"), "status_issuer": nullable(S("决定机关")),
    "status_doc_no": nullable(S("决定文号")), "status_decided_on": nullable(DATE()),
}))
STATUS_CHANGE = obj({"from_status": S(enum=STATUSES), "to_status": S(enum=STATUSES), "reason": S(), "issuer": S(),
                     "doc_no": S(), "decided_on": DATE(), "filed_upward_to": S(), "at": DATETIME()})
DELEGATE_DETAIL = component("TermDelegateDetail", obj({"delegate": DELEGATE,
                                                      "history": arr(STATUS_CHANGE, "资格变动记录（每条附决定）")}))
ACTIVITY = component("DutyActivity", obj({
    "id": I(), "delegate_id": I(), "delegate_name": S(), "office_id": nullable(I()), "type_code": S("活动类型代码"),
    "type_label": S("活动类型"), "on": DATE("活动日期"), "place": S(), "description": S(), "people": S("参与人员/服务对象"),
    "grade": one_of(GRADES, "群众满意度（按满意度计分的类型）"), "role": S("领衔/联署", enum=["lead", "co_signer"]),
    "status": S(enum=ACTIVITY_STATUSES), "status_label": S("待核实/已核实/已退回"), "return_reason": nullable(S("退回理由")),
    "verified_at": nullable(DATETIME()), "created_at": DATETIME(), "petition_id": nullable(I()),
    "proposal_id": nullable(I()), "attachments": I("附件数"),
}))
RANK_LINE = obj({"rank": I(), "rank_text": S("如“第2名（并列）”"), "delegate_id": I(), "name": S(), "office": S(),
                 "level": S(), "points": I("积分")})
CHOICE = obj({"value": S(), "label": S()})
RANKING = component("DutyRanking", obj({
    "year": I(), "until": DATE("积分截至日期"), "period_label": S(), "group": S("排名范围，如 office:3 或 level:区"),
    "group_label": S(), "lines": arr(RANK_LINE, "按积分排名（并列者按姓氏笔画）"),
    "groups": arr(CHOICE, "可选的排名范围"), "periods": arr(obj({"value": I(), "label": S()}), "可选的公布期（0 为截至今天）"),
}))
REQUIREMENT = obj({"code": S(), "label": S(), "period_start": DATE(), "period_end": DATE("期末或截止日期"),
                   "needed": I(), "done": I("已核实的次数"), "pending": I("待核实的次数"), "met": B()})
STANDING = component("DutyStanding", obj({
    "delegate_id": I(), "name": S(), "year": I(), "total": I("积分合计"), "rank": nullable(I("在本工作室的名次")),
    "rank_text": nullable(S()), "group_size": I("本工作室在任代表数"), "explain": arr(S(), "积分说明（逐类、封顶、未计分）"),
    "requirements": arr(REQUIREMENT, "履职要求完成情况"), "ruleset_name": S("施行的履职规则"),
}))
PETITION = component("Petition", obj({
    "id": I(), "office_id": I(), "office_name": S(), "delegate_id": nullable(I()), "delegate_name": nullable(S()),
    "resident_name": S("群众姓名"), "resident_phone": S(), "content": S("诉求内容"), "state": S(enum=STATES),
    "state_label": S("登记/接待/处理/回复/反馈/归档"), "registered_at": DATETIME(), "received_at": nullable(DATETIME()),
    "processing_at": nullable(DATETIME()), "replied_at": nullable(DATETIME()), "feedback_at": nullable(DATETIME()),
    "archived_at": nullable(DATETIME()), "receiver": S("接待人"), "handler": S("办理人/单位"), "reply": S("回复内容"),
    "grade": one_of(GRADES, "群众满意度"), "feedback_note": S(), "archive_note": S(), "return_reason": S("反馈后重新办理的理由"),
    "overdue": arr(S(), "超期情况"), "next_steps": arr(S(enum=STATES), "现在可进入的步骤"),
}))
PROPOSAL = component("Proposal", obj({
    "id": I(), "kind": S("proposal = 提案，motion = 提议", enum=["proposal", "motion"]), "lead_delegate_id": I(),
    "lead_name": S("领衔代表"), "title": S("案由"), "grounds": S("案据"), "solution": S("方案"), "submitted_on": DATE(),
    "handling_unit": S("承办单位"), "reply": S("答复"), "replied_on": nullable(DATE()),
    "assessment": one_of(GRADES, "对答复的评价"), "cosigners": arr(obj({"delegate_id": I(), "name": S()}), "联署代表"),
    "created_at": DATETIME(),
    "session_id": nullable(I("提交到的年会（闭会期间的提案为空）")),
    "filing": nullable(S("年会提案的立案审查：pending 待审查、filed 立案、not_filed 不立案、suggestion 转为建议（闭会期间的为空）",
                         enum=["pending", "filed", "not_filed", "suggestion"])),
}))

ACTIVITY_IN = obj({
    "delegate_id": I("代表编号（代表本人登记时可省略）", minimum=1, maximum=MAX_ID),
    "type_code": S("活动类型代码（见履职规则，如 duty_reception）", minLength=1, maxLength=32),
    "on": S("活动日期，如 2026-03-31", format="date"), "place": S("地点", maxLength=200),
    "description": S("活动内容", minLength=1, maxLength=5000), "people": S("参与人员/服务对象", maxLength=500),
    "grade": S("群众满意度（按满意度计分的类型必填）", enum=GRADES),
}, required=["type_code", "on", "description"])
RETURN_IN = obj({"reason": S("退回理由：需要补充或更正的内容", minLength=1, maxLength=2000)})
PETITION_IN = obj({
    "resident_name": S("群众姓名", minLength=1, maxLength=64), "content": S("诉求内容", minLength=1, maxLength=5000),
    "resident_phone": S("联系电话", maxLength=32), "delegate_id": nullable(I("代理/办理代表", minimum=1, maximum=MAX_ID)),
    "office_id": nullable(I("受理的工作室（工作室人员可省略：本工作室；不能指定其他工作室）", minimum=1, maximum=MAX_ID)),
}, required=["resident_name", "content"])
MOVE_IN = obj({
    "target": S("进入的步骤", enum=STATES), "receiver": S("接待人（接待时必填）", maxLength=64),
    "handler": S("办理人/单位（处理时必填）", maxLength=128), "reply": S("回复内容（回复时必填）", maxLength=5000),
    "grade": S("群众满意度（反馈时必填）", enum=GRADES), "feedback_note": S(maxLength=5000),
    "archive_note": S(maxLength=5000), "reason": S("反馈不满意、重新处理的理由", maxLength=2000),
}, required=["target"])
PROPOSAL_IN = obj({
    "lead_delegate_id": I("领衔代表（代表本人登记时可省略）", minimum=1, maximum=MAX_ID),
    "title": S("案由", minLength=1, maxLength=200), "grounds": S("案据", minLength=1, maxLength=10000),
    "solution": S("方案", minLength=1, maxLength=10000), "submitted_on": S("提出日期", format="date"),
    "cosigner_ids": arr(I(minimum=1, maximum=MAX_ID), "联署代表编号", maxItems=100),
    "handling_unit": S("承办单位", maxLength=128), "kind": S("proposal = 提案（默认），motion = 提议", enum=["proposal", "motion"]),
}, required=["title", "grounds", "solution", "submitted_on"])
REPLY_IN = obj({
    "handling_unit": S("承办单位", minLength=1, maxLength=128), "reply": S("答复内容", minLength=1, maxLength=4000),
    "replied_on": S("答复日期，如 2026-04-30（不早于提出日期）", format="date"),
})
ASSESS_IN = obj({"assessment": S("对答复的评价：very_satisfied = 非常满意，satisfied = 基本满意，unsatisfied = 不满意",
                                 enum=GRADES)})
STATUS_IN = obj({
    "target": S("变更为：terminated = 资格终止，suspended = 停止执行代表职务",
                enum=[s.value for s in DelegateStatus if s is not DelegateStatus.serving]),
    "reason": S("原因（须与变更后的状态相符：调离本地区为停止执行代表职务，其余为资格终止）",
                enum=[r.value for r in StatusReason]),
    "issuer": S("作出决定的机关，如 中共某区委", minLength=1, maxLength=128),
    "doc_no": S("决定文号", minLength=1, maxLength=64), "decided_on": S("决定日期（不晚于今天）", format="date"),
    "filed_upward_to": S("报上级党组织备案（可省略）", maxLength=128),
}, required=["target", "reason", "issuer", "doc_no", "decided_on"], description="代表状态变更及党委的决定")
RATING_IN = {**obj({
    "delegate_id": I("代表编号（工作室人员只能评定本工作室的代表）", minimum=1, maximum=MAX_ID),
    "year": I("考评年度（省略为今年）", minimum=2000, maximum=2100),
    "part_code": S("履职纪实表的部分：" + "，".join(f"{p.code} = {p.label}" for p in wd.FENGXIAN.annual_review.parts),
                   enum=[p.code for p in wd.FENGXIAN.annual_review.parts]),
    "rating": S("评定等次", enum=list(RATINGS)),
    "body": S("评定机关（省略为该部分的评定机关）", maxLength=128), "comment": S("评语", maxLength=500),
}, required=["delegate_id", "part_code", "rating"], description="年度考评：评定履职纪实表的一部分"),
    "examples": [{"delegate_id": 12, "year": 2026, "part_code": wd.FENGXIAN.annual_review.parts[0].code,
                  "rating": "优秀", "comment": "履职积极，按时参加驻室接访"}]}

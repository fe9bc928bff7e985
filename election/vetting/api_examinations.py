"""考察: the 考察对象 of an election with their vetting records; the 考察组's record, the 纪检
opinion and the conclusion (one service call each, as the person page does).

The same board as the page (``vetting_board``): a 考察组 member sees only the people assigned to him or her;
anyone else of the vetting roles sees every 考察对象 (removed ones too, with the reason).
"""
from __future__ import annotations

from election.api import (
    BLOCKER,
    DATETIME,
    PAGE_PARAMS,
    B,
    I,
    Param,
    S,
    arr,
    blockers,
    component,
    endpoint,
    not_found,
    nullable,
    obj,
    page_of,
    paginate_list,
    tag,
    user,
    utc,
)
from election.api.scope import election_or_404
from election.core.clock import utcnow
from election.core.db import db
from election.core.roles import Role
from election.nominations.models import Nominee
from election.vetting import services as svc
from election.vetting.models import Vetting
from election.vetting.services import PersonRowView

TAG = tag("考察", "考察对象及考察材料（考察组成员只看到分配给本人的考察对象）")
VIEWERS = (Role.admin, Role.office, Role.inspector, Role.discipline, Role.auditor)  # = svc.can_view_vetting
STATES = ["in_progress", "passed", "unfit", "removed"]


def _either(values: list[str], description: str = "") -> dict:
    return {"anyOf": [S(description, enum=values), {"type": "null"}]}


VETTING = obj({
    "file_audit": _either(["passed", "issues"], "档案审核（三龄两历一身份）"), "file_audit_note": S(),
    "discipline_opinion": nullable(S("纪检机关意见")), "discipline_at": nullable(DATETIME()),
    "petition_check": nullable(S("信访举报核查")), "personal_report_check": nullable(S("个人有关事项报告查核（领导干部）")),
    "appraisal_count": nullable(I("民主测评人数")), "interview_count": nullable(I("个别谈话人数")),
    "integrity_received": B("已收到廉洁自律情况说明"), "from_enterprise": B("企业人员"),
    "regulator_opinion": nullable(S("行政执法、行业监管部门意见")),
    "conclusion": _either([c.value for c in svc.Conclusion], "考察结论：通过/不宜"), "conclusion_reason": nullable(S()),
    "concluded_at": nullable(DATETIME()), "updated_at": DATETIME(),
}, description="考察材料")
EXAMINATION = component("Examination", obj({
    "nominee_id": I(), "election_id": I(), "name": S(), "gender": S(), "unit_name": S("推荐单位"),
    "workplace_title": S("工作单位及职务"), "category": S("身份类别"), "step": S("进展"), "leader": B("领导干部（须查核个人有关事项报告）"),
    "status": S("考察中/通过/不宜/已移出", enum=STATES), "status_label": S(), "removed_reason": nullable(S()),
    "inspectors": arr(S(), "考察组成员"), "open_complaints": I("未办结的反映"), "vetting": {"anyOf": [VETTING, {"type": "null"}]},
}))
DETAIL = component("ExaminationDetail", obj({
    "examination": EXAMINATION, "missing": arr(BLOCKER, "作出“通过”结论前尚缺的考察事项（与页面相同）"),
}))


def _status(row: PersonRowView) -> str:
    if row.nominee.removed_reason:
        return "removed"
    if row.vetting is None or row.vetting.conclusion is None:
        return "in_progress"
    return row.vetting.conclusion


def examination_json(row: PersonRowView) -> dict:
    n, v = row.nominee, row.vetting
    return {"nominee_id": n.id, "election_id": n.election_id, "name": n.name, "gender": n.gender,
            "unit_name": row.unit_name, "workplace_title": n.workplace_title, "category": n.category, "step": n.step,
            "leader": row.leader, "status": _status(row), "status_label": row.status_label,
            "removed_reason": n.removed_reason, "inspectors": list(row.inspectors),
            "open_complaints": row.open_complaints,
            "vetting": None if v is None else {
                "file_audit": v.file_audit, "file_audit_note": v.file_audit_note,
                "discipline_opinion": v.discipline_opinion, "discipline_at": utc(v.discipline_at),
                "petition_check": v.petition_check, "personal_report_check": v.personal_report_check,
                "appraisal_count": v.appraisal_count, "interview_count": v.interview_count,
                "integrity_received": v.integrity_received, "from_enterprise": v.from_enterprise,
                "regulator_opinion": v.regulator_opinion, "conclusion": v.conclusion,
                "conclusion_reason": v.conclusion_reason, "concluded_at": utc(v.concluded_at),
                "updated_at": utc(v.updated_at)}}


@endpoint("GET", "/elections/<int:election_id>/examinations", summary="考察对象及考察材料", tag=TAG,
          response=page_of(EXAMINATION, "Examination"), roles=VIEWERS,
          query=(*PAGE_PARAMS, Param("status", S(enum=STATES), "按考察状态筛选"),
                 Param("q", S(maxLength=64), "按姓名包含的文字筛选")),
          description="姓氏笔画序，含已移出的人（附理由）。考察组成员只看到分配给本人的考察对象。")
def list_examinations(election_id: int, args):
    election = election_or_404(user(), election_id)
    rows = svc.vetting_board(db.session, election, user())
    if args["status"]:
        rows = [r for r in rows if _status(r) == args["status"]]
    if args["q"]:
        rows = [r for r in rows if args["q"].strip() in r.nominee.name]
    return paginate_list(rows, args).as_dict(examination_json)


def _row_or_404(nominee_id: int) -> PersonRowView:
    """The person as the board shows it to the caller: not a 考察对象, or (考察组) not assigned, is 404."""
    nominee = db.session.get(Nominee, nominee_id)
    if nominee is None:
        raise not_found("考察对象")
    election = election_or_404(user(), nominee.election_id)
    row = svc.vetting_row(db.session, election, nominee.id, user())  # that person's rows only, never the board
    if row is None:
        raise not_found("考察对象")
    return row


def _detail(row: PersonRowView) -> dict:
    # no record yet: everything is still missing (an empty record, as the service starts one; never stored)
    record = row.vetting or Vetting(integrity_received=False,
                                    from_enterprise=svc.looks_like_enterprise(row.nominee.workplace_title))
    missing = svc.check_vetting_complete(record, row.leader)
    return {"examination": examination_json(row), "missing": blockers(missing)}


@endpoint("GET", "/examinations/<int:nominee_id>", summary="一名考察对象的考察材料", tag=TAG, response=DETAIL,
          roles=VIEWERS, description="不是考察对象，或（考察组成员）未分配给本人时返回404。")
def get_examination(nominee_id: int, args):
    return _detail(_row_or_404(nominee_id))


# ---------------------------------------------------------------------------------------------- writes
EDITORS = (Role.admin, Role.office, Role.inspector)  # = svc.can_edit_vetting (a 考察组 member: assigned people only)
TEXT = 2000
VETTING_IN = obj({
    "file_audit": _either(["passed", "issues"], "档案审核结果：passed = 通过，issues = 存在问题（未做为 null）"),
    "file_audit_note": S("档案审核发现的问题（存在问题时必填）", maxLength=TEXT),
    "petition_check": nullable(S("信访举报核查情况", maxLength=TEXT)),
    "personal_report_check": nullable(S("个人有关事项报告查核（仅领导干部）", maxLength=TEXT)),
    "appraisal_count": nullable(I("民主测评参加人数", minimum=0, maximum=100_000)),
    "interview_count": nullable(I("个别谈话人数", minimum=0, maximum=100_000)),
    "integrity_received": B("已收到本人廉洁自律情况说明（默认 false）"),
    "from_enterprise": B("企业人员（省略时沿用原记录，或按工作单位推断）"),
    "regulator_opinion": nullable(S("行政执法、行业监管部门意见（仅企业人员）", maxLength=TEXT)),
}, required=[], description="考察材料：整份保存，省略的事项视为尚未完成")
DISCIPLINE_IN = obj({"opinion": S("纪检机关意见", minLength=1, maxLength=TEXT)})
CONCLUDE_IN = obj({"conclusion": S("考察结论：passed = 通过，unfit = 不宜", enum=[c.value for c in svc.Conclusion]),
                   "reason": S("理由（结论为“不宜”时必填）", maxLength=TEXT)}, required=["conclusion"])


def _reloaded(nominee_id: int) -> dict:
    db.session.expire_all()
    return _detail(_row_or_404(nominee_id))


@endpoint("PUT", "/examinations/<int:nominee_id>/vetting", summary="录入考察材料", tag=TAG, response=DETAIL,
          roles=EDITORS, body=VETTING_IN,
          description="考察组成员只能录入分配给本人的考察对象（其他返回404），选举办可录入所有考察对象。"
                      "整份保存；已有考察结论后不能再修改。不符合规则时返回422并逐项说明。")
def record_vetting(nominee_id: int, args, body):
    row = _row_or_404(nominee_id)
    enterprise = body.get("from_enterprise")
    if enterprise is None:  # as the page's form: the record's value, else the first guess from the workplace
        enterprise = row.vetting.from_enterprise if row.vetting else svc.looks_like_enterprise(
            row.nominee.workplace_title)
    data = svc.VettingInput(file_audit=body.get("file_audit"), file_audit_note=body.get("file_audit_note") or "",
                            petition_check=body.get("petition_check"),
                            personal_report_check=body.get("personal_report_check"),
                            appraisal_count=body.get("appraisal_count"), interview_count=body.get("interview_count"),
                            integrity_received=bool(body.get("integrity_received", False)),
                            from_enterprise=bool(enterprise), regulator_opinion=body.get("regulator_opinion"))
    svc.record_vetting(db.session, user(), row.nominee.id, data, utcnow())
    return _reloaded(row.nominee.id)


@endpoint("PUT", "/examinations/<int:nominee_id>/discipline", summary="录入纪检机关意见", tag=TAG, response=DETAIL,
          roles=(Role.discipline,), body=DISCIPLINE_IN, description="纪检人员录入（记录录入人和时间）；可以修改。")
def record_discipline(nominee_id: int, args, body):
    row = _row_or_404(nominee_id)
    svc.record_discipline_opinion(db.session, user(), row.nominee.id, body["opinion"], utcnow())
    return _reloaded(row.nominee.id)


@endpoint("POST", "/examinations/<int:nominee_id>/conclusion", summary="作出考察结论", tag=TAG, response=DETAIL,
          roles=EDITORS, body=CONCLUDE_IN,
          description="“通过”须考察事项齐全（尚缺的事项见 missing，否则返回422）；“不宜”须写明理由，"
                      "该人移出名单、理由记入名单。结论作出后不能更改。")
def conclude_vetting(nominee_id: int, args, body):
    row = _row_or_404(nominee_id)
    svc.conclude_vetting(db.session, user(), row.nominee.id, body["conclusion"], body.get("reason") or "", utcnow())
    return _reloaded(row.nominee.id)

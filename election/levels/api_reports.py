"""Packages up, decisions down, over the API, as the pages offer them (docs/rules.md §8.2): a 选举单位's 选举办 lists
and submits its election's packages; the upper committee lists a congress's queue, reads a package and reviews,
approves or returns it. Each operation calls the page's use case (election.levels.services.reports) with the same
predicates (can_report_up, can_manage_congress; the 审计 reads)."""
from __future__ import annotations

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
from election.api.scope import election_or_404
from election.calendar.services import load_calendar
from election.core.clock import today_local, utcnow
from election.core.db import db
from election.core.exceptions import NotFound
from election.core.roles import Role
from election.levels.scope import congress_or_404
from election.levels.services import reports as svc
from election.levels.services import reports_queries as q

TAG = tag("上报上级", "选举单位向上级组织部门报送初步人选、预备人选和选举结果；上级组织部门初步审查、同意、批复、收到或退回")
DISTRICT = (Role.admin, Role.office)                  # = can_report_up
DISTRICT_READERS = (Role.admin, Role.office, Role.auditor)
UPPER = (Role.upper, Role.admin)                      # = can_manage_congress
UPPER_READERS = (Role.upper, Role.admin, Role.auditor)
KIND = S("报送事项：consent 初步人选（请上级同意）、approval 预备人选（初步审查与批复）、result 选举结果（上报）",
         enum=list(svc.KINDS))

PERSON = obj({"key": S("人员在本单位数据中的编号：n推荐人选编号、h上级提名人选编号、d当选代表编号"), "name": S("姓名"),
              "gender": S("性别"), "ethnicity": S("民族"), "birth_date": nullable(DATE("出生日期")),
              "unit": S("推荐单位（上级提名人选为“上级提名”）"), "category": S("身份类别"),
              "workplace_title": S("工作单位及职务")}, description="报送时固定的一名人员")
ITEM = obj({"person_key": S("人员编号"), "name": S("姓名"), "decision": S("approved 同意 / returned 退回"),
            "reason": S("退回理由")})
REPORT = component("UpwardReport", {**obj({
    "id": I(), "election_id": I(), "election_title": S("选举名称"), "kind": KIND, "attempt": I("第几次报送"),
    "status": S("submitted 已报送、reviewed 已初步审查、approved 已同意/批复/收到、returned 已退回",
                enum=["submitted", "reviewed", "approved", "returned"]),
    "status_label": S("状态（中文）"), "people": arr(PERSON, "报送时固定的名单"),
    "documents": arr(obj({"key": S("材料代码"), "name": S("材料名称")}), "随附材料"),
    "cover_note": S("报送说明"), "unit_doc_number": S("选举单位的文号"), "submitted_at": DATETIME("报送时间"),
    "reviewed_at": nullable(DATETIME("初步审查时间")), "review_note": S("初步审查意见"),
    "decided_at": nullable(DATETIME("决定时间")), "decided_on": nullable(DATE("同意、批复或收到的日期")),
    "doc_number": S("上级的文号"), "decision_note": S("上级的说明"), "return_reason": nullable(S("退回理由")),
    "items": arr(ITEM, "逐人退回时上级对每个人的意见"),
}, description="报送上级的材料及上级的决定"), "examples": [{
    "id": 12, "election_id": 3, "election_title": "某区出席市第十二次党代会代表选举", "kind": "approval", "attempt": 1,
    "status": "reviewed", "status_label": "已初步审查，待批复",
    "people": [{"key": "n41", "name": "王芳", "gender": "女", "ethnicity": "汉族", "birth_date": "1975-03-01",
                "unit": "城关街道党工委", "category": "其他一线", "workplace_title": "某社区党委书记"}],
    "documents": [{"key": "confirm-report", "name": "情况报告"}, {"key": "confirmed-roster", "name": "预备人选名册"},
                  {"key": "confirmed-forms", "name": "预备人选登记表"}],
    "cover_note": "请审查", "unit_doc_number": "区委组〔2026〕7号", "submitted_at": "2026-03-31T02:00:00Z",
    "reviewed_at": "2026-04-01T03:00:00Z", "review_note": "结构符合要求", "decided_at": None, "decided_on": None,
    "doc_number": "", "decision_note": "", "return_reason": None, "items": []}]})
QUEUE_ROW = component("UpwardReportQueueRow", obj({
    "report": REPORT, "unit_name": S("选举单位"), "due": nullable(DATE("该阶段的截止日期")),
    "waited": I("已等待的工作日数（待审核时）"), "late": B("等待是否已超过设定的工作日数"),
}, description="上级组织部门审核队列中的一件"))
SUBMIT_IN = {**obj({"kind": KIND, "cover_note": S("报送说明", maxLength=svc.MAX_TEXT),
                    "doc_number": S("本单位文号（报送选举结果时必填）", maxLength=64)}, required=["kind"],
                   description="报送"), "examples": [{"kind": "consent", "cover_note": "请审定", "doc_number": "区委组〔2026〕3号"}]}
REVIEW_IN = {**obj({"note": S("审查意见", maxLength=svc.MAX_TEXT)}, required=[], description="初步审查"),
             "examples": [{"note": "结构符合要求"}]}
APPROVE_IN = {**obj({"decided_on": S("同意、批复或收到的日期，如 2026-03-25", format="date"),
                     "doc_number": S("文号（同意、批复必填）", maxLength=64),
                     "note": S("说明", maxLength=svc.MAX_TEXT)}, required=["decided_on"], description="同意、批复或收到"),
              "examples": [{"decided_on": "2026-04-02", "doc_number": "市委组〔2026〕10号", "note": ""}]}
RETURN_IN = {**obj({"reason": S("整份名单的退回理由", maxLength=svc.MAX_TEXT),
                    "people": arr(obj({"key": S("人员编号（见 people[].key）", minLength=1, maxLength=32),
                                       "reason": S("退回理由", minLength=1, maxLength=svc.MAX_TEXT)}),
                                  "逐人退回（其余人员记为同意）", maxItems=1000)}, required=[], description="退回"),
             "examples": [{"reason": "", "people": [{"key": "n41", "reason": "年龄不符合要求"}]}]}


def report_json(report, items=()) -> dict:
    return {"id": report.id, "election_id": report.election_id, "election_title": report.election.title,
            "kind": report.kind, "attempt": report.attempt, "status": report.status,
            "status_label": svc.status_label(report), "people": report.people or [],
            "documents": report.documents or [], "cover_note": report.cover_note or "",
            "unit_doc_number": report.unit_doc_number or "", "submitted_at": utc(report.submitted_at),
            "reviewed_at": utc(report.reviewed_at), "review_note": report.review_note or "",
            "decided_at": utc(report.decided_at), "decided_on": report.decided_on,
            "doc_number": report.doc_number or "", "decision_note": report.decision_note or "",
            "return_reason": report.return_reason,
            "items": [{"person_key": i.person_key, "name": i.name, "decision": i.decision, "reason": i.reason}
                      for i in items]}


def _package(report_id: int) -> q.PackageView:
    try:
        return q.package_view(db.session, user(), report_id)
    except NotFound:
        raise NotFound("报送材料不存在，或不是报送给您单位的。") from None


@endpoint("GET", "/elections/<int:election_id>/upward-reports", summary="本选举的报送记录", tag=TAG,
          response=arr(REPORT), roles=DISTRICT_READERS,
          description="与“上报上级”页面相同：本选举报送给上级组织部门的全部材料（最新在前）及上级的决定、逐人意见。")
def list_election_reports(election_id: int, args):
    election = election_or_404(user(), election_id)
    view = q.election_packages(db.session, election)
    return [report_json(row.report, row.items) for row in view.packages]


@endpoint("POST", "/elections/<int:election_id>/upward-reports", summary="报送上级", tag=TAG, response=REPORT,
          status=201, roles=DISTRICT, body=SUBMIT_IN, errors=(404, 409, 422),
          description="与“上报上级”页面的报送相同：确定初步人选阶段报送初步人选（consent），确定预备人选阶段报送预备人选"
                      "及上级提名人选（approval），结果上报阶段报送当选代表（result，须填本单位文号）。名单在报送时固定。"
                      "阶段不符、名单尚未确定（初步人选须已登记常委会，预备人选须已登记全委会）返回422；同一事项正在等待"
                      "决定或已获同意/批复返回409；被退回后再次报送为下一次。一个事务，选举单位与上级两侧各记审计。")
def submit_upward_report(election_id: int, args, body):
    election = election_or_404(user(), election_id)
    report = svc.submit_report(db.session, user(), election.id, body["kind"], body.get("cover_note", ""),
                               body.get("doc_number", ""), utcnow())
    return report_json(report)


@endpoint("GET", "/upward-reports/<int:report_id>", summary="报送材料", tag=TAG, response=REPORT,
          roles=(Role.upper, Role.admin, Role.office, Role.auditor),
          description="一件报送材料：固定的名单、随附材料、上级的决定。上级组织部门只能看到报送给本单位的材料，"
                      "选举单位只能看到本单位选举的材料；其他的返回404。")
def get_upward_report(report_id: int, args):
    if user().role == Role.upper:
        view = _package(report_id)
        return report_json(view.report, view.items.values())
    from election.levels.models import UpwardReport

    report = db.session.get(UpwardReport, report_id)
    if report is None:
        raise NotFound("报送材料不存在，或不属于您的单位。")
    election_or_404(user(), report.election_id)
    return report_json(report, q.election_items(db.session, report.id))


@endpoint("POST", "/upward-reports/<int:report_id>/review", summary="初步审查", tag=TAG, response=REPORT, roles=UPPER,
          body=REVIEW_IN, errors=(404, 409, 422),
          description="与报送材料页面的“通过初步审查”相同：只用于预备人选（approval），通过后等待批复。")
def review_upward_report(report_id: int, args, body):
    report = svc.review_report(db.session, user(), report_id, body.get("note", ""), utcnow())
    return report_json(report)


@endpoint("POST", "/upward-reports/<int:report_id>/approve", summary="同意、批复或收到", tag=TAG, response=REPORT,
          roles=UPPER, body=APPROVE_IN, errors=(404, 409, 422),
          description="与报送材料页面相同：初步人选为“同意”，已通过初步审查的预备人选为“批复”（均须文号），选举结果为"
                      "“收到”。同一事务中为选举单位的选举登记上级的意见或批复（决定机关为上级组织部门，文号和日期），"
                      "或登记选举结果已上报（报送当日、选举单位的文号），其阶段即可推进。日期不能早于报送日、晚于今天。")
def approve_upward_report(report_id: int, args, body):
    decided_on = parse_date(body["decided_on"], "decided_on", "日期")
    report = svc.approve_report(db.session, user(), report_id, decided_on, body.get("doc_number", ""),
                                body.get("note", ""), utcnow(), today=today_local())
    return report_json(report)


@endpoint("POST", "/upward-reports/<int:report_id>/return", summary="退回", tag=TAG, response=REPORT, roles=UPPER,
          body=RETURN_IN, errors=(404, 409, 422),
          description="与报送材料页面的“退回”相同：整份名单退回须填 reason；逐人退回在 people 中列出人员编号和理由，"
                      "其余人员记为同意。选举单位调整后重新报送（下一次）。")
def return_upward_report(report_id: int, args, body):
    people: dict[str, str] = {}
    for i, p in enumerate(body.get("people", [])):
        if p["key"] in people:
            raise validation("提交的数据有误，请按逐项说明修改。",
                             [{"field": f"people[{i}].key", "message": "同一人员只能列一次"}])
        people[p["key"]] = p["reason"]
    report = svc.return_report(db.session, user(), report_id, body.get("reason", ""), people, utcnow())
    return report_json(report, q.election_items(db.session, report.id))


@endpoint("GET", "/congresses/<int:congress_id>/upward-reports", summary="报送审核队列", tag=TAG,
          response=arr(QUEUE_ROW), roles=UPPER_READERS,
          description="与“报送审核”页面相同：各选举单位报送的全部材料，待审核的在前（等待最久的在最上面），"
                      "附该阶段的截止日期、已等待的工作日数和是否超期。")
def list_congress_reports(congress_id: int, args):
    congress = congress_or_404(db.session, user(), congress_id)
    rows = q.congress_queue(db.session, congress, today_local(), load_calendar(db.session))
    return [{"report": report_json(r.report), "unit_name": r.unit_name, "due": r.due, "waited": r.waited,
             "late": r.late} for r in rows]

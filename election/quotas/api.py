"""Quota reports: the three questions on a list — met now, met whoever is elected, still reachable."""
from __future__ import annotations

from sqlalchemy import select

from election.api import DATE, MAX_ID, B, I, Param, S, arr, component, endpoint, nullable, obj, tag, user, validation
from election.api.scope import READERS, election_or_404
from election.core.clock import today_local
from election.core.db import db
from election.nominations.models import Nominee
from election.quotas.services import STEP_LABELS, compliance_report

TAG = tag("结构比例", "结构要求（女性、少数民族、年龄、基层一线、领导干部等）的三个问题")
STEPS = list(STEP_LABELS)

RULE = obj({"code": S("规则代码"), "label": S("规则"), "bound": S("要求，如“至少7名”"), "actual": I("名单中符合的人数"),
            "as_is_ok": B("按现名单是否达标"), "worst": I("最不利的选举结果下的人数"), "worst_ok": B("最不利时是否达标"),
            "could_lose": I("最多可能失去的人数")})
REPORT = component("QuotaReport", obj({
    "election_id": I(), "step": nullable(S(enum=STEPS)), "step_label": nullable(S()), "configured": B("是否设置了结构要求"),
    "report": nullable(obj({
        "seats": I("应选名额"), "candidates": I("名单人数"), "reference_date": DATE("年龄计算基准日"),
        "questions": obj({"met_now": B("一问：现名单是否达标"), "safe": B("二问：无论选出谁都达标"),
                          "feasible": B("三问：还有没有达标的可能")}),
        "rules": arr(RULE), "conflicts": arr(S()), "message": S("说明"), "suggestions": arr(S("调整建议")),
        "critical": arr(S("关键人选")),
    })),
}))


@endpoint("GET", "/elections/<int:election_id>/quota", summary="结构比例报告", tag=TAG, response=REPORT, roles=READERS,
          query=(Param("step", S(enum=STEPS), "按哪一份名单判断（默认为当前阶段的名单）"),))
def quota_report(election_id: int, args):
    election = election_or_404(user(), election_id)
    return _report_json(election, compliance_report(db.session, election, today_local(), step=args["step"]), args["step"])


CHECK_BODY = {**obj({
    "nominee_ids": arr(I(minimum=1, maximum=MAX_ID), "人选编号（推荐人选的 nominee_id）", maxItems=5000),
    "step": S("按哪一步的要求判断（默认为当前阶段）", enum=STEPS),
}, required=["nominee_ids"], description="拟选定的名单：先问结构，再保存名单"),
    "examples": [{"nominee_ids": [101, 102, 105]}, {"nominee_ids": [101, 102], "step": "preliminary"}]}


@endpoint("POST", "/elections/<int:election_id>/quota/check", summary="拟选名单的结构比例（不保存）", tag=TAG,
          response=REPORT, roles=READERS, body=CHECK_BODY, errors=(422,),
          description="与确定考察对象、初步人选、预备人选页面上随勾选更新的结构面板相同：对一份拟选名单回答三个问题，"
                      "不写入任何数据。不属于本次选举（或已移出）的人逐个写在错误的 details 中。")
def quota_check(election_id: int, args, body):
    election = election_or_404(user(), election_id)
    wanted = list(dict.fromkeys(body["nominee_ids"]))
    known = set(db.session.scalars(select(Nominee.id).where(Nominee.election_id == election.id,
                                                            Nominee.id.in_(wanted),
                                                            Nominee.removed_reason.is_(None))))
    unknown = [(i, n) for i, n in enumerate(body["nominee_ids"]) if n not in known]
    if unknown:
        raise validation("名单中有不属于本次选举的人，请删除后再试。",
                         [{"field": f"nominee_ids[{i}]", "message": f"人员（编号{n}）不在本次选举的推荐人选中"}
                          for i, n in unknown])
    report = compliance_report(db.session, election, today_local(), step=body.get("step"), selected_ids=wanted)
    return _report_json(election, report, body.get("step"))


def _report_json(election, report, asked_step: str | None) -> dict:
    step = report.step if report else asked_step
    result = {"election_id": election.id, "step": step, "step_label": STEP_LABELS.get(step) if step else None,
              "configured": bool(election.quota_rules), "report": None}
    if report is not None:
        result["report"] = {
            "seats": report.seats, "candidates": report.candidates, "reference_date": report.reference,
            "questions": {"met_now": report.all_ok, "safe": report.safe, "feasible": report.feasible},
            "rules": [{"code": r.code, "label": r.label, "bound": r.bound, "actual": r.actual, "as_is_ok": r.as_is_ok,
                       "worst": r.worst, "worst_ok": r.worst_ok, "could_lose": r.could_lose} for r in report.rows],
            "conflicts": list(report.conflicts), "message": report.message, "suggestions": list(report.suggestions),
            "critical": list(report.critical)}
    return result

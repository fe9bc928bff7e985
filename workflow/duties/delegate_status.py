"""A delegate's status during the term: 在任, 资格终止, 停止执行代表职务.

资格终止 on 留党察看 or heavier, 停止党籍, loss of nationality, accepted resignation, or death; 停止执行代表职务
when transferred out of the area. The committee decides (a decision record is required) and files it upward.
资格终止 is final and leaves a seat vacant that a 补选 in the original unit may fill.
来源: docs/rules.md §6; 《党的全国代表大会和地方各级代表大会代表任期制暂行条例》(2008) 第二十五–二十八条.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from workflow.common import sources
from workflow.common.results import Blocker
from workflow.duties.periods import cn_date

SOURCE = sources.TERM


class DelegateStatus(StrEnum):
    serving = "serving"
    terminated = "terminated"
    suspended = "suspended"

    @property
    def label(self) -> str:
        return {"serving": "在任", "terminated": "资格终止", "suspended": "停止执行代表职务"}[self.value]


class StatusReason(StrEnum):
    party_probation = "party_probation"
    party_membership_suspended = "party_membership_suspended"
    nationality_lost = "nationality_lost"
    resignation_accepted = "resignation_accepted"
    deceased = "deceased"
    transferred_out = "transferred_out"

    @property
    def label(self) -> str:
        return {
            "party_probation": "受留党察看以上处分",
            "party_membership_suspended": "停止党籍",
            "nationality_lost": "丧失中华人民共和国国籍",
            "resignation_accepted": "辞去代表职务被接受",
            "deceased": "死亡",
            "transferred_out": "调离本地区",
        }[self.value]

    @property
    def leads_to(self) -> DelegateStatus:
        return DelegateStatus.suspended if self is StatusReason.transferred_out else DelegateStatus.terminated


TERMINATION_REASONS = tuple(r for r in StatusReason if r.leads_to is DelegateStatus.terminated)
SUSPENSION_REASONS = tuple(r for r in StatusReason if r.leads_to is DelegateStatus.suspended)


@dataclass(frozen=True)
class DecisionRecord:
    """The committee's decision on a status change (决定机关, 文号, 决定日期)."""

    issuer: str
    doc_no: str
    decided_on: date | None
    filed_upward_to: str = ""  # 报上级党组织备案 (recorded, not required to save)


def check_status_change(
    current: DelegateStatus | str,
    target: DelegateStatus | str,
    reason: StatusReason | str | None,
    decision_doc: DecisionRecord | None,
    today: date | None = None,
) -> list[Blocker]:
    """Every reason the change cannot be saved; empty means allowed."""
    current, target = DelegateStatus(current), DelegateStatus(target)
    if current is DelegateStatus.terminated:
        return [Blocker("delegate.status.final", "该代表资格已终止，状态不能再变更", SOURCE)]
    out: list[Blocker] = []
    if current is target:
        out.append(Blocker("delegate.status.unchanged", f"该代表已是“{current.label}”状态，无需变更", SOURCE))
    elif target is DelegateStatus.serving:
        # 待定: docs/rules.md gives no way back from 停止执行代表职务; refused until a local rule says otherwise.
        out.append(Blocker("delegate.status.no_restore",
                           "停止执行代表职务的代表不能恢复为在任；如有新的规定，请联系管理员", SOURCE))
    try:
        r = StatusReason(reason) if reason else None
    except ValueError:
        r = None
        out.append(Blocker("delegate.status.reason_invalid", f"变更原因“{reason}”无效，请从列表中选择", SOURCE))
    else:
        if r is None and target is not DelegateStatus.serving:
            out.append(Blocker("delegate.status.reason_missing", f"请选择“{target.label}”的原因", SOURCE))
        elif r is not None and target is not DelegateStatus.serving and r.leads_to is not target:
            options = "、".join(x.label for x in StatusReason if x.leads_to is target)
            out.append(Blocker("delegate.status.reason_mismatch",
                               f"“{r.label}”对应“{r.leads_to.label}”，不是“{target.label}”；"
                               f"“{target.label}”的原因应为：{options}", SOURCE))
    if decision_doc is None:
        out.append(Blocker("delegate.status.decision_missing",
                           "请填写党委的决定（决定机关、文号、决定日期）后再变更代表状态", SOURCE))
    else:
        if not decision_doc.issuer.strip():
            out.append(Blocker("delegate.status.decision_issuer_missing", "请填写作出决定的机关", SOURCE))
        if not decision_doc.doc_no.strip():
            out.append(Blocker("delegate.status.decision_no_missing", "请填写决定的文号", SOURCE))
        if decision_doc.decided_on is None:
            out.append(Blocker("delegate.status.decision_date_missing", "请填写决定日期", SOURCE))
        elif today is not None and decision_doc.decided_on > today:
            out.append(Blocker("delegate.status.decision_in_future",
                               f"决定日期{cn_date(decision_doc.decided_on)}晚于今天，请核对", SOURCE))
    return out


def vacancy_opens(status: DelegateStatus | str) -> bool:
    """资格终止 leaves the seat vacant, so a 补选 may be started for the original unit.

    停止执行代表职务 does not (the delegate keeps the seat; docs/rules.md names no vacancy for it) — 待定.
    """
    return DelegateStatus(status) is DelegateStatus.terminated


def can_perform_duties(status: DelegateStatus | str) -> bool:
    """Only a serving delegate logs activities, is reminded and is ranked."""
    return DelegateStatus(status) is DelegateStatus.serving

"""The stage guards: pure functions of an ElectionFacts snapshot, each returning every blocker it finds
(来源: docs/rules.md §2, §3.1, §3.5, §5)."""
from __future__ import annotations

from collections.abc import Callable, Mapping
from fractions import Fraction
from itertools import pairwise

from workflow.common import sources
from workflow.common.results import Blocker
from workflow.pipeline.facts import ElectionFacts, MeetingFacts, NoticeKind, PackageFacts, PersonFacts
from workflow.pipeline.ratios import min_candidates
from workflow.pipeline.stages import PIPELINE, SRC_ISSUE, SRC_MARGIN, SRC_NOTICE, SRC_PIPELINE, SRC_VETTING, Stage
from workflow.quotas.rules import format_share

SRC_LEVELS = sources.REPORTS_UP

# Which 公示 runs in which stage (来源: docs/rules.md §2 stages 5 and 6).
NOTICE_OF_STAGE: Mapping[Stage, NoticeKind] = {Stage.vet: NoticeKind.first, Stage.preliminary: NoticeKind.second}


# ---------------------------------------------------------------------------------------------------
# Guards: pure, each returns every blocker it finds
# ---------------------------------------------------------------------------------------------------
Guard = Callable[[ElectionFacts], list[Blocker]]


def ballot_minimum(seats: int, margin: Fraction) -> int:
    """Fewest candidates for SEATS with a margin of at least MARGIN, extra rounded up (16, 1/5 → 20); exact, so
    a margin of 1/3 is a third, not 33%."""
    # 来源: docs/rules.md §3.1 (进一法: 16 × 20% = 3.2 → 4)
    return min_candidates(seats, margin)


def check_plan_seats(facts: ElectionFacts) -> list[Blocker]:
    # 来源: docs/rules.md §2 stage 1 (应选名额 is part of the 工作方案)
    if facts.seats > 0:
        return []
    return [Blocker("plan.no_seats", "尚未设置应选名额（不含上级提名），请在工作方案中填写大于0的名额", SRC_PIPELINE)]


def check_plan_due_dates(facts: ElectionFacts) -> list[Blocker]:
    # 来源: docs/rules.md §2 (each stage has a deadline: the timeline gives a due date per stage)
    blockers = [Blocker("plan.due_date_missing", f"尚未设置“{s.label}”阶段的截止日期，请在工作方案的时间安排中填写",
                        SRC_PIPELINE)
                for s in PIPELINE if facts.due_dates.get(s) is None]
    dated = [s for s in PIPELINE if facts.due_dates.get(s) is not None]
    for earlier, later in pairwise(dated):
        if facts.due_dates[later] < facts.due_dates[earlier]:
            blockers.append(Blocker(
                "plan.due_dates_out_of_order",
                f"“{later.label}”的截止日期{facts.due_dates[later].isoformat()}早于前一阶段“{earlier.label}”的"
                f"{facts.due_dates[earlier].isoformat()}，请按阶段顺序调整时间安排", SRC_PIPELINE))
    return blockers


def check_plan_units(facts: ElectionFacts) -> list[Blocker]:
    # 来源: docs/rules.md §2 stage 1 (unit allocations)
    if any(u.allocation > 0 for u in facts.units):
        return []
    return [Blocker("plan.no_unit_allocation", "尚未给任何推荐单位分配推荐名额，请在工作方案中添加推荐单位并填写名额",
                    SRC_PIPELINE)]


def check_unit_accounts(facts: ElectionFacts) -> list[Blocker]:
    # 来源: docs/rules.md §2 stage 2 (units get accounts)
    if not facts.units:
        return [Blocker("deploy.no_units", "本次选举还没有推荐单位，请先在工作方案中添加推荐单位", SRC_PIPELINE)]
    return [Blocker("deploy.unit_without_account",
                    f"推荐单位“{u.name}”还没有账号，请由管理员在“用户管理”中为其创建至少一个推荐单位经办人账号",
                    SRC_PIPELINE)
            for u in facts.units if u.account_count < 1]


def check_units_submitted(facts: ElectionFacts) -> list[Blocker]:
    # 来源: docs/rules.md §2 stage 3 (submitted, or exempted with a reason: our rule)
    if not facts.units:
        return [Blocker("nominate.no_units", "本次选举没有推荐单位，请退回工作方案阶段添加推荐单位", SRC_PIPELINE)]
    return [Blocker("nominate.unit_not_submitted",
                    f"推荐单位“{u.name}”尚未报送推荐人选，请督促其提交；确实无需报送的，请登记免报及理由", SRC_ISSUE)
            for u in facts.units if not u.submitted and not u.exempted]


def check_unit_lists(facts: ElectionFacts) -> list[Blocker]:
    # 来源: docs/rules.md §2 stage 3 (every unit's list passes its rules; the checks themselves belong to the
    # nomination rules — their blockers are passed through, prefixed with the unit's name when missing)
    blockers = []
    for u in facts.units:
        if u.exempted:
            continue
        for b in u.list_blockers:
            message = b.message if u.name in b.message else f"推荐单位“{u.name}”：{b.message}"
            blockers.append(Blocker(b.code, message, b.source))
    return blockers


def _check_meeting(facts: ElectionFacts, stage: Stage, what: str) -> list[Blocker]:
    # 来源: docs/rules.md §2 stages 4, 6, 7 (常委会 / 全委会 decide; the meeting is recorded: body, date, document number)
    code = f"{stage.value}.meeting"
    meeting: MeetingFacts | None = facts.meetings.get(stage)
    if meeting is None:
        return [Blocker(f"{code}_missing", f"尚未登记{what}的会议，请录入决定机关、会议日期和文号", SRC_ISSUE)]
    blockers = []
    if not meeting.body.strip():
        blockers.append(Blocker(f"{code}_body_missing", f"{what}的会议未填写决定机关（如区委常委会），请补充",
                                SRC_ISSUE))
    if meeting.held_on is None:
        blockers.append(Blocker(f"{code}_date_missing", f"{what}的会议未填写会议日期，请补充", SRC_ISSUE))
    elif meeting.held_on > facts.today:
        blockers.append(Blocker(f"{code}_in_future",
                                f"{what}的会议日期{meeting.held_on.isoformat()}晚于今天，请在会议召开后再进入下一阶段",
                                SRC_ISSUE))
    if not meeting.doc_number.strip():
        blockers.append(Blocker(f"{code}_doc_number_missing", f"{what}的会议未填写文号（或会议纪要号），请补充",
                                SRC_ISSUE))
    return blockers


def check_shortlist_meeting(facts: ElectionFacts) -> list[Blocker]:
    return _check_meeting(facts, Stage.shortlist, "确定考察对象")


def check_preliminary_meeting(facts: ElectionFacts) -> list[Blocker]:
    return _check_meeting(facts, Stage.preliminary, "确定初步人选")


def check_confirm_meeting(facts: ElectionFacts) -> list[Blocker]:
    return _check_meeting(facts, Stage.confirm, "确定预备人选")


def check_shortlist_margin(facts: ElectionFacts) -> list[Blocker]:
    # 来源: docs/rules.md §3.1 (考察对象 > 初步人选, 差额考察) and §2 (seed: 24 考察对象 for 21 初步人选).
    # 初步人选 must themselves allow the final ballot's margin, so 考察对象 ≥ max(target, ballot minimum) + 1.
    floor = max(facts.margins.preliminary_target, ballot_minimum(facts.seats, facts.margins.ballot_margin))
    need = floor + 1
    have = facts.counts.shortlisted
    if have >= need:
        return []
    return [Blocker("shortlist.margin_too_small",
                    f"考察对象{have}名，应多于初步人选（{floor}名），至少需要{need}名，请增加考察对象后再进入下一阶段",
                    SRC_MARGIN)]


def check_preliminary_margin(facts: ElectionFacts) -> list[Blocker]:
    # 来源: docs/rules.md §3.1 (考察对象 > 初步人选; final ballot ≥ seats × (1 + pct), rounded up)
    c = facts.counts
    blockers = []
    if c.preliminary >= c.shortlisted:
        blockers.append(Blocker("preliminary.not_fewer_than_shortlist",
                                f"初步人选{c.preliminary}名，应少于考察对象（{c.shortlisted}名），请核对初步人选名单",
                                SRC_MARGIN))
    need = ballot_minimum(facts.seats, facts.margins.ballot_margin)
    if c.preliminary < need:
        blockers.append(Blocker("preliminary.margin_too_small",
                                f"初步人选{c.preliminary}名，少于差额选举所需的{need}名（应选{facts.seats}名，"
                                f"差额不少于{format_share(facts.margins.ballot_margin)}，进一法），请补足初步人选",
                                SRC_MARGIN))
    return blockers


def check_confirm_margin(facts: ElectionFacts) -> list[Blocker]:
    # 来源: docs/rules.md §2 stage 7 (预备人选 ≤ 初步人选) and §3.1 (final ballot margin)
    c = facts.counts
    blockers = []
    need = ballot_minimum(facts.seats, facts.margins.ballot_margin)
    if c.confirmed < need:
        blockers.append(Blocker("confirm.margin_too_small",
                                f"预备人选{c.confirmed}名，少于差额选举所需的{need}名（应选{facts.seats}名，"
                                f"差额不少于{format_share(facts.margins.ballot_margin)}，进一法），请补足预备人选",
                                SRC_MARGIN))
    if c.confirmed > c.preliminary:
        blockers.append(Blocker("confirm.more_than_preliminary",
                                f"预备人选{c.confirmed}名，多于初步人选（{c.preliminary}名），预备人选只能从初步人选中产生，"
                                "请核对名单", SRC_PIPELINE))
    return blockers


def _check_notice(facts: ElectionFacts, kind: NoticeKind) -> list[Blocker]:
    # 来源: docs/rules.md §3.5 (公示 for 5 working days; complaints closed) — the period end is computed by
    # services with the calendar; the period is over once today is after its last day.
    stage = next(s for s, k in NOTICE_OF_STAGE.items() if k == kind)
    code = stage.value
    notice = facts.notices.get(kind)
    if notice is None or notice.posted_on is None:
        return [Blocker(f"{code}.notice_not_posted", f"尚未发布{kind.label}，请发布公示并登记发布日期", SRC_NOTICE)]
    blockers = []
    if notice.period_end is None:
        blockers.append(Blocker(f"{code}.notice_period_unknown",
                                f"{kind.label}未登记公示期截止日，请按工作日计算并登记", SRC_NOTICE))
    elif facts.today <= notice.period_end:
        blockers.append(Blocker(f"{code}.notice_period_running",
                                f"{kind.label}的公示期到{notice.period_end.isoformat()}（含）才结束，请在公示期满后再进入下一阶段",
                                SRC_NOTICE))
    if notice.open_complaints > 0:
        blockers.append(Blocker(f"{code}.open_complaints",
                                f"{kind.label}期间还有{notice.open_complaints}件反映未办结，请核查并登记办理结果",
                                SRC_VETTING))
    return blockers


def check_first_notice(facts: ElectionFacts) -> list[Blocker]:
    return _check_notice(facts, NoticeKind.first)


def check_second_notice(facts: ElectionFacts) -> list[Blocker]:
    return _check_notice(facts, NoticeKind.second)


def _who(p: PersonFacts) -> str:
    return f"{p.name}（{p.unit_name}）" if p.unit_name else p.name


def check_vetting_done(facts: ElectionFacts) -> list[Blocker]:
    # 来源: docs/rules.md §5 (every 考察对象 is vetted, with a conclusion)
    if not facts.shortlisted_people:
        return [Blocker("vet.no_people", "没有考察对象，请先确定考察对象名单", SRC_VETTING)]
    return [Blocker("vet.vetting_not_done", f"考察对象{_who(p)}尚未完成考察，请录入考察材料和考察结论", SRC_VETTING)
            for p in facts.shortlisted_people if not p.vetting_done]


def check_discipline_opinions(facts: ElectionFacts) -> list[Blocker]:
    # 来源: docs/rules.md §2 stage 6 and §5 (纪检机关意见必听)
    if not facts.preliminary_people:
        return [Blocker("preliminary.no_people", "没有初步人选，请先录入初步人选名单", SRC_PIPELINE)]
    return [Blocker("preliminary.discipline_opinion_missing",
                    f"初步人选{_who(p)}还没有纪检机关意见，请征求并登记纪检机关意见", SRC_VETTING)
            for p in facts.preliminary_people if not p.discipline_opinion]


# A package's state in the words of its step (来源: docs/rules.md §8.2): what the 选举单位 still has to do, or whom
# it waits for. Keys: kind -> (what was reported, {status: what the upper committee still has to do}).
_PACKAGE_WORDS: Mapping[str, tuple[str, Mapping[str, str]]] = {
    "consent": ("初步人选", {"submitted": "同意"}),
    "approval": ("预备人选", {"submitted": "初步审查", "reviewed": "批复"}),
    "result": ("选举结果", {"submitted": "收到"}),
}
_PACKAGE_STAGE: Mapping[str, str] = {"consent": "preliminary", "approval": "confirm", "result": "report"}


def check_package(facts: ElectionFacts, kind: str) -> list[Blocker]:
    """The upper committee's decision on a package, for an election whose upper committee decides in the system:
    none while it is approved; else what is missing — 未报送, 已报送（等待…）, 已退回（理由）."""
    # 来源: docs/rules.md §8.2 (the stage waits for the upper committee's decision in the system)
    package = facts.packages.get(kind, PackageFacts())
    if package.status == "approved":
        return []
    what, waiting = _PACKAGE_WORDS[kind]
    code = f"{_PACKAGE_STAGE[kind]}.{kind}"
    if package.status == "returned":
        return [Blocker(f"{code}_returned", f"{what}已被上级组织部门退回：{package.return_reason}；请按意见调整后"
                        "在“上报上级”中重新报送", SRC_LEVELS)]
    if package.status in waiting:
        return [Blocker(f"{code}_waiting", f"{what}已报送，等待上级组织部门{waiting[package.status]}", SRC_LEVELS)]
    return [Blocker(f"{code}_not_submitted", f"{what}未报送上级组织部门，请在“上报上级”中报送", SRC_LEVELS)]


def check_higher_consent(facts: ElectionFacts) -> list[Blocker]:
    # 来源: docs/rules.md §2 stage 6 (upper-level consent); §8.2 when the upper committee decides in the system
    if facts.upper_on_system:
        return check_package(facts, "consent")
    if facts.higher_consent_recorded:
        return []
    return [Blocker("preliminary.higher_consent_missing",
                    "尚未登记上级党委组织部门对初步人选的同意意见，请登记后再进入下一阶段", SRC_PIPELINE)]


def check_approval(facts: ElectionFacts) -> list[Blocker]:
    # 来源: docs/rules.md §2 stage 7 (report upward and wait for the 批复); §8.2 in the system
    if facts.upper_on_system:
        return check_package(facts, "approval")
    if facts.approval_recorded:
        return []
    return [Blocker("confirm.approval_missing", "尚未登记上级对预备人选的批复，请收到批复后登记文号和日期",
                    SRC_PIPELINE)]


def check_higher_nominees(facts: ElectionFacts) -> list[Blocker]:
    # 来源: docs/rules.md §1 (应选名额 不含市委提名; 市委提名 candidates stand with their own seats) and §2 stage 8
    # (差额选举 with 市委提名 candidates): their seats are filled by as many people as the plan gives them — with
    # fewer the ballot would carry empty higher seats, and the 预备人选's margin would be judged on too many seats.
    if facts.higher_registered == facts.higher_seats:
        return []
    return [Blocker("confirm.higher_nominees_missing",
                    f"工作方案有上级提名名额{facts.higher_seats}名，已登记上级提名人选{facts.higher_registered}名，"
                    f"请在“选举大会与投票”中登记齐全后再进入差额选举", SRC_PIPELINE)]


def check_result_recorded(facts: ElectionFacts) -> list[Blocker]:
    # 来源: docs/rules.md §2 stage 8 (the ballot's result)
    if facts.result_recorded:
        return []
    return [Blocker("ballot.result_missing", "尚未录入选举结果，请录入计票结果后再进入结果上报", SRC_PIPELINE)]


def check_result_reported(facts: ElectionFacts) -> list[Blocker]:
    # 来源: docs/rules.md §2 stage 8 (选举情况报告, 代表名册, 代表登记表 reported upward); §8.2: the upper committee's
    # receipt in the system
    if facts.upper_on_system:
        return check_package(facts, "result")
    if facts.result_reported:
        return []
    return [Blocker("report.not_reported", "尚未登记选举情况报告和代表名册的上报，请上报后登记", SRC_PIPELINE)]


def check_quota(facts: ElectionFacts) -> list[Blocker]:
    """The quota engine's blockers for leaving the current stage, passed through unchanged."""
    # 来源: docs/rules.md §3.2; the quota checks feed them through ElectionFacts.quota_blockers
    return list(facts.quota_blockers.get(facts.stage, ()))

"""Where each rule comes from, in the words the clerk reads.

A ``Blocker.source`` is shown on pages as "（依据：…）" and in the API's error details, so every value here names the
governing text by its short name from the 出处简称 table of docs/rules.md (never a file or a ticket). Article numbers
appear only where docs/rules.md gives one. The comment above each constant is the section of docs/rules.md that
states the rule.
"""
from __future__ import annotations

# docs/rules.md §2 — the stages, their due dates and materials; every move recorded, a move back with a reason
PIPELINE = "选举工作方案（工作程序）"
# docs/rules.md §2 — the working group's own time table: due dates, decisions recorded, lists reported on time
PLAN_TIMELINE = "选举工作方案（时间节点与报送要求）"
# docs/rules.md §2 stage 1, §8 — the plan allots each 推荐单位 its 推荐名额, the number to report and its breakdown
UNIT_ALLOCATION = "选举工作方案（各推荐单位名额分配）"
# docs/rules.md §2 stage 3 — units upload, correct and submit their lists during 推荐提名, before its due date
NOMINATION = "选举工作方案（推荐提名）"
# docs/rules.md §3.1 — 差额: candidates at least the seats plus the margin, extra candidates rounded up
MARGIN = "地方组织选举工作条例（差额）"
# docs/rules.md §3.2 — 结构要求 set in each election's plan, binding the finally elected delegates
QUOTAS = "选举工作方案（结构要求）"
# docs/rules.md §3.3 — quorum, majority, ballot validity, further rounds (presets 地方组织 / 基层组织)
MEETING = "地方组织选举工作条例、基层组织选举工作条例（选举大会）"
# docs/rules.md §3.5 — 公示 for five working days, by analogy with the 干部任用条例
NOTICE = "公示不少于五个工作日（参照干部任用条例）"
# docs/rules.md §3.5 (公示内容), §2 stages 5–6 (公示通知) — who receives comments, and how to reach them
NOTICE_CONTENT = "选举工作方案（公示内容）"
# docs/rules.md §3.5 — working days follow the nationally published holiday arrangements, 调休 included
WORKING_DAYS = "国家公布的节假日安排"
# docs/rules.md §5 — the "四必" of 考察, complaints during a 公示 checked and closed one by one
VETTING = "考察“四必”（十九大代表选举官方解读）"
# docs/rules.md §6 — 资格终止, 停止执行代表职务, the committee's decision, 补选 (articles as docs/rules.md gives them)
TERM = "任期制暂行条例第二十五–二十八条"
# docs/rules.md §6 — the local duty schemes kept as editable rule sets
DUTY_SCHEMES = "盐田、凤县、印台党代表履职做法"
# docs/rules.md §6 凤县 — 模范履职党代表 at most 25% of a unit's delegates
MODEL_DELEGATES = "凤县党代表履职做法（模范履职党代表）"
# docs/rules.md §6 印台 — 群众诉求 登记 → 接待 → 处理 → 回复 → 反馈 → 归档
PETITIONS = "印台党代表履职做法（群众诉求六步办理）"
# docs/rules.md §8.2 — packages reported up to the upper committee and its decisions (同意, 初步审查, 批复, 收到)
REPORTS_UP = "选举工作方案（向上级报送与批复）"
# docs/rules.md §7 — the session may be held when four fifths of the delegates on the roll are present
ASSEMBLY_QUORUM = "乡镇党代会常任制（年会到会人数）"
# docs/rules.md §7 — 民主评议, 民主测评 (盐田) and 信任投票 at the session
ASSEMBLY_APPRAISAL = "党代会年会民主评议、民主测评和信任投票（盐田、乡镇常任制）"

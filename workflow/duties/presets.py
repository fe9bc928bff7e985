"""The three local duty schemes of docs/rules.md §6 as ready rule sets (``PRESETS``).

盐田 is taken exactly from the seed. 凤县 and 印台 give requirements but no points: their points are our
defaults, marked 待定 here and in each rule set's ``notes`` so the 管理员 sees they are to be confirmed.
"""
from __future__ import annotations

from datetime import date

from workflow.duties.periods import PeriodKind
from workflow.duties.rules import ActivityType, AnnualReview, DutyRuleSet, Requirement, ReviewPart

# ---------------------------------------------------------------------------------------------------------------
# 盐田 (2013) — 来源: docs/rules.md §6 盐田
# ---------------------------------------------------------------------------------------------------------------
# Groups are our own display headings; the seed lists the types without grouping.
_CONTACT = "联系群众"
_GOVERN = "参政议政"
_SERVE = "服务奉献"

YANTIAN = DutyRuleSet(
    code="yantian",
    name="盐田（2013）",
    version_from=date(2013, 1, 1),
    activity_types=(
        ActivityType("duty_reception", "值班接访", 5, group=_CONTACT),
        ActivityType("proxy_petition", "代理诉求", 5, group=_CONTACT),
        ActivityType("resolve_petition", "诉求解决", {"非常满意": 6, "基本满意": 5}, group=_CONTACT),
        ActivityType("publicity", "宣传", 3, group=_CONTACT),
        ActivityType("community_activity", "社区活动", 5, group=_CONTACT),
        ActivityType("inspection", "视察调研", 10, group=_GOVERN),
        ActivityType("motion", "提议", 3, group=_GOVERN),
        ActivityType("lead_proposal", "领衔提案", 10, group=_GOVERN, co_signer_code="co_proposal"),
        ActivityType("co_proposal", "联署提案", 3, yearly_cap=9, group=_GOVERN),
        ActivityType("inquiry", "询问质询", 5, group=_GOVERN),
        ActivityType("written_opinion", "书面意见", 10, group=_GOVERN),
        ActivityType("volunteering", "公益志愿", 5, group=_SERVE),
        ActivityType("mentoring", "传帮带", 5, group=_SERVE),
        ActivityType("emergency", "抢险救灾/急难险重", 20, group=_SERVE),
    ),
    requirements=(
        # ≥1 half-day duty per month at the linked community office.
        Requirement("monthly_duty", "到挂点社区工作室值班（半天）", 1, PeriodKind.month, types=("duty_reception",)),
        # ≥1 集中视察调研 a year.
        Requirement("yearly_inspection", "参加集中视察调研", 1, PeriodKind.year, types=("inspection",)),
    ),
    scoring_year_start=(1, 1),  # points accumulate over a calendar year
    publication=PeriodKind.quarter,  # published each quarter
    ranked_within=("office",),  # ranked within each office
    notes=(
        "分值、履职要求、按自然年累计积分、每季度公布、在各工作室内排名均取自盐田（2013）方案。",
        "“联系群众 / 参政议政 / 服务奉献”分类为本系统的展示分组，方案原文未分类。",
        "诉求解决：不满意计0分（方案只列非常满意6分、基本满意5分）。",
    ),
)

# ---------------------------------------------------------------------------------------------------------------
# 凤县 (2022) — 来源: docs/rules.md §6 凤县
# ---------------------------------------------------------------------------------------------------------------
# The four parts of the 履职纪实表 double as activity groups, so each part's activities can be listed for its rater.
_FX_COUNTY = "参加县委活动"
_FX_OFFICE = "驻室活动"
_FX_MASSES = "联系群众"
_FX_MODEL = "模范带头"
_FX_REVIEW = "年度考评"

FENGXIAN = DutyRuleSet(
    code="fengxian",
    name="凤县（2022）",
    version_from=date(2022, 1, 1),
    activity_types=(
        # 待定: the seed gives no points; defaults below are ours, for a ranking to exist at all.
        ActivityType("county_activity", "参加县委活动", 5, group=_FX_COUNTY, note="待定"),
        ActivityType("office_activity", "驻室活动", 5, group=_FX_OFFICE, note="待定"),
        ActivityType("contact_masses", "联系群众", 3, group=_FX_MASSES, note="待定"),
        ActivityType("exemplary", "模范带头", 5, group=_FX_MODEL, note="待定"),
        # Deliverables of the annual review: tracked as activities so their deadlines are requirements; 0 points.
        ActivityType("personal_summary", "个人履职总结", 0, group=_FX_REVIEW),
        ActivityType("duty_record", "履职纪实表", 0, group=_FX_REVIEW),
    ),
    requirements=(
        Requirement("quarterly_office", "驻室活动", 1, PeriodKind.quarter, types=("office_activity",)),
        Requirement("personal_summary", "提交个人履职总结", 1, PeriodKind.year, types=("personal_summary",),
                    due=(12, 15)),  # "by mid-December" → 12月15日
        Requirement("duty_record", "提交履职纪实表", 1, PeriodKind.year, types=("duty_record",), due=(12, 31)),
    ),
    scoring_year_start=(1, 1),
    publication=PeriodKind.quarter,  # 待定: the seed publishes no ranking; quarterly like its 驻室 requirement
    ranked_within=("office", "level"),
    annual_review=AnnualReview(
        summary_due=(12, 15),
        record_due=(12, 31),
        parts=(
            ReviewPart("county_activity", "参加县委活动", "组织部/镇党委"),
            ReviewPart("office_activity", "驻室活动", "工作室所在镇党委"),
            ReviewPart("contact_masses", "联系群众", "工作室所在镇党委"),
            ReviewPart("exemplary", "模范带头", "代表所在单位"),
        ),
        nominations_due=(1, 15),  # mid-January of the following year
    ),
    notes=(
        "待定：方案未规定分值。参加县委活动5分、驻室活动5分、联系群众3分、模范带头5分为本系统默认值，请按当地规定修改。",
        "待定：公布周期默认每季度。",
        ("个人履职总结于12月15日前（“12月中旬”）提交；履职纪实表于12月31日前提交，四部分分别由组织部/镇党委、"
         "工作室所在镇党委（驻室活动、联系群众）和代表所在单位评定。"),
        "次年1月中旬各单位推荐模范履职党代表，不超过本单位代表数的25%（向下取整），由组织部决定。",
    ),
)

# ---------------------------------------------------------------------------------------------------------------
# 印台 (2015) — 来源: docs/rules.md §6 印台
# ---------------------------------------------------------------------------------------------------------------
_YT_FOUR = "四个一"
_YT_REPORT = "述职"

YINTAI = DutyRuleSet(
    code="yintai",
    name="印台（2015）",
    version_from=date(2015, 1, 1),
    activity_types=(
        # 待定: the seed gives counts ("四个一"), not points; defaults below are ours.
        ActivityType("visit_masses", "走访群众", 2, group=_YT_FOUR, note="待定"),
        ActivityType("public_opinion", "民情信息", 2, group=_YT_FOUR, note="待定"),
        ActivityType("office_reception", "工作室接待", 3, group=_YT_FOUR, note="待定"),
        ActivityType("poor_household", "联系困难户", 5, group=_YT_FOUR, note="待定"),
        ActivityType("half_year_report", "半年述职", 5, group=_YT_REPORT, note="待定"),
        ActivityType("resolve_petition", "诉求办结", {"非常满意": 3, "基本满意": 2}, group=_YT_FOUR, note="待定"),
    ),
    requirements=(
        # "四个一" each month.
        Requirement("monthly_visit", "走访群众", 1, PeriodKind.month, types=("visit_masses",)),
        Requirement("monthly_opinion", "报送民情信息", 1, PeriodKind.month, types=("public_opinion",)),
        Requirement("monthly_reception", "工作室接待", 1, PeriodKind.month, types=("office_reception",)),
        # 待定: "one 困难户 linked per delegate" — a standing link, checked once a year here.
        Requirement("poor_household", "联系困难户", 1, PeriodKind.year, types=("poor_household",)),
        Requirement("half_year_report", "半年述职", 1, PeriodKind.half_year, types=("half_year_report",)),
    ),
    scoring_year_start=(1, 1),
    publication=PeriodKind.month,  # 待定: monthly, following the monthly "四个一"
    ranked_within=("office", "level"),  # 市/区/镇 delegates share the same offices
    notes=(
        ("待定：方案只规定“四个一”次数，未规定分值。走访群众2分、民情信息2分、工作室接待3分、联系困难户5分、"
         "半年述职5分、诉求办结（非常满意3分、基本满意2分）为本系统默认值，请按当地规定修改。"),
        "待定：“每名代表联系一户困难户”按每年至少登记1次联系活动检查。",
        "待定：公布周期默认每月；市、区、镇三级代表共用工作室，排名按工作室和层级分别公布。",
        "群众诉求按登记→接待→处理→回复→反馈→归档六步办理（在“群众诉求”页面逐步登记）。",
    ),
)

PRESETS: dict[str, DutyRuleSet] = {rs.code: rs for rs in (YANTIAN, FENGXIAN, YINTAI)}

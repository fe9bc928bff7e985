"""Use cases of 考察, the two 公示 and complaints, and the documents they print.

One function = one use case = one transaction + one audit entry. Pure checks (`check_*`)
return ``list[Blocker]``. Names on every list are in 姓氏笔画 order (workflow.common.strokes, docs/rules.md §3.4) with the
election's two-character-name setting; no posting document carries an ID number (docs/rules.md §3.5).

The package holds one module per part: ``enums`` and ``permissions``; ``people`` (loading, the stage check, steps,
姓氏笔画 order); ``selection`` (考察对象, 初步人选, 考察组); ``records`` (考察材料, 纪检机关意见, 考察结论); ``bulk``
(the same three for a list of people, one transaction); ``notices`` (the two 公示); ``complaints`` (反映 during a
公示); ``queries`` (what the pages read); ``documents`` (公示, 名册, 登记表, 情况报告). It re-exports their names,
so callers write ``from election.vetting import services as svc``.
"""
from __future__ import annotations

from election.vetting.services.bulk import (
    ItemProblem,
    ItemsRefused,
    conclude_many,
    record_discipline_opinions,
    record_vetting_many,
)
from election.vetting.services.complaints import (
    ComplaintInput,
    assign_complaint,
    conclude_complaint,
    record_complaint_check,
    register_complaint,
)
from election.vetting.services.documents import (
    ReportCounts,
    compute_report_counts,
    notice_data,
    person_row,
    render_notice_document,
    render_registration_document,
    render_report_document,
    render_roster_document,
)
from election.vetting.services.enums import (
    Channel,
    ComplaintConclusion,
    ComplaintStatus,
    Conclusion,
    NoticeStatus,
    RosterKind,
)
from election.vetting.services.notices import (
    NOTICE_WORKING_DAYS,
    SRC_NOTICE,
    ContactInput,
    NoticeDraftInput,
    check_notice_can_end,
    compute_period_end,
    create_first_notices,
    create_second_notice,
    default_contact,
    delete_notice_draft,
    end_due_notices,
    end_due_within,
    end_notice,
    notice_people,
    notice_pool,
    publish_notice,
    update_notice_draft,
)
from election.vetting.services.people import LEADER_ROOT, STEP_ORDER, VETTING_STAGES, is_leader, people_at, sort_people
from election.vetting.services.permissions import (
    can_edit_notice,
    can_edit_vetting,
    can_handle_complaint,
    can_manage_vetting,
    can_record_discipline,
    can_view_vetting,
)
from election.vetting.services.queries import (
    NoticeView,
    PersonRowView,
    complaints_of,
    complaints_query,
    notices_overview,
    vetting_board,
    vetting_row,
)
from election.vetting.services.records import (
    SRC_VETTING,
    VettingInput,
    check_vetting_complete,
    conclude_vetting,
    looks_like_enterprise,
    record_discipline_opinion,
    record_vetting,
)
from election.vetting.services.selection import (
    CountLine,
    SelectionCounters,
    assign_inspector,
    assign_inspectors,
    compute_selection_counters,
    select_preliminary,
    select_shortlist,
)

__all__ = [
    "LEADER_ROOT", "NOTICE_WORKING_DAYS", "SRC_NOTICE", "SRC_VETTING", "STEP_ORDER", "VETTING_STAGES", "Channel",
    "ComplaintConclusion", "ComplaintInput", "ComplaintStatus", "Conclusion", "ContactInput", "CountLine",
    "ItemProblem", "ItemsRefused", "NoticeDraftInput", "NoticeStatus", "NoticeView", "PersonRowView", "ReportCounts",
    "RosterKind", "SelectionCounters", "VettingInput",
    "assign_complaint", "assign_inspector", "assign_inspectors", "can_edit_notice", "can_edit_vetting", "can_handle_complaint", "can_manage_vetting",
    "can_record_discipline", "can_view_vetting", "check_notice_can_end", "check_vetting_complete", "complaints_of", "complaints_query",
    "compute_period_end", "compute_report_counts", "compute_selection_counters", "conclude_complaint", "conclude_many",
    "conclude_vetting", "create_first_notices", "create_second_notice", "default_contact", "delete_notice_draft",
    "end_due_notices", "end_due_within", "end_notice", "is_leader",
    "looks_like_enterprise", "notice_data", "notice_people", "notice_pool", "notices_overview", "people_at", "person_row",
    "publish_notice", "record_complaint_check", "record_discipline_opinion", "record_discipline_opinions",
    "record_vetting", "record_vetting_many", "register_complaint",
    "render_notice_document", "render_registration_document", "render_report_document", "render_roster_document",
    "select_preliminary", "select_shortlist", "sort_people", "update_notice_draft", "vetting_board", "vetting_row",
]

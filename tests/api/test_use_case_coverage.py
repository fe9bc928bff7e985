"""Every use case a page offers is an API operation calling the same service — or stands, with its reason, on the
short exclusion list below.

A use case is a page's write: every non-API route that takes POST. Each is mapped to the API operation(s) doing
the same work and to the service function both call; the test checks that the operation is in the API document,
that the page's view and the operation's view both call that service (by name, in their modules' source), and that
no page write is left unmapped or mapped twice — so a new page form fails here until it has its API operation.
"""
from __future__ import annotations

import inspect
import re
import sys

import pytest
from flask import Flask

from election import create_app
from election.api import load_resources

# page endpoint → ((API method and path, as in the OpenAPI document), …), service function called by both;
# "… -> name" where the operation calls the list form of the page's use case
COVERED: dict[str, tuple[tuple[str, ...], str]] = {
    # 账号与令牌
    "account.create_token": (("POST /tokens",), "create_token"),
    "account.revoke_token": (("DELETE /tokens/{token_id}",), "revoke_token"),
    "admin.users": (("POST /users",), "create_user"),
    "users.bulk": (("POST /users/file",), "bulk_create"),
    "users.edit": (("PATCH /users/{user_id}",), "update_user"),
    "users.disable": (("POST /users/{user_id}/disable",), "set_active"),
    "users.enable": (("POST /users/{user_id}/enable",), "set_active"),
    "users.reset": (("POST /users/{user_id}/reset",), "reset_password"),
    "users.unlock": (("POST /users/{user_id}/unlock",), "unlock_user"),
    # 节假日
    "admin.holidays": (("PUT /calendar/{year}",), "set_calendar_year"),
    "admin.holiday_notice": (("POST /calendar/notice",), "import_holiday_notice"),
    # 组织机构
    "directory.new": (("POST /organisations",), "create_organisation"),
    "directory.edit": (("PUT /organisations/{org_id}",), "update_organisation"),
    "directory.delete": (("DELETE /organisations/{org_id}",), "delete_organisation"),
    "directory.retire": (("POST /organisations/{org_id}/retire",), "retire_organisation"),
    "directory.reinstate": (("POST /organisations/{org_id}/reinstate",), "reinstate_organisation"),
    "directory.import_sheet": (("POST /organisations/file",), "import_organisations"),
    # 工作方案、部署
    "elections.new": (("POST /elections",), "create_election"),
    "elections.edit": (("PATCH /elections/{election_id}",), "update_election"),
    "elections.copy": (("POST /elections/{election_id}/copy",), "copy_election"),
    "elections.timeline": (("PUT /elections/{election_id}/timeline",), "set_timeline"),
    "elections.allocations": (("PUT /elections/{election_id}/allocations",), "set_allocations"),
    "elections.exempt": (("POST /election-units/{election_unit_id}/exempt",), "exempt_unit"),
    "elections.record_decision": (("POST /elections/{election_id}/decisions",), "record_decision"),
    "elections.advance": (("POST /elections/{election_id}/advance",), "advance_stage"),
    "elections.go_back": (("POST /elections/{election_id}/return",), "return_stage"),
    "elections.abort_election": (("POST /elections/{election_id}/abort",), "abort_election"),
    "elections.quota_panel": (("POST /elections/{election_id}/quota/check",), "compliance_report"),
    # 推荐提名
    "units.upload": (("PUT /election-units/{election_unit_id}/nominees",
                      "POST /election-units/{election_unit_id}/nominees/file"), "import_nominee_file"),
    "units.add": (("POST /election-units/{election_unit_id}/nominees",), "add_nominee"),
    "units.edit": (("PUT /nominees/{nominee_id}",), "update_nominee"),
    "units.delete": (("DELETE /nominees/{nominee_id}",), "delete_nominee"),
    "units.submit": (("POST /election-units/{election_unit_id}/submit",), "submit_list"),
    "units.reopen": (("POST /election-units/{election_unit_id}/reopen",), "reopen_unit"),
    "units.statistics": (("PUT /election-units/{election_unit_id}/statistics",), "save_statistics"),
    # 考察与公示
    "vetting.shortlist": (("PUT /elections/{election_id}/shortlist",), "select_shortlist"),
    "vetting.preliminary": (("PUT /elections/{election_id}/preliminary",), "select_preliminary"),
    # the list form of the page's one-person use case, sharing its checks
    "vetting.assign": (("POST /elections/{election_id}/inspector-assignments -> assign_inspectors",),
                       "assign_inspector"),
    "vetting.record": (("PUT /examinations/{nominee_id}/vetting",), "record_vetting"),
    "vetting.discipline": (("PUT /examinations/{nominee_id}/discipline",), "record_discipline_opinion"),
    "vetting.conclude": (("POST /examinations/{nominee_id}/conclusion",), "conclude_vetting"),
    "vetting.notices": (("POST /elections/{election_id}/notices",), "create_first_notices"),
    "vetting.edit_notice": (("PATCH /notices/{notice_id}",), "update_notice_draft"),
    "vetting.delete_notice": (("DELETE /notices/{notice_id}",), "delete_notice_draft"),
    "vetting.publish": (("POST /notices/{notice_id}/publish",), "publish_notice"),
    "vetting.end": (("POST /notices/{notice_id}/end",), "end_notice"),
    "vetting.register": (("POST /notices/{notice_id}/complaints",), "register_complaint"),
    "vetting.assign_complaint": (("POST /complaints/{complaint_id}/assign",), "assign_complaint"),
    "vetting.check_complaint": (("POST /complaints/{complaint_id}/findings",), "record_complaint_check"),
    "vetting.conclude_complaint": (("POST /complaints/{complaint_id}/conclude",), "conclude_complaint"),
    # 预备人选与选举
    "voting.confirm_meeting": (("PUT /elections/{election_id}/confirm-meeting",), "record_confirm_meeting"),
    "voting.approval": (("PUT /elections/{election_id}/approval-list",), "record_approval_list"),
    "voting.add_higher": (("POST /elections/{election_id}/higher-nominees",), "add_higher_nominee"),
    "voting.add_scrutineer": (("POST /elections/{election_id}/scrutineers",), "add_scrutineer"),
    "voting.open_round": (("POST /elections/{election_id}/rounds",), "open_round"),
    "voting.add_ballot": (("POST /rounds/{round_id}/ballots",), "enter_ballot"),
    "voting.entry": (("PUT /rounds/{round_id}/entries/{entry_no}",), "enter_totals"),
    "voting.close": (("POST /rounds/{round_id}/close",), "close_round"),
    "voting.confirm": (("POST /rounds/{round_id}/confirm",), "confirm_count"),
    "voting.plan": (("POST /elections/{election_id}/rounds/plan",), "plan_next_round"),
    "voting.record_result": (("POST /elections/{election_id}/result",), "record_result"),
    "voting.report": (("PUT /elections/{election_id}/result/report",), "record_result_report"),
    "wording.edit": (("PUT /elections/{election_id}/wording/{kind}",), "save_wording"),
    "wording.reset": (("DELETE /elections/{election_id}/wording/{kind}",), "restore_default"),
    # 履职
    "duties.activity_new": (("POST /duties/activities",), "log_activity"),
    "duties.activity_review": (("POST /duties/activities/{activity_id}/verify",
                                "POST /duties/activities/{activity_id}/return"), "review_activity"),
    "duties.delegate_status": (("POST /duties/delegates/{delegate_id}/status",), "change_delegate_status"),
    "duties.by_election": (("POST /duties/delegates/{delegate_id}/by-election",), "start_by_election"),
    "duties.delegates_import": (("POST /duties/delegates/file",), "import_delegates"),
    "duties.transfer": (("POST /elections/{election_id}/transfer",), "transfer_elected"),
    "duties.delegates_assign": (("POST /duties/delegates/assignment",), "assign_delegates"),
    "duties.petitions": (("POST /duties/petitions",), "register_petition"),
    "duties.petition_move": (("POST /duties/petitions/{petition_id}/move",), "move_petition"),
    "duties.proposals": (("POST /duties/proposals",), "create_proposal"),
    "duties.proposal_reply": (("POST /duties/proposals/{proposal_id}/reply",), "reply_proposal"),
    "duties.proposal_assess": (("POST /duties/proposals/{proposal_id}/assessment",), "assess_proposal"),
    "duties.review_nominate": (("POST /duties/review/nominations",), "propose_model_delegates"),
    "duties.review_decide": (("POST /duties/review/nominations/{nomination_id}/decision",), "decide_model_delegate"),
    "duties.review_rate": (("PUT /duties/review/ratings",), "rate_part"),
    "duties.rules_edit": (("PUT /duties/rules/{code}",), "save_ruleset_version"),
    "duties.rules_assign": (("PUT /duties/rules/assignments",), "assign_ruleset"),
    "duties.summary": (("PUT /duties/me/summary",), "submit_summary"),
    # 上级选举的设置
    "levels.congress_new": (("POST /congresses",), "create_congress"),
    "levels.congress_edit": (("PUT /congresses/{congress_id}",), "update_congress"),
    "levels.allocations": (("PUT /congresses/{congress_id}/allocations",), "save_allocations"),
    "levels.allocations_import": (("POST /congresses/{congress_id}/allocations/file",), "import_allocation_sheet"),
    "levels.children": (("POST /congresses/{congress_id}/children",), "create_children"),
    "levels.children_link": (("POST /congresses/{congress_id}/children",), "link_child"),
    "levels.nominees": (("POST /congresses/{congress_id}/nominees",), "register_nominee"),
    "levels.nominee_edit": (("PUT /congress-nominees/{congress_nominee_id}",), "update_nominee"),
    "levels.nominee_delete": (("DELETE /congress-nominees/{congress_nominee_id}",), "delete_nominee"),
    "levels.nominee_assign": (("PUT /congress-nominees/{congress_nominee_id}/assignment",), "assign_nominee"),
    "levels.submit_report": (("POST /elections/{election_id}/upward-reports",), "submit_report"),
    # 年会提案
    "assembly.submit_proposal": (("POST /assembly/sessions/{assembly_session_id}/proposals",), "submit_proposal"),
    "assembly.review_proposal": (("POST /assembly/sessions/{assembly_session_id}/proposals/review",),
                                 "review_proposal"),
    # 年会测评
    "assembly.create_appraisal": (("POST /assembly/sessions/{assembly_session_id}/appraisals",), "create_appraisal"),
    "assembly.update_appraisal": (("PUT /assembly/appraisals/{appraisal_id}",), "update_appraisal"),
    "assembly.open_appraisal": (("POST /assembly/appraisals/{appraisal_id}/open",), "open_appraisal"),
    "assembly.appraisal_entry": (("PUT /assembly/appraisals/{appraisal_id}/entries/{entry_no}",), "enter_figures"),
    "assembly.confirm_appraisal": (("POST /assembly/appraisals/{appraisal_id}/confirm",), "confirm_appraisal"),
    "assembly.publish_appraisal": (("POST /assembly/appraisals/{appraisal_id}/publish",), "publish_appraisal"),
    # 年会决议与整改
    "assembly.resolution_add": (("POST /assembly/sessions/{assembly_session_id}/resolutions",), "add_resolution"),
    "assembly.resolution_edit": (("PUT /assembly/resolutions/{resolution_id}",), "edit_resolution"),
    "assembly.resolution_report": (("POST /assembly/resolutions/{resolution_id}/implementation",),
                                   "report_implementation"),
    "assembly.followup_add": (("POST /assembly/sessions/{assembly_session_id}/followups",), "create_followup"),
    "assembly.followup_progress": (("POST /assembly/followups/{followup_id}/progress",), "update_followup"),
    "assembly.followup_edit": (("PUT /assembly/followups/{followup_id}/owner",), "edit_followup"),
    # 闭会期间：列席、询问质询
    "assembly.sitin_create": (("POST /assembly/sitins",), "create_sitin"),
    "assembly.sitin_invite": (("POST /assembly/sitins/{sitin_id}/invitees",), "invite_delegates"),
    "assembly.sitin_attendance": (("POST /assembly/sitins/{sitin_id}/attendance",), "record_sitin_attendance"),
    "assembly.inquiry_register": (("POST /assembly/inquiries",), "register_inquiry"),
    "assembly.inquiry_reply": (("POST /assembly/inquiries/{inquiry_id}/reply",), "record_inquiry_reply"),
    # 年会：会议、议程、列席、材料、通知、签到、召开、分组
    "assembly.session_new": (("POST /assembly/sessions",), "create_session"),
    "assembly.session_edit": (("PUT /assembly/sessions/{assembly_session_id}",), "update_session"),
    "assembly.agenda_add": (("POST /assembly/sessions/{assembly_session_id}/agenda",), "add_agenda_item"),
    "assembly.agenda_edit": (("POST /assembly/sessions/{assembly_session_id}/agenda/edit",), "update_agenda_item"),
    "assembly.agenda_delete": (("POST /assembly/sessions/{assembly_session_id}/agenda/delete",), "delete_agenda_item"),
    "assembly.agenda_move": (("POST /assembly/sessions/{assembly_session_id}/agenda/move",), "move_agenda_item"),
    "assembly.guest_add": (("POST /assembly/sessions/{assembly_session_id}/guests",), "add_guest"),
    "assembly.guest_remove": (("POST /assembly/sessions/{assembly_session_id}/guests/delete",), "remove_guest"),
    "assembly.material_upload": (("POST /assembly/sessions/{assembly_session_id}/materials",), "upload_material"),
    "assembly.material_delete": (("POST /assembly/sessions/{assembly_session_id}/materials/delete",), "delete_material"),
    "assembly.send_notice": (("POST /assembly/sessions/{assembly_session_id}/notice",), "send_notice"),
    "assembly.open_session": (("POST /assembly/sessions/{assembly_session_id}/open",), "open_session"),
    "assembly.hold_session": (("POST /assembly/sessions/{assembly_session_id}/hold",), "hold_session"),
    "assembly.sign_in": (("POST /assembly/sessions/{assembly_session_id}/attendance/sign-in",), "sign_in"),
    "assembly.record_leave": (("POST /assembly/sessions/{assembly_session_id}/attendance/leave",), "record_leave"),
    "assembly.undo_attendance": (("POST /assembly/sessions/{assembly_session_id}/attendance/undo",), "undo_attendance"),
    "assembly.self_sign_in": (("POST /assembly/sessions/{assembly_session_id}/sign-in",), "self_sign_in"),
    "assembly.groups_generate": (("POST /assembly/sessions/{assembly_session_id}/groups/generate",), "generate_groups"),
    "assembly.group_create": (("POST /assembly/sessions/{assembly_session_id}/groups",), "create_group"),
    "assembly.group_member": (("POST /assembly/sessions/{assembly_session_id}/groups/{group_id}/members",), "assign_member"),
    "assembly.group_member_remove": (("POST /assembly/sessions/{assembly_session_id}/groups/{group_id}/members/remove",), "remove_member"),
    "assembly.group_convener": (("POST /assembly/sessions/{assembly_session_id}/groups/{group_id}/convener",), "set_convener"),
    "assembly.group_minutes": (("PUT /assembly/sessions/{assembly_session_id}/groups/{group_id}/minutes",), "save_minutes"),
    "levels.review_report": (("POST /upward-reports/{report_id}/review",), "review_report"),
    "levels.approve_report": (("POST /upward-reports/{report_id}/approve",), "approve_report"),
    "levels.return_report": (("POST /upward-reports/{report_id}/return",), "return_report"),
}

# page writes with no API operation, each with its reason (keep this list short)
EXCLUDED: dict[str, str] = {
    "auth.login": "浏览器登录（会话 Cookie）；API 以令牌认证，令牌由 POST /tokens 以用户名和密码取得",
    "auth.logout": "结束浏览器会话；API 令牌以 DELETE /tokens/{token_id} 吊销",
    "auth.first_run": "空库首次运行时创建第一个管理员：此时还没有任何账号可以取得令牌",
    "auth.password": "本人修改密码须在页面上输入原密码；一次性密码的账号不能创建令牌（先在页面设置本人密码）",
    "dashboard.notifications_read": "页面铃铛上的“全部已读”，只是本人页面的显示状态",
    "tasks.start_nominees_export": "后台生成供下载的 .xlsx 文件；API 以 GET /elections/{election_id}/nominees 分页读取同样的数据",
    "tasks.start_ranking_export": "后台生成供下载的 .xlsx 文件；API 以 GET /duties/rankings 读取同样的数据",
    "tasks.start_registration_forms": "后台生成供打印的登记表 .docx 文件；API 以 GET /elections/{election_id}/nominees 读取表中数据",
}


@pytest.fixture(scope="module")
def app(tmp_path_factory) -> Flask:
    return create_app({"TESTING": True, "DATABASE_URL": f"sqlite:///{tmp_path_factory.mktemp('cov') / 'db.sqlite'}"})


def page_writes(app: Flask) -> set[str]:
    return {rule.endpoint for rule in app.url_map.iter_rules()
            if not rule.rule.startswith("/api/") and rule.endpoint != "static"
            and rule.methods & {"POST", "PUT", "PATCH", "DELETE"}}


def api_operations() -> dict[str, object]:
    return {f"{e.method} {e.path}": e.view for e in load_resources()}


def calls(module_source: str, service: str) -> bool:
    """The module names the service in its code (called, or chosen and then called)."""
    code = "\n".join(line.split("#")[0] for line in module_source.splitlines())
    return re.search(rf"\b{re.escape(service)}\b", code) is not None


def uncovered(writes: set[str]) -> list[str]:
    return sorted(writes - set(COVERED) - set(EXCLUDED))


def test_every_page_write_is_an_api_operation_or_excluded_with_a_reason(app):
    writes = page_writes(app)
    missing = uncovered(writes)
    assert not missing, f"这些页面操作没有对应的 API 操作，也不在排除清单中：{missing}"
    assert not set(COVERED) & set(EXCLUDED)
    stale = sorted((set(COVERED) | set(EXCLUDED)) - writes)
    assert not stale, f"清单中的页面操作已不存在：{stale}"
    assert all(reason and not reason.isascii() for reason in EXCLUDED.values())
    assert len(EXCLUDED) <= 10  # a short list: anything more wants an API operation


@pytest.mark.parametrize("page", sorted(COVERED))
def test_the_api_operation_calls_the_pages_service(app, page):
    operations = api_operations()
    wanted, service = COVERED[page]
    page_module = sys.modules[inspect.unwrap(app.view_functions[page]).__module__]
    assert calls(inspect.getsource(page_module), service), f"页面 {page} 不调用 {service}"
    for wanted_operation in wanted:
        operation, _, api_service = wanted_operation.partition(" -> ")
        assert operation in operations, f"API 文档中没有 {operation}"
        api_module = sys.modules[operations[operation].__module__]
        assert calls(inspect.getsource(api_module), api_service or service), f"{operation} 不调用 {api_service or service}"


def test_an_unmapped_page_write_fails_the_coverage(app):
    """The check itself: a new page form with no API operation is reported."""
    extra = Flask("probe")
    extra.add_url_rule("/probe", "probe.new_form", lambda: "", methods=["POST"])
    assert uncovered(page_writes(extra)) == ["probe.new_form"]

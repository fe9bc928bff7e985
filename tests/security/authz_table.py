"""The one declared authorisation table: for every endpoint, who may GET/POST it and with what scope.

A route that is not declared here makes tests/security/test_authz_matrix.py fail: a new page must say who may
use it. To declare one, add a line to TABLE, e.g.

    "units.upload": Route(get=own_unit(READERS | {U}), post=own_unit({U}), data={"file": ...}),

Scopes:
- any        — every listed role, whatever object the URL names;
- own_unit   — the 推荐单位经办人 only on objects of their own unit (the other listed roles: any object);
- own_office — the 党代表工作室 worker only on objects of their own office;
- own_user   — the listed owner roles only on their own objects (an assigned 考察组 member, a task's owner…);
- staff      — 管理员 and 选举办 only (shorthand for any({A, O})).

URL arguments are built from the seeded world (tests/security/conftest.py): ARG_OBJECTS maps an argument name to
an object kind, with an "own" and an "other" instance; literal arguments (``kind``, ``fmt``) go in ``args``.
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum

from election.core.roles import Role

A, O, U, I, D, T, DL, S, AU, UP = (Role.admin, Role.office, Role.unit, Role.inspector, Role.discipline, Role.teller,
                                   Role.delegate, Role.studio, Role.auditor, Role.upper)
ALL = frozenset(Role)
STAFF = frozenset({A, O})
READERS = frozenset({A, O, I, D, T, AU})  # election.core.permissions.ELECTION_READERS
VET_VIEW = frozenset({A, O, I, D, AU})  # election.vetting.services.can_view_vetting
VET_LISTS = frozenset({A, O, D, AU})  # lists of all people: not a 考察组 member (assigned people only)


class Scope(StrEnum):
    any = "any"
    own_unit = "own_unit"
    own_office = "own_office"
    own_user = "own_user"
    staff = "staff"


SCOPED_ROLES = {Scope.own_unit: frozenset({U}), Scope.own_office: frozenset({S})}


@dataclass(frozen=True)
class Access:
    roles: frozenset[Role]
    scope: Scope = Scope.any
    owners: frozenset[Role] = frozenset()  # own_user: the roles limited to their own objects
    probe_allowed: bool = True  # False: an allowed request would end the session or start a thread; only denials

    @property
    def limited(self) -> frozenset[Role]:
        return self.owners if self.scope is Scope.own_user else SCOPED_ROLES.get(self.scope, frozenset())

    def allows(self, role: Role | None, owns: bool) -> bool:
        if role is None or role not in self.roles:
            return False
        return owns if role in self.limited else True


def any_(roles) -> Access:
    return Access(frozenset(roles))


def staff() -> Access:
    return Access(STAFF, Scope.staff)


def own_unit(roles) -> Access:
    return Access(frozenset(roles), Scope.own_unit)


def own_office(roles) -> Access:
    return Access(frozenset(roles), Scope.own_office)


def own_user(roles, owners) -> Access:
    return Access(frozenset(roles), Scope.own_user, frozenset(owners))


@dataclass(frozen=True)
class Route:
    get: Access | None = None
    post: Access | None = None
    put: Access | None = None
    delete: Access | None = None
    patch: Access | None = None
    args: Mapping[str, object] = field(default_factory=dict)  # literal URL arguments
    data: Mapping[str, object] = field(default_factory=dict)  # POST form fields; "{election}" → the object's id
    public: bool = False  # reachable without login (login page, static files)
    json: object = None  # a JSON body (API PUT/POST), "{election}" placeholders as in data

    def access(self, method: str) -> Access | None:
        return getattr(self, method.lower())


# URL argument -> kind of seeded object (conftest.World.own / .other)
ARG_OBJECTS: Mapping[str, str] = {
    "election_id": "election", "election_unit_id": "election_unit", "unit_id": "unit", "nominee_id": "nominee",
    "notice_id": "notice", "complaint_id": "complaint", "round_id": "round", "office_id": "office",
    "task_id": "task", "user_id": "user", "delegate_id": "delegate", "activity_id": "activity",
    "attachment_id": "attachment", "petition_id": "petition", "proposal_id": "proposal", "nomination_id": "nomination",
    "token_id": "token", "org_id": "organisation",
    "congress_id": "congress", "congress_unit_id": "congress_unit", "congress_nominee_id": "congress_nominee",
    "report_id": "report",
    "assembly_session_id": "assembly_session",
    "group_id": "assembly_group", "material_id": "assembly_material",
    "appraisal_id": "appraisal",
    "resolution_id": "resolution", "followup_id": "followup", "sitin_id": "sitin", "inquiry_id": "inquiry",
}
# literal defaults for arguments that are not object ids
ARG_LITERALS: Mapping[str, object] = {"entry_no": 1, "filename": "app.css", "fmt": "xlsx", "kind": "nominated",
                                      "slug": "index", "name": "missing.png", "code": "default",
                                      "anything": "no/such/thing"}

# which roles count the "own" instance of a kind as their own (object kinds with a per-user owner are in
# World.own_by_role instead)
OWNERS: Mapping[str, frozenset[Role]] = {
    "election": frozenset({U}), "election_unit": frozenset({U}), "unit": frozenset({U}),
    "nominee": frozenset({U, I}), "notice": frozenset({U}), "complaint": frozenset({I}), "round": frozenset(),
    "office": frozenset({S}), "user": frozenset({I}), "organisation": frozenset(),
    # 履职: the delegate's own records, and the studio of the delegate's office
    "delegate": frozenset({DL, S}), "activity": frozenset({DL, S}), "attachment": frozenset({DL, S}),
    "petition": frozenset({S}), "proposal": frozenset({DL, S}), "nomination": frozenset(),
    # 上下级: both seeded congresses lie in the 上级组织部门's part (out of a part is 404, tests/levels prove it)
    "congress": frozenset(), "congress_unit": frozenset(), "congress_nominee": frozenset(),
    # a package reported up: the own one to the 上级组织部门's congress, the other to another city's (404 for it)
    "report": frozenset({UP}),
    # 年会: the own session is of the seeded delegate's congress, the other of another (404 for him); the 组织部,
    # 审计 and tellers of this world reach both
    "assembly_session": frozenset({DL}),
    # a discussion group and a distributed material of the own and the other session
    "assembly_group": frozenset({DL}), "assembly_material": frozenset({DL}),
    # an appraisal: the own one published in the delegate's congress's session, the other in another congress's
    "appraisal": frozenset({DL}),
    # 决议与整改 of the own and the other session; 列席: the own meeting invites the seeded delegate, the other not;
    # 询问/质询: the own one is the seeded delegate's, the other another delegate's
    "resolution": frozenset({DL}), "followup": frozenset(), "sitin": frozenset({DL}), "inquiry": frozenset({DL}),
}
UP_STAFF = frozenset({A, UP})  # election.levels.scope.can_manage_congress
UP_VIEW = frozenset({A, UP, AU})  # can_view_congress
DUTY_STAFF = frozenset({A, O, S, AU})  # election.duties.services.can_view_duties
DUTY_MANAGERS = STAFF  # can_manage_delegates
DUTY_WRITERS = frozenset({A, O, S})  # the 审计 reads duty records but never acts on them
SESSION_VIEW = frozenset({A, O, AU, T, DL})  # election.assembly.permissions.can_view_sessions
APPRAISAL_COUNT = frozenset({A, O, AU, T})  # election.assembly.services.appraisals.can_see_counting
APPRAISAL_CONFIRM = frozenset({A, O, T})  # election.assembly.permissions.can_confirm_appraisal
FOLLOWUP_VIEW = frozenset({A, O, AU})  # the list of all follow-ups (election.assembly.views.resolutions)
BETWEEN_VIEW = frozenset({A, O, AU, DL})  # 列席 and 询问/质询 (election.assembly.views.between)

TABLE: dict[str, Route] = {
    # --- public and personal
    "static": Route(get=any_(ALL), public=True),
    "auth.login": Route(get=any_(ALL), post=any_(ALL), public=True),
    # the first-run page exists only while there is no admin (404 afterwards, for everyone): tests/accounts prove it
    "auth.first_run": Route(get=Access(ALL, probe_allowed=False), post=Access(ALL, probe_allowed=False), public=True),
    "auth.logout": Route(post=Access(ALL, probe_allowed=False)),
    "dashboard.index": Route(get=any_(ALL)),
    "dashboard.notifications": Route(get=any_(ALL)),
    "dashboard.notifications_read": Route(post=any_(ALL)),
    # --- election-wide reading (all units' people): the readers, never a unit, studio or delegate
    "dashboard.print_units": Route(get=any_(READERS)),
    "dashboard.print_compliance": Route(get=any_(READERS)),
    "dashboard.print_people": Route(get=any_(READERS)),
    "elections.index": Route(get=any_(READERS)),
    "elections.detail": Route(get=any_(READERS)),
    "elections.timeline": Route(get=any_(READERS), post=staff()),
    "elections.quota_panel": Route(post=any_(READERS)),
    "elections.compliance_download": Route(get=any_(READERS), args={"fmt": "xlsx"}),
    # --- election management: staff only
    "elections.new": Route(get=staff(), post=staff()),
    "elections.edit": Route(get=staff(), post=staff()),
    "elections.copy": Route(post=staff()),
    "elections.allocations": Route(get=staff(), post=staff()),
    "elections.advance": Route(post=staff()),
    "elections.go_back": Route(post=staff()),
    "elections.abort_election": Route(post=staff()),
    "elections.record_decision": Route(post=staff()),
    "elections.exempt": Route(post=staff()),
    # --- a unit's own list: readers see every unit's list, the unit handler only its own and only
    # the handler edits; uploads carry a real file so the permission check behind the file check is reached
    "units.detail": Route(get=own_unit(READERS | {U})),
    "units.template": Route(get=own_unit(READERS | {U})),
    "units.upload": Route(post=own_unit({U}), data={"file": "@tests/data/good.xlsx"}),
    "units.add": Route(get=own_unit({U}), post=own_unit({U})),
    "units.edit": Route(get=own_unit({U}), post=own_unit({U})),
    "units.delete": Route(post=own_unit({U})),
    "units.submit": Route(post=own_unit({U})),
    "units.statistics": Route(post=own_unit(STAFF | {U}), data={"participating_orgs": "3", "participating_members": "40",
                                                        "summary_text": "小结"}),
    "units.reopen": Route(post=staff(), data={"reason": "材料需补正"}),
    "units.overview": Route(get=any_(READERS)),
    "units.roster": Route(get=any_(READERS), args={"fmt": "xlsx"}),
    "units.statistics_export": Route(get=any_(READERS)),
    "units.print_detail": Route(get=own_unit(READERS | {U})),
    "units.print_overview": Route(get=any_(READERS)),
    # --- administration
    "admin.audit": Route(get=any_({A, AU})),
    "admin.users": Route(get=any_({A}), post=any_({A})),
    "admin.holidays": Route(get=any_({A}), post=any_({A})),
    "auth.password": Route(get=any_(ALL), post=any_(ALL), data={"current": "wrong", "new": "x", "again": "x"}),
    "users.edit": Route(get=any_({A}), post=any_({A}), data={"display_name": "矩阵改名", "role": "inspector",
                                                             "unit_id": "0", "office_id": "0"}),
    "users.unlock": Route(post=any_({A})),
    "users.reset": Route(post=any_({A})),
    "users.disable": Route(post=any_({A})),
    "users.enable": Route(post=any_({A})),
    "users.bulk": Route(get=any_({A}), post=any_({A}), data={"file": "@tests/data/good.xlsx"}),
    "users.bulk_template": Route(get=any_({A})),
    "admin.holiday_notice": Route(post=any_({A}), data={"text": "2027年部分节假日安排\n一、元旦：1月1日（周五）放假。",
                                                         "action": "preview"}),
    # 组织机构: the 管理员 and the 选举办 maintain it, the 审计 reads it
    "directory.index": Route(get=any_({A, O, AU})),
    "directory.export": Route(get=any_({A, O, AU})),
    "directory.new": Route(get=staff(), post=staff(), data={"code": "SEC-NEW", "name": "矩阵新增支部", "category": "党支部",
                                                          "parent_code": "SEC-TOP", "grassroots_orgs": "0", "members": "3"}),
    "directory.edit": Route(get=staff(), post=staff(), data={"code": "SEC-EDIT", "name": "矩阵改名", "category": "党总支",
                                                           "parent_code": "SEC-TOP", "grassroots_orgs": "1", "members": "9"}),
    "directory.retire": Route(post=staff(), data={"reason": "矩阵测试撤销"}),
    "directory.reinstate": Route(post=staff()),
    "directory.delete": Route(post=staff()),
    "directory.import_sheet": Route(post=staff(), data={"file": "@tests/data/good.xlsx"}),
    # --- vetting (考察): 考察组 members only on the people assigned to them
    "vetting.board": Route(get=any_(VET_VIEW)),
    "vetting.shortlist": Route(get=staff(), post=staff()),
    "vetting.preliminary": Route(get=staff(), post=staff()),
    "vetting.person": Route(get=own_user(VET_VIEW, {I})),
    "vetting.record": Route(post=own_user(VET_VIEW, {I})),
    "vetting.discipline": Route(post=any_({D})),
    "vetting.conclude": Route(post=own_user(VET_VIEW, {I})),
    "vetting.assign": Route(post=staff()),
    "vetting.notices": Route(get=any_(VET_LISTS), post=staff()),
    "vetting.notice": Route(get=any_(VET_LISTS)),
    "vetting.print_notices": Route(get=any_(VET_LISTS)),
    "vetting.print_notice": Route(get=any_(VET_LISTS)),
    "vetting.print_complaints": Route(get=any_(VET_LISTS)),
    "vetting.notice_docx": Route(get=any_(VET_LISTS)),
    "vetting.publish": Route(post=staff()),
    "vetting.end": Route(post=staff()),
    "vetting.edit_notice": Route(get=staff(), post=staff()),
    "vetting.delete_notice": Route(post=staff()),
    "vetting.register": Route(post=staff()),
    "vetting.assign_complaint": Route(post=staff()),
    # the complaint's worker (an assigned 考察组 member or 纪检 user) and the staff; not the read-only auditor
    "vetting.check_complaint": Route(post=own_user(STAFF | {I, D}, {I, D})),
    "vetting.complaint_task": Route(get=own_user(STAFF | {I, D}, {I, D})),
    "vetting.conclude_complaint": Route(post=staff()),
    "vetting.print_list": Route(get=any_(VET_LISTS), args={"kind": "shortlisted"}),
    "vetting.roster_docx": Route(get=any_(VET_LISTS), args={"kind": "shortlisted"}),
    "vetting.forms_docx": Route(get=any_(VET_LISTS), args={"kind": "shortlisted"}),
    "vetting.report_docx": Route(get=any_(VET_LISTS)),
    # --- 公文措辞: the office (and the admin) only; "save" stores, the matrix restores it with "reset"
    "wording.index": Route(get=staff()),
    "wording.edit": Route(get=staff(), post=staff(), args={"kind": "notice_second"},
                          data={"body": "经研究，公示如下：\n{{名单表}}\n公示时间：{{公示期}}。", "save": "保存"}),  # {{…}}: str.format
    "wording.reset": Route(post=staff(), args={"kind": "notice_second"}),
    # --- voting (选举大会): readers see, staff run it, tellers count
    "voting.candidates": Route(get=any_(READERS)),
    "voting.meeting": Route(get=any_(READERS)),
    "voting.results": Route(get=any_(READERS)),
    "voting.print_results": Route(get=any_(READERS)),
    "voting.round_page": Route(get=any_(READERS)),
    "voting.ballot": Route(get=any_(READERS)),
    "voting.document": Route(get=any_(READERS), args={"kind": "confirmed-roster"}),
    "voting.confirm_meeting": Route(post=staff()),
    "voting.approval": Route(post=staff()),
    "voting.add_higher": Route(post=staff()),
    "voting.open_round": Route(post=staff()),
    "voting.plan": Route(post=staff()),
    "voting.add_scrutineer": Route(post=staff()),
    "voting.close": Route(post=staff()),
    "voting.record_result": Route(post=staff()),
    "voting.report": Route(post=staff()),
    "voting.entry": Route(get=any_({T}), post=any_({T})),
    "voting.confirm": Route(post=any_({T, A, O})),
    "voting.add_ballot": Route(post=any_({T})),
    # --- help: every logged-in user
    "help.index": Route(get=any_(ALL), public=True),
    "help.chapter": Route(get=any_(ALL), args={"slug": "index"}, public=True),
    "help.image": Route(get=Access(ALL, probe_allowed=False), args={"name": "missing.png"}, public=True),
    # --- 履职: the 组织部 everywhere, a studio only for its own office, a delegate only their own
    "duties.index": Route(get=any_(DUTY_STAFF | {DL})),
    "duties.me": Route(get=any_({DL})),
    "duties.summary": Route(post=any_({DL})),
    "duties.activity_new": Route(get=any_(DUTY_WRITERS | {DL}), post=any_(DUTY_WRITERS | {DL})),
    "duties.attachment": Route(get=Access(DUTY_STAFF | {DL}, Scope.own_user, frozenset({DL, S}),
                                          probe_allowed=False)),
    "duties.verify": Route(get=any_(DUTY_STAFF)),
    "duties.activity_review": Route(post=own_office(DUTY_WRITERS)),
    "duties.rankings": Route(get=any_(DUTY_STAFF)),
    "duties.rankings_xlsx": Route(get=any_(DUTY_STAFF)),
    "duties.petitions": Route(get=any_(DUTY_STAFF), post=any_(DUTY_WRITERS)),
    "duties.petition": Route(get=own_office(DUTY_STAFF)),
    "duties.petition_move": Route(post=own_office(DUTY_WRITERS)),
    "duties.proposals": Route(get=any_(DUTY_STAFF | {DL}), post=any_(DUTY_WRITERS | {DL})),
    "duties.proposal": Route(get=own_user(DUTY_STAFF | {DL}, {DL, S})),
    "duties.proposal_reply": Route(post=own_office(DUTY_WRITERS)),
    "duties.proposal_assess": Route(post=own_user(DUTY_WRITERS | {DL}, {DL, S})),
    "duties.review": Route(get=any_(DUTY_STAFF)),
    "duties.review_rate": Route(post=any_(DUTY_WRITERS)),
    "duties.review_nominate": Route(post=staff()),
    "duties.review_decide": Route(post=any_(DUTY_MANAGERS)),
    "duties.review_record": Route(get=own_user(DUTY_STAFF | {DL}, {DL, S})),
    "duties.review_bulletin": Route(get=any_(DUTY_MANAGERS)),
    "duties.rules": Route(get=any_({A})),
    "duties.rules_assign": Route(post=any_({A})),
    "duties.rules_edit": Route(get=Access(frozenset({A}), probe_allowed=False),
                               post=Access(frozenset({A}), probe_allowed=False), args={"code": "default"}),
    "duties.delegates": Route(get=any_(DUTY_STAFF)),
    "duties.delegates_import": Route(post=any_(DUTY_MANAGERS)),
    "duties.delegates_template": Route(get=any_(DUTY_STAFF)),
    # the 审计 reads a delegate's detail read-only (no edit controls), as the list and the API
    "duties.delegate": Route(get=own_office(DUTY_STAFF)),
    "duties.delegate_status": Route(post=any_(DUTY_MANAGERS)),
    "duties.by_election": Route(post=any_(DUTY_MANAGERS)),
    "duties.transfer": Route(get=any_(DUTY_MANAGERS), post=any_(DUTY_MANAGERS), data={"years": "0"}),
    "duties.delegates_assign": Route(post=any_(DUTY_MANAGERS)),
    # print views of the duty lists: scoped like the pages they print
    "duties.print_delegates": Route(get=any_(DUTY_STAFF)),
    "duties.print_activities": Route(get=any_(DUTY_STAFF)),
    "duties.print_rankings": Route(get=any_(DUTY_STAFF)),
    "duties.print_petitions": Route(get=any_(DUTY_STAFF)),
    "duties.print_proposals": Route(get=any_(DUTY_STAFF | {DL})),
    "duties.print_record": Route(get=own_user(DUTY_STAFF | {DL}, {DL, S})),
    # --- API tokens (pages; a token belongs to its user only)
    "account.tokens": Route(get=any_(ALL)),
    "account.create_token": Route(post=any_(ALL), data={"name": "矩阵测试令牌", "days": "30"}),
    # a user revokes their own tokens; the 管理员 may revoke anyone's (a lost laptop)
    "account.revoke_token": Route(post=own_user(ALL, ALL - {A})),
    # --- the JSON API /api/v1 (token auth: Authorization: Bearer …; the session cookie is never enough).
    # Out-of-scope objects are "not found" (election.api.scope); a unit token reaches its own unit only.
    "api.openapi_json": Route(get=any_(ALL), public=True),
    "api.docs": Route(get=any_(ALL), public=True),
    "api.unknown": Route(get=Access(ALL, probe_allowed=False), post=Access(ALL, probe_allowed=False),
                         put=Access(ALL, probe_allowed=False), delete=Access(ALL, probe_allowed=False),
                         patch=Access(ALL, probe_allowed=False), public=True),
    "api.create_token": Route(post=Access(ALL, probe_allowed=False), public=True),  # HTTP Basic, not a token
    "api.list_tokens": Route(get=any_(ALL)),
    "api.revoke_token": Route(delete=own_user(ALL, ALL - {A})),
    "api.list_elections": Route(get=any_(READERS | {U})),
    "api.get_election": Route(get=own_unit(READERS | {U})),
    "api.get_transitions": Route(get=any_(READERS)),
    "api.history": Route(get=any_(READERS)),
    "api.advance": Route(post=staff(), json={}),
    "api.return_stage": Route(post=staff(), json={"target": "plan", "reason": "矩阵测试"}),
    "api.election_nominees": Route(get=any_(READERS)),
    "api.unit_nominees": Route(get=own_unit(READERS | {U})),
    "api.upload_json": Route(put=own_unit({U}), json={"nominees": []}),
    "api.upload_file": Route(post=own_unit({U}), data={"file": "@tests/data/good.xlsx"}),
    "api.submit": Route(post=own_unit({U})),
    "api.add_nominee": Route(post=own_unit({U}), json={}),
    "api.update_nominee": Route(put=own_unit({U}), json={}),
    "api.delete_nominee": Route(delete=own_unit({U})),
    "api.quota_report": Route(get=any_(READERS)),
    "api.quota_check": Route(post=any_(READERS), json={"nominee_ids": []}),
    "api.list_units": Route(get=any_(READERS | {U})),
    "api.list_allocations": Route(get=own_unit(READERS | {U})),
    "api.get_election_unit": Route(get=own_unit(READERS | {U})),
    "api.set_allocations": Route(put=staff(), json={"allocations": []}),
    # the election's set-up and the later steps (an empty body: the roles are checked before the body is read)
    "api.create_election": Route(post=staff(), json={}),
    "api.update_election": Route(patch=staff(), json={}),
    "api.copy_election": Route(post=staff(), json={}),
    "api.abort_election": Route(post=staff(), json={}),
    "api.set_timeline": Route(put=staff(), json={}),
    "api.record_decision": Route(post=staff(), json={}),
    "api.exempt_unit": Route(post=staff(), json={}),
    "api.select_shortlist": Route(put=staff(), json={}),
    "api.select_preliminary": Route(put=staff(), json={}),
    "api.assign_inspectors": Route(post=staff(), json={}),
    "api.record_confirm_meeting": Route(put=staff(), json={}),
    "api.record_approval_list": Route(put=staff(), json={}),
    "api.add_higher_nominee": Route(post=staff(), json={}),
    "api.add_scrutineer": Route(post=staff(), json={}),
    "api.record_result": Route(post=staff(), json={}),
    "api.report_result": Route(put=staff(), json={}),
    # the remaining steps of the pages (an empty body: the roles are checked before the body is read)
    "api.reopen_unit": Route(post=staff(), json={}),
    "api.save_statistics": Route(put=own_unit(STAFF | {U}), json={"participating_orgs": 3, "participating_members": 40}),
    "api.plan_next_round": Route(post=staff(), json={}),
    "api.get_notice": Route(get=staff()),
    "api.update_notice": Route(patch=staff(), json={}),
    "api.delete_notice": Route(delete=staff()),
    "api.list_wording": Route(get=staff()),
    "api.get_wording": Route(get=staff(), args={"kind": "notice_second"}),
    "api.save_wording": Route(put=staff(), args={"kind": "notice_second"}, json={}),
    "api.reset_wording": Route(delete=staff(), args={"kind": "notice_second"}),
    "api.list_notices": Route(get=any_(VET_VIEW)),
    "api.list_complaints": Route(get=any_(VET_VIEW)),
    "api.list_rounds": Route(get=any_(READERS)),
    "api.get_result": Route(get=any_(READERS)),
    "api.list_delegates": Route(get=any_(READERS)),
    "api.list_audit": Route(get=any_({A, AU})),
    "api.list_organisations": Route(get=any_({A, O, AU})),
    "api.get_organisation": Route(get=any_({A, O, AU})),
    "api.create_organisation": Route(post=staff(), json={"code": "SEC-API", "name": "接口新增支部", "category": "党支部",
                                                         "parent_code": "SEC-TOP"}),
    "api.update_organisation": Route(put=staff(), json={"name": "接口改名"}),
    "api.retire_organisation": Route(post=staff(), json={"reason": "矩阵测试撤销"}),
    "api.reinstate_organisation": Route(post=staff()),
    "api.delete_organisation": Route(delete=staff()),
    "api.export_organisations": Route(get=any_({A, O, AU})),
    "api.import_organisations": Route(post=staff(), data={"file": "@tests/data/good.xlsx"}),
    # 用户管理 and 节假日设置 over the API: the 管理员 only, as the pages
    "api.list_users": Route(get=any_({A})),
    "api.get_user": Route(get=any_({A})),
    "api.create_user": Route(post=any_({A}), json={}),
    "api.bulk_create_users": Route(post=any_({A}), data={"file": "@tests/data/good.xlsx"}),
    "api.edit_user": Route(patch=any_({A}), json={}),
    "api.disable_user": Route(post=any_({A})),
    "api.enable_user": Route(post=any_({A})),
    "api.reset_password": Route(post=any_({A})),
    "api.unlock_user": Route(post=any_({A})),
    "api.get_calendar_year": Route(get=any_({A}), args={"year": 2027}),
    "api.set_calendar": Route(put=any_({A}), args={"year": 2027}, json={}),
    "api.holiday_notice": Route(post=any_({A}), json={}),
    # 考察 and complaints over the API: a 考察组 member reaches only the people / complaints assigned to them
    "api.list_examinations": Route(get=any_(VET_VIEW)),
    "api.get_examination": Route(get=own_user(VET_VIEW, {I})),
    "api.register_complaint": Route(post=staff(), json={"nominee_id": 1, "channel": "letter",
                                                        "received_on": "2026-05-07", "content": "矩阵测试"}),
    "api.assign_complaint": Route(post=staff(), json={"user_id": 1}),
    "api.record_findings": Route(post=own_user(STAFF | {I, D}, {I, D}), json={"findings": "矩阵测试"}),
    "api.conclude_complaint": Route(post=staff(), json={"conclusion": "false", "effect": "矩阵测试"}),
    "api.enter_totals": Route(put=any_({T}), json={"valid": 190, "invalid": 0, "for": {}}),
    "api.confirm_count": Route(post=any_({T, A, O})),
    # the writes of 考察: the office on everyone, a 考察组 member only on the people assigned to him, 纪检 its opinion
    "api.record_vetting": Route(put=own_user(STAFF | {I}, {I}), json={"appraisal_count": 20}),
    "api.record_discipline": Route(put=any_({D}), json={"opinion": "矩阵测试"}),
    "api.conclude_vetting": Route(post=own_user(STAFF | {I}, {I}), json={"conclusion": "unfit", "reason": "矩阵测试"}),
    # the same three for a list of people (the items are checked per person, after the role and the election)
    "api.record_vetting_many": Route(put=any_(STAFF | {I}), json={}),
    "api.record_discipline_many": Route(put=any_({D}), json={}),
    "api.conclude_many": Route(post=any_(STAFF | {I}), json={}),
    # 公示 and the rounds: the office runs them (as the pages); a teller enters one ballot
    "api.create_notices": Route(post=staff(), json={"kind": "first", "posted_on": "2026-05-06"}),
    "api.publish_notice": Route(post=staff()),
    "api.end_notice": Route(post=staff()),
    "api.open_round": Route(post=staff(), json={"eligible": 200, "present": 190, "ballots_issued": 190,
                                                "ballots_collected": 190}),
    "api.close_round": Route(post=staff()),
    "api.enter_ballot": Route(post=any_({T}), json={"for": []}),
    # 履职 over the API: the same table as the pages (a studio its own office, a delegate their own records)
    "api.list_offices": Route(get=any_(DUTY_STAFF)),
    "api.list_term_delegates": Route(get=any_(DUTY_STAFF)),
    "api.get_term_delegate": Route(get=own_office(DUTY_STAFF)),
    "api.list_activities": Route(get=any_(DUTY_STAFF | {DL})),
    "api.log_activity": Route(post=any_(DUTY_WRITERS | {DL}),
                              json={"type_code": "meeting", "on": "2026-03-02", "description": "矩阵测试"}),
    "api.verify_activity": Route(post=own_office(DUTY_WRITERS)),
    "api.return_activity": Route(post=own_office(DUTY_WRITERS), json={"reason": "矩阵测试"}),
    "api.get_ranking": Route(get=any_(DUTY_STAFF)),
    "api.my_standing": Route(get=any_({DL})),
    "api.list_petitions": Route(get=any_(DUTY_STAFF)),
    "api.get_petition": Route(get=own_office(DUTY_STAFF)),
    "api.register_petition": Route(post=any_(DUTY_WRITERS), json={"resident_name": "矩阵", "content": "矩阵测试"}),
    "api.move_petition": Route(post=own_office(DUTY_WRITERS), json={"target": "received", "receiver": "矩阵"}),
    "api.list_proposals": Route(get=any_(DUTY_STAFF | {DL})),
    "api.get_proposal": Route(get=own_user(DUTY_STAFF | {DL}, {DL, S})),
    "api.create_proposal": Route(post=any_(DUTY_WRITERS | {DL}),
                                 json={"title": "矩阵", "grounds": "依据", "solution": "方案", "submitted_on": "2026-03-03"}),
    # the handling unit's reply (office staff of the lead's office), its assessment (the lead or that office)
    "api.reply_proposal": Route(post=own_office(DUTY_WRITERS),
                                json={"handling_unit": "矩阵承办单位", "reply": "矩阵答复", "replied_on": "2026-03-04"}),
    "api.assess_proposal": Route(post=own_user(DUTY_WRITERS | {DL}, {DL, S}), json={"assessment": "satisfied"}),
    "api.change_delegate_status": Route(post=any_(DUTY_MANAGERS), json={
        "target": "suspended", "reason": "transferred_out", "issuer": "矩阵党委", "doc_no": "矩阵〔2026〕1号",
        "decided_on": "2026-01-05"}),
    # the delegate roll, the 年度考评, the 个人履职总结 and the 履职规则 (an empty body: the roles come first)
    "api.import_term_delegates": Route(post=any_(DUTY_MANAGERS), data={"file": "@tests/data/good.xlsx"}),
    "api.start_by_election": Route(post=any_(DUTY_MANAGERS), json={}),
    # 转入代表名册 (an election's elected) and the bulk 工作室/代表小组 form: the 组织部, as the pages
    "api.get_transfer_plan": Route(get=any_(DUTY_MANAGERS)),
    "api.transfer_elected": Route(post=any_(DUTY_MANAGERS), json={"years": 0}),
    "api.assign_delegates": Route(post=any_(DUTY_MANAGERS), json={}),
    "api.rate_review_part": Route(put=any_(DUTY_WRITERS), json={}),
    "api.propose_model_delegates": Route(post=any_(DUTY_MANAGERS), json={}),
    "api.decide_model_delegate": Route(post=any_(DUTY_MANAGERS), json={}),
    "api.submit_summary": Route(put=any_({DL}), json={}),
    "api.save_ruleset_version": Route(put=any_({A}), args={"code": "yantian"}, json={}),
    "api.assign_ruleset": Route(put=any_({A}), json={}),
    # --- 上下级 overview: the upper committee's view (can_view_congress); a congress out of a user's part is 404
    "levels.index": Route(get=any_(UP_VIEW)),
    "levels.overview": Route(get=any_(UP_VIEW)),
    "levels.roster": Route(get=any_(UP_VIEW)),
    "levels.roster_print": Route(get=any_(UP_VIEW)),
    "levels.roster_download": Route(get=any_(UP_VIEW)),
    "levels.structure_report": Route(get=any_(UP_VIEW)),
    "api.congress_overview": Route(get=any_(UP_VIEW)),
    "api.congress_structure": Route(get=any_(UP_VIEW)),
    "api.congress_roster": Route(get=any_(UP_VIEW)),
    # --- background tasks: only the task's owner sees it
    "tasks.index": Route(get=any_(ALL)),
    "tasks.start_registration_forms": Route(post=any_(READERS), data={"election_id": "{election}", "step": "x"}),
    "tasks.start_nominees_export": Route(post=Access(READERS, probe_allowed=False)),
    "tasks.start_ranking_export": Route(post=any_(DUTY_STAFF), data={"year": "1"}),  # a bad year: no thread
    "tasks.status": Route(get=own_user(ALL, ALL)),
    "tasks.status_json": Route(get=own_user(ALL, ALL)),
    # an unfinished task has no file yet (404 even for its owner): only the denials are probed
    "tasks.download": Route(get=Access(ALL, Scope.own_user, ALL, probe_allowed=False)),
    # --- 上级选举的设置: the upper committee's staff and the 管理员 write, the 审计 reads (can_manage/view_congress)
    "levels.congress_new": Route(get=any_(UP_STAFF), post=any_(UP_STAFF)),
    "levels.congress_edit": Route(get=any_(UP_STAFF), post=any_(UP_STAFF)),
    "levels.allocations": Route(get=any_(UP_VIEW), post=any_(UP_STAFF)),
    "levels.allocations_template": Route(get=any_(UP_VIEW)),
    "levels.allocations_import": Route(post=any_(UP_STAFF), data={"file": "@tests/data/good.xlsx"}),
    "levels.children": Route(get=any_(UP_VIEW), post=any_(UP_STAFF)),
    "levels.children_link": Route(post=any_(UP_STAFF)),
    "levels.nominees": Route(get=any_(UP_VIEW), post=any_(UP_STAFF)),
    "levels.nominee_edit": Route(get=any_(UP_STAFF), post=any_(UP_STAFF)),
    "levels.nominee_delete": Route(post=any_(UP_STAFF)),
    "levels.nominee_assign": Route(post=any_(UP_STAFF)),
    "api.list_congresses": Route(get=any_(UP_VIEW)),
    "api.create_congress": Route(post=any_(UP_STAFF), json={}),
    "api.get_congress": Route(get=any_(UP_VIEW)),
    "api.update_congress": Route(put=any_(UP_STAFF), json={}),
    "api.get_allocations": Route(get=any_(UP_VIEW)),
    "api.save_allocations": Route(put=any_(UP_STAFF), json={}),
    "api.import_allocations": Route(post=any_(UP_STAFF), data={"file": "@tests/data/good.xlsx"}),
    "api.create_children": Route(post=any_(UP_STAFF), json={"congress_unit_ids": [0]}),
    "api.list_congress_nominees": Route(get=any_(UP_VIEW)),
    "api.register_congress_nominee": Route(post=any_(UP_STAFF), json={}),
    "api.update_congress_nominee": Route(put=any_(UP_STAFF), json={}),
    "api.delete_congress_nominee": Route(delete=any_(UP_STAFF)),
    "api.assign_congress_nominee": Route(put=any_(UP_STAFF), json={}),
    # --- 上报上级: the 选举单位's 选举办 submits (the 审计 reads); the upper committee decides only on packages
    # reported to its own congress (another city's package: 404)
    "levels.election_reports": Route(get=any_(STAFF | {AU})),
    "levels.submit_report": Route(post=staff()),
    "levels.congress_reports": Route(get=any_(UP_VIEW)),
    "levels.report": Route(get=own_user(UP_VIEW, {UP})),
    "levels.report_document": Route(get=own_user(UP_VIEW, {UP}), args={"doc": "preliminary-roster"}),
    "levels.review_report": Route(post=own_user(UP_STAFF, {UP})),
    "levels.approve_report": Route(post=own_user(UP_STAFF, {UP})),
    "levels.return_report": Route(post=own_user(UP_STAFF, {UP})),
    "api.list_election_reports": Route(get=any_(STAFF | {AU})),
    "api.submit_upward_report": Route(post=staff(), json={"kind": "consent"}),
    "api.get_upward_report": Route(get=own_user(UP_VIEW | {O}, {UP})),
    "api.review_upward_report": Route(post=own_user(UP_STAFF, {UP}), json={}),
    "api.approve_upward_report": Route(post=own_user(UP_STAFF, {UP}), json={}),
    "api.return_upward_report": Route(post=own_user(UP_STAFF, {UP}), json={}),
    "api.list_congress_reports": Route(get=any_(UP_VIEW)),
    # --- 年会: the session itself — the 组织部 prepares, signs in and records it held; the session's readers (a 代表
    # only his congress's sessions) read it, its documents and groups; the whole roll is not a 代表's page
    "assembly.index": Route(get=any_(SESSION_VIEW)),
    "assembly.session_new": Route(get=staff(), post=staff()),
    "assembly.session_edit": Route(get=staff(), post=staff()),
    "assembly.session": Route(get=own_user(SESSION_VIEW, {DL})),
    "assembly.agenda_add": Route(post=staff()),
    "assembly.agenda_edit": Route(post=staff()),
    "assembly.agenda_delete": Route(post=staff()),
    "assembly.agenda_move": Route(post=staff()),
    "assembly.guest_add": Route(post=staff()),
    "assembly.guest_remove": Route(post=staff()),
    "assembly.material_upload": Route(post=staff()),
    "assembly.material_delete": Route(post=staff()),
    "assembly.material": Route(get=Access(SESSION_VIEW, Scope.own_user, frozenset({DL}), probe_allowed=False)),
    "assembly.send_notice": Route(post=staff()),
    "assembly.open_session": Route(post=staff()),
    "assembly.hold_session": Route(post=staff()),
    "assembly.notice_docx": Route(get=own_user(SESSION_VIEW, {DL})),
    "assembly.agenda_docx": Route(get=own_user(SESSION_VIEW, {DL})),
    "assembly.attendance": Route(get=any_(APPRAISAL_COUNT)),
    "assembly.sign_in": Route(post=staff()),
    "assembly.record_leave": Route(post=staff()),
    "assembly.undo_attendance": Route(post=staff()),
    "assembly.self_sign_in": Route(post=own_user({DL}, {DL})),
    "assembly.groups": Route(get=own_user(SESSION_VIEW, {DL})),
    "assembly.groups_generate": Route(post=staff()),
    "assembly.group_create": Route(post=staff()),
    "assembly.group_member": Route(post=staff()),
    "assembly.group_member_remove": Route(post=staff()),
    "assembly.group_convener": Route(post=staff()),
    "assembly.group_minutes": Route(post=staff()),
    "api.list_sessions": Route(get=any_(SESSION_VIEW)),
    "api.create_session": Route(post=staff(), json={}),
    "api.get_session": Route(get=own_user(SESSION_VIEW, {DL})),
    "api.update_session": Route(put=staff(), json={}),
    "api.add_agenda_item": Route(post=staff(), json={}),
    "api.update_agenda_item": Route(post=staff(), json={}),
    "api.delete_agenda_item": Route(post=staff(), json={}),
    "api.move_agenda_item": Route(post=staff(), json={}),
    "api.add_guest": Route(post=staff(), json={}),
    "api.remove_guest": Route(post=staff(), json={}),
    "api.upload_material": Route(post=staff()),
    "api.delete_material": Route(post=staff(), json={}),
    "api.send_notice": Route(post=staff()),
    "api.open_session": Route(post=staff()),
    "api.hold_session": Route(post=staff()),
    "api.get_attendance": Route(get=any_(APPRAISAL_COUNT)),
    "api.sign_in": Route(post=staff(), json={}),
    "api.record_leave": Route(post=staff(), json={}),
    "api.undo_attendance": Route(post=staff(), json={}),
    "api.self_sign_in": Route(post=own_user({DL}, {DL})),
    "api.list_groups": Route(get=own_user(SESSION_VIEW, {DL})),
    "api.generate_groups": Route(post=staff()),
    "api.create_group": Route(post=staff(), json={}),
    "api.assign_member": Route(post=staff(), json={}),
    "api.remove_member": Route(post=staff(), json={}),
    "api.set_convener": Route(post=staff(), json={}),
    "api.save_minutes": Route(put=staff(), json={}),
    # --- 年会提案: the session's readers (a 代表 only his congress's sessions); a 代表 or the 组织部 submits (the
    # API also the 工作室, for its delegates); the 组织部 reviews
    "assembly.proposals": Route(get=own_user(SESSION_VIEW, {DL})),
    "assembly.print_proposals": Route(get=own_user(SESSION_VIEW, {DL})),
    "assembly.submit_proposal": Route(post=own_user(STAFF | {DL}, {DL})),
    "assembly.review_proposal": Route(post=staff()),
    "api.list_session_proposals": Route(get=own_user(SESSION_VIEW, {DL})),
    "api.submit_session_proposal": Route(post=own_user(STAFF | {S, DL}, {DL}),
                                         json={"title": "矩阵", "grounds": "依据", "solution": "方案"}),
    "api.review_session_proposal": Route(post=staff(), json={}),
    # --- 年会测评: the 组织部 sets up, opens and publishes; tellers enter (T only) and confirm; a 代表 reads the
    # published results of his congress's sessions only
    "assembly.appraisals": Route(get=own_user(SESSION_VIEW, {DL})),
    "assembly.create_appraisal": Route(post=staff()),
    "assembly.appraisal": Route(get=own_user(SESSION_VIEW, {DL})),
    "assembly.update_appraisal": Route(post=staff()),
    "assembly.open_appraisal": Route(post=staff()),
    "assembly.appraisal_entry": Route(get=any_({T}), post=any_({T})),
    "assembly.appraisal_compare": Route(get=any_(APPRAISAL_COUNT)),
    "assembly.confirm_appraisal": Route(post=any_(APPRAISAL_CONFIRM)),
    "assembly.publish_appraisal": Route(post=staff()),
    "assembly.appraisal_docx": Route(get=own_user(SESSION_VIEW, {DL})),
    "assembly.appraisal_print": Route(get=own_user(SESSION_VIEW, {DL})),
    "api.list_appraisals": Route(get=own_user(SESSION_VIEW, {DL})),
    "api.create_appraisal": Route(post=staff(), json={}),
    "api.get_appraisal": Route(get=own_user(SESSION_VIEW, {DL})),
    "api.update_appraisal": Route(put=staff(), json={}),
    "api.open_appraisal": Route(post=staff(), json={}),
    "api.enter_appraisal_figures": Route(put=any_({T}), json={}),
    "api.compare_appraisal_entries": Route(get=any_(APPRAISAL_COUNT)),
    "api.confirm_appraisal": Route(post=any_(APPRAISAL_CONFIRM)),
    "api.publish_appraisal": Route(post=staff()),
    # --- 年会决议与整改: the session's readers see its resolutions and follow-ups (a 代表 his congress's only); the
    # 组织部 records them; the list of all follow-ups is the 组织部's and the 审计's
    "assembly.resolutions": Route(get=own_user(SESSION_VIEW, {DL})),
    "assembly.resolution_add": Route(post=staff()),
    "assembly.resolution_edit": Route(post=staff()),
    "assembly.resolution_report": Route(post=staff()),
    "assembly.resolution_document": Route(get=own_user(SESSION_VIEW, {DL})),
    "assembly.followup_add": Route(post=staff()),
    "assembly.followup_progress": Route(post=staff()),
    "assembly.followup_edit": Route(post=staff()),
    "assembly.followups": Route(get=any_(FOLLOWUP_VIEW)),
    "api.list_resolutions": Route(get=own_user(SESSION_VIEW, {DL})),
    "api.add_resolution": Route(post=staff(), json={}),
    "api.edit_resolution": Route(put=staff(), json={}),
    "api.report_implementation": Route(post=staff(), json={}),
    "api.list_session_followups": Route(get=own_user(SESSION_VIEW, {DL})),
    "api.create_followup": Route(post=staff(), json={}),
    "api.update_followup": Route(post=staff(), json={}),
    "api.edit_followup": Route(put=staff(), json={}),
    "api.list_followups": Route(get=any_(FOLLOWUP_VIEW)),
    # --- 闭会期间: the 组织部 arranges 列席 and records attendance and replies; a 代表 reads the meetings he is
    # invited to and his own 询问/质询, and registers his own
    "assembly.sitins": Route(get=any_(BETWEEN_VIEW)),
    "assembly.sitin_create": Route(post=staff()),
    "assembly.sitin": Route(get=own_user(BETWEEN_VIEW, {DL})),
    "assembly.sitin_invite": Route(post=staff()),
    "assembly.sitin_attendance": Route(post=staff()),
    "assembly.inquiries": Route(get=any_(BETWEEN_VIEW)),
    "assembly.inquiry_register": Route(post=any_(STAFF | {DL})),
    "assembly.inquiry": Route(get=own_user(BETWEEN_VIEW, {DL})),
    "assembly.inquiry_reply": Route(post=staff()),
    "api.list_sitins": Route(get=any_(BETWEEN_VIEW)),
    "api.create_sitin": Route(post=staff(), json={}),
    "api.get_sitin": Route(get=own_user(BETWEEN_VIEW, {DL})),
    "api.invite_delegates": Route(post=staff(), json={}),
    "api.record_sitin_attendance": Route(post=staff(), json={}),
    "api.list_inquiries": Route(get=any_(BETWEEN_VIEW)),
    "api.register_inquiry": Route(post=any_(STAFF | {DL}), json={}),
    "api.get_inquiry": Route(get=own_user(BETWEEN_VIEW, {DL})),
    "api.record_inquiry_reply": Route(post=staff(), json={}),
}

"""代表任期履职 use cases: delegates, rule sets, activities, rankings, petitions, proposals, review, 补选.

One function = one use case = one ``transaction`` + one ``audit`` entry. The rules themselves are pure and
live in ``workflow.duties`` / ``workflow.duties.petitions`` / ``workflow.duties.delegate_status``; this package maps rows to
their plain data and back. Points always come from the rule-set version in force on the activity's date.

The package holds one module per part: ``permissions`` (who may do what, the actor's office and delegate record);
``rulesets`` (履职规则 stored, versioned and assigned); ``delegates`` (the 代表名册 import, status changes, 补选);
``activities`` (logging and verifying 履职活动, attachments); ``points`` (points summed in the database);
``ranking`` (积分排名 and a delegate's own standing); ``petitions`` (群众诉求); ``proposals`` (提案, 提议);
``review`` (年度考评, the 履职纪实表 and the 通报). It re-exports their names, so callers write
``from election.duties import services as svc``.
"""
from __future__ import annotations

from election.duties.services.activities import (
    ALLOWED_UPLOADS,
    MAX_UPLOAD_BYTES,
    MAX_UPLOADS,
    ActivityInput,
    UploadedFile,
    check_uploads,
    log_activity,
    pending_activities,
    review_activity,
    type_labels,
)
from election.duties.services.delegates import (
    BY_ELECTION_DAYS,
    DELEGATE_COLUMNS,
    DelegateParse,
    DelegateRow,
    change_delegate_status,
    import_delegates,
    parse_delegate_sheet,
    render_delegate_template,
    start_by_election,
    vacancies_of_unit,
    wd_parse_date,
)
from election.duties.services.permissions import (
    can_log_for,
    can_manage_delegates,
    can_manage_rules,
    can_read_record,
    can_record_duties,
    can_staff_an_office,
    can_staff_office,
    can_view_duties,
    delegate_of_user,
    office_scope,
)
from election.duties.services.petitions import (
    SOURCE,
    PetitionInput,
    enabled_moves,
    list_petitions,
    move_petition,
    overdue_of,
    petition_facts,
    petition_times,
    register_petition,
)
from election.duties.services.points import (
    ACTIVITY_COLUMNS,
    buckets_to_versions,
    fetch_activity_counts,
    fetch_activity_tuples,
    fetch_points_sums,
    least,
    points_sums_query,
    points_totals,
    version_starts,
)
from election.duties.services.proposals import ProposalInput, assess_proposal, create_proposal, reply_proposal
from election.duties.services.ranking import (
    RankingView,
    RankLine,
    Standing,
    compute_ranking,
    my_standing,
    render_ranking_xlsx,
)
from election.duties.services.review import (
    REVIEW_PARTS,
    ReviewBoard,
    bulletin_for,
    decide_model_delegate,
    duty_record_for,
    propose_model_delegates,
    rate_part,
    render_bulletin,
    render_duty_record,
    review_board,
    submit_summary,
)
from election.duties.services.rulesets import (
    DEFAULT_RULESET,
    RuleAssignments,
    assign_ruleset,
    book_for,
    load_assignments,
    load_rulebooks,
    revised_ruleset,
    ruleset_from_dict,
    ruleset_to_dict,
    save_ruleset_version,
)

__all__ = [
    "ACTIVITY_COLUMNS", "ALLOWED_UPLOADS", "BY_ELECTION_DAYS", "DEFAULT_RULESET", "DELEGATE_COLUMNS", "MAX_UPLOADS",
    "MAX_UPLOAD_BYTES", "REVIEW_PARTS", "SOURCE", "ActivityInput", "DelegateParse", "DelegateRow", "PetitionInput",
    "ProposalInput", "RankLine", "RankingView", "ReviewBoard", "RuleAssignments", "Standing", "UploadedFile",
    "assess_proposal", "assign_ruleset", "book_for", "buckets_to_versions", "bulletin_for", "can_log_for",
    "can_manage_delegates", "can_manage_rules", "can_read_record", "can_record_duties", "can_staff_an_office",
    "can_staff_office", "can_view_duties", "change_delegate_status",
    "check_uploads", "compute_ranking", "create_proposal", "decide_model_delegate", "delegate_of_user",
    "duty_record_for", "enabled_moves", "fetch_activity_counts", "fetch_activity_tuples", "fetch_points_sums",
    "import_delegates", "least", "list_petitions", "load_assignments", "load_rulebooks", "log_activity",
    "move_petition", "my_standing", "office_scope", "overdue_of", "parse_delegate_sheet", "pending_activities",
    "petition_facts", "petition_times", "points_sums_query", "points_totals", "propose_model_delegates", "rate_part",
    "register_petition", "render_bulletin", "render_delegate_template", "render_duty_record", "render_ranking_xlsx",
    "reply_proposal", "review_activity", "review_board", "revised_ruleset", "ruleset_from_dict", "ruleset_to_dict",
    "save_ruleset_version", "start_by_election", "submit_summary", "type_labels", "vacancies_of_unit",
    "version_starts", "wd_parse_date",
]

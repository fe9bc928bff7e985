"""差额推荐: a recommending unit uploads, corrects and submits its nominee list; the office reopens
units and follows all of them. Each use case is one transaction with one audit entry; the read views below
run a fixed number of queries.

Serialisation: every write to a unit's list locks the Election row and then the ElectionUnit row
(``SELECT … FOR UPDATE`` on PostgreSQL; on SQLite ``BEGIN IMMEDIATE`` already serialises writers) and
re-checks the status inside the transaction. Locking the election too makes the cross-unit duplicate check
exact: two units uploading the same person at once cannot both pass it.

The use cases live in ``gate`` (whether a list may change; the locks), ``editing`` (upload, add, edit,
delete), ``submission`` (提交, 退回), ``participation`` (推荐提名工作统计表) and ``pages`` (the read views);
this package re-exports them, so callers keep ``from election.nominations import services as svc``.
"""
from election.nominations.services.editing import (
    FORM_FIELDS,
    EditOutcome,
    ImportOutcome,
    add_nominee,
    delete_nominee,
    import_nominee_file,
    update_nominee,
)
from election.nominations.services.gate import ELSEWHERE, SOURCE, allowed_categories, check_list_editable
from election.nominations.services.pages import (
    Duplicate,
    Overview,
    OverviewRow,
    UnitPage,
    can_see_overview,
    nominations_overview,
    roster_people,
    summaries,
    unit_page,
)
from election.nominations.services.participation import (
    Participation,
    format_rate,
    participation,
    participation_target,
    save_statistics,
)
from election.nominations.services.submission import SUBMIT_CONSEQUENCE, reopen_unit, submit_list

__all__ = [
    "ELSEWHERE", "FORM_FIELDS", "SOURCE", "SUBMIT_CONSEQUENCE",
    "Duplicate", "EditOutcome", "ImportOutcome", "Overview", "OverviewRow", "Participation", "UnitPage",
    "add_nominee", "allowed_categories", "can_see_overview", "check_list_editable", "delete_nominee",
    "format_rate", "import_nominee_file", "nominations_overview", "participation", "participation_target",
    "reopen_unit", "roster_people", "save_statistics", "submit_list", "summaries", "unit_page",
    "update_nominee",
]

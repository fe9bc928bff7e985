"""Use cases of 预备人选 and the ballot: one function = one transaction + one audit entry.

The rules are the pure ones of ``workflow.tally.count`` / ``workflow.tally.rounds`` (docs/rules.md §3.3); this
package maps rows to them and back. The state of the voting (which round comes next, with which seats and
candidates) is always replayed from the closed rounds and the recorded plans, never stored twice.

Decisions taken where docs/rules.md is silent:

* 上级提名 candidates are on the same ballot as the 预备人选; the round's seats are ``seats +
  higher_nominated_seats``. Margins and quotas are judged on the 预备人选 and the ``seats`` alone (不含上级提名).
* A round that does not stand (no quorum, more ballots collected than present) is closed when it is opened:
  nothing is counted and the next round repeats it.
* The candidates of a 另行选举: the number defaults to the seats still empty plus the ballot margin of the
  election (e.g. 20%, rounded up), the same rule as the main ballot.
* 全委会 votes per person: chosen are those with more than half of the members present, most votes first, at most
  ``max_chosen``; a tie at that cutoff is refused (the meeting votes again among the tied).
* Teller entries: only 监票计票人员 enter; entry 2 must come from another person than entry 1.

The package holds one module per part: ``permissions``; ``state`` (loading, the meeting rules, the ballot's
candidates, the replay); ``candidates`` (预备人选, 批复, 上级提名, 监票人); ``rounds`` (open, count, close, plan);
``results``; ``queries`` (what the pages read); ``documents``. It re-exports their names (and the loaders the
views use), so callers write ``from election.voting import services as svc``.
"""
from __future__ import annotations

from election.voting.services.candidates import (
    ConfirmInput,
    ConfirmOutcome,
    HigherNomineeInput,
    add_higher_nominee,
    higher_categories,
    add_scrutineer,
    record_approval_list,
    record_confirm_meeting,
    select_by_votes,
)
from election.voting.services.documents import (
    REGISTRATION_COLUMNS,
    ROSTER_COLUMNS,
    ballot_docx,
    confirm_report_docx,
    confirmed_roster_docx,
    elected_roster_docx,
    elected_roster_xlsx,
    first_ballot_docx,
    registration_docx,
    registration_xlsx,
    result_report_docx,
)
from election.voting.services.permissions import can_confirm_count, can_enter_count
from election.voting.services.queries import VotingView, approval_recorded, voting_view
from election.voting.services.results import ResultOutcome, quota_warnings, record_result, record_result_report
from election.voting.services.rounds import (
    Comparison,
    RoundInput,
    close_round,
    compare_entries,
    confirm_count,
    default_additional_count,
    enter_ballot,
    enter_totals,
    open_round,
    plan_next_round,
)
from election.voting.services.state import (
    DB_TO_KIND,
    KIND_LABELS,
    KIND_TO_DB,
    SRC,
    STATUS_LABELS,
    ballot_candidates,
    confirmed_people,
    higher_people,
    load_election,
    load_round,
    pads_single_names,
    replay,
    rule_preset,
    total_seats,
    totals_from_json,
    totals_to_json,
)

__all__ = [
    "Comparison", "ConfirmInput", "ConfirmOutcome", "DB_TO_KIND", "HigherNomineeInput", "KIND_LABELS",
    "KIND_TO_DB", "REGISTRATION_COLUMNS", "ROSTER_COLUMNS", "ResultOutcome", "RoundInput", "SRC", "STATUS_LABELS",
    "VotingView", "add_higher_nominee", "add_scrutineer", "approval_recorded", "ballot_candidates", "ballot_docx",
    "can_confirm_count", "can_enter_count", "close_round", "compare_entries", "confirm_count",
    "confirm_report_docx", "confirmed_people", "confirmed_roster_docx", "default_additional_count",
    "elected_roster_docx", "elected_roster_xlsx", "enter_ballot", "first_ballot_docx", "enter_totals", "higher_categories", "higher_people",
    "load_election", "load_round", "open_round", "pads_single_names", "plan_next_round", "quota_warnings",
    "record_approval_list", "record_confirm_meeting", "record_result", "record_result_report",
    "registration_docx", "registration_xlsx", "replay", "result_report_docx", "rule_preset", "select_by_votes",
    "total_seats", "totals_from_json", "totals_to_json", "voting_view"
]

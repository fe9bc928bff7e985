"""Official documents (.docx) in the GB/T 9704—2012 layout, rendered from plain data.

``gbt9704`` holds the page, fonts, grid, spacing, page numbers, headings and tables; the other modules
only say what goes on the page. Every ``render_*`` takes a frozen dataclass from ``data`` and returns bytes.
``filenames`` names every downloaded document by one rule: ``{选举名称}_{文书名称}_{YYYYMMDD}.docx``.
"""
from election.documents.ballot import render_ballot
from election.documents.data import (
    BallotData,
    ContactOffice,
    ElectedRosterData,
    NoticeData,
    NoticeKind,
    PersonRow,
    RegistrationFormData,
    ReportData,
    ReportSection,
    ReportStat,
    ResultReportData,
    ResultRound,
    RosterData,
    VoteRow,
)
from election.documents.forms import render_registration_form, render_registration_forms
from election.documents.gbt9704 import format_date_cn, format_month_cn, format_month_table, format_period_cn
from election.documents.notices import render_publicity_notice
from election.documents.reports import render_result_report, render_situation_report
from election.documents.rosters import render_roster, roster_from_people

__all__ = [
    "BallotData", "ContactOffice", "ElectedRosterData", "NoticeData", "NoticeKind", "PersonRow",
    "RegistrationFormData", "ReportData", "ReportSection", "ReportStat", "ResultReportData", "ResultRound",
    "RosterData", "VoteRow",
    "format_date_cn", "format_month_cn", "format_month_table", "format_period_cn",
    "render_ballot", "render_publicity_notice", "render_registration_form", "render_registration_forms",
    "render_result_report", "render_roster", "render_situation_report", "roster_from_people",
]

"""The documents a package carries (docs/rules.md §8.2), generated for the upper committee by the district's own
document code from the election's data as it stands: the 初步人选名单 and its 情况报告; the 预备人选's 情况报告, 名册 and
登记表; the 选举情况报告, 代表名册 and 代表登记表. Only documents the package names are served."""
from __future__ import annotations

from collections.abc import Callable
from datetime import date

from sqlalchemy.orm import Session

from election.vetting.services import documents as vetting_docs
from election.voting.services import documents as voting_docs

GENERATORS: dict[str, Callable[[Session, int, date], bytes]] = {
    "preliminary-roster": lambda s, e, t: vetting_docs.render_roster_document(s, e, "preliminary"),
    "preliminary-report": lambda s, e, t: vetting_docs.render_report_document(s, e, t),
    "confirm-report": lambda s, e, t: voting_docs.confirm_report_docx(s, e, t),
    "confirmed-roster": lambda s, e, t: voting_docs.confirmed_roster_docx(s, e),
    "confirmed-forms": lambda s, e, t: voting_docs.registration_docx(s, e, "confirmed", t),
    "result-report": lambda s, e, t: voting_docs.result_report_docx(s, e, t),
    "elected-roster": lambda s, e, t: voting_docs.elected_roster_docx(s, e),
    "elected-forms": lambda s, e, t: voting_docs.registration_docx(s, e, "elected", t),
}


def document_of(report, key: str) -> str | None:
    """The name of the package's document KEY, or None when the package does not carry it."""
    return next((d["name"] for d in report.documents or () if d.get("key") == key and key in GENERATORS), None)


def render_package_document(session: Session, report, key: str, today: date) -> bytes:
    return GENERATORS[key](session, report.election_id, today)

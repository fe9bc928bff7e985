"""The quota compliance panel and report: the three questions on the list of the current step."""
from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session
from workflow.quotas.checks import RuleResult, check_as_is, compute_feasibility, compute_safety

from election.directory.models import ElectionUnit
from election.elections.facts import (
    PERSON_COLUMNS,
    STEP_ORDER,
    category_tree,
    quota_rules,
    reference_date,
    to_candidate,
)
from election.elections.models import Election
from election.nominations.models import Nominee
from workflow.pipeline.stages import Stage

STEP_LABELS = {"nominated": "推荐人选", "shortlisted": "考察对象", "preliminary": "初步人选", "confirmed": "预备人选"}
# which list the panel judges at each stage (docs/rules.md §2)
STEP_OF_STAGE = {Stage.nominate: "nominated", Stage.shortlist: "shortlisted", Stage.vet: "shortlisted",
                 Stage.preliminary: "preliminary", Stage.confirm: "confirmed", Stage.ballot: "confirmed",
                 Stage.report: "confirmed", Stage.completed: "confirmed"}


@dataclass(frozen=True)
class RuleRow:
    code: str
    label: str
    bound: str          # 至少7名 / 最多9名 / 至少6名（不少于1/3）, counted on the seats
    actual: int         # matching people in the list as it is
    as_is_ok: bool
    worst: int          # worst case over every k-seat outcome
    worst_ok: bool
    could_lose: int


@dataclass(frozen=True)
class ComplianceReport:
    election_title: str
    step: str
    step_label: str
    seats: int
    candidates: int
    rows: tuple[RuleRow, ...]
    safe: bool
    feasible: bool
    conflicts: tuple[str, ...]
    message: str
    suggestions: tuple[str, ...]
    critical: tuple[str, ...]
    reference: date

    @property
    def all_ok(self) -> bool:
        return self.feasible and all(r.as_is_ok for r in self.rows)


def step_people(session: Session, election: Election, step: str) -> list:
    """Everyone still in the running who has reached STEP (推荐人选: only lists that were submitted), as light
    rows (no ORM objects: a province has thousands of nominees)."""
    query = select(*PERSON_COLUMNS).where(Nominee.election_id == election.id, Nominee.removed_reason.is_(None),
                                  Nominee.step.in_(STEP_ORDER[STEP_ORDER.index(step):]))
    if step == "nominated":
        query = query.join(ElectionUnit, ElectionUnit.id == Nominee.election_unit_id) \
            .where(ElectionUnit.status == "submitted")
    return session.execute(query.order_by(Nominee.id)).all()


def build_report(election: Election, people: Sequence[Nominee], step: str, today: date) -> ComplianceReport:
    tree = category_tree(election)
    rules = quota_rules(election, tree)
    ref = reference_date(election, today)
    candidates = [to_candidate(p) for p in people]
    seats = election.seats
    as_is: dict[str, RuleResult] = {r.code: r for r in check_as_is(candidates, rules, ref)}
    safety = compute_safety(candidates, rules, ref, seats)
    worst = {w.code: w for w in safety.worst_case}
    feasibility = compute_feasibility(candidates, rules, ref, seats, tree)
    rows = tuple(RuleRow(r.code, r.label, r.describe_bound(seats), as_is[r.code].actual, as_is[r.code].ok,
                         worst[r.code].worst if r.code in worst else 0, worst[r.code].ok if r.code in worst else False,
                         worst[r.code].could_lose if r.code in worst else 0) for r in rules)
    return ComplianceReport(election.title, step, STEP_LABELS[step], seats, len(candidates), rows, safety.safe,
                            feasibility.feasible, tuple(feasibility.conflicts), feasibility.message,
                            tuple(s.message for s in feasibility.suggestions), tuple(safety.critical), ref)


def compliance_report(session: Session, election: Election, today: date, step: str | None = None,
                      selected_ids: Sequence[int] | None = None) -> ComplianceReport | None:
    """The panel for the current stage's list; with SELECTED_IDS, for that choice out of the pool (live counters)."""
    step = step or STEP_OF_STAGE.get(Stage(election.stage))
    if step is None or not election.quota_rules:
        return None
    if selected_ids is not None:
        people = session.execute(select(*PERSON_COLUMNS).where(Nominee.election_id == election.id,
                                                               Nominee.id.in_(list(selected_ids)),
                                                               Nominee.removed_reason.is_(None))).all()
    else:
        people = step_people(session, election, step)
    return build_report(election, people, step, today)


def render_report_xlsx(report: ComplianceReport) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    from election.core.xlsx_write import append_row

    wb = Workbook()
    ws = wb.active
    ws.title = "结构比例"
    append_row(ws, [f"{report.election_title} · {report.step_label}结构比例情况"])
    ws["A1"].font = Font(bold=True, size=14)
    append_row(ws, [f"应选{report.seats}名，{report.step_label}{report.candidates}名，年龄计算基准日"
               f"{report.reference.year}年{report.reference.month}月{report.reference.day}日"])
    append_row(ws, ["项目", "要求", "名单现有", "名单是否符合", "最不利选举结果", "最不利时是否符合", "可能落选人数"])
    for cell in ws[3]:
        cell.font = Font(bold=True)
    for r in report.rows:
        append_row(ws, [r.label, r.bound, r.actual, "符合" if r.as_is_ok else "不符合", r.worst,
                   "符合" if r.worst_ok else "不符合", r.could_lose])
    append_row(ws, [])
    append_row(ws, ["任何选举结果都符合" if report.safe else "存在不符合要求的选举结果"])
    append_row(ws, ["存在符合全部要求的选举结果" if report.feasible else f"无法同时满足：{report.message}"])
    for s in report.suggestions:
        append_row(ws, [s])
    for col, width in zip("ABCDEFG", (16, 18, 10, 12, 14, 16, 12)):
        ws.column_dimensions[col].width = width
    for row in ws.iter_rows(min_row=3):
        for cell in row:
            cell.alignment = Alignment(vertical="center", wrap_text=True)
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def render_report_docx(report: ComplianceReport, today: date, signer: str = "选举工作领导小组办公室") -> bytes:
    from election.documents.gbt9704 import OfficialDocument, fit_columns

    doc = OfficialDocument(title=f"{report.step_label}结构比例情况")
    doc.title(f"{report.election_title}\n{report.step_label}结构比例情况")
    doc.paragraph(f"应选代表{report.seats}名，现有{report.step_label}{report.candidates}名。年龄按"
                  f"{report.reference.year}年{report.reference.month}月{report.reference.day}日计算。")
    columns = ["项目", "要求", "名单现有", "最不利结果", "结论"]
    rows = [[r.label, r.bound, str(r.actual), str(r.worst),
             "符合" if r.as_is_ok and r.worst_ok else ("名单符合，选举结果可能不符合" if r.as_is_ok else "不符合")]
            for r in report.rows]
    doc.heading1("一、各项结构要求")       # the heading, then its table (kept with it: keepNext)
    doc.data_table(columns, rows, widths_mm=fit_columns(columns, rows, doc.text_width_mm))
    doc.heading1("二、结论")
    doc.paragraph("无论选举结果如何，各项结构要求均能满足。" if report.safe else
                  "部分选举结果可能不满足结构要求，投票前应作说明，引导代表按要求投票。")
    doc.paragraph("存在同时满足全部要求的选举结果。" if report.feasible else f"任何选举结果都无法同时满足全部要求：{report.message}")
    for s in report.suggestions:
        doc.paragraph(s)
    doc.signature(signer, today)
    return doc.to_bytes()

"""Bulk exports that run as background tasks: every 登记表 of a list, all nominees as .xlsx.

Each ``*_work`` function (a job of ``election.tasks.queue.JOBS``) returns the work a worker runs: it reads what it needs
in one or two queries, reports progress while it builds the file, and returns ``(bytes, filename)``.
Names are in 姓氏笔画 order (docs/rules.md §3.4, workflow.common.strokes); 登记表 carry no ID number (docs/rules.md §4).
"""
from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session
from workflow.quotas.rules import age_on

from election.core.clock import today_local
from election.core.exceptions import NotFound, ServiceError
from election.directory.models import ElectionUnit, Unit
from election.documents.filenames import document_filename
from election.elections.facts import STEP_ORDER
from election.elections.models import Election
from election.nominations.models import Nominee
from election.quotas.services import STEP_LABELS
from workflow.common.idcard import mask_id
from workflow.common.strokes import sort_by_name

FORM_TITLES = {"nominated": "推荐人选登记表", "shortlisted": "考察对象登记表",
               "preliminary": "代表候选人初步人选登记表", "confirmed": "代表候选人预备人选登记表"}


@dataclass(frozen=True)
class PersonLine:
    """One person of a list as the print view and the exports show them."""

    id: int
    name: str
    gender: str
    ethnicity: str
    birth_date: date
    native_place: str
    education: str
    party_join_date: date | None
    work_start_date: date | None
    workplace_title: str
    category: str
    unit_name: str
    step: str
    removed_reason: str | None
    id_number: str


def _sorted(election: Election, items, key: Callable):
    settings = election.settings or {}
    return sort_by_name(items, key, pad_single_given_name=bool(settings.get("pad_single_given_name", False)),
                        overrides=settings.get("stroke_overrides") or None)


def people_of_step(session: Session, election: Election, step: str, *, include_removed: bool = False) -> list[PersonLine]:
    """Everyone who reached STEP (推荐人选: submitted lists only), in 姓氏笔画 order; one query."""
    if step not in STEP_ORDER:
        raise NotFound("没有这个名单。")
    query = (select(Nominee, Unit.name).join(ElectionUnit, ElectionUnit.id == Nominee.election_unit_id)
             .join(Unit, Unit.id == ElectionUnit.unit_id)
             .where(Nominee.election_id == election.id, Nominee.step.in_(STEP_ORDER[STEP_ORDER.index(step):])))
    if not include_removed:
        query = query.where(Nominee.removed_reason.is_(None))
    if step == "nominated":
        query = query.where(ElectionUnit.status == "submitted")
    rows = [PersonLine(n.id, n.name, n.gender, n.ethnicity, n.birth_date, n.native_place, n.education,
                       n.party_join_date, n.work_start_date, n.workplace_title, n.category, unit, n.step,
                       n.removed_reason, n.id_number)
            for n, unit in session.execute(query.order_by(Nominee.id)).all()]
    return _sorted(election, rows, key=lambda p: p.name)


def registration_forms_work(election_id: int, step: str, today: date):
    """Work: every 登记表 of the list at STEP in one .docx (each form on its own page)."""
    from election.documents.data import RegistrationFormData
    from election.documents.forms import render_registration_forms
    from election.elections.facts import reference_date
    from election.vetting.services.documents import registration_details

    if step not in STEP_LABELS:
        raise NotFound("没有这个名单。")

    def work(session: Session, task_id: int, report) -> tuple[bytes, str]:
        election = session.get(Election, election_id)
        if election is None:
            raise NotFound("选举不存在。")
        title, ref = election.title, reference_date(election, today)
        people = people_of_step(session, election, step)
        if not people:
            raise ServiceError(f"还没有{STEP_LABELS[step]}，无法生成登记表。")
        report(5, f"共{len(people)}人，正在整理…")
        # the 登记表's own fields (出生地 … 奖惩情况), read in one query beside the list's lines
        details = {n.id: registration_details(n) for n in session.scalars(
            select(Nominee).where(Nominee.id.in_([p.id for p in people])))}
        forms = []
        for i, p in enumerate(people, start=1):
            forms.append(RegistrationFormData(
                title=FORM_TITLES[step], name=p.name, gender=p.gender, ethnicity=p.ethnicity, birth_month=p.birth_date,
                native_place=p.native_place, party_join=p.party_join_date, work_start=p.work_start_date,
                education=p.education, workplace_title=p.workplace_title, category=p.category,
                age=age_on(p.birth_date, ref), recommending_unit=p.unit_name, **details[p.id]))
            if i % 10 == 0 or i == len(people):
                report(5 + 45 * i // len(people), f"已整理{i}/{len(people)}人")
        report(50, "正在生成文档…")
        data = render_registration_forms(forms)
        report(95, "文档已生成，正在保存…")
        return data, document_filename(title, f"{STEP_LABELS[step]}登记表", today, "docx")

    return work


def nominees_xlsx_work(election_id: int, full_id_numbers: bool):
    """Work: every nominee of the election (removed ones too, with the reason) as one .xlsx sheet.

    ID numbers are whole only for the 管理员; FULL_ID_NUMBERS is decided by the caller's permission.
    """

    def work(session: Session, task_id: int, report) -> tuple[bytes, str]:
        from openpyxl import Workbook
        from openpyxl.styles import Font

        from election.core.xlsx_write import append_row

        election = session.get(Election, election_id)
        if election is None:
            raise NotFound("选举不存在。")
        title = election.title
        people = people_of_step(session, election, "nominated", include_removed=True) \
            + _unsubmitted(session, election)
        people = _sorted(election, people, key=lambda p: p.name)
        report(10, f"共{len(people)}人，正在写入表格…")
        wb = Workbook()
        ws = wb.active
        ws.title = "推荐人选"
        header = ["序号", "姓名", "性别", "民族", "出生年月", "籍贯", "学历", "入党时间", "参加工作时间",
                  "工作单位及职务", "身份类别", "推荐单位", "当前环节", "是否在列", "身份证号"]
        append_row(ws, header)
        for cell in ws[1]:
            cell.font = Font(bold=True)
        for i, p in enumerate(people, start=1):
            append_row(ws, [i, p.name, p.gender, p.ethnicity, _month(p.birth_date), p.native_place, p.education,
                       _month(p.party_join_date), _month(p.work_start_date), p.workplace_title, p.category,
                       p.unit_name, STEP_LABELS.get(p.step, p.step), "在列" if not p.removed_reason else
                       f"已退出：{p.removed_reason}", p.id_number if full_id_numbers else mask_id(p.id_number)])
            if i % 50 == 0:
                report(10 + 80 * i // len(people), f"已写入{i}/{len(people)}人")
        for col, width in zip("ABCDEFGHIJKLMNO", (6, 10, 6, 8, 10, 10, 12, 10, 12, 36, 16, 18, 12, 14, 22)):
            ws.column_dimensions[col].width = width
        ws.freeze_panes = "A2"
        ws.print_title_rows = "1:1"     # the header row repeats on every printed page
        buffer = io.BytesIO()
        wb.save(buffer)
        report(95, "表格已生成，正在保存…")
        return buffer.getvalue(), document_filename(title, "推荐人选汇总", today_local(), "xlsx")

    return work


def _unsubmitted(session: Session, election: Election) -> list[PersonLine]:
    rows = session.execute(select(Nominee, Unit.name).join(ElectionUnit, ElectionUnit.id == Nominee.election_unit_id)
                           .join(Unit, Unit.id == ElectionUnit.unit_id)
                           .where(Nominee.election_id == election.id, ElectionUnit.status != "submitted")).all()
    return [PersonLine(n.id, n.name, n.gender, n.ethnicity, n.birth_date, n.native_place, n.education,
                       n.party_join_date, n.work_start_date, n.workplace_title, n.category, f"{unit}（未提交）",
                       n.step, n.removed_reason, n.id_number) for n, unit in rows]


def _month(value: date | None) -> str:
    return f"{value.year}.{value.month:02d}" if value else ""

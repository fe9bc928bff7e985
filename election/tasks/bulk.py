"""Long work for the background runner: the yearly ranking export and big imports.

Each ``*_work`` function (a job of ``election.tasks.queue.JOBS``) returns the work a worker runs. The work runs in a
worker with its own session, so it loads its actor (the task's owner) again and calls the existing use cases — the
rankings are computed by ``election.duties.services.compute_ranking`` and the imports are stored by
``import_delegates`` / ``import_nominee_file``, unchanged: all or nothing, with one audit entry each.
A file refused as a whole (``SheetRejected``: too big, not a workbook …) fails the task with its Chinese reason.
An import's result file is a small workbook: what was stored, or every error by row and column.
"""
from __future__ import annotations

import io
import re
from collections.abc import Iterable
from datetime import date, datetime

from sqlalchemy.orm import Session

from election.accounts.models import User
from election.core.clock import today_local
from election.core.exceptions import NotFound, ServiceError
from election.core.xlsx_write import append_row
from election.documents.filenames import document_filename
from election.tasks.models import BackgroundTask
from election.tasks.runner import Rejected

_SHEET_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")


def _owner(session: Session, task_id: int) -> User:
    task = session.get(BackgroundTask, task_id)
    user = session.get(User, task.owner_id) if task else None
    if user is None:
        raise NotFound("发起任务的用户已不存在。")
    return user


def _sheet_title(label: str, taken: set[str]) -> str:
    """An Excel sheet name: at most 31 characters, none of []:*?/\\, unique in the workbook."""
    base = _SHEET_FORBIDDEN.sub("", label)[:28] or "排名"
    title, n = base, 2
    while title in taken:
        title, n = f"{base[:26]}({n})", n + 1
    taken.add(title)
    return title


def _workbook_bytes(wb) -> bytes:
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


# ---------------------------------------------------------------------------------------------- rankings
def ranking_xlsx_work(year: int, group: str | None, today: date):
    """Work: the year's points ranking as .xlsx — one sheet for GROUP, or one per group the owner may see."""

    def work(session: Session, task_id: int, report) -> tuple[bytes, str, str]:
        from openpyxl import Workbook
        from openpyxl.styles import Font

        from election.duties.services import compute_ranking

        actor = _owner(session, task_id)
        report(2, "正在确定排名范围…")
        first = compute_ranking(session, actor, year, group, 0, today)
        groups = [first.group] if group else [value for value, _label in first.groups]
        wb = Workbook()
        wb.remove(wb.active)
        taken: set[str] = set()
        people = 0
        for i, g in enumerate(groups, start=1):
            view = first if g == first.group else compute_ranking(session, actor, year, g, 0, today)
            ws = wb.create_sheet(_sheet_title(view.group_label, taken))
            append_row(ws, [f"{view.group_label}代表履职积分排名 {view.period_label}"])
            ws["A1"].font = Font(bold=True, size=14)
            append_row(ws, ["名次", "姓名", "党代表工作室", "层级", "积分"])
            for cell in ws[2]:
                cell.font = Font(bold=True)
            for ln in view.lines:
                append_row(ws, [ln.rank_text, ln.name, ln.office, ln.level, ln.points])
            for col, width in zip("ABCDE", (12, 12, 28, 8, 10), strict=True):
                ws.column_dimensions[col].width = width
            ws.print_title_rows = "2:2"   # the header row repeats on every printed page
            people += len(view.lines)
            report(5 + 90 * i // len(groups), f"已完成{i}/{len(groups)}个排名范围（{view.group_label}）")
        scope = first.group_label if group else "全部范围"
        return (_workbook_bytes(wb), document_filename("", f"{year}年度履职积分排名（{scope}）", today, "xlsx"),
                f"已完成：{len(groups)}个排名范围、{people}人次，可以下载。")

    return work


# ---------------------------------------------------------------------------------------------- imports
def _errors_workbook(title: str, errors: Iterable) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    wb = Workbook()
    ws = wb.active
    ws.title = "导入结果"
    append_row(ws, [title])
    ws["A1"].font = Font(bold=True)
    append_row(ws, ["行号", "列名", "问题及改正方法"])
    for e in errors:
        append_row(ws, [e.row, e.column, e.message])
    for col, width in zip("ABC", (8, 16, 80), strict=True):
        ws.column_dimensions[col].width = width
    return _workbook_bytes(wb)


def _stored_workbook(title: str, names: Iterable[str], notes: Iterable[str] = ()) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    wb = Workbook()
    ws = wb.active
    ws.title = "导入结果"
    append_row(ws, [title])
    ws["A1"].font = Font(bold=True)
    for note in notes:
        append_row(ws, [note])
    append_row(ws, ["序号", "姓名"])
    for i, name in enumerate(names, start=1):
        append_row(ws, [i, name])
    ws.column_dimensions["B"].width = 16
    return _workbook_bytes(wb)


def delegate_import_work(data: bytes, now: datetime):
    """Work: import a delegate roll (.xlsx) with import_delegates — every row or none."""

    def work(session: Session, task_id: int, report) -> tuple[bytes, str, str] | Rejected:
        from election.duties.services import import_delegates

        actor = _owner(session, task_id)
        report(10, "正在逐行检查代表名册…")
        result = import_delegates(session, actor, data, now)
        report(90, "检查完成，正在生成结果…")
        if not result.ok:
            return Rejected(_errors_workbook(f"发现{len(result.errors)}处错误，未导入任何数据", result.errors),
                            document_filename("", "代表名册导入结果（错误清单）", today_local(), "xlsx"),
                            f"发现{len(result.errors)}处错误，未导入任何数据。请下载结果查看逐行说明，改正后重新导入。")
        return (_stored_workbook(f"已导入{len(result.rows)}名代表", [r.name for r in result.rows]),
                document_filename("", "代表名册导入结果", today_local(), "xlsx"), f"已导入{len(result.rows)}名代表。")

    return work


def nominee_import_work(election_unit_id: int, data: bytes, today: date, now: datetime):
    """Work: a unit's big nominee upload with import_nominee_file — it replaces the list, or stores nothing."""

    def work(session: Session, task_id: int, report) -> tuple[bytes, str, str] | Rejected:
        from election.nominations.services import import_nominee_file

        actor = _owner(session, task_id)
        report(10, "正在逐行检查推荐人选名单…")
        outcome = import_nominee_file(session, actor, election_unit_id, data, today, now)
        report(90, "检查完成，正在生成结果…")
        if outcome.refusal:  # the file itself was refused (too big, not .xlsx …): the task fails with the reason
            raise ServiceError(f"文件未被接受，名单未保存：{outcome.refusal}")
        if not outcome.ok:
            return Rejected(_errors_workbook(f"发现{len(outcome.errors)}处错误，名单未保存", outcome.errors),
                            document_filename("", "推荐人选名单上传结果（错误清单）", today, "xlsx"),
                            f"发现{len(outcome.errors)}处错误，名单未保存。请下载结果查看逐行说明，改正后重新上传。")
        return (_stored_workbook(f"上传成功：已保存{outcome.stored_count}名推荐人选（已替换原名单）", (),
                                 outcome.notes),
                document_filename("", "推荐人选名单上传结果", today, "xlsx"), f"上传成功：已保存{outcome.stored_count}名推荐人选（已替换原名单）。")

    return work

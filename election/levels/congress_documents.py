"""The upper committee's own documents: the 汇总名册 of all 选举单位 (.docx GB/T 9704 and .xlsx) and the
结构情况报告 (.docx), from the overview service's plain data (election.levels.services.overview)."""
from __future__ import annotations

import datetime as dt
import io
from collections.abc import Sequence

from election.documents import gbt9704 as g
from election.documents.data import RosterData
from election.documents.rosters import render_roster
from workflow.common.dates import cn_date
from workflow.levels.congress import Status

ROSTER_COLUMNS = ("序号", "姓名", "性别", "民族", "出生年月", "身份类别", "工作单位及职务", "选举单位", "名单")
STATUS_WORDS = {Status.safe: "稳妥", Status.feasible: "可行，但最不利时不符合", Status.infeasible: "不可行"}


def _roster_cells(rows) -> list[tuple[str, ...]]:
    return [(str(i), g.format_name_cell(r.name), r.gender, r.ethnicity, g.format_month_table(r.birth_date),
             r.category, r.workplace_title, r.unit_name, r.list_label) for i, r in enumerate(rows, start=1)]


def render_roster_docx(title: str, rows: Sequence, today: dt.date, signer: str) -> bytes:
    """汇总名册: one table of everyone on the 选举单位' current lists, 姓氏笔画 order, the 选举单位 column."""
    data = RosterData(title=f"{title}汇总名册", columns=ROSTER_COLUMNS, rows=tuple(_roster_cells(rows)),
                      note="按姓氏笔画排序", subtitle=f"（共{len(rows)}名）", signature=signer, date=today,
                      for_posting=False)
    return render_roster(data)


def render_roster_xlsx(title: str, rows: Sequence, today: dt.date) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    from election.core.xlsx_write import append_row

    wb = Workbook()
    ws = wb.active
    ws.title = "汇总名册"
    append_row(ws, [f"{title}汇总名册"])
    ws["A1"].font = Font(bold=True, size=14)
    append_row(ws, [f"共{len(rows)}名，按姓氏笔画排序，{cn_date(today)}导出"])
    append_row(ws, list(ROSTER_COLUMNS))
    for cell in ws[3]:
        cell.font = Font(bold=True)
    for i, r in enumerate(rows, start=1):
        append_row(ws, [i, r.name, r.gender, r.ethnicity, r.birth_date.strftime("%Y.%m") if r.birth_date else "",
                        r.category, r.workplace_title, r.unit_name, r.list_label])
    for col, width in zip("ABCDEFGHI", (6, 10, 6, 8, 10, 14, 32, 16, 16)):
        ws.column_dimensions[col].width = width
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def _unit_line(row) -> str:
    """One 选举单位 in the report: its seats, where it stands, lateness and packages waiting."""
    seats = f"名额{row.seats}名" + (f"（另有上级提名{row.higher_seats}名）" if row.higher_seats else "")
    if row.election_id is None:
        where = "尚未建立选举"
    elif row.standing == "elected":
        where = f"已完成选举，当选{row.listed}名"
    elif row.standing == "none":
        where = f"处于“{row.stage_label}”阶段，尚未确定考察对象"
    else:
        where = f"处于“{row.stage_label}”阶段，现有{row.standing_label}{row.listed}名"
    parts = [seats, where]
    if row.days_late:
        parts.append(f"已超过本阶段截止日期{row.days_late}天")
    if row.waiting:
        parts.append("有" + "、".join(f"{w.kind_label}事项" for w in row.waiting) + "待审核")
    if row.own is not None:
        parts.append("本单位结构要求：" + ("任何选举结果均能满足" if row.own.safe else
                                      "存在满足的选举结果，但最不利时不满足" if row.own.feasible else "无法满足"))
    return f"{row.name}：" + "，".join(parts) + "。"


def render_structure_docx(view, signer: str) -> bytes:
    """结构情况报告: the congress-wide requirement table, where each 选举单位 stands, what needs attention."""
    congress, structure = view.congress, view.structure
    doc = g.OfficialDocument(title="结构情况报告")
    doc.title(f"{congress.title}\n结构情况报告")
    n_units = len(view.rows)
    done = sum(1 for r in view.rows if r.standing == "elected")
    doc.paragraph(f"本次选举代表名额共{congress.seats}名，分配至{n_units}个选举单位，已分配{view.seats_allocated}名。"
                  f"截至{cn_date(view.today)}，已有{done}个选举单位完成选举。现将代表结构情况报告如下。")
    doc.heading1("一、全市代表结构总体情况")
    if structure is None:
        doc.paragraph("本次选举未设置全市结构要求。" + (f"（{view.rule_error}）" if view.rule_error else ""))
    else:
        doc.paragraph(f"以下按全部{congress.seats}名代表名额计算；已完成选举的单位按当选结果计，其余按现有名单计算"
                      f"可能的最少和最多人数，尚无名单的名额按未定计。年龄计算基准日为{cn_date(view.reference)}。")
        columns = ["项目", "要求", "名单现有", "最不利", "最有利", "结论"]
        rows = [[r.label, r.bound, str(r.as_is), str(r.worst), str(r.best), STATUS_WORDS[r.status]]
                for r in structure.requirements]
        doc.data_table(columns, rows, widths_mm=g.fit_columns(columns, rows, doc.text_width_mm))
        if structure.joint.feasible:
            doc.paragraph("综合各选举单位情况，存在同时满足全部结构要求的选举结果。")
        else:
            doc.paragraph(f"综合各选举单位情况，{structure.joint.message}。")
        for note in structure.notes:
            doc.paragraph(f"{note}。")
    doc.heading1("二、各选举单位进展情况")
    for row in view.rows:
        doc.paragraph(_unit_line(row))
    doc.heading1("三、需要关注的问题")
    concerns = [r.message for r in structure.requirements if r.status is not Status.safe] if structure else []
    if view.late:
        concerns.append("、".join(r.name for r in view.late) + "进度滞后，请督促其按时间节点推进")
    if concerns:
        for text in concerns:
            doc.paragraph(f"{text}。")
    else:
        doc.paragraph("各项结构要求在任何选举结果下均能满足，各选举单位均按时间节点推进。")
    doc.signature(signer, view.today)
    return doc.to_bytes()

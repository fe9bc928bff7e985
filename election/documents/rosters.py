"""名册: 推荐人选名册, 考察对象名册, 初步人选名册, 预备人选名册, 当选代表名册 (docs/rules.md §2, §4).

A roster is a title, an optional subtitle and ordering note, and one table whose header row repeats on each
page and whose rows never split across pages. Names stay in the order given (the caller sorts by 姓氏笔画).
Wide rosters (a cell wrapping onto three lines on the portrait line) are printed landscape with the same GB/T
9704 margins.
"""
from __future__ import annotations

from collections.abc import Sequence

from election.documents import gbt9704 as g
from election.documents.data import PersonRow, RosterData
from election.documents.notices import person_cells

STANDARD_COLUMNS = ("姓名", "性别", "民族", "出生年月", "籍贯", "学历", "入党时间", "工作单位及职务")
_LEFT_ALIGNED = ("工作单位及职务", "工作单位", "推荐单位", "备注")   # free text reads from the left
_MAX_PORTRAIT_LINES = 2                 # a row of three or more lines: turn the page


def roster_from_people(
    title: str,
    people: Sequence[PersonRow],
    *,
    note: str = "按姓氏笔画排序",
    subtitle: str | None = None,
    with_category: bool | None = None,
    numbered: bool = True,
    pad_single_given_name: bool = False,
    extra_columns: Sequence[str] = (),
    extra_values: Sequence[Sequence[str]] = (),
    for_posting: bool = True,
) -> RosterData:
    """RosterData with the standard person columns (序号 first, 身份类别 last when any person has one).

    ``extra_columns``/``extra_values`` append columns such as 推荐单位 or 得票数 (one tuple per person).
    """
    if with_category is None:
        with_category = any(p.category for p in people)
    columns = (("序号",) if numbered else ()) + STANDARD_COLUMNS + (("身份类别",) if with_category else ())
    columns += tuple(extra_columns)
    if extra_columns and len(extra_values) != len(people):
        raise ValueError("extra_values 须与人员一一对应")
    rows = []
    for i, p in enumerate(people):
        cells = person_cells(p, with_category=with_category, pad_single_given_name=pad_single_given_name)
        if numbered:
            cells = (str(i + 1),) + cells
        if extra_columns:
            cells += tuple(extra_values[i])
        rows.append(cells)
    return RosterData(
        title=title, columns=columns, rows=tuple(rows), note=note,
        subtitle=f"（共{len(people)}名）" if subtitle is None else subtitle, for_posting=for_posting,
    )


def column_widths(data: RosterData, text_width_mm: float) -> list[float]:
    """Widths sized by the text (gbt9704.fit_columns): names and dates on one line, 工作单位及职务 the rest."""
    return g.fit_columns(data.columns, data.rows, text_width_mm)


def needs_landscape(data: RosterData) -> bool:
    """Landscape when, on the portrait line, some cell would wrap onto more than two lines."""
    if data.landscape is not None:
        return data.landscape
    portrait = column_widths(data, g.TEXT_WIDTH_MM)
    return g.wrapped_lines(data.columns, data.rows, portrait) > _MAX_PORTRAIT_LINES


def render_roster(data: RosterData) -> bytes:
    """The .docx of a 名册. Posting rosters (``for_posting``) are refused if a cell holds an ID number."""
    doc = g.OfficialDocument(title=data.title, landscape=needs_landscape(data))
    widths = list(data.widths_mm) if data.widths_mm else column_widths(data, doc.text_width_mm)
    aligns = ["left" if c in _LEFT_ALIGNED else "center" for c in data.columns]
    doc.title(data.title)
    if data.subtitle:
        doc.subtitle(data.subtitle)
    if data.note:
        note = data.note if "（" in data.note else f"（{data.note}）"
        doc.subtitle(note)
    doc.data_table(data.columns, data.rows, widths, aligns=aligns)
    if data.signature and data.date:
        doc.signature(data.signature, data.date)
    return doc.to_bytes(posting=data.for_posting)

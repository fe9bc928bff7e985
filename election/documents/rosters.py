"""名册: 推荐人选名册, 考察对象名册, 初步人选名册, 预备人选名册, 当选代表名册 (docs/rules.md §2, §4).

A roster is a title, an optional subtitle and ordering note, and one table whose header row repeats on each
page and whose rows never split across pages. Names stay in the order given (the caller sorts by 姓氏笔画).
Wide rosters are printed landscape with the same GB/T 9704 margins.
"""
from __future__ import annotations

from collections.abc import Sequence

from election.documents import gbt9704 as g
from election.documents.data import PersonRow, RosterData
from election.documents.notices import person_cells

STANDARD_COLUMNS = ("姓名", "性别", "民族", "出生年月", "籍贯", "学历", "入党时间", "工作单位及职务")
FLEXIBLE_COLUMNS = ("工作单位及职务", "工作单位", "推荐单位", "备注")
_CHAR_MM = (12 - 0.25) * 25.4 / 72     # one 小四 character with the −0.25 pt spacing
_PAD_MM = 2.4                           # cell padding (1 mm a side) and a little slack
_MIN_FLEXIBLE_MM = 40                   # below this the unit column wraps to 3–4 lines: turn the page


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


def _flexible_index(columns: Sequence[str], natural: Sequence[float]) -> int:
    for name in FLEXIBLE_COLUMNS:
        if name in columns:
            return list(columns).index(name)
    return max(range(len(columns)), key=lambda i: natural[i])


def _natural_widths(data: RosterData) -> list[float]:
    """Natural width (mm) of each column from its longest cell; a four-character header may wrap onto two
    lines ("出生/年月")."""
    n = len(data.columns)
    longest = [min(g.text_width_chars(c), 2.0) for c in data.columns]
    for row in data.rows:
        for i, value in enumerate(row[:n]):
            w = g.text_width_chars(value, 0.55)
            longest[i] = max(longest[i], w)
    return [min(w * _CHAR_MM + _PAD_MM, 60.0) for w in longest]


def column_widths(data: RosterData, text_width_mm: float, natural: list[float] | None = None) -> list[float]:
    """Widths that fill the line: the unit column takes what the others leave and wraps."""
    natural = natural or _natural_widths(data)
    return g.fit_widths(natural, text_width_mm, _flexible_index(data.columns, natural))


def needs_landscape(data: RosterData, natural: list[float] | None = None) -> bool:
    """Landscape when the fixed columns leave less than 40 mm of the portrait line for the unit column."""
    if data.landscape is not None:
        return data.landscape
    natural = natural or _natural_widths(data)
    flexible = _flexible_index(data.columns, natural)
    fixed = sum(w for i, w in enumerate(natural) if i != flexible)
    return fixed + _MIN_FLEXIBLE_MM > g.TEXT_WIDTH_MM


def render_roster(data: RosterData) -> bytes:
    """The .docx of a 名册. Posting rosters (``for_posting``) are refused if a cell holds an ID number."""
    natural = None if data.widths_mm and data.landscape is not None else _natural_widths(data)
    doc = g.OfficialDocument(title=data.title, landscape=needs_landscape(data, natural))
    widths = list(data.widths_mm) if data.widths_mm else column_widths(data, doc.text_width_mm, natural)
    flexible = _flexible_index(data.columns, widths)
    aligns = ["left" if i == flexible else "center" for i in range(len(data.columns))]
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

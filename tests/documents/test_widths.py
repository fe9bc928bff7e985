"""Column widths sized by content (gbt9704.fit_columns): names and dates on one line, the free text sharing the
rest, 工作单位及职务 taking the remainder, never below its header; the same widths in w:gridCol and w:tcW."""
from __future__ import annotations

import pytest
from docx.oxml.ns import qn

from election.documents import gbt9704 as g
from election.documents.notices import NOTICE_COLUMNS, render_publicity_notice
from election.documents.rosters import render_roster, roster_from_people
from tests.documents.conftest import make_notice, make_people, open_docx

LONG_POST = "XX区XX街道党工委副书记、办事处主任"


def _chars(width_mm: float) -> float:
    """Characters that fit on one line of a 小四 cell of this width."""
    return (width_mm - g.CELL_PAD_MM) / g.char_mm()


def _row(name: str, post: str = LONG_POST, unit: str | None = None) -> tuple[str, ...]:
    cells = (name, "男", "汉族", "1975.03", "山东济南", "大学本科", "1998.07", post)
    return cells + ((unit,) if unit is not None else ())


def test_widths_fill_the_line_and_keep_four_character_names_and_dates_whole():
    widths = g.fit_columns(NOTICE_COLUMNS, [_row("于海涛"), _row("欧阳少东")], g.TEXT_WIDTH_MM)
    assert sum(widths) == pytest.approx(g.TEXT_WIDTH_MM)
    assert _chars(widths[0]) >= 4                               # 姓名
    for i in (3, 6):                                             # 出生年月, 入党时间 "1975.03"
        assert _chars(widths[i]) >= g.text_width_chars("1975.03", 0.55)
    assert widths[7] == max(widths)                              # 工作单位及职务 takes the rest


def test_a_three_character_name_column_still_holds_four_characters():
    widths = g.fit_columns(("姓名", "工作单位及职务"), [("于海涛", "区教育局")], g.TEXT_WIDTH_MM)
    assert _chars(widths[0]) >= 4


def test_a_long_name_widens_its_column():
    widths = g.fit_columns(NOTICE_COLUMNS, [_row("买买提·艾力")], g.TEXT_WIDTH_MM)
    assert _chars(widths[0]) >= g.text_width_chars("买买提·艾力", 0.55)


def test_unit_column_no_longer_starves_the_post_column():
    """The complaint: 推荐单位 5.6 cm and 工作单位及职务 2.4 cm. Now they share by content, the post wider."""
    columns = NOTICE_COLUMNS + ("推荐单位",)
    rows = [_row("于海涛", unit="区科技园区党工委")]
    for total in (g.TEXT_WIDTH_MM, g.LANDSCAPE_TEXT_WIDTH_MM):
        widths = g.fit_columns(columns, rows, total)
        assert widths[7] > widths[8]
        assert _chars(widths[7]) >= g.text_width_chars("工作单位及职务")     # its header on one line
        assert _chars(widths[0]) >= 4
    landscape = g.fit_columns(columns, rows, g.LANDSCAPE_TEXT_WIDTH_MM)
    assert g.wrapped_lines(columns, rows, landscape) == 1


def test_header_is_never_narrower_than_it_needs_on_two_lines():
    widths = g.fit_columns(("序号", "姓名", "出生年月", "工作单位及职务"), [("1", "丁一", "1975.03", "区委")], 156)
    assert _chars(widths[2]) >= 2 and _chars(widths[0]) >= 2


def test_short_columns_share_spare_width_when_nothing_wraps():
    widths = g.fit_columns(("项目", "人数", "占比"), [("女性", "8名", "38.1%")], g.TEXT_WIDTH_MM)
    assert sum(widths) == pytest.approx(g.TEXT_WIDTH_MM)
    assert min(widths) > 40


def test_fixed_columns_keep_their_width():
    widths = g.fit_columns(("姓名", "照片"), [("丁一", "")], 100, fixed_mm={1: 30})
    assert widths[1] == 30 and widths[0] == pytest.approx(70)


def test_overflowing_minimums_are_scaled_to_the_line():
    columns = tuple(f"项目{i}" for i in range(12))
    widths = g.fit_columns(columns, [tuple("长长长长长长长长" for _ in columns)], 100)
    assert sum(widths) == pytest.approx(100)


def test_notice_of_nine_columns_keeps_names_whole_and_wraps_at_most_three_lines():
    data = make_notice(8, people=make_people(8, with_category=True))
    doc = open_docx(render_publicity_notice(data))
    grid = [int(c.get(qn("w:w"))) for c in doc.element.body.find(qn("w:tbl")).iter(qn("w:gridCol"))]
    widths = [w / 1440 * 25.4 for w in grid]
    assert _chars(widths[0]) >= 4 - 0.01                          # twips rounding
    rows = [cells for cells in (r[:9] for r in _table_texts(doc))]
    assert g.wrapped_lines(NOTICE_COLUMNS + ("身份类别",), rows, widths) <= 3


def _table_texts(doc) -> list[tuple[str, ...]]:
    tbl = doc.element.body.find(qn("w:tbl"))
    return [tuple("".join(t.text or "" for t in tc.iter(qn("w:t"))) for tc in tr.findall(qn("w:tc")))
            for tr in tbl.findall(qn("w:tr"))[1:]]


@pytest.mark.parametrize("builder", ["roster", "notice"])
def test_table_layout_fixed_and_cell_widths_match_the_grid(builder):
    if builder == "roster":
        data = render_roster(roster_from_people("推荐人选名册", make_people(5), extra_columns=("推荐单位",),
                                                extra_values=[("区科技园区党工委",)] * 5))
    else:
        data = render_publicity_notice(make_notice(5))
    tbl = open_docx(data).element.body.find(qn("w:tbl"))
    assert tbl.find(qn("w:tblPr")).find(qn("w:tblLayout")).get(qn("w:type")) == "fixed"
    grid = [c.get(qn("w:w")) for c in tbl.iter(qn("w:gridCol"))]
    total = tbl.find(qn("w:tblPr")).find(qn("w:tblW")).get(qn("w:w"))
    assert sum(map(int, grid)) == int(total)
    for tr in tbl.findall(qn("w:tr")):
        assert [tc.find(qn("w:tcPr")).find(qn("w:tcW")).get(qn("w:w")) for tc in tr.findall(qn("w:tc"))] == grid


def test_roster_with_unit_column_turns_landscape_rather_than_wrap_three_lines():
    people = make_people(6)
    data = roster_from_people("推荐人选名册", people, extra_columns=("推荐单位",),
                              extra_values=[("区科技园区党工委",)] * len(people))
    section = open_docx(render_roster(data)).sections[0]
    assert section.page_width > section.page_height

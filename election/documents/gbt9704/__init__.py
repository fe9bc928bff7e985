"""The GB/T 9704—2012 page, in one place: paper, margins, grid, fonts, spacing, page numbers, headings, tables.

Every renderer builds its document through :class:`OfficialDocument`; nothing else sets a font or a margin.
Settings (来源: docs/rules.md §4; GB/T 9704—2012):

- A4 210×297 mm; margins top 37, bottom 35, left 28, right 26 mm (text block 156×225 mm).
- 22 lines × 28 characters: ``docGrid type="lines" linePitch="579"`` and the Normal style at 三号 (16 pt),
  single line spacing, no space before/after, −0.25 pt character spacing (28 × 15.75 pt = 441 pt ≤ 442 pt).
- Body 3号 仿宋_GB2312; title 2号 方正小标宋简体, centred, off the grid (``snapToGrid=0``) with an exact
  32 pt line; headings "一、" 3号黑体 and "（一）" 3号楷体_GB2312, both indented two characters.
- Every run names its East-Asian font (``w:eastAsia``) next to the Latin one, as do the document defaults
  and the Normal style, with ``<w:lang w:eastAsia="zh-CN"/>``; theme fonts are removed so they cannot win.
- Page numbers 4号 半角宋体 "— 1 —" (a PAGE field) in the footer, GB/T 9704 §7.5: odd pages on the right
  and even pages on the left, each one character in from the text edge (``evenAndOddHeaders``).
  The footer sits 25 mm above the paper edge, i.e. the number line about 7 mm under the text block.
- Column widths from the text they hold (``fit_columns``): names (four characters) and dates on one line, the
  free text sharing the rest, 工作单位及职务 taking the remainder.
- Tables: 小四 (12 pt) 仿宋_GB2312 cells on exact 14 pt lines, header row 小四 黑体, 0.5 pt single borders, fixed layout,
  1 mm cell padding, cells off the grid; rows never split across pages and the header row repeats.
- Dates: running text "2026年3月1日" / "1975年3月" (no leading zeros, GB/T 9704 §7.3.5.3); table cells
  "1975.03" (the 年.月 form of cadre forms), used in every table the same way.

Tables are written as XML text and parsed once (python-docx cell access is slow): a 2,000-row roster
takes a fraction of the time of a plain python-docx table (bench/bench_roster.py).

The parts: ``page`` (typefaces, sizes, paper, margins, grid), ``text`` (dates, names, widths, ID numbers),
``wordml`` (runs and paragraphs as XML), ``tables`` and ``document`` (``OfficialDocument``). Renderers use
this package as one namespace (``from election.documents import gbt9704 as g``); it re-exports each part's
public names.
"""
from election.documents.gbt9704.document import OfficialDocument
from election.documents.gbt9704.page import (
    BODY_CHAR_TWIPS,
    CHAR_SPACING_TWENTIETHS,
    FANGSONG,
    FOOTER_DISTANCE_MM,
    HEITI,
    KAITI,
    LANDSCAPE_TEXT_WIDTH_MM,
    LINE_PITCH_TWIPS,
    MARGIN_BOTTOM_MM,
    MARGIN_LEFT_MM,
    MARGIN_RIGHT_MM,
    MARGIN_TOP_MM,
    PAGE_HEIGHT_MM,
    PAGE_WIDTH_MM,
    SIZE_2,
    SIZE_3,
    SIZE_4,
    SIZE_SMALL_2,
    SIZE_SMALL_4,
    SONGTI,
    TEXT_WIDTH_MM,
    TITLE_LINE_TWIPS,
    XIAOBIAOSONG,
)
from election.documents.gbt9704.tables import (
    CELL_PAD_MM,
    TABLE_LINE_RATIO,
    Cell,
    Row,
    cell_need_mm,
    char_mm,
    data_table_xml,
    fit_columns,
    grid_table_xml,
    wrapped_lines,
)
from election.documents.gbt9704.text import (
    find_id_numbers,
    format_date_cn,
    format_month_cn,
    format_month_table,
    format_name_cell,
    format_period_cn,
    text_width_chars,
)
from election.documents.gbt9704.wordml import para_props_xml, paragraph_xml, run_props_xml, run_xml

__all__ = [
    # page
    "FANGSONG", "XIAOBIAOSONG", "HEITI", "KAITI", "SONGTI",
    "SIZE_2", "SIZE_SMALL_2", "SIZE_3", "SIZE_4", "SIZE_SMALL_4",
    "PAGE_WIDTH_MM", "PAGE_HEIGHT_MM", "MARGIN_TOP_MM", "MARGIN_BOTTOM_MM", "MARGIN_LEFT_MM", "MARGIN_RIGHT_MM",
    "FOOTER_DISTANCE_MM", "LINE_PITCH_TWIPS", "CHAR_SPACING_TWENTIETHS", "TITLE_LINE_TWIPS", "BODY_CHAR_TWIPS",
    "TEXT_WIDTH_MM", "LANDSCAPE_TEXT_WIDTH_MM",
    # text
    "format_date_cn", "format_month_cn", "format_month_table", "format_period_cn", "format_name_cell",
    "text_width_chars", "find_id_numbers",
    # wordml
    "run_props_xml", "run_xml", "para_props_xml", "paragraph_xml",
    # tables
    "Cell", "Row", "TABLE_LINE_RATIO", "CELL_PAD_MM", "data_table_xml", "grid_table_xml", "fit_columns", "cell_need_mm", "char_mm",
    "wrapped_lines",
    # document
    "OfficialDocument",
]

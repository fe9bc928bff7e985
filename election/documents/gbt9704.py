"""The GB/T 9704—2012 page, in one place: paper, margins, grid, fonts, spacing, page numbers, headings, tables.

Every renderer builds its document through :class:`OfficialDocument`; nothing else sets a font or a margin.
Settings (来源: domain.md §4, tooling.md "Documents"):

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
- Tables: 小四 (12 pt) 仿宋_GB2312 cells on exact 14 pt lines, header row 小四 黑体, 0.5 pt single borders, fixed layout,
  1 mm cell padding, cells off the grid; rows never split across pages and the header row repeats.
- Dates: running text "2026年3月1日" / "1975年3月" (no leading zeros, GB/T 9704 §7.3.5.3); table cells
  "1975.03" (the 年.月 form of cadre forms), used in every table the same way.

Tables are written as XML text and parsed once (python-docx cell access is slow): a 2,000-row roster
takes a fraction of the time of a plain python-docx table (bench/bench_roster.py).
"""
from __future__ import annotations

import datetime as dt
import io
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from xml.sax.saxutils import escape

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Mm

from workflow.common.results import DomainError

# ---------------------------------------------------------------------------------------------- fonts, sizes
FANGSONG = "仿宋_GB2312"
XIAOBIAOSONG = "方正小标宋简体"
HEITI = "黑体"
KAITI = "楷体_GB2312"
SONGTI = "宋体"

# Sizes in half-points, as WordprocessingML stores them.
SIZE_2 = 44        # 二号 22 pt: title
SIZE_SMALL_2 = 36  # 小二 18 pt
SIZE_3 = 32        # 三号 16 pt: body, headings
SIZE_4 = 28        # 四号 14 pt: page numbers, ballot instructions
SIZE_SMALL_4 = 24  # 小四 12 pt: table text

# ---------------------------------------------------------------------------------------------- page
PAGE_WIDTH_MM = 210
PAGE_HEIGHT_MM = 297
MARGIN_TOP_MM = 37
MARGIN_BOTTOM_MM = 35
MARGIN_LEFT_MM = 28
MARGIN_RIGHT_MM = 26
FOOTER_DISTANCE_MM = 25
LINE_PITCH_TWIPS = 579          # 22 lines in 225 mm; 580 gives 21 in LibreOffice (tooling.md)
CHAR_SPACING_TWENTIETHS = -5    # −0.25 pt, so 28 characters fit the 156 mm line
TITLE_LINE_TWIPS = 640          # exact 32 pt lines for the 2号 title
BODY_CHAR_TWIPS = 320           # one 三号 character (16 pt) for indents
TEXT_WIDTH_MM = PAGE_WIDTH_MM - MARGIN_LEFT_MM - MARGIN_RIGHT_MM   # 156
LANDSCAPE_TEXT_WIDTH_MM = PAGE_HEIGHT_MM - MARGIN_LEFT_MM - MARGIN_RIGHT_MM  # 243

_W = nsdecls("w")
_ID_NUMBER = re.compile(r"(?<![0-9A-Za-z])[1-9]\d{16}[\dXx](?![0-9A-Za-z])")
_XML_BAD = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


# ---------------------------------------------------------------------------------------------- dates
def format_date_cn(d: dt.date) -> str:
    """2026年3月1日 — Arabic numerals, no leading zeros (来源: GB/T 9704—2012 §7.3.5.3, domain.md §4)."""
    return f"{d.year}年{d.month}月{d.day}日"


def format_month_cn(d: dt.date) -> str:
    """1975年3月 — a month in running text."""
    return f"{d.year}年{d.month}月"


def format_month_table(d: dt.date | None) -> str:
    """1975.03 — a month in a table cell (the 年.月 form of cadre forms); empty for None."""
    return "" if d is None else f"{d.year}.{d.month:02d}"


def format_period_cn(start: dt.date, end: dt.date) -> str:
    """2026年3月2日至3月6日; the end keeps its year only when the period crosses a new year."""
    end_text = format_date_cn(end) if end.year != start.year else f"{end.month}月{end.day}日"
    return f"{format_date_cn(start)}至{end_text}"


def format_name_cell(name: str, pad_single_given_name: bool = False) -> str:
    """王宁 → 王　宁 when the election prints two-character names with an empty slot (domain.md §3.4)."""
    if pad_single_given_name and len(name) == 2:
        return f"{name[0]}\u3000{name[1]}"
    return name


def text_width_chars(text: str, narrow: float = 0.5) -> float:
    """Printed width in full-width characters: ASCII digits and letters count ``narrow`` (half in 仿宋_GB2312;
    tables pass 0.6 so a substitute font with wider digits does not wrap "2000.07")."""
    if text.isascii():
        return narrow * len(text)
    wide = sum(1 for ch in text if ch >= "\u2e80")
    return wide + narrow * (len(text) - wide)


def find_id_numbers(text: str) -> list[str]:
    """Every 18-character resident ID number pattern in ``text`` (来源: domain.md §3.5, tooling.md)."""
    return _ID_NUMBER.findall(text)


# ---------------------------------------------------------------------------------------------- XML pieces
def _clean(text: str) -> str:
    return escape(_XML_BAD.sub("", text))


def _mm_to_twips(mm: float) -> int:
    return round(mm * 1440 / 25.4)


def run_props_xml(font: str = FANGSONG, size: int = SIZE_3, bold: bool = False) -> str:
    """``<w:rPr>`` naming ``font`` for Latin AND East-Asian text, with the zh-CN language tag."""
    return (
        f'<w:rPr><w:rFonts w:ascii="{font}" w:hAnsi="{font}" w:eastAsia="{font}" w:cs="{font}" w:hint="eastAsia"/>'
        + ("<w:b/><w:bCs/>" if bold else "")
        + f'<w:sz w:val="{size}"/><w:szCs w:val="{size}"/><w:lang w:val="en-US" w:eastAsia="zh-CN"/></w:rPr>'
    )


def run_xml(text: str, font: str = FANGSONG, size: int = SIZE_3, bold: bool = False) -> str:
    """One run; "\\n" in ``text`` becomes a line break inside the paragraph."""
    rpr = run_props_xml(font, size, bold)
    parts = [f'<w:t xml:space="preserve">{_clean(line)}</w:t>' for line in text.split("\n")]
    return f"<w:r>{rpr}{'<w:br/>'.join(parts)}</w:r>"


def para_props_xml(
    *,
    align: str = "both",
    first_line_chars: int = 0,
    left_chars: float = 0,
    right_chars: float = 0,
    hanging_chars: float = 0,
    snap: bool = True,
    line_exact_twips: int | None = None,
    before_twips: int = 0,
    after_twips: int = 0,
    keep_next: bool = False,
    page_break_before: bool = False,
    char_twips: int = BODY_CHAR_TWIPS,
) -> str:
    """``<w:pPr>`` in schema order. Indents are in characters (``*Chars`` for Word, twips for others)."""
    out = ["<w:pPr>"]
    if keep_next:
        out.append("<w:keepNext/>")
    if page_break_before:
        out.append("<w:pageBreakBefore/>")
    if not snap:
        out.append('<w:snapToGrid w:val="0"/>')
    if line_exact_twips:
        out.append(f'<w:spacing w:before="{before_twips}" w:after="{after_twips}" '
                   f'w:line="{line_exact_twips}" w:lineRule="exact"/>')
    elif before_twips or after_twips:
        out.append(f'<w:spacing w:before="{before_twips}" w:after="{after_twips}"/>')
    ind = []
    if left_chars:
        ind.append(f'w:leftChars="{round(left_chars * 100)}" w:left="{round(left_chars * char_twips)}"')
    if right_chars:
        ind.append(f'w:rightChars="{round(right_chars * 100)}" w:right="{round(right_chars * char_twips)}"')
    if first_line_chars:
        ind.append(f'w:firstLineChars="{first_line_chars * 100}" w:firstLine="{first_line_chars * char_twips}"')
    if hanging_chars:
        ind.append(f'w:hangingChars="{round(hanging_chars * 100)}" w:hanging="{round(hanging_chars * char_twips)}"')
    if ind:
        out.append(f"<w:ind {' '.join(ind)}/>")
    out.append(f'<w:jc w:val="{align}"/></w:pPr>')
    return "".join(out)


def paragraph_xml(runs: str, ppr: str) -> str:
    return f"<w:p>{ppr}{runs}</w:p>"


# ---------------------------------------------------------------------------------------------- tables
@dataclass(frozen=True)
class Cell:
    """A table cell for :meth:`OfficialDocument.grid_table` (forms, ballots)."""

    text: str = ""
    span: int = 1                 # gridSpan
    vmerge: str | None = None     # "restart" | "continue" | None
    align: str = "center"         # left | center | right | both
    font: str = FANGSONG
    size: int = SIZE_SMALL_4
    bold: bool = False
    keep_next: bool = False
    valign: str = "center"                    # top | center | bottom
    shade: str | None = None                  # fill colour, e.g. "D9D9D9" for a box not to be used
    lines: tuple[tuple[str, str], ...] = ()   # (text, align) paragraphs; used instead of ``text`` when given
    hanging_chars: float = 0                  # hanging indent of each paragraph (résumé lines)


@dataclass(frozen=True)
class Row:
    cells: tuple[Cell, ...]
    height_mm: float | None = None
    exact: bool = False           # exact height instead of at least
    header: bool = False          # repeat on each page


_BORDERS = (
    "<w:tblBorders>"
    + "".join(f'<w:{side} w:val="single" w:sz="4" w:space="0" w:color="000000"/>'
              for side in ("top", "left", "bottom", "right", "insideH", "insideV"))
    + "</w:tblBorders>"
)


def _table_open(widths_twips: Sequence[int]) -> str:
    total = sum(widths_twips)
    grid = "".join(f'<w:gridCol w:w="{w}"/>' for w in widths_twips)
    return (
        f"<w:tbl {_W}><w:tblPr><w:tblW w:w=\"{total}\" w:type=\"dxa\"/><w:jc w:val=\"center\"/>{_BORDERS}"
        '<w:tblLayout w:type="fixed"/><w:tblCellMar><w:left w:w="57" w:type="dxa"/>'
        '<w:right w:w="57" w:type="dxa"/></w:tblCellMar></w:tblPr>'
        f"<w:tblGrid>{grid}</w:tblGrid>"
    )


TABLE_LINE_RATIO = (7, 6)       # exact lines at 7/6 of the size: 14 pt for 小四 (the same height in every viewer)


def _cell_para_props(align: str, keep_next: bool = False, size: int = SIZE_SMALL_4,
                     hanging_chars: float = 0) -> str:
    # Cells are off the 22-line grid so that 小四 lines are not stretched to 29 pt.
    line = size * 10 * TABLE_LINE_RATIO[0] // TABLE_LINE_RATIO[1]
    return para_props_xml(align=align, snap=False, keep_next=keep_next, char_twips=size * 10,
                          line_exact_twips=line, left_chars=hanging_chars, hanging_chars=hanging_chars)


def _tr_props(height_twips: int | None, exact: bool, header: bool) -> str:
    out = "<w:trPr><w:cantSplit/>"
    if height_twips:
        out += f'<w:trHeight w:val="{height_twips}" w:hRule="{"exact" if exact else "atLeast"}"/>'
    if header:
        out += "<w:tblHeader/>"
    return out + "</w:trPr>"


def _wrap_header(text: str, width_mm: float, size: int) -> str:
    """"出生年月" in a narrow column → "出生\n年月" (split in the middle, not "出生年\n月")."""
    char_mm = (size / 2 + CHAR_SPACING_TWENTIETHS / 20) * 25.4 / 72
    if "\n" in text or text_width_chars(text) * char_mm + 2.2 <= width_mm or len(text) < 4:
        return text
    half = (len(text) + 1) // 2
    return f"{text[:half]}\n{text[half:]}"


def data_table_xml(
    columns: Sequence[str],
    rows: Iterable[Sequence[str]],
    widths_mm: Sequence[float],
    *,
    aligns: Sequence[str] | None = None,
    size: int = SIZE_SMALL_4,
    row_height_mm: float = 7,
) -> str:
    """A list table as one XML string: header row (黑体, repeated on each page), then one row per entry.

    Every row has ``cantSplit`` so no row is cut across pages. Per-column strings are prepared once, so
    the cost per cell is one escape and one join.
    """
    widths = [_mm_to_twips(w) for w in widths_mm]
    if len(widths) != len(columns):
        raise ValueError("列宽数与列数不一致")
    aligns = list(aligns or ["center"] * len(columns))
    height = _mm_to_twips(row_height_mm)
    tc_open = [
        f'<w:tc><w:tcPr><w:tcW w:w="{w}" w:type="dxa"/><w:vAlign w:val="center"/></w:tcPr>'
        for w in widths
    ]
    body_open = [
        f"{tc}<w:p>{_cell_para_props(a, size=size)}<w:r>{run_props_xml(FANGSONG, size)}<w:t xml:space=\"preserve\">"
        for tc, a in zip(tc_open, aligns)
    ]
    body_close = "</w:t></w:r></w:p></w:tc>"
    head = "".join(
        f"{tc}<w:p>{_cell_para_props('center', size=size)}{run_xml(_wrap_header(c, w, size), HEITI, size)}"
        "</w:p></w:tc>"
        for tc, c, w in zip(tc_open, columns, widths_mm)
    )
    out = [_table_open(widths), f"<w:tr>{_tr_props(height, False, True)}{head}</w:tr>"]
    row_open = f"<w:tr>{_tr_props(height, False, False)}"
    n = len(columns)
    for r, values in enumerate(rows, 1):
        if len(values) != n:
            raise DomainError(f"名册第{r}行有{len(values)}项，应为{n}项（与表头列数一致）", code="roster.row_width")
        out.append(row_open)
        for opener, value in zip(body_open, values):
            out.append(opener)
            out.append(_clean(value))
            out.append(body_close)
        out.append("</w:tr>")
    out.append("</w:tbl>")
    return "".join(out)


def grid_table_xml(widths_mm: Sequence[float], rows: Sequence[Row]) -> str:
    """A form-like table with merged cells (gridSpan / vMerge) and row heights."""
    widths = [_mm_to_twips(w) for w in widths_mm]
    out = [_table_open(widths)]
    for row in rows:
        out.append("<w:tr>")
        out.append(_tr_props(_mm_to_twips(row.height_mm) if row.height_mm else None, row.exact, row.header))
        col = 0
        for cell in row.cells:
            w = sum(widths[col:col + cell.span])
            col += cell.span
            tcpr = f'<w:tcW w:w="{w}" w:type="dxa"/>'
            if cell.span > 1:
                tcpr += f'<w:gridSpan w:val="{cell.span}"/>'
            if cell.vmerge == "restart":
                tcpr += '<w:vMerge w:val="restart"/>'
            elif cell.vmerge == "continue":
                tcpr += "<w:vMerge/>"
            if cell.shade:
                tcpr += f'<w:shd w:val="clear" w:color="auto" w:fill="{cell.shade}"/>'
            tcpr += f'<w:vAlign w:val="{cell.valign}"/>'
            lines = cell.lines or ((cell.text, cell.align),)
            paras = "".join(
                paragraph_xml(run_xml(text, cell.font, cell.size, cell.bold) if text else "",
                              _cell_para_props(align, cell.keep_next, cell.size, cell.hanging_chars))
                for text, align in lines
            )
            out.append(f"<w:tc><w:tcPr>{tcpr}</w:tcPr>{paras}</w:tc>")
        if col != len(widths):
            raise ValueError(f"表格一行占{col}列，应为{len(widths)}列")
        out.append("</w:tr>")
    out.append("</w:tbl>")
    return "".join(out)


def fit_widths(natural_mm: Sequence[float], total_mm: float, flexible: int) -> list[float]:
    """Give column ``flexible`` whatever is left of ``total_mm``; shrink the rest evenly if they overflow."""
    fixed = sum(w for i, w in enumerate(natural_mm) if i != flexible)
    minimum_flexible = 24.0
    if fixed + minimum_flexible > total_mm:
        scale = (total_mm - minimum_flexible) / fixed
        widths = [w * scale for w in natural_mm]
        widths[flexible] = minimum_flexible
        return widths
    widths = list(natural_mm)
    widths[flexible] = total_mm - fixed
    return widths


# ---------------------------------------------------------------------------------------------- document
def _page_number_footer_xml(odd: bool) -> str:
    """"— 1 —" in 4号 宋体 with a PAGE field; odd pages right, even pages left, one character in."""
    rpr = run_props_xml(SONGTI, SIZE_4)
    side = ('<w:ind w:rightChars="100" w:right="280"/><w:jc w:val="right"/>' if odd
            else '<w:ind w:leftChars="100" w:left="280"/><w:jc w:val="left"/>')
    ppr = f'<w:pPr><w:snapToGrid w:val="0"/><w:spacing w:before="0" w:after="0"/>{side}</w:pPr>'
    field = (
        f'<w:r>{rpr}<w:t xml:space="preserve">— </w:t></w:r>'
        f'<w:r>{rpr}<w:fldChar w:fldCharType="begin"/></w:r>'
        f'<w:r>{rpr}<w:instrText xml:space="preserve"> PAGE </w:instrText></w:r>'
        f'<w:r>{rpr}<w:fldChar w:fldCharType="separate"/></w:r>'
        f"<w:r>{rpr}<w:t>1</w:t></w:r>"
        f'<w:r>{rpr}<w:fldChar w:fldCharType="end"/></w:r>'
        f'<w:r>{rpr}<w:t xml:space="preserve"> —</w:t></w:r>'
    )
    return f"<w:p {_W}>{ppr}{field}</w:p>"


def _set_styles(doc) -> None:
    """Document defaults and the Normal style: 三号 仿宋_GB2312, single, 0 after, −0.25 pt, zh-CN."""
    styles = doc.styles.element
    body_rpr = (
        f'<w:rPr {_W}><w:rFonts w:ascii="{FANGSONG}" w:hAnsi="{FANGSONG}" w:eastAsia="{FANGSONG}" '
        f'w:cs="{FANGSONG}"/><w:spacing w:val="{CHAR_SPACING_TWENTIETHS}"/><w:sz w:val="{SIZE_3}"/>'
        f'<w:szCs w:val="{SIZE_3}"/><w:lang w:val="en-US" w:eastAsia="zh-CN" w:bidi="ar-SA"/></w:rPr>'
    )
    body_ppr = (f'<w:pPr {_W}><w:widowControl w:val="0"/>'
                '<w:spacing w:before="0" w:after="0" w:line="240" w:lineRule="auto"/><w:jc w:val="both"/></w:pPr>')
    defaults = styles.find(qn("w:docDefaults"))
    rpr_default = defaults.find(qn("w:rPrDefault"))
    rpr_default.remove(rpr_default.find(qn("w:rPr")))
    rpr_default.append(parse_xml(body_rpr))
    ppr_default = defaults.find(qn("w:pPrDefault"))
    ppr_default.remove(ppr_default.find(qn("w:pPr")))
    ppr_default.append(parse_xml(body_ppr))
    normal = doc.styles["Normal"].element
    for tag in ("w:pPr", "w:rPr"):
        old = normal.find(qn(tag))
        if old is not None:
            normal.remove(old)
    normal.append(parse_xml(body_ppr))
    normal.append(parse_xml(body_rpr))
    settings = doc.settings.element
    lang = settings.find(qn("w:themeFontLang"))
    if lang is not None:
        lang.set(qn("w:eastAsia"), "zh-CN")


class OfficialDocument:
    """A .docx on the GB/T 9704 page. Add blocks in reading order, then :meth:`to_bytes`."""

    def __init__(self, *, title: str = "", landscape: bool = False, page_numbers: bool = True) -> None:
        self.doc = Document()
        self.landscape = landscape
        self.text_width_mm = LANDSCAPE_TEXT_WIDTH_MM if landscape else TEXT_WIDTH_MM
        _set_styles(self.doc)
        self.doc.core_properties.title = title
        self.doc.core_properties.author = ""
        self.doc.core_properties.language = "zh-CN"
        package_rels = self.doc.part.package.rels
        for rid, rel in list(package_rels.items()):   # the template's thumbnail shows an empty page
            if rel.reltype.endswith("/metadata/thumbnail"):
                del package_rels[rid]
        self._body = self.doc.element.body
        for p in list(self._body.iterchildren(qn("w:p"))):   # the template's empty paragraph
            self._body.remove(p)
        self._sect_pr = self._body.find(qn("w:sectPr"))
        self._setup_section(page_numbers)

    # --- page
    def _setup_section(self, page_numbers: bool) -> None:
        section = self.doc.sections[0]
        if self.landscape:
            # Wide rosters: the paper turned, the same four margins (top/bottom/left/right) kept.
            section.orientation = WD_ORIENT.LANDSCAPE
            section.page_width, section.page_height = Mm(PAGE_HEIGHT_MM), Mm(PAGE_WIDTH_MM)
        else:
            section.orientation = WD_ORIENT.PORTRAIT
            section.page_width, section.page_height = Mm(PAGE_WIDTH_MM), Mm(PAGE_HEIGHT_MM)
        section.top_margin = Mm(MARGIN_TOP_MM)
        section.bottom_margin = Mm(MARGIN_BOTTOM_MM)
        section.left_margin = Mm(MARGIN_LEFT_MM)
        section.right_margin = Mm(MARGIN_RIGHT_MM)
        section.footer_distance = Mm(FOOTER_DISTANCE_MM)
        section.header_distance = Mm(15)
        grid = self._sect_pr.find(qn("w:docGrid"))
        new_grid = parse_xml(f'<w:docGrid {_W} w:type="lines" w:linePitch="{LINE_PITCH_TWIPS}"/>')
        if grid is not None:
            grid.addprevious(new_grid)
            self._sect_pr.remove(grid)
        else:
            self._sect_pr.append(new_grid)
        if page_numbers:
            self.doc.settings.odd_and_even_pages_header_footer = True
            for footer, odd in ((section.footer, True), (section.even_page_footer, False)):
                footer.is_linked_to_previous = False
                element = footer._element
                for child in list(element):
                    element.remove(child)
                element.append(parse_xml(_page_number_footer_xml(odd)))

    # --- blocks
    def _append(self, xml: str) -> None:
        self._sect_pr.addprevious(parse_xml(xml))

    def add_xml(self, xml: str) -> None:
        """Append a block given as XML (``<w:p>…`` or ``<w:tbl …>``); the w namespace is declared here."""
        if xml.startswith(("<w:p>", "<w:p/>")):
            xml = f"<w:p {_W}" + xml[4:]
        self._append(xml)

    def title(self, text: str, *, size: int = SIZE_2, page_break_before: bool = False,
              after_twips: int = 0) -> None:
        """2号 方正小标宋简体, centred, off the grid with exact lines; "\\n" breaks a long title (GB/T 9704
        wants a long title broken between words, in a trapezoid or diamond shape: the caller knows the words)."""
        ppr = para_props_xml(align="center", snap=False, line_exact_twips=TITLE_LINE_TWIPS if size == SIZE_2
                             else round(size * 10 * 1.5), page_break_before=page_break_before,
                             after_twips=after_twips)
        self.add_xml(paragraph_xml(run_xml(text, XIAOBIAOSONG, size), ppr))

    def blank(self, lines: int = 1) -> None:
        for _ in range(lines):
            self.add_xml("<w:p/>")

    def paragraph(self, text: str, *, indent: bool = True, align: str = "both", font: str = FANGSONG,
                  size: int = SIZE_3, bold: bool = False, keep_next: bool = False,
                  line_exact_twips: int | None = None) -> None:
        """Body text: 3号 仿宋_GB2312, first line indented two characters, justified, on the line grid.

        ``line_exact_twips`` takes the paragraph off the grid with exact lines (small print on a ballot)."""
        ppr = para_props_xml(align=align, first_line_chars=2 if indent else 0, keep_next=keep_next,
                             snap=line_exact_twips is None, line_exact_twips=line_exact_twips,
                             char_twips=size * 10)
        self.add_xml(paragraph_xml(run_xml(text, font, size, bold), ppr))

    def labelled(self, label: str, text: str, *, label_font: str = FANGSONG) -> None:
        """"受理电话：…" — a label run and a text run in one indented paragraph."""
        ppr = para_props_xml(first_line_chars=2)
        self.add_xml(paragraph_xml(run_xml(label, label_font) + run_xml(text), ppr))

    def heading1(self, text: str) -> None:
        """First level "一、…": 3号黑体 (GB/T 9704 §7.3.3)."""
        self.paragraph(text, font=HEITI, keep_next=True)

    def heading2(self, text: str) -> None:
        """Second level "（一）…": 3号楷体_GB2312."""
        self.paragraph(text, font=KAITI, keep_next=True)

    def addressee(self, text: str) -> None:
        """主送机关: flush left, ending in a full-width colon (GB/T 9704 §7.3.3)."""
        self.paragraph(text if text.endswith("：") else f"{text}：", indent=False)

    def subtitle(self, text: str, *, font: str = KAITI, size: int = SIZE_3) -> None:
        """A centred line under the title, e.g. "（按姓氏笔画排序）"."""
        ppr = para_props_xml(align="center")
        self.add_xml(paragraph_xml(run_xml(text, font, size), ppr))

    def attachments(self, names: Sequence[str]) -> None:
        """附件说明: one blank line after the text, "附件：" two characters in; numbered when several."""
        if not names:
            return
        self.blank()
        if len(names) == 1:
            self.paragraph(f"附件：{names[0]}")
            return
        for i, name in enumerate(names, 1):
            if i == 1:
                self.paragraph(f"附件：1．{name}")
            else:
                ppr = para_props_xml(left_chars=5)   # aligned under the first name (附件：= 3 chars + 2)
                self.add_xml(paragraph_xml(run_xml(f"{i}．{name}"), ppr))

    def signature(self, signer: str, date: dt.date) -> None:
        """署名 and 成文日期 without a seal (GB/T 9704 §7.3.5.2): one blank line, 署名 two characters in from
        the right; the date on the next line starting two characters right of the 署名's first character;
        when the date is longer, the date sits two characters in and the 署名 moves left."""
        date_text = format_date_cn(date)
        s, d = text_width_chars(signer), text_width_chars(date_text)
        if d > s - 2:
            date_right, signer_right = 2.0, 4.0 + d - s
        else:
            signer_right, date_right = 2.0, s - d
        self.blank()
        for text, right in ((signer, signer_right), (date_text, date_right)):
            ppr = para_props_xml(align="right", right_chars=right)
            self.add_xml(paragraph_xml(run_xml(text), ppr))

    def page_break(self) -> None:
        self.add_xml(f'<w:p {_W}><w:r><w:br w:type="page"/></w:r></w:p>')

    def data_table(self, columns: Sequence[str], rows: Iterable[Sequence[str]], widths_mm: Sequence[float],
                   *, aligns: Sequence[str] | None = None, size: int = SIZE_SMALL_4,
                   row_height_mm: float = 7) -> None:
        """A list table (名册, 公示名单): 小四 仿宋, header 黑体 repeated per page, rows kept whole."""
        self._append(data_table_xml(columns, rows, widths_mm, aligns=aligns, size=size,
                                    row_height_mm=row_height_mm))

    def grid_table(self, widths_mm: Sequence[float], rows: Sequence[Row]) -> None:
        """A form table with merged cells (登记表, 选票)."""
        self._append(grid_table_xml(widths_mm, rows))

    # --- output
    def body_text(self) -> str:
        """All text of the body, paragraph by paragraph (for checks)."""
        p_tag, t_tag = qn("w:p"), qn("w:t")
        return "".join("\n" if el.tag == p_tag else el.text or "" for el in self._body.iter(p_tag, t_tag))

    def to_bytes(self, *, posting: bool = False) -> bytes:
        """Serialize. ``posting`` = a document that is put up publicly: refuse any resident ID number."""
        if posting:
            found = find_id_numbers(self.body_text())
            if found:
                masked = "、".join(f"{x[:6]}********{x[-4:]}" for x in found[:3])
                raise DomainError(
                    f"张贴或公示的材料中不得出现身份证号码（发现{len(found)}处：{masked}），请从名单中删除后再生成",
                    code="document.id_number",
                )
        buffer = io.BytesIO()
        self.doc.save(buffer)
        return buffer.getvalue()

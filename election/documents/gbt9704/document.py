"""``OfficialDocument``: a .docx on the GB/T 9704 page — styles and document defaults, the section (paper,
margins, line grid), page numbers "— 1 —" on odd and even pages, the blocks in reading order (title,
paragraphs, headings, 主送机关, 附件说明, 署名 and 成文日期, tables) and the output, refusing resident ID
numbers in a document that is posted.
"""
from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterable, Sequence

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.oxml import parse_xml
from docx.oxml.ns import qn
from docx.shared import Mm

from election.documents.gbt9704.page import (
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
    SIZE_SMALL_4,
    SONGTI,
    TEXT_WIDTH_MM,
    TITLE_LINE_TWIPS,
    XIAOBIAOSONG,
)
from election.documents.gbt9704.tables import Row, data_table_xml, grid_table_xml
from election.documents.gbt9704.text import find_id_numbers, format_date_cn, text_width_chars
from election.documents.gbt9704.wordml import _W, para_props_xml, paragraph_xml, run_props_xml, run_xml
from workflow.common.results import DomainError


# ---------------------------------------------------------------------------------------------- document
def _set_keep(p) -> None:
    """Add ``keepNext`` and ``keepLines`` to a paragraph (first in ``w:pPr``, as the schema orders them)."""
    ppr = p.find(qn("w:pPr"))
    if ppr is None:
        ppr = parse_xml(f"<w:pPr {_W}/>")
        p.insert(0, ppr)
    at = 1 if ppr.find(qn("w:pStyle")) is not None else 0
    for tag in ("w:keepLines", "w:keepNext"):          # inserted in reverse: keepNext ends up first
        if ppr.find(qn(tag)) is None:
            ppr.insert(at, parse_xml(f"<{tag} {_W}/>"))


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
        self._closing: set = set()      # 附件说明 paragraphs, kept with the 署名 like the blank lines
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
        first = self._sect_pr.getprevious()
        if len(names) == 1:
            self.paragraph(f"附件：{names[0]}")
        else:
            for i, name in enumerate(names, 1):
                if i == 1:
                    self.paragraph(f"附件：1．{name}")
                else:
                    ppr = para_props_xml(left_chars=5)   # aligned under the first name (附件：= 3 chars + 2)
                    self.add_xml(paragraph_xml(run_xml(f"{i}．{name}"), ppr))
        el = first
        while el is not None and el is not self._sect_pr:
            self._closing.add(el)
            el = el.getnext()

    def signature(self, signer: str, date: dt.date) -> None:
        """署名 and 成文日期 without a seal (GB/T 9704 §7.3.5.2): one blank line, 署名 two characters in from
        the right; the date on the next line starting two characters right of the 署名's first character;
        when the date is longer, the date sits two characters in and the 署名 moves left.

        The 署名 and date never stand alone on a page: they, the blank line, the 附件说明 and the last paragraph
        of the text are kept together (``keepNext`` and ``keepLines``), so a page break moves that paragraph
        over with them."""
        self._keep_ending_together()
        date_text = format_date_cn(date)
        s, d = text_width_chars(signer), text_width_chars(date_text)
        if d > s - 2:
            date_right, signer_right = 2.0, 4.0 + d - s
        else:
            signer_right, date_right = 2.0, s - d
        self.add_xml(f"<w:p>{para_props_xml(keep_next=True)}</w:p>")
        for text, right in ((signer, signer_right), (date_text, date_right)):
            ppr = para_props_xml(align="right", right_chars=right, keep_next=text == signer, keep_lines=True)
            self.add_xml(paragraph_xml(run_xml(text), ppr))

    def _keep_ending_together(self) -> None:
        """keepNext/keepLines on the blocks before the 署名, back to and including the last paragraph of text;
        after a table, its last row is kept with what follows."""
        el = self._sect_pr.getprevious()
        while el is not None:
            if el.tag == qn("w:tbl"):
                rows = el.findall(qn("w:tr"))
                for p in rows[-1].iter(qn("w:p")) if rows else ():
                    _set_keep(p)
                return
            if el.tag == qn("w:p"):
                _set_keep(el)
                has_text = any((t.text or "").strip() for t in el.iter(qn("w:t")))
                if has_text and el not in self._closing:
                    return
            el = el.getprevious()

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

"""WordprocessingML pieces written as XML text: run properties naming the East-Asian font, runs, paragraph
properties in schema order (indents in characters) and paragraphs; text escaped and stripped of control
characters.
"""
from __future__ import annotations

import re
from xml.sax.saxutils import escape

from docx.oxml.ns import nsdecls

from election.documents.gbt9704.page import BODY_CHAR_TWIPS, FANGSONG, SIZE_3

_W = nsdecls("w")
_XML_BAD = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


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
    keep_lines: bool = False,
    page_break_before: bool = False,
    char_twips: int = BODY_CHAR_TWIPS,
) -> str:
    """``<w:pPr>`` in schema order. Indents are in characters (``*Chars`` for Word, twips for others)."""
    out = ["<w:pPr>"]
    if keep_next:
        out.append("<w:keepNext/>")
    if keep_lines:
        out.append("<w:keepLines/>")
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
